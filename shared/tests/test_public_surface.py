"""The public surface (shared/README.md) exists, and the sync and async clients match."""

from __future__ import annotations

import inspect

import pytest
import stackspin_clients
from stackspin_clients import errors, models

CONTRACT_MODELS = [
    "OAuth2Client",
    "LoginRequest",
    "ConsentRequest",
    "LogoutRequest",
    "RedirectTo",
    "AcceptLogin",
    "AcceptConsent",
    "ConsentSessionData",
    "RejectRequest",
    "PreviousConsentSession",
    "IntrospectedToken",
    "OAuth2ClientPage",
    "Identity",
    "IdentityPage",
    "CreateIdentity",
    "UpdateIdentity",
    "JsonPatch",
    "BatchIdentityResult",
    "Session",
    "Flow",
    "UiContainer",
    "UiNode",
    "UiText",
    "FlowResult",
    "LogoutFlow",
    "FlowError",
    "RecoveryLinkResult",
    "RecoveryCodeResult",
    "ConsentDecision",
    "DecisionApp",
]
CONTRACT_ERRORS = [
    "OryError",
    "ServiceUnavailable",
    "NotFound",
    "Conflict",
    "Unauthorized",
    "Gone",
    "ValidationFailed",
    "Forbidden",
    "BrowserLocationChangeRequired",
]
CONTRACT_METHODS = {
    "HydraAdmin": """get_login_request accept_login_request reject_login_request
        get_consent_request accept_consent_request reject_consent_request get_logout_request
        accept_logout_request reject_logout_request list_oauth2_clients iter_oauth2_clients
        get_oauth2_client create_oauth2_client set_oauth2_client patch_oauth2_client
        delete_oauth2_client list_consent_sessions revoke_consent_sessions
        revoke_login_sessions introspect_token""",
    "KratosPublic": """create_browser_flow get_flow whoami create_browser_logout_flow
        get_flow_error""",
    "KratosAdmin": """list_identities iter_identities get_identity create_identity
        update_identity patch_identity delete_identity batch_create_identities
        delete_identity_credentials list_identity_sessions delete_identity_sessions
        disable_session create_recovery_link create_recovery_code list_courier_messages""",
    "DashboardInternal": "consent_decision",
}


def test_contract_models_and_errors_exist() -> None:
    assert [name for name in CONTRACT_MODELS if not hasattr(models, name)] == []
    assert [name for name in CONTRACT_ERRORS if not hasattr(errors, name)] == []
    assert stackspin_clients.request_id_var.get() is None


@pytest.mark.parametrize("name", sorted(CONTRACT_METHODS))
def test_sync_and_async_clients_have_the_same_methods(name: str) -> None:
    sync_cls = getattr(stackspin_clients, name)
    async_cls = getattr(stackspin_clients, f"Async{name}")
    for method in CONTRACT_METHODS[name].split():
        sync_sig = inspect.signature(getattr(sync_cls, method))
        async_sig = inspect.signature(getattr(async_cls, method))
        assert list(sync_sig.parameters) == list(async_sig.parameters), method
        for param in sync_sig.parameters:
            assert sync_sig.parameters[param].default == async_sig.parameters[param].default
        is_iterator = method.startswith("iter_")
        assert inspect.iscoroutinefunction(getattr(async_cls, method)) is not is_iterator
        assert getattr(sync_cls, method).__doc__, f"{name}.{method} has no docstring"


def test_client_config_defaults() -> None:
    config = stackspin_clients.ClientConfig("http://hydra:4445")

    assert (config.connect_timeout, config.read_timeout) == (3.0, 10.0)
    assert (config.max_retries, config.backoff) == (2, 0.2)
