"""Every wire sample the client tests answer with is what Hydra/Kratos v25.4.0 really send.

Each sample is parsed by our model, by the official ``ory_hydra_client`` /
``ory_kratos_client`` 25.4.0 model, and validated against the OpenAPI response schema of
the operation that returns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ory_hydra_client.models as hydra_sdk
import ory_kratos_client.models as kratos_sdk
import pytest
from pydantic import BaseModel, TypeAdapter
from stackspin_clients import models


@dataclass(frozen=True)
class Shape:
    sample: str
    api: str  # "hydra" | "kratos"
    path: str
    method: str
    status: int
    ours: Any  # our model, or list[model]
    official: Any  # SDK model class; a list sample is parsed item by item

    @property
    def id(self) -> str:
        return f"{self.sample}-{self.method}-{self.path}-{self.status}"


H, K = "hydra", "kratos"
REQ = "/admin/oauth2/auth/requests"
FLOWS = "/self-service"
SHAPES = [
    Shape(
        "LOGIN_REQUEST",
        H,
        f"{REQ}/login",
        "get",
        200,
        models.LoginRequest,
        hydra_sdk.OAuth2LoginRequest,
    ),
    Shape(
        "CONSENT_REQUEST",
        H,
        f"{REQ}/consent",
        "get",
        200,
        models.ConsentRequest,
        hydra_sdk.OAuth2ConsentRequest,
    ),
    Shape(
        "LOGOUT_REQUEST",
        H,
        f"{REQ}/logout",
        "get",
        200,
        models.LogoutRequest,
        hydra_sdk.OAuth2LogoutRequest,
    ),
    Shape(
        "REDIRECT_TO",
        H,
        f"{REQ}/login/accept",
        "put",
        200,
        models.RedirectTo,
        hydra_sdk.OAuth2RedirectTo,
    ),
    Shape(
        "REDIRECT_TO",
        H,
        f"{REQ}/consent/reject",
        "put",
        200,
        models.RedirectTo,
        hydra_sdk.OAuth2RedirectTo,
    ),
    Shape(
        "REDIRECT_TO",
        H,
        f"{REQ}/logout/accept",
        "put",
        200,
        models.RedirectTo,
        hydra_sdk.OAuth2RedirectTo,
    ),
    Shape("HYDRA_GONE", H, f"{REQ}/login", "get", 410, None, hydra_sdk.OAuth2RedirectTo),
    Shape("HYDRA_GONE", H, f"{REQ}/consent", "get", 410, None, hydra_sdk.OAuth2RedirectTo),
    Shape(
        "HYDRA_NOT_FOUND", H, "/admin/clients/{id}", "get", "default", None, hydra_sdk.ErrorOAuth2
    ),
    Shape("HYDRA_CONFLICT", H, "/admin/clients", "post", "default", None, hydra_sdk.ErrorOAuth2),
    Shape(
        "HYDRA_BAD_REQUEST", H, f"{REQ}/login/accept", "put", "default", None, hydra_sdk.ErrorOAuth2
    ),
    Shape(
        "CLIENT", H, "/admin/clients/{id}", "get", 200, models.OAuth2Client, hydra_sdk.OAuth2Client
    ),
    Shape(
        "CREATED_CLIENT",
        H,
        "/admin/clients",
        "post",
        201,
        models.OAuth2Client,
        hydra_sdk.OAuth2Client,
    ),
    Shape(
        "CLIENT", H, "/admin/clients/{id}", "put", 200, models.OAuth2Client, hydra_sdk.OAuth2Client
    ),
    Shape(
        "CLIENT",
        H,
        "/admin/clients/{id}",
        "patch",
        200,
        models.OAuth2Client,
        hydra_sdk.OAuth2Client,
    ),
    Shape(
        "CONSENT_SESSIONS",
        H,
        "/admin/oauth2/auth/sessions/consent",
        "get",
        200,
        list[models.PreviousConsentSession],
        hydra_sdk.OAuth2ConsentSession,
    ),
    Shape(
        "INTROSPECTED",
        H,
        "/admin/oauth2/introspect",
        "post",
        200,
        models.IntrospectedToken,
        hydra_sdk.IntrospectedOAuth2Token,
    ),
    Shape(
        "INTROSPECTED_INACTIVE",
        H,
        "/admin/oauth2/introspect",
        "post",
        200,
        models.IntrospectedToken,
        hydra_sdk.IntrospectedOAuth2Token,
    ),
    Shape(
        "IDENTITY", K, "/admin/identities/{id}", "get", 200, models.Identity, kratos_sdk.Identity
    ),
    Shape(
        "IDENTITY_WITH_CREDENTIALS",
        K,
        "/admin/identities/{id}",
        "get",
        200,
        models.Identity,
        kratos_sdk.Identity,
    ),
    Shape("IDENTITY", K, "/admin/identities", "post", 201, models.Identity, kratos_sdk.Identity),
    Shape(
        "IDENTITY", K, "/admin/identities/{id}", "put", 200, models.Identity, kratos_sdk.Identity
    ),
    Shape(
        "IDENTITY", K, "/admin/identities/{id}", "patch", 200, models.Identity, kratos_sdk.Identity
    ),
    Shape(
        "BATCH_RESULT",
        K,
        "/admin/identities",
        "patch",
        200,
        None,
        kratos_sdk.BatchPatchIdentitiesResponse,
    ),
    Shape("SESSION", K, "/sessions/whoami", "get", 200, models.Session, kratos_sdk.Session),
    Shape("LOGIN_FLOW", K, f"{FLOWS}/login/browser", "get", 200, models.Flow, kratos_sdk.LoginFlow),
    Shape("LOGIN_FLOW", K, f"{FLOWS}/login/flows", "get", 200, models.Flow, kratos_sdk.LoginFlow),
    Shape(
        "LOGIN_FLOW_INVALID", K, f"{FLOWS}/login", "post", 400, models.Flow, kratos_sdk.LoginFlow
    ),
    Shape(
        "REGISTRATION_FLOW",
        K,
        f"{FLOWS}/registration/browser",
        "get",
        200,
        models.Flow,
        kratos_sdk.RegistrationFlow,
    ),
    Shape(
        "RECOVERY_FLOW",
        K,
        f"{FLOWS}/recovery/flows",
        "get",
        200,
        models.Flow,
        kratos_sdk.RecoveryFlow,
    ),
    Shape(
        "VERIFICATION_FLOW",
        K,
        f"{FLOWS}/verification/flows",
        "get",
        200,
        models.Flow,
        kratos_sdk.VerificationFlow,
    ),
    Shape(
        "SETTINGS_FLOW",
        K,
        f"{FLOWS}/settings/browser",
        "get",
        200,
        models.Flow,
        kratos_sdk.SettingsFlow,
    ),
    Shape(
        "LOGOUT_FLOW",
        K,
        f"{FLOWS}/logout/browser",
        "get",
        200,
        models.LogoutFlow,
        kratos_sdk.LogoutFlow,
    ),
    Shape("FLOW_ERROR", K, f"{FLOWS}/errors", "get", 200, models.FlowError, kratos_sdk.FlowError),
    Shape(
        "RECOVERY_LINK",
        K,
        "/admin/recovery/link",
        "post",
        200,
        models.RecoveryLinkResult,
        kratos_sdk.RecoveryLinkForIdentity,
    ),
    Shape(
        "RECOVERY_CODE",
        K,
        "/admin/recovery/code",
        "post",
        201,
        models.RecoveryCodeResult,
        kratos_sdk.RecoveryCodeForIdentity,
    ),
    Shape(
        "KRATOS_NOT_FOUND", K, "/admin/identities/{id}", "get", 404, None, kratos_sdk.ErrorGeneric
    ),
    Shape("KRATOS_CONFLICT", K, "/admin/identities", "post", 409, None, kratos_sdk.ErrorGeneric),
    Shape("KRATOS_UNAUTHORIZED", K, "/sessions/whoami", "get", 401, None, kratos_sdk.ErrorGeneric),
    Shape("KRATOS_AAL2", K, "/sessions/whoami", "get", 403, None, kratos_sdk.ErrorGeneric),
    Shape("KRATOS_CSRF", K, f"{FLOWS}/login/flows", "get", 403, None, kratos_sdk.ErrorGeneric),
    Shape(
        "KRATOS_FLOW_EXPIRED", K, f"{FLOWS}/login/flows", "get", 410, None, kratos_sdk.ErrorGeneric
    ),
    Shape(
        "LOGIN_SUCCESS", K, f"{FLOWS}/login", "post", 200, None, kratos_sdk.SuccessfulNativeLogin
    ),
    Shape(
        "SETTINGS_FLOW_SUCCESS",
        K,
        f"{FLOWS}/settings",
        "post",
        200,
        models.Flow,
        kratos_sdk.SettingsFlow,
    ),
    Shape("KRATOS_CSRF", K, f"{FLOWS}/login", "post", "default", None, kratos_sdk.ErrorGeneric),
    Shape("KRATOS_FLOW_EXPIRED", K, f"{FLOWS}/login", "post", 410, None, kratos_sdk.ErrorGeneric),
    Shape(
        "KRATOS_SESSION_ALREADY",
        K,
        f"{FLOWS}/login/browser",
        "get",
        400,
        None,
        kratos_sdk.ErrorGeneric,
    ),
]
LISTS = [
    Shape(
        "IDENTITIES", K, "/admin/identities", "get", 200, list[models.Identity], kratos_sdk.Identity
    ),
    Shape(
        "SESSIONS",
        K,
        "/admin/identities/{id}/sessions",
        "get",
        200,
        list[models.Session],
        kratos_sdk.Session,
    ),
    Shape(
        "CLIENTS",
        H,
        "/admin/clients",
        "get",
        200,
        list[models.OAuth2Client],
        hydra_sdk.OAuth2Client,
    ),
    Shape(
        "COURIER_MESSAGES",
        K,
        "/admin/courier/messages",
        "get",
        200,
        list[dict[str, Any]],
        kratos_sdk.Message,
    ),
]
LIST_SOURCES = {
    "IDENTITIES": ["IDENTITY", "IDENTITY_2", "IDENTITY_WITH_CREDENTIALS"],
    "SESSIONS": ["SESSION"],
    "CLIENTS": ["CLIENT"],
}


def _sample(wire: Any, name: str) -> Any:
    if name in LIST_SOURCES:
        return [wire(n) for n in LIST_SOURCES[name]]
    return wire(name)


def _parse_ours(ours: Any, body: Any) -> None:
    if ours is None:
        return
    if isinstance(ours, type) and issubclass(ours, BaseModel):
        parsed = ours.model_validate(body)
        # Our models keep what they do not declare (extra="allow"): nothing is lost.
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True).keys() == (
            body.keys()
        )
    else:
        TypeAdapter(ours).validate_python(body)


def _parse_official(official: Any, body: Any) -> None:
    items = body if isinstance(body, list) else [body]
    for item in items:
        parsed = official.from_dict(item)
        assert parsed is not None


@pytest.mark.parametrize("shape", SHAPES + LISTS, ids=lambda s: s.id)
def test_sample_parses_with_our_and_official_models(shape: Shape, wire: Any) -> None:
    body = _sample(wire, shape.sample)
    _parse_ours(shape.ours, body)
    _parse_official(shape.official, body)


@pytest.mark.parametrize("shape", SHAPES + LISTS, ids=lambda s: s.id)
def test_sample_matches_openapi_response_schema(
    shape: Shape, wire: Any, hydra_spec: Any, kratos_spec: Any
) -> None:
    spec = hydra_spec if shape.api == H else kratos_spec
    spec.validate_response(shape.path, shape.method, shape.status, _sample(wire, shape.sample))


def test_422_body_inner_error_is_a_generic_error(wire: Any, kratos_spec: Any) -> None:
    # The spec (and the SDK model) nest `error` twice for 422; on the wire the inner object
    # is a plain genericError next to redirect_browser_to.
    body = wire("KRATOS_BROWSER_LOCATION")
    kratos_spec.validate_component("genericError", body["error"])
    assert kratos_sdk.GenericError.from_dict(body["error"]) is not None
    assert isinstance(body["redirect_browser_to"], str)


def test_batch_error_item_is_a_generic_error(wire: Any, kratos_spec: Any) -> None:
    error = wire("BATCH_RESULT")["identities"][1]["error"]
    kratos_spec.validate_component("genericError", error)
    result = TypeAdapter(list[models.BatchIdentityResult]).validate_python(
        wire("BATCH_RESULT")["identities"]
    )
    assert [r.action for r in result] == ["create", "error"]


def test_courier_message_sample_parses_with_official_model(wire: Any) -> None:
    message = kratos_sdk.Message.from_dict(wire("COURIER_MESSAGES")[0])
    assert message is not None
    assert message.recipient == "ada@example.org"
