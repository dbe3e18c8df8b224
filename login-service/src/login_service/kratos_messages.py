"""Our text for every Kratos ui text id of the flows we render, English msgid → catalogs.

Kratos's catalogue is `kratos_catalogue.json` (extracted from its `text/` package by
scripts/kratos_catalogue.py). Which ids we cover: every id Kratos has a constructor for,
except the ones in OUT_OF_SCOPE (social sign-in and account linking: no OIDC or SAML provider
is configured, so Kratos never sends them) and VERBATIM (the text is the data itself: a
secret, a code, an identity-schema title, a free-form reason). tests/test_kratos_catalogue.py
fails when an id is neither covered nor listed here, or a placeholder is not in the context.

`%(name)s` placeholders are Kratos's context keys; a time key `x_at` is printed as a date
people read and adds `x_in` (the time left), see readable_time.py.
"""

from __future__ import annotations


def _l(msgid: str) -> str:
    """Marks a msgid for pybabel (`-k _l`); looked up with gettext when a page is rendered."""
    return msgid


OUT_OF_SCOPE = frozenset(
    {1010002, 1010016, 1010017, 1010018, 1040002, 1050002, 1050003, 1070014, 4000027, 4010009}
)
VERBATIM = frozenset({1050006, 1050009, 1050015, 1070002, 4000001})
# Labels taken from the identity schema's trait titles: the text itself is the msgid.
GENERATED_LABEL = 1070002

_EXPIRED = _l("The form has expired, please try again.")
_RETRY_DONE = _l("This request was already completed and can not be repeated.")

KRATOS_MESSAGES: dict[int, str] = {
    # login (101xxxx)
    1010001: _l("Sign in"),
    1010003: _l("Please confirm this action by verifying that it is you."),
    1010004: _l("Please complete the second authentication challenge."),
    1010005: _l("Verify"),
    1010006: _l("Authentication code"),
    1010007: _l("Backup recovery code"),
    1010008: _l("Sign in with hardware key"),
    1010009: _l("Use Authenticator"),
    1010010: _l("Use backup recovery code"),
    1010011: _l("Continue with hardware key"),
    1010012: _l("Prepare your security key or biometric sensor and press continue."),
    1010013: _l("Continue"),
    1010014: _l(
        "A code was sent to the address you provided. If you did not receive it, check the "
        "spelling of the address and try again."
    ),
    1010015: _l("Sign in with code"),
    1010019: _l("Request code to continue"),
    1010021: _l("Sign in with passkey"),
    1010022: _l("Sign in with password"),
    1010023: _l("Send code to %(address)s"),
    # registration (104xxxx)
    1040001: _l("Sign up"),
    1040003: _l("Continue"),
    1040004: _l("Sign up with security key"),
    1040005: _l(
        "A code has been sent to the address you provided. If you have not received a "
        "message, check the spelling of the address and try again."
    ),
    1040006: _l("Send sign up code"),
    1040007: _l("Sign up with passkey"),
    1040008: _l("Back"),
    1040009: _l("Please choose a way to sign in."),
    # settings (105xxxx)
    1050001: _l("Your changes have been saved!"),
    1050004: _l("Unlink TOTP Authenticator App"),
    1050005: _l("Authenticator app QR code"),
    1050007: _l("Reveal backup recovery codes"),
    1050008: _l("Generate new backup recovery codes"),
    1050010: _l("These are your back up recovery codes. Please keep them in a safe place!"),
    1050011: _l("Confirm backup recovery codes"),
    1050012: _l("Add security key"),
    1050013: _l("Name of the security key"),
    1050014: _l("Used %(used_at)s"),
    1050016: _l("Disable this method"),
    1050017: _l("This is your authenticator app secret. Use it if you can not scan the QR code."),
    1050018: _l('Remove security key "%(display_name)s" (added %(added_at)s)'),
    1050019: _l("Add passkey"),
    1050020: _l('Remove passkey "%(display_name)s" (added %(added_at)s)'),
    # recovery (106xxxx)
    1060001: _l(
        "You successfully recovered your account. Please change your password within "
        "%(privileged_session_expires_in)s (before %(privileged_session_expires_at)s)."
    ),
    1060002: _l(
        "An email containing a recovery link has been sent to the email address you provided. "
        "If you have not received an email, check the spelling of the address."
    ),
    1060003: _l(
        "An email containing a recovery code has been sent to the email address you provided. "
        "If you have not received an email, check the spelling of the address."
    ),
    1060004: _l(
        "A recovery code has been sent to %(masked_address)s. If you have not received it, "
        "check the spelling of the address."
    ),
    1060005: _l("Recover access to your account by entering your recovery address in full."),
    1060006: _l("How do you want to recover your account?"),
    1060007: _l("Back"),
    # node labels (107xxxx)
    1070001: _l("Password"),
    1070003: _l("Save"),
    1070004: _l("Email or username"),  # Kratos: "ID", when two traits are identifiers
    1070005: _l("Submit"),
    1070006: _l("Verify code"),
    1070007: _l("Email"),
    1070008: _l("Resend code"),
    1070009: _l("Continue"),
    1070010: _l("Recovery code"),
    1070011: _l("Verification code"),
    1070012: _l("Registration code"),
    1070013: _l("Login code"),
    1070015: _l("Please complete the captcha challenge to continue."),
    1070016: _l("Recovery address"),
    1070017: _l("Phone number"),
    # verification (108xxxx)
    1080001: _l(
        "An email containing a verification link has been sent to the email address you "
        "provided. If you have not received an email, check the spelling of the address."
    ),
    1080002: _l("You successfully verified your email address."),
    1080003: _l(
        "An email containing a verification code has been sent to the email address you provided."
    ),
    # validation (400xxxx), including the password policy
    4000002: _l("Property %(property)s is missing."),
    4000003: _l("Please enter at least %(min_length)s characters."),
    4000004: _l("This value does not have the expected format."),
    4000005: _l("The password can not be used: %(reason)s"),
    4000006: _l(
        "The provided credentials are invalid, check for spelling mistakes in your password "
        "or username, email address, or phone number."
    ),
    4000007: _l("This email address or username is already taken by another account."),
    4000008: _l("The provided authentication code is invalid, please try again."),
    4000009: _l("No sign-in identifier was found. Please contact your administrator."),
    4000010: _l("Account not active yet. Did you forget to verify your email address?"),
    4000011: _l("You have no TOTP device set up."),
    4000012: _l("This backup recovery code has already been used."),
    4000013: _l("You have no security key set up."),
    4000014: _l("You have no backup recovery codes set up."),
    4000015: _l("This account does not exist or has no security key set up."),
    4000016: _l("The backup recovery code is not valid."),
    4000017: _l("Please enter at most %(max_length)s characters."),
    4000018: _l("The value must be at least %(minimum)s."),
    4000019: _l("The value must be greater than %(minimum)s."),
    4000020: _l("The value must be at most %(maximum)s."),
    4000021: _l("The value must be less than %(maximum)s."),
    4000022: _l("The value must be a multiple of %(base)s."),
    4000023: _l("Please choose at most %(max_items)s items."),
    4000024: _l("Please choose at least %(min_items)s items."),
    4000025: _l("Each item may be chosen only once."),
    4000026: _l("This value has the wrong type."),
    4000028: _l(
        "An account with this identifier exists already. Please sign in to that account instead."
    ),
    4000029: _l("The value must be %(expected)s."),
    4000030: _l("This value is not allowed."),
    4000031: _l("The password can not be used because it is too similar to the identifier."),
    4000032: _l("The password must be at least %(min_length)s characters long."),
    4000033: _l("The password must be at most %(max_length)s characters long."),
    4000034: _l("The password has been found in data breaches and must no longer be used."),
    4000035: _l("This account does not exist or has not set up sign in with code."),
    4000036: _l("The details you entered do not match the ones this form was started with."),
    4000037: _l("This account does not exist or has no login method configured."),
    4000038: _l("Captcha verification failed, please try again."),
    4000039: _l("The new password must be different from the old password."),
    # flows (401xxxx-407xxxx)
    4010001: _EXPIRED,
    4010002: _l("Could not sign you in. Did you fill out the form correctly?"),
    4010003: _l("Could not sign you up. Did you fill out the form correctly?"),
    4010004: _l("Could not update your settings. Did you fill out the form correctly?"),
    4010005: _l("Could not recover your account. Did you fill out the form correctly?"),
    4010006: _l("Could not verify your account. Did you fill out the form correctly?"),
    4010007: _RETRY_DONE,
    4010008: _l("The login code is invalid or has already been used. Please try again."),
    4010010: _l("The address you entered does not match any address of this account."),
    4040001: _EXPIRED,
    4040002: _RETRY_DONE,
    4040003: _l("The registration code is invalid or has already been used. Please try again."),
    4050001: _EXPIRED,
    4060001: _RETRY_DONE,
    4060002: _l("The recovery failed. Please start again."),
    4060004: _l("The recovery link is invalid or has already been used. Please start again."),
    4060005: _EXPIRED,
    4060006: _l("The recovery code is invalid or has already been used. Please try again."),
    4070001: _l("The verification link is invalid or has already been used. Please start again."),
    4070002: _RETRY_DONE,
    4070003: _l("The verification failed. Please start again."),
    4070005: _EXPIRED,
    4070006: _l("The verification code is invalid or has already been used. Please try again."),
    # system (500xxxx): Kratos's reason is free-form English
    5000001: _l("An error occurred, please try again."),
}
