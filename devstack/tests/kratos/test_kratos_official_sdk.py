"""Driven by Ory's official SDK (ory_kratos_client 25.4.0): a client nobody here wrote."""

from __future__ import annotations

from collections.abc import Iterator

import ory_kratos_client as ory
import pytest
from ory_kratos_client.exceptions import ApiException
from ory_kratos_client.models import (
    CreateIdentityBody,
    CreateRecoveryCodeForIdentityBody,
    CreateRecoveryLinkForIdentityBody,
    IdentityPatch,
    IdentityWithCredentials,
    IdentityWithCredentialsPassword,
    IdentityWithCredentialsPasswordConfig,
    JsonPatch,
    PatchIdentitiesBody,
    UpdateIdentityBody,
    UpdateLoginFlowBody,
    UpdateLoginFlowWithPasswordMethod,
)

from .conftest import Kratos


@pytest.fixture
def apis(kratos: Kratos) -> Iterator[tuple[ory.IdentityApi, ory.FrontendApi, ory.CourierApi]]:
    admin = ory.ApiClient(ory.Configuration(host=kratos.admin_url))
    public = ory.ApiClient(ory.Configuration(host=kratos.public_url))
    with admin, public:
        yield ory.IdentityApi(admin), ory.FrontendApi(public), ory.CourierApi(admin)


def body_for(email: str, password: str | None = None) -> CreateIdentityBody:
    credentials = None
    if password:
        credentials = IdentityWithCredentials(
            password=IdentityWithCredentialsPassword(
                config=IdentityWithCredentialsPasswordConfig(password=password)
            )
        )
    return CreateIdentityBody(
        schema_id="default", traits={"email": email, "name": "SDK"}, credentials=credentials
    )


def test_identity_api_crud_and_filters(apis) -> None:
    identity_api, _, _ = apis
    created = identity_api.create_identity(create_identity_body=body_for("sdk@example.org"))
    assert created.traits["email"] == "sdk@example.org"
    assert created.state == "active"

    found = identity_api.list_identities(credentials_identifier="SDK@example.org")
    assert [i.id for i in found] == [created.id]
    assert identity_api.get_identity(id=created.id).id == created.id

    patched = identity_api.patch_identity(
        id=created.id,
        json_patch=[JsonPatch(op="replace", path="/traits/name", value="Patched")],
    )
    assert patched.traits["name"] == "Patched"
    updated = identity_api.update_identity(
        id=created.id,
        update_identity_body=UpdateIdentityBody(
            schema_id="default", state="inactive", traits={"email": "sdk@example.org"}
        ),
    )
    assert updated.state == "inactive"

    with pytest.raises(ApiException) as conflict:
        identity_api.create_identity(create_identity_body=body_for("sdk@example.org"))
    assert conflict.value.status == 409

    identity_api.delete_identity(id=created.id)
    with pytest.raises(ApiException) as gone:
        identity_api.get_identity(id=created.id)
    assert gone.value.status == 404


def test_batch_create_reports_each_item(apis) -> None:
    identity_api, _, _ = apis
    result = identity_api.batch_patch_identities(
        patch_identities_body=PatchIdentitiesBody(
            identities=[
                IdentityPatch(create=body_for("one@example.org"), patch_id=None),
                IdentityPatch(create=body_for("one@example.org"), patch_id=None),
                IdentityPatch(create=body_for("two@example.org"), patch_id=None),
            ]
        )
    )
    actions = [r.action for r in result.identities]
    assert actions == ["create", "error", "create"]
    assert result.identities[1].error is not None


def test_native_login_then_to_session_with_token(apis, kratos: Kratos) -> None:
    identity_api, frontend, _ = apis
    identity_api.create_identity(create_identity_body=body_for("native@example.org", "pw-123456"))
    flow = frontend.create_native_login_flow()
    done = frontend.update_login_flow(
        flow=flow.id,
        update_login_flow_body=UpdateLoginFlowBody(
            UpdateLoginFlowWithPasswordMethod(
                method="password", identifier="native@example.org", password="pw-123456"
            )
        ),
    )
    assert done.session_token
    session = frontend.to_session(x_session_token=done.session_token)
    assert session.identity.traits["email"] == "native@example.org"
    assert session.authenticator_assurance_level == "aal1"

    sessions = identity_api.list_identity_sessions(id=session.identity.id)
    assert [s.id for s in sessions] == [session.id]
    identity_api.disable_session(id=session.id)
    with pytest.raises(ApiException) as unauthorized:
        frontend.to_session(x_session_token=done.session_token)
    assert unauthorized.value.status == 401


def test_browser_login_flow_as_json_and_wrong_password(apis) -> None:
    identity_api, frontend, _ = apis
    identity_api.create_identity(create_identity_body=body_for("web@example.org", "pw-123456"))
    flow = frontend.create_browser_login_flow()
    assert flow.type == "browser"
    assert flow.ui.action.endswith(f"/self-service/login?flow={flow.id}")
    names = [n.attributes.actual_instance.name for n in flow.ui.nodes if n.type == "input"]
    assert names == ["csrf_token", "identifier", "password", "method"]


def test_recovery_code_and_link_and_courier(apis, kratos: Kratos) -> None:
    identity_api, _, courier = apis
    created = identity_api.create_identity(create_identity_body=body_for("rec@example.org"))
    code = identity_api.create_recovery_code_for_identity(
        create_recovery_code_for_identity_body=CreateRecoveryCodeForIdentityBody(
            identity_id=created.id, expires_in="15m"
        )
    )
    assert len(code.recovery_code) == 6
    assert code.recovery_link.startswith(kratos.config.recovery_ui_url + "?flow=")
    kratos.config.recovery_link_enabled = True  # off in deploy
    link = identity_api.create_recovery_link_for_identity(
        create_recovery_link_for_identity_body=CreateRecoveryLinkForIdentityBody(
            identity_id=created.id
        )
    )
    assert "token=" in link.recovery_link
    assert courier.list_courier_messages() == []
