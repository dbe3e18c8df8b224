"""Kratos ui text ids we translate, each with an English source string for the catalogs.

The English string is only the gettext msgid: English pages show Kratos's own text, so the
source here need not match Kratos word for word. `%(name)s` placeholders come from the
message's `context`. Ids we do not list fall back to Kratos's English text.
"""

from __future__ import annotations

from login_service.lazy_text import lazy_text as _l

# Marked with _l only so that pybabel extracts them; looked up with gettext at render time.
_MARKED = [
    _l("Sign in"),
    _l("Please confirm this action by verifying that it is you."),
    _l("Please complete the second authentication challenge."),
    _l("Verify"),
    _l("Authentication code"),
    _l("Backup recovery code"),
    _l("Sign in with hardware key"),
    _l("Use Authenticator"),
    _l("Use backup recovery code"),
    _l("Continue with hardware key"),
    _l("Continue"),
    _l("Sign in with code"),
    _l("Sign in with passkey"),
    _l("Sign in with password"),
    _l("Sign up"),
    _l("Sign up with security key"),
    _l("Your changes have been saved!"),
    _l("Unlink TOTP Authenticator App"),
    _l("Authenticator app QR code"),
    _l("Reveal backup recovery codes"),
    _l("Generate new backup recovery codes"),
    _l("These are your back up recovery codes. Please keep them in a safe place!"),
    _l("Confirm backup recovery codes"),
    _l("Add security key"),
    _l("Name of the security key"),
    _l("Disable this method"),
    _l("This is your authenticator app secret. Use it if you can not scan the QR code."),
    _l("Remove security key"),
    _l("You successfully recovered your account. Please change your password now."),
    _l(
        "An email containing a recovery code has been sent to the email address you provided. "
        "If you have not received an email, check the spelling of the address."
    ),
    _l("Password"),
    _l("Save"),
    _l("ID"),
    _l("Submit"),
    _l("Verify code"),
    _l("Email"),
    _l("Resend code"),
    _l("Recovery code"),
    _l("Verification code"),
    _l("Login code"),
    _l("An email containing a verification code has been sent to the email address you provided."),
    _l("You successfully verified your email address."),
    _l("Property %(property)s is missing."),
    _l("The password can not be used: %(reason)s"),
    _l(
        "The provided credentials are invalid, check for spelling mistakes in your password "
        "or username, email address, or phone number."
    ),
    _l("An account with the same identifier (email, phone, username, ...) exists already."),
    _l("The provided authentication code is invalid, please try again."),
    _l("Account not active yet. Did you forget to verify your email address?"),
    _l("You have no TOTP device set up."),
    _l("This backup recovery code has already been used."),
    _l("You have no backup recovery codes set up."),
    _l("The backup recovery code is not valid."),
    _l("The form has expired, please try again."),
    _l("The recovery code is invalid or has already been used. Please try again."),
    _l("The verification code is invalid or has already been used. Please try again."),
    _l("An error occurred, please try again."),
    _l("Name"),
    _l("Username"),
    _l("E-Mail"),
]

KRATOS_MESSAGES: dict[int, str] = {
    1010001: "Sign in",
    1010003: "Please confirm this action by verifying that it is you.",
    1010004: "Please complete the second authentication challenge.",
    1010005: "Verify",
    1010006: "Authentication code",
    1010007: "Backup recovery code",
    1010008: "Sign in with hardware key",
    1010009: "Use Authenticator",
    1010010: "Use backup recovery code",
    1010011: "Continue with hardware key",
    1010013: "Continue",
    1010015: "Sign in with code",
    1010021: "Sign in with passkey",
    1010022: "Sign in with password",
    1040001: "Sign up",
    1040004: "Sign up with security key",
    1050001: "Your changes have been saved!",
    1050004: "Unlink TOTP Authenticator App",
    1050005: "Authenticator app QR code",
    1050007: "Reveal backup recovery codes",
    1050008: "Generate new backup recovery codes",
    1050010: "These are your back up recovery codes. Please keep them in a safe place!",
    1050011: "Confirm backup recovery codes",
    1050012: "Add security key",
    1050013: "Name of the security key",
    1050016: "Disable this method",
    1050017: "This is your authenticator app secret. Use it if you can not scan the QR code.",
    1050018: "Remove security key",
    1060001: "You successfully recovered your account. Please change your password now.",
    1060003: (
        "An email containing a recovery code has been sent to the email address you provided. "
        "If you have not received an email, check the spelling of the address."
    ),
    1070001: "Password",
    1070003: "Save",
    1070004: "ID",
    1070005: "Submit",
    1070006: "Verify code",
    1070007: "Email",
    1070008: "Resend code",
    1070009: "Continue",
    1070010: "Recovery code",
    1070011: "Verification code",
    1070013: "Login code",
    1080003: (
        "An email containing a verification code has been sent to the email address you provided."
    ),
    1080002: "You successfully verified your email address.",
    4000002: "Property %(property)s is missing.",
    4000005: "The password can not be used: %(reason)s",
    4000006: (
        "The provided credentials are invalid, check for spelling mistakes in your password "
        "or username, email address, or phone number."
    ),
    4000007: "An account with the same identifier (email, phone, username, ...) exists already.",
    4000008: "The provided authentication code is invalid, please try again.",
    4000010: "Account not active yet. Did you forget to verify your email address?",
    4000011: "You have no TOTP device set up.",
    4000012: "This backup recovery code has already been used.",
    4000014: "You have no backup recovery codes set up.",
    4000016: "The backup recovery code is not valid.",
    4010001: "The form has expired, please try again.",
    4040001: "The form has expired, please try again.",
    4050001: "The form has expired, please try again.",
    4060005: "The form has expired, please try again.",
    4060006: "The recovery code is invalid or has already been used. Please try again.",
    4070005: "The form has expired, please try again.",
    4070006: "The verification code is invalid or has already been used. Please try again.",
    5000001: "An error occurred, please try again.",
}

# Labels taken from the identity schema's trait titles: the text itself is the msgid.
GENERATED_LABEL = 1070002
