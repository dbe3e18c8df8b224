"""Fill the Dutch catalog from this table, then compile it (run from login-service/).

uv run pybabel extract -F babel.cfg -k _l -o /tmp/messages.pot .
uv run pybabel update -i /tmp/messages.pot -d src/login_service/translations
uv run python scripts/nl_translations.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

NL = {
    "Something went wrong": "Er ging iets mis",
    "This sign-in link is not valid": "Deze inloglink is niet geldig",
    "Sign-in is temporarily unavailable": "Inloggen is tijdelijk niet mogelijk",
    "This form has expired": "Dit formulier is verlopen",
    "The page was open for too long or was submitted twice. Please try again.": (
        "De pagina stond te lang open of is twee keer verstuurd. Probeer het opnieuw."
    ),
    "We could not reach a service that sign-in depends on. Please try again shortly.": (
        "We konden een dienst die nodig is om in te loggen niet bereiken. "
        "Probeer het zo dadelijk opnieuw."
    ),
    "An identity service gave an unexpected answer. Please start again.": (
        "Een accountdienst gaf een onverwacht antwoord. Begin opnieuw."
    ),
    "Please try again later.": "Probeer het later opnieuw.",
    "This sign-in link has expired": "Deze inloglink is verlopen",
    "The sign-in took too long, so it was stopped for your safety. Please start again.": (
        "Het inloggen duurde te lang en is voor uw veiligheid gestopt. Begin opnieuw."
    ),
    "Start again": "Opnieuw beginnen",
    "Sign in": "Inloggen",
    "Please confirm this action by verifying that it is you.": (
        "Bevestig deze actie door te laten zien dat u het bent."
    ),
    "Please complete the second authentication challenge.": "Voltooi de tweede inlogstap.",
    "Verify": "Controleren",
    "Authentication code": "Verificatiecode",
    "Backup recovery code": "Back-up-herstelcode",
    "Sign in with hardware key": "Inloggen met een beveiligingssleutel",
    "Use Authenticator": "Authenticator-app gebruiken",
    "Use backup recovery code": "Back-up-herstelcode gebruiken",
    "Continue with hardware key": "Doorgaan met beveiligingssleutel",
    "Continue": "Doorgaan",
    "Sign in with code": "Inloggen met een code",
    "Sign in with passkey": "Inloggen met een passkey",
    "Sign in with password": "Inloggen met wachtwoord",
    "Sign up": "Registreren",
    "Sign up with security key": "Registreren met een beveiligingssleutel",
    "Your changes have been saved!": "Uw wijzigingen zijn opgeslagen!",
    "Unlink TOTP Authenticator App": "Authenticator-app ontkoppelen",
    "Authenticator app QR code": "QR-code voor de authenticator-app",
    "Reveal backup recovery codes": "Back-up-herstelcodes tonen",
    "Generate new backup recovery codes": "Nieuwe back-up-herstelcodes maken",
    "These are your back up recovery codes. Please keep them in a safe place!": (
        "Dit zijn uw back-up-herstelcodes. Bewaar ze op een veilige plek!"
    ),
    "Confirm backup recovery codes": "Back-up-herstelcodes bevestigen",
    "Add security key": "Beveiligingssleutel toevoegen",
    "Name of the security key": "Naam van de beveiligingssleutel",
    "Disable this method": "Deze methode uitschakelen",
    "This is your authenticator app secret. Use it if you can not scan the QR code.": (
        "Dit is de geheime sleutel voor uw authenticator-app. Gebruik hem als u de "
        "QR-code niet kunt scannen."
    ),
    "Remove security key": "Beveiligingssleutel verwijderen",
    "You successfully recovered your account. Please change your password now.": (
        "Uw account is hersteld. Kies nu een nieuw wachtwoord."
    ),
    "An email containing a recovery code has been sent to the email address you provided. "
    "If you have not received an email, check the spelling of the address.": (
        "Er is een e-mail met een herstelcode verstuurd naar het opgegeven adres. "
        "Geen e-mail ontvangen? Controleer dan de spelling van het adres."
    ),
    "Password": "Wachtwoord",
    "Save": "Opslaan",
    "Email or username": "E-mailadres of gebruikersnaam",
    "Submit": "Versturen",
    "Verify code": "Code controleren",
    "Email": "E-mail",
    "Resend code": "Code opnieuw sturen",
    "Recovery code": "Herstelcode",
    "Verification code": "Verificatiecode",
    "Login code": "Inlogcode",
    "An email containing a verification code has been sent to the email address you "
    "provided.": "Er is een e-mail met een verificatiecode verstuurd naar het opgegeven adres.",
    "You successfully verified your email address.": "Uw e-mailadres is bevestigd.",
    "Property %(property)s is missing.": "Het veld %(property)s ontbreekt.",
    "The password can not be used: %(reason)s": (
        "Dit wachtwoord kan niet worden gebruikt: %(reason)s"
    ),
    "The provided credentials are invalid, check for spelling mistakes in your password "
    "or username, email address, or phone number.": (
        "De inloggegevens kloppen niet. Controleer uw wachtwoord en uw gebruikersnaam "
        "of e-mailadres op typfouten."
    ),
    "This email address or username is already taken by another account.": (
        "Er bestaat al een account met dit e-mailadres of deze gebruikersnaam."
    ),
    "The provided authentication code is invalid, please try again.": (
        "De verificatiecode klopt niet. Probeer het opnieuw."
    ),
    "Account not active yet. Did you forget to verify your email address?": (
        "Uw account is nog niet actief. Heeft u uw e-mailadres al bevestigd?"
    ),
    "You have no TOTP device set up.": "U heeft geen authenticator-app ingesteld.",
    "This backup recovery code has already been used.": (
        "Deze back-up-herstelcode is al gebruikt."
    ),
    "You have no backup recovery codes set up.": "U heeft geen back-up-herstelcodes ingesteld.",
    "The backup recovery code is not valid.": "Deze back-up-herstelcode is niet geldig.",
    "The form has expired, please try again.": "Het formulier is verlopen. Probeer het opnieuw.",
    "Unlink your authenticator app? Signing in will no longer ask for its code.": (
        "Uw authenticator-app ontkoppelen? "
        "Bij het inloggen wordt dan niet meer om de code gevraagd."
    ),
    "Disable your backup recovery codes? The codes you saved will stop working.": (
        "Uw back-up-herstelcodes uitschakelen? De codes die u hebt bewaard werken dan niet meer."
    ),
    "Remove this security key? You can no longer sign in with it.": (
        "Deze beveiligingssleutel verwijderen? U kunt er dan niet meer mee inloggen."
    ),
    "This form expired less than a minute ago. Please try again.": (
        "Dit formulier is minder dan een minuut geleden verlopen. Probeer het opnieuw."
    ),
    "This form expired 1 minute ago. Please try again.": (
        "Dit formulier is 1 minuut geleden verlopen. Probeer het opnieuw."
    ),
    "This form expired %(minutes)s minutes ago. Please try again.": (
        "Dit formulier is %(minutes)s minuten geleden verlopen. Probeer het opnieuw."
    ),
    "The recovery code is invalid or has already been used. Please try again.": (
        "De herstelcode is ongeldig of al gebruikt. Probeer het opnieuw."
    ),
    "The verification code is invalid or has already been used. Please try again.": (
        "De verificatiecode is ongeldig of al gebruikt. Probeer het opnieuw."
    ),
    "An error occurred, please try again.": "Er ging iets mis. Probeer het opnieuw.",
    "Name": "Naam",
    "Username": "Gebruikersnaam",
    "E-Mail": "E-mail",
    "Create an account": "Account aanmaken",
    "Recover your account": "Toegang tot uw account herstellen",
    "Verify your email address": "Bevestig uw e-mailadres",
    "Account settings": "Accountinstellingen",
    "Your session check failed": "De veiligheidscontrole is mislukt",
    "For your security the form could not be accepted: it was opened in another browser "
    "window, your cookies were cleared, or it was sent twice. Please start again.": (
        "Voor uw veiligheid konden we het formulier niet aannemen: het is in een ander "
        "browservenster geopend, uw cookies zijn gewist, of het is twee keer verstuurd. "
        "Begin opnieuw."
    ),
    "That page had expired, so we opened a fresh one. Please try again.": (
        "Die pagina was verlopen, dus we hebben een nieuwe geopend. Probeer het opnieuw."
    ),
    "That page could not be found any more. Please try again.": (
        "Die pagina bestaat niet meer. Probeer het opnieuw."
    ),
    "Second factor": "Tweede stap",
    "Confirm it is you": "Bevestig dat u het bent",
    "We could not find the details of this error. Please start again.": (
        "We konden de details van deze fout niet vinden. Begin opnieuw."
    ),
    "Sign-in could not be completed": "Inloggen kon niet worden afgerond",
    "Please start again.": "Begin opnieuw.",
    "The link is missing its sign-in challenge. Please start again from the app.": (
        "Deze link mist zijn inlogcode. Begin opnieuw vanuit de app."
    ),
    "The sign-in challenge in this link is malformed.": "De inlogcode in deze link is ongeldig.",
    "This sign-in link is unknown or no longer valid. Please start again from the app.": (
        "Deze inloglink is onbekend of niet meer geldig. Begin opnieuw vanuit de app."
    ),
    "This sign-in link was already used. Please start again from the app.": (
        "Deze inloglink is al gebruikt. Begin opnieuw vanuit de app."
    ),
    "Know that it is you (your account id)": "Weten dat u het bent (uw account-id)",
    "Your name and username": "Uw naam en gebruikersnaam",
    "Your email address": "Uw e-mailadres",
    "Stay connected while you are not using the app": (
        "Verbonden blijven als u de app niet gebruikt"
    ),
    "You do not have access to %(app)s": "U heeft geen toegang tot %(app)s",
    "Your account is disabled.": "Uw account is uitgeschakeld.",
    "This app is not registered with %(site)s.": "Deze app is niet aangemeld bij %(site)s.",
    "You have not been given access to this app.": "U heeft geen toegang gekregen tot deze app.",
    "Allow %(app)s?": "%(app)s toestaan?",
    "You are signed in": "U bent ingelogd",
    "Your account is disabled": "Uw account is uitgeschakeld",
    "You cannot sign in with this account. Please contact %(contact)s.": (
        "U kunt met dit account niet inloggen. Neem contact op met %(contact)s."
    ),
    "Sign out": "Uitloggen",
    "You are signed out": "U bent uitgelogd",
    "Profile": "Profiel",
    "Authenticator app": "Authenticator-app",
    "Backup recovery codes": "Back-up-herstelcodes",
    "Security keys": "Beveiligingssleutels",
    "Passkeys": "Passkeys",
    "Email code": "Code per e-mail",
    "Email link": "Link per e-mail",
    "Other accounts": "Andere accounts",
    "Single sign-on": "Eenmalig inloggen",
    "Account": "Account",
    "Are you human?": "Bent u een mens?",
    "Skip to content": "Naar de inhoud",
    "Site": "Site",
    "Language": "Taal",
    "%(app)s would like to:": "%(app)s wil graag:",
    "Remember my choice for this app": "Mijn keuze voor deze app onthouden",
    "Allow": "Toestaan",
    "Deny": "Weigeren",
    "If you need %(app)s, ask %(contact)s to give you access.": (
        "Heeft u %(app)s nodig? Vraag %(contact)s om u toegang te geven."
    ),
    "Return to the app": "Terug naar de app",
    "Try again": "Opnieuw proberen",
    "Error %(status)s": "Fout %(status)s",
    "Request id": "Verzoek-id",
    "Welcome, choose a password": "Welkom, kies een wachtwoord",
    "You were invited. Enter the code from your invitation mail to choose your password.": (
        "U bent uitgenodigd. Vul de code uit uw uitnodigingsmail in om uw wachtwoord te kiezen."
    ),
    "Your invitation is accepted. Choose the password you will sign in with.": (
        "Uw uitnodiging is aanvaard. Kies het wachtwoord waarmee u gaat inloggen."
    ),
    "Your account is recovered. Please choose a new password first.": (
        "Uw account is hersteld. Kies eerst een nieuw wachtwoord."
    ),
    "Forgot your password?": "Wachtwoord vergeten?",
    "Back to sign in": "Terug naar inloggen",
    "You are signed in as %(who)s.": "U bent ingelogd als %(who)s.",
    "You have been signed out of all apps. You can close this window.": (
        "U bent uitgelogd bij alle apps. U kunt dit venster sluiten."
    ),
    "Sign in again": "Opnieuw inloggen",
    "%(app)s asks to sign you out. Do you want to sign out of all apps?": (
        "%(app)s vraagt om u uit te loggen. Wilt u uitloggen bij alle apps?"
    ),
    "Do you want to sign out of all apps?": "Wilt u uitloggen bij alle apps?",
    "Stay signed in": "Ingelogd blijven",
    "QR code": "QR-code",
    "Please try again.": "Probeer het opnieuw.",
    "Tip: sign in from a single browser window, and allow cookies for this site.": (
        "Tip: log in vanuit één browservenster en sta cookies toe voor deze site."
    ),
    "Bad request": "Ongeldig verzoek",
    "Page not found": "Pagina niet gevonden",
    "There is no page at this address.": "Op dit adres staat geen pagina.",
    # Kratos messages (kratos_messages.py)
    "Prepare your security key or biometric sensor and press continue.": (
        "Houd uw beveiligingssleutel of vingerafdruklezer bij de hand en klik op doorgaan."
    ),
    "A code was sent to the address you provided. If you did not receive it, check the "
    "spelling of the address and try again.": (
        "Er is een code verstuurd naar het opgegeven adres. Niets ontvangen? Controleer de "
        "spelling van het adres en probeer het opnieuw."
    ),
    "Request code to continue": "Code aanvragen om door te gaan",
    "Send code to %(address)s": "Code sturen naar %(address)s",
    "A code has been sent to the address you provided. If you have not received a "
    "message, check the spelling of the address and try again.": (
        "Er is een code verstuurd naar het opgegeven adres. Geen bericht ontvangen? Controleer "
        "de spelling van het adres en probeer het opnieuw."
    ),
    "Send sign up code": "Registratiecode sturen",
    "Sign up with passkey": "Registreren met een passkey",
    "Back": "Terug",
    "Please choose a way to sign in.": "Kies hoe u wilt inloggen.",
    "Used %(used_at)s": "Gebruikt %(used_at)s",
    'Remove security key "%(display_name)s" (added %(added_at)s)': (
        "Beveiligingssleutel “%(display_name)s” verwijderen (toegevoegd %(added_at)s)"
    ),
    "Add passkey": "Passkey toevoegen",
    'Remove passkey "%(display_name)s" (added %(added_at)s)': (
        "Passkey “%(display_name)s” verwijderen (toegevoegd %(added_at)s)"
    ),
    "You successfully recovered your account. Please change your password within "
    "%(privileged_session_expires_in)s (before %(privileged_session_expires_at)s).": (
        "Uw account is hersteld. Kies binnen %(privileged_session_expires_in)s een nieuw "
        "wachtwoord (vóór %(privileged_session_expires_at)s)."
    ),
    "An email containing a recovery link has been sent to the email address you provided. "
    "If you have not received an email, check the spelling of the address.": (
        "Er is een e-mail met een herstellink verstuurd naar het opgegeven adres. "
        "Geen e-mail ontvangen? Controleer dan de spelling van het adres."
    ),
    "A recovery code has been sent to %(masked_address)s. If you have not received it, "
    "check the spelling of the address.": (
        "Er is een herstelcode verstuurd naar %(masked_address)s. Niets ontvangen? Controleer "
        "dan de spelling van het adres."
    ),
    "Recover access to your account by entering your recovery address in full.": (
        "Herstel de toegang tot uw account door uw herstel-adres volledig in te vullen."
    ),
    "How do you want to recover your account?": "Hoe wilt u uw account herstellen?",
    "Registration code": "Registratiecode",
    "Please complete the captcha challenge to continue.": ("Los de captcha op om door te gaan."),
    "Recovery address": "Herstel-adres",
    "Phone number": "Telefoonnummer",
    "An email containing a verification link has been sent to the email address you "
    "provided. If you have not received an email, check the spelling of the address.": (
        "Er is een e-mail met een bevestigingslink verstuurd naar het opgegeven adres. "
        "Geen e-mail ontvangen? Controleer dan de spelling van het adres."
    ),
    "Please enter at least %(min_length)s characters.": ("Vul minstens %(min_length)s tekens in."),
    "This value does not have the expected format.": "Deze waarde heeft niet de juiste vorm.",
    "No sign-in identifier was found. Please contact your administrator.": (
        "Er is geen inlognaam gevonden. Neem contact op met uw beheerder."
    ),
    "You have no security key set up.": "U hebt geen beveiligingssleutel ingesteld.",
    "This account does not exist or has no security key set up.": (
        "Dit account bestaat niet of heeft geen beveiligingssleutel."
    ),
    "Please enter at most %(max_length)s characters.": "Vul hoogstens %(max_length)s tekens in.",
    "The value must be at least %(minimum)s.": "De waarde moet minstens %(minimum)s zijn.",
    "The value must be greater than %(minimum)s.": ("De waarde moet groter zijn dan %(minimum)s."),
    "The value must be at most %(maximum)s.": "De waarde mag hoogstens %(maximum)s zijn.",
    "The value must be less than %(maximum)s.": "De waarde moet kleiner zijn dan %(maximum)s.",
    "The value must be a multiple of %(base)s.": ("De waarde moet een veelvoud van %(base)s zijn."),
    "Please choose at most %(max_items)s items.": "Kies hoogstens %(max_items)s items.",
    "Please choose at least %(min_items)s items.": "Kies minstens %(min_items)s items.",
    "Each item may be chosen only once.": "Elk item mag maar één keer gekozen worden.",
    "This value has the wrong type.": "Deze waarde heeft het verkeerde type.",
    "An account with this identifier exists already. Please sign in to that account instead.": (
        "Er bestaat al een account met deze gegevens. Log in bij dat account."
    ),
    "The value must be %(expected)s.": "De waarde moet %(expected)s zijn.",
    "This value is not allowed.": "Deze waarde is niet toegestaan.",
    "The password can not be used because it is too similar to the identifier.": (
        "Dit wachtwoord lijkt te veel op uw e-mailadres of gebruikersnaam."
    ),
    "The password must be at least %(min_length)s characters long.": (
        "Het wachtwoord moet minstens %(min_length)s tekens lang zijn."
    ),
    "The password must be at most %(max_length)s characters long.": (
        "Het wachtwoord mag hoogstens %(max_length)s tekens lang zijn."
    ),
    "The password has been found in data breaches and must no longer be used.": (
        "Dit wachtwoord komt voor in gelekte gegevens en mag niet meer gebruikt worden."
    ),
    "This account does not exist or has not set up sign in with code.": (
        "Dit account bestaat niet of kan niet inloggen met een code."
    ),
    "The details you entered do not match the ones this form was started with.": (
        "De ingevulde gegevens komen niet overeen met die waarmee dit formulier begon."
    ),
    "This account does not exist or has no login method configured.": (
        "Dit account bestaat niet of heeft geen manier om in te loggen."
    ),
    "Captcha verification failed, please try again.": (
        "De captcha is niet gelukt. Probeer het opnieuw."
    ),
    "The new password must be different from the old password.": (
        "Het nieuwe wachtwoord moet anders zijn dan het oude."
    ),
    "This request was already completed and can not be repeated.": (
        "Dit verzoek is al afgehandeld en kan niet worden herhaald."
    ),
    "Could not sign you in. Did you fill out the form correctly?": (
        "Inloggen is niet gelukt. Hebt u het formulier goed ingevuld?"
    ),
    "Could not sign you up. Did you fill out the form correctly?": (
        "Registreren is niet gelukt. Hebt u het formulier goed ingevuld?"
    ),
    "Could not update your settings. Did you fill out the form correctly?": (
        "Uw instellingen zijn niet gewijzigd. Hebt u het formulier goed ingevuld?"
    ),
    "Could not recover your account. Did you fill out the form correctly?": (
        "Uw account is niet hersteld. Hebt u het formulier goed ingevuld?"
    ),
    "Could not verify your account. Did you fill out the form correctly?": (
        "Uw account is niet bevestigd. Hebt u het formulier goed ingevuld?"
    ),
    "The login code is invalid or has already been used. Please try again.": (
        "De inlogcode is ongeldig of al gebruikt. Probeer het opnieuw."
    ),
    "The address you entered does not match any address of this account.": (
        "Het ingevulde adres hoort niet bij dit account."
    ),
    "The registration code is invalid or has already been used. Please try again.": (
        "De registratiecode is ongeldig of al gebruikt. Probeer het opnieuw."
    ),
    "The recovery failed. Please start again.": "Het herstellen is mislukt. Begin opnieuw.",
    "The recovery link is invalid or has already been used. Please start again.": (
        "De herstellink is ongeldig of al gebruikt. Begin opnieuw."
    ),
    "The verification link is invalid or has already been used. Please start again.": (
        "De bevestigingslink is ongeldig of al gebruikt. Begin opnieuw."
    ),
    "The verification failed. Please start again.": "Het bevestigen is mislukt. Begin opnieuw.",
    "Your email address is verified": "Uw e-mailadres is bevestigd",
    "The code from your email is filled in. Press Continue to verify your address.": (
        "De code uit uw e-mail is al ingevuld. Kies Doorgaan om uw adres te bevestigen."
    ),
    "Yes, unlink the app": "Ja, de app ontkoppelen",
    "Yes, disable the codes": "Ja, de codes uitschakelen",
    "Yes, remove the key": "Ja, de sleutel verwijderen",
    "Show password": "Wachtwoord tonen",
    "At least %(count)s characters.": "Minstens %(count)s tekens.",
    "Not too similar to your email address or username.": (
        "Niet te veel lijkend op uw e-mailadres of gebruikersnaam."
    ),
    "Not one that appeared in a known data breach.": (
        "Geen wachtwoord dat in een bekend datalek voorkwam."
    ),
    "backup-recovery-codes": "back-up-herstelcodes",
    "Download (.txt)": "Downloaden (.txt)",
    "Copy": "Kopiëren",
    "Print": "Afdrukken",
    "Copied": "Gekopieerd",
}


def main() -> None:
    folder = (
        Path(__file__).resolve().parent.parent / "src/login_service/translations/nl/LC_MESSAGES"
    )
    with (folder / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="nl")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        text = NL.get(message.id) if isinstance(message.id, str) else None
        if text is None:
            missing.append(message.id)
            continue
        message.string = text
        message.flags.discard("fuzzy")
    with (folder / "messages.po").open("wb") as f:
        write_po(f, catalog, width=100)
    with (folder / "messages.mo").open("wb") as f:
        write_mo(f, catalog)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")


if __name__ == "__main__":
    main()
