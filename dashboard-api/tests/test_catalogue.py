"""The app catalogue: presets read through the API and the CLI, an app made from one with its
client and claims in one step (or nothing at all), and docs/apps kept equal to the data."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from dashboard_api.catalogue import docs
from dashboard_api.catalogue.presets import PRESETS
from dashboard_api.catalogue.settings import Target, render
from dashboard_api.cli import main
from devstack.testing import databases

PROBLEM = "application/problem+json"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def _slug(prefix: str) -> str:
    """A slug no other test (on either database) used: the Hydra stand-in lives all session."""
    return f"{prefix}-{secrets.token_hex(4)}"


def _clients_of(ory_clients, slug: str) -> list:
    owner = f"stackspin-dashboard:{slug}"
    return ory_clients.hydra.list_oauth2_clients(page_size=500, owner=owner).clients


def test_every_preset_renders_every_placeholder() -> None:
    for preset in PRESETS.values():
        shown = render(preset, Target(base_url="https://sso.example.org", app_url="https://a.b"))
        text = " ".join([f.value for f in shown.fields] + [s.text for s in shown.snippets])
        assert "$" not in text, preset.id
        assert shown.issuer == "https://sso.example.org/"
        if preset.redirect_path is not None:
            assert shown.redirect_uri == "https://a.b" + preset.redirect_path


def test_presets_are_listed_shown_and_refused_to_non_admins(admin, member, settings) -> None:
    listed = admin.client.get("/api/v1/apps/presets")
    assert listed.status_code == 200, listed.text
    ids = [p["id"] for p in listed.json()]
    assert ids == list(PRESETS)
    for required in ("nextcloud", "zulip", "wordpress", "grafana", "forgejo", "wekan", "synapse"):
        assert required in ids
    grafana = admin.client.get("/api/v1/apps/presets/grafana").json()
    assert grafana["redirect_uri_pattern"] == "{app_url}/login/generic_oauth"
    assert grafana["settings"]["issuer"] == settings.hydra_browser_base + "/"
    ini = grafana["settings"]["snippets"][0]["text"]
    assert "role_attribute_path = role == 'admin' && 'Admin' || 'Viewer'" in ini
    assert "client_id = <client id>" in ini
    assert {c["name"] for c in grafana["claims"]} >= {"preferred_username", "role", "groups"}
    _problem(admin.client.get("/api/v1/apps/presets/nope"), 404)
    _problem(member.client.get("/api/v1/apps/presets"), 403)


def test_an_app_from_a_preset_comes_with_its_client_claims_and_settings(
    admin, ory_clients, settings
) -> None:
    group = admin.client.post("/api/v1/groups", json={"name": "cloud-admins"})
    assert group.status_code == 201, group.text
    body = {"preset": "nextcloud", "url": "https://cloud.example.org", "groups": ["cloud-admins"]}

    made = admin.client.post("/api/v1/apps", json=body)

    assert made.status_code == 201, made.text
    out = made.json()
    assert out["slug"] == "nextcloud"
    assert out["name"] == "Nextcloud"
    assert out["groups_claim"] == "groups"
    assert out["groups"] == ["cloud-admins"]
    client = out["client"]
    assert out["client_ids"] == [client["client_id"]]
    assert client["client_secret"]
    hydra = ory_clients.hydra.get_oauth2_client(client["client_id"])
    assert hydra.redirect_uris == ["https://cloud.example.org/apps/user_oidc/code"]
    assert hydra.token_endpoint_auth_method == "client_secret_post"
    assert hydra.scope == "openid email profile"
    assert hydra.owner == "stackspin-dashboard:nextcloud"
    occ = out["settings"]["snippets"][0]["text"]
    assert f'--clientid="{client["client_id"]}"' in occ
    assert f'--clientsecret="{client["client_secret"]}"' in occ
    assert f"{settings.hydra_browser_base}/.well-known/openid-configuration" in occ
    claim = admin.client.get("/api/v1/groups/claims/nextcloud").json()
    assert claim == {"claim": "groups", "groups": ["cloud-admins"]}
    # The secret is shown this once.
    again = admin.client.get("/api/v1/apps/nextcloud").text
    assert client["client_secret"] not in again
    actions = [e["action"] for e in admin.client.get("/api/v1/audit").json()["items"]]
    assert "app.create_from_preset" in actions


def test_an_apps_sign_in_settings_name_the_issuer_and_its_claims(admin, member, settings) -> None:
    slug = _slug("cloud")
    body = {"preset": "nextcloud", "url": "https://c.example.org", "slug": slug}
    made = admin.client.post("/api/v1/apps", json=body)
    assert made.status_code == 201, made.text
    patched = admin.client.patch(f"/api/v1/apps/{slug}", json={"extra_claims": {"tier": "gold"}})
    assert patched.status_code == 200, patched.text

    shown = admin.client.get(f"/api/v1/apps/{slug}/sign-in")

    assert shown.status_code == 200, shown.text
    assert shown.json() == {
        "issuer": f"{settings.hydra_browser_base}/",
        "discovery_url": f"{settings.hydra_browser_base}/.well-known/openid-configuration",
        "role_claim": "role",
        "groups_claim": "groups",
        "extra_claims": ["tier"],
    }
    assert shown.json()["issuer"] == made.json()["settings"]["issuer"]
    _problem(admin.client.get("/api/v1/apps/nope/sign-in"), 404)
    _problem(member.client.get(f"/api/v1/apps/{slug}/sign-in"), 403)


def test_a_preset_takes_slug_name_and_redirect_uri_and_generic_needs_one(
    admin, ory_clients
) -> None:
    slug = _slug("tool")
    base = {"preset": "generic", "url": "https://tool.example.org", "slug": slug}
    _problem(admin.client.post("/api/v1/apps", json=base), 422)
    assert _clients_of(ory_clients, slug) == []
    made = admin.client.post(
        "/api/v1/apps",
        json={**base, "name": "Tool", "redirect_uri": "https://tool.example.org/cb"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["name"] == "Tool"
    assert made.json()["settings"]["redirect_uri"] == "https://tool.example.org/cb"
    (client,) = _clients_of(ory_clients, slug)
    assert client.redirect_uris == ["https://tool.example.org/cb"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"preset": "nope", "url": "https://x.example.org"}, 422),
        ({"preset": "zulip"}, 422),
        ({"preset": "zulip", "url": "javascript:alert(1)"}, 422),
        ({"preset": "zulip", "url": "https://x.example.org", "groups": ["g"]}, 422),
        ({"preset": "nextcloud", "url": "https://x.example.org", "groups": ["missing"]}, 422),
        ({"preset": "zulip", "url": "https://x.example.org", "slug": "presets"}, 422),
        ({"preset": "zulip", "url": "https://x.example.org", "slug": "new"}, 422),
        ({"preset": "zulip", "url": "https://x.example.org", "extra": 1}, 422),
    ],
)
def test_bad_preset_bodies_are_problems_and_leave_nothing(admin, ory_clients, body, status) -> None:
    slug = body.get("slug") or _slug("bad")
    _problem(admin.client.post("/api/v1/apps", json={"slug": slug, **body}), status)
    assert slug not in [a["slug"] for a in admin.client.get("/api/v1/apps").json()]
    assert _clients_of(ory_clients, slug) == []


def test_a_taken_slug_is_409_and_makes_no_client(admin, ory_clients) -> None:
    slug = _slug("z")
    assert admin.client.post("/api/v1/apps", json={"slug": slug, "name": "Z"}).status_code == 201
    body = {"preset": "zulip", "url": "https://z.org", "slug": slug}
    _problem(admin.client.post("/api/v1/apps", json=body), 409)
    assert _clients_of(ory_clients, slug) == []


def test_hydra_down_is_503_and_leaves_no_app(admin, ory, ory_clients) -> None:
    slug = _slug("g")
    body = {"preset": "grafana", "url": "https://g.org", "slug": slug}
    ory.hydra_gate.fail_only = ("POST", "/admin/clients")

    refused = admin.client.post("/api/v1/apps", json=body)

    _problem(refused, 503)
    ory.hydra_gate.reset()
    _problem(admin.client.get(f"/api/v1/apps/{slug}"), 404)
    assert _clients_of(ory_clients, slug) == []
    retried = admin.client.post("/api/v1/apps", json=body)
    assert retried.status_code == 201, retried.text
    assert [c.client_id for c in _clients_of(ory_clients, slug)] == retried.json()["client_ids"]


# --- CLI -----------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path, settings):
    backend = "sqlite" if settings.database_url.startswith("sqlite") else "mariadb"
    with databases.empty_database(backend, tmp_path) as url:
        env = {
            "DASHBOARD_ENVIRONMENT": "production",
            "DASHBOARD_DATABASE_URL": url,
            "DASHBOARD_SECRET_KEY": settings.secret_key,
            "DASHBOARD_INTERNAL_TOKEN": settings.internal_token,
            "DASHBOARD_OAUTH_CLIENT_SECRET": settings.oauth_client_secret,
            "DASHBOARD_HYDRA_ADMIN_URL": settings.hydra_admin_url,
            "DASHBOARD_KRATOS_ADMIN_URL": settings.kratos_admin_url,
            "DASHBOARD_PUBLIC_URL": "https://sso.example.org",
            "DASHBOARD_LOG_JSON": "false",
        }
        runner = CliRunner()

        def invoke(*args: str, ok: bool = True):
            result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
            assert (result.exit_code == 0) == ok, result.output
            return result

        invoke("migrate")
        yield invoke


def test_cli_lists_and_shows_presets(run) -> None:
    listed = run("app", "presets").output
    for preset in PRESETS.values():
        assert preset.id in listed
    synapse = run("app", "presets", "synapse").output
    assert "oidc_providers:" in synapse
    assert 'issuer: "https://sso.example.org/"' in synapse
    assert "/_synapse/client/oidc/callback" in synapse
    assert '"id": "wekan"' in run("app", "presets", "wekan", "--json").output
    run("app", "presets", "nope", ok=False)


def test_cli_creates_from_a_preset_and_prints_secret_and_settings(run, ory_clients) -> None:
    slug = _slug("grafana")
    out = run(
        "app", "create", slug, "--preset", "grafana", "--url", "https://grafana.example.org"
    ).output
    (client,) = _clients_of(ory_clients, slug)
    assert client.redirect_uris == ["https://grafana.example.org/login/generic_oauth"]
    assert f"client_id = {client.client_id}" in out
    secret = out.split("client secret: ", 1)[1].split()[0]
    assert f"client_secret = {secret}" in out
    assert "auth_url = https://sso.example.org/oauth2/auth" in out
    generic = _slug("generic")
    refused = run(
        "app", "create", generic, "--preset", "generic", "--url", "https://t.org", ok=False
    )
    assert "redirect URI" in refused.output
    assert _clients_of(ory_clients, generic) == []
    assert run("app", "create", "plain", ok=False).exit_code == 2


def test_cli_app_create_owner_matches_the_api(run, ory_clients) -> None:
    slug = _slug("wp")
    run("app", "create", slug, "--preset", "wordpress", "--url", "https://www.example.org")
    (client,) = _clients_of(ory_clients, slug)
    assert client.redirect_uris == [
        "https://www.example.org/wp-admin/admin-ajax.php?action=openid-connect-authorize"
    ]
    assert client.token_endpoint_auth_method == "client_secret_post"


# --- docs ----------------------------------------------------------------------------------


def test_docs_apps_match_the_presets() -> None:
    """docs/apps/*.md are generated from the presets: `make app-docs` after changing them."""
    assert docs.main(["--check", str(DOCS / "apps")]) == 0
    assert "apps/README.md" in (DOCS / "dashboard-api.md").read_text()
    assert "docs/apps/README.md" in (DOCS.parent / "README.md").read_text()
