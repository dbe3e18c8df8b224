"""Kratos's UI message catalogue (ids and texts as in Kratos v25.4.0 `text/`) for what we emit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

UiText = dict[str, Any]


def message(
    id_: int, text: str, type_: str = "info", context: dict[str, Any] | None = None
) -> UiText:
    out: UiText = {"id": id_, "text": text, "type": type_}
    if context is not None:
        out["context"] = context
    return out


def _error(id_: int, text: str, context: dict[str, Any] | None = None) -> UiText:
    return message(id_, text, "error", context)


# --- login (101xxxx)
def login_sign_in() -> UiText:
    return message(1010001, "Sign in")


def login_reauth() -> UiText:
    return message(1010003, "Please confirm this action by verifying that it is you.")


def login_mfa() -> UiText:
    return message(1010004, "Please complete the second authentication challenge.")


def login_totp_label() -> UiText:
    return message(1010006, "Authentication code")


def login_lookup_label() -> UiText:
    return message(1010007, "Backup recovery code")


def login_totp_submit() -> UiText:
    return message(1010009, "Use Authenticator")


def login_lookup_submit() -> UiText:
    return message(1010010, "Use backup recovery code")


# --- registration (104xxxx)
def registration_sign_up() -> UiText:
    return message(1040001, "Sign up")


def registration_back() -> UiText:
    return message(1040008, "Back")


def choose_credentials() -> UiText:
    return message(1040009, "Please choose a credential to authenticate yourself with.")


# --- settings (105xxxx)
def settings_saved() -> UiText:
    return message(1050001, "Your changes have been saved!", "success")


def settings_unlink_totp() -> UiText:
    return message(1050004, "Unlink TOTP Authenticator App")


def settings_totp_qr() -> UiText:
    return message(1050005, "Authenticator app QR code")


def settings_totp_secret(secret: str) -> UiText:
    return message(1050006, secret, context={"secret": secret})


def settings_reveal_lookup() -> UiText:
    return message(1050007, "Reveal backup recovery codes")


def settings_regenerate_lookup() -> UiText:
    return message(1050008, "Generate new backup recovery codes")


def settings_lookup_secret(secret: str) -> UiText:
    return message(1050009, secret, context={"secret": secret})


def settings_lookup_secrets_label() -> UiText:
    return message(
        1050010, "These are your back up recovery codes. Please keep them in a safe place!"
    )


def settings_lookup_confirm() -> UiText:
    return message(1050011, "Confirm backup recovery codes")


def settings_register_webauthn() -> UiText:
    return message(1050012, "Add security key")


def settings_webauthn_display_name() -> UiText:
    return message(1050013, "Name of the security key")


def settings_lookup_secret_used(used_at: datetime) -> UiText:
    return message(
        1050014,
        f"Secret was used at {used_at}",
        context={"used_at": used_at.isoformat(), "used_at_unix": int(used_at.timestamp())},
    )


def settings_lookup_secret_list(formatted: list[str], secrets: list[UiText]) -> UiText:
    return message(1050015, ", ".join(formatted), context={"secrets": secrets})


def settings_disable_lookup() -> UiText:
    return message(1050016, "Disable this method")


def settings_totp_secret_label() -> UiText:
    return message(
        1050017, "This is your authenticator app secret. Use it if you can not scan the QR code."
    )


# --- recovery (106xxxx)
def recovery_successful(privileged_until: datetime, now: datetime) -> UiText:
    minutes = max(0.0, (privileged_until - now).total_seconds() / 60)
    return message(
        1060001,
        "You successfully recovered your account. Please change your password or set up an "
        f"alternative login method (e.g. social sign in) within the next {minutes:.2f} minutes.",
        "success",
        {
            "privilegedSessionExpiresAt": privileged_until.isoformat(),
            "privileged_session_expires_at": privileged_until.isoformat(),
            "privileged_session_expires_at_unix": int(privileged_until.timestamp()),
        },
    )


def recovery_code_sent() -> UiText:
    return message(
        1060003,
        "An email containing a recovery code has been sent to the email address you provided. "
        "If you have not received an email, check the spelling of the address and make sure to "
        "use the address you registered with.",
    )


# --- node labels (107xxxx)
def label_password() -> UiText:
    return message(1070001, "Password")


def label_generated(title: str, name: str) -> UiText:
    return message(1070002, title, context={"title": title, "name": name})


def label_save() -> UiText:
    return message(1070003, "Save")


def label_id() -> UiText:
    return message(1070004, "ID")


def label_verify_otp() -> UiText:
    return message(1070006, "Verify code")


def label_email() -> UiText:
    return message(1070007, "Email")


def label_resend_code() -> UiText:
    return message(1070008, "Resend code")


def label_continue() -> UiText:
    return message(1070009, "Continue")


def label_recovery_code() -> UiText:
    return message(1070010, "Recovery code")


def label_verification_code() -> UiText:
    return message(1070011, "Verification code")


# --- verification (108xxxx)
def verification_successful() -> UiText:
    return message(1080002, "You successfully verified your email address.", "success")


def verification_code_sent() -> UiText:
    return message(
        1080003,
        "An email containing a verification code has been sent to the email address you "
        "provided. If you have not received an email, check the spelling of the address and "
        "make sure to use the address you registered with.",
    )


# --- validation errors (400xxxx)
def validation_generic(reason: str) -> UiText:
    return _error(4000001, reason, {"reason": reason})


def required(prop: str) -> UiText:
    return _error(4000002, f"Property {prop} is missing.", {"property": prop})


def min_length(minimum: int, actual: int) -> UiText:
    return _error(
        4000003,
        f"length must be >= {minimum}, but got {actual}",
        {"min_length": minimum, "actual_length": actual},
    )


def invalid_format(pattern: str) -> UiText:
    return _error(4000004, f'does not match pattern "{pattern}"', {"pattern": pattern})


def invalid_credentials() -> UiText:
    return _error(
        4000006,
        "The provided credentials are invalid, check for spelling mistakes in your password "
        "or username, email address, or phone number.",
    )


def duplicate_credentials() -> UiText:
    return _error(
        4000007,
        "An account with the same identifier (email, phone, username, ...) exists already.",
    )


def totp_wrong() -> UiText:
    return _error(4000008, "The provided authentication code is invalid, please try again.")


def lookup_already_used() -> UiText:
    return _error(4000012, "This backup recovery code has already been used.")


def lookup_invalid() -> UiText:
    return _error(4000016, "The backup recovery code is not valid.")


def max_length(maximum: int, actual: int) -> UiText:
    return _error(
        4000017,
        f"length must be <= {maximum}, but got {actual}",
        {"max_length": maximum, "actual_length": actual},
    )


def wrong_type(allowed: list[str], actual: str) -> UiText:
    return _error(
        4000026,
        f"expected {' or '.join(allowed)}, but got {actual}",
        {"allowed_types": allowed, "actual_type": actual},
    )


def password_too_similar() -> UiText:
    return _error(
        4000031, "The password can not be used because it is too similar to the identifier."
    )


def password_min_length(minimum: int, actual: int) -> UiText:
    return _error(
        4000032,
        f"The password must be at least {minimum} characters long, but got {actual}.",
        {"min_length": minimum, "actual_length": actual},
    )


def password_same_as_old() -> UiText:
    return _error(4000039, "The new password must be different from the old password.")


# --- flow expired (40x0001) and strategy errors
def flow_expired(kind: str, expired_at: datetime, now: datetime) -> UiText:
    ids = {
        "login": 4010001,
        "registration": 4040001,
        "settings": 4050001,
        "recovery": 4060005,
        "verification": 4070005,
    }
    minutes = (now - expired_at).total_seconds() / 60
    return _error(
        ids[kind],
        f"The {kind} flow expired {minutes:.2f} minutes ago, please try again.",
        {"expired_at": expired_at.isoformat(), "expired_at_unix": int(expired_at.timestamp())},
    )


def no_strategy(kind: str) -> UiText:
    texts = {
        "login": (4010002, "log you in with"),
        "registration": (4010003, "sign you up with"),
        "settings": (4010004, "update your settings"),
        "recovery": (4010005, "recover your account with"),
        "verification": (4010006, "verify your account with"),
    }
    id_, what = texts[kind]
    return _error(id_, f"Could not find a strategy to {what}. Did you fill out the form correctly?")


def recovery_code_invalid() -> UiText:
    return _error(
        4060006, "The recovery code is invalid or has already been used. Please try again."
    )


def recovery_retry_success() -> UiText:
    return _error(4060001, "The request was already completed successfully and can not be retried.")


def verification_code_invalid() -> UiText:
    return _error(
        4070006, "The verification code is invalid or has already been used. Please try again."
    )


def verification_retry_success() -> UiText:
    return _error(4070002, "The request was already completed successfully and can not be retried.")
