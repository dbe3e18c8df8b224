"""Settings refuse placeholder secrets outside development."""

from __future__ import annotations

import pytest
from dashboard_api.config import Settings
from pydantic import ValidationError


def test_production_refuses_placeholder_secrets(monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_ENVIRONMENT", "production")
    monkeypatch.setenv("DASHBOARD_SECRET_KEY", "changethis")
    with pytest.raises(ValidationError, match="DASHBOARD_SECRET_KEY"):
        Settings()


@pytest.mark.parametrize("value", ["", "   ", " ChangeThis ", "CHANGEME"])
def test_production_refuses_placeholders_in_any_case_or_padding(monkeypatch, value) -> None:
    for name in ("SECRET_KEY", "OAUTH_CLIENT_SECRET"):
        monkeypatch.setenv(f"DASHBOARD_{name}", f"a-real-{name.lower()}-value-123")
    monkeypatch.setenv("DASHBOARD_ENVIRONMENT", "production")
    monkeypatch.setenv("DASHBOARD_INTERNAL_TOKEN", value)
    with pytest.raises(ValidationError, match="DASHBOARD_INTERNAL_TOKEN"):
        Settings()


def test_development_accepts_them_and_names_them(monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_ENVIRONMENT", "development")
    monkeypatch.setenv("DASHBOARD_INTERNAL_TOKEN", "a-real-internal-token-value-123")
    settings = Settings()
    assert settings.secret_key == "changethis"
    assert settings.placeholder_secrets == ["DASHBOARD_SECRET_KEY", "DASHBOARD_OAUTH_CLIENT_SECRET"]


def test_production_with_real_secrets(monkeypatch) -> None:
    for name in ("SECRET_KEY", "INTERNAL_TOKEN", "OAUTH_CLIENT_SECRET"):
        monkeypatch.setenv(f"DASHBOARD_{name}", f"a-real-{name.lower()}-value-123")
    monkeypatch.setenv("DASHBOARD_ENVIRONMENT", "production")
    monkeypatch.setenv("DASHBOARD_PUBLIC_URL", "https://sso.example.org/")
    settings = Settings()
    assert settings.cookie_secure is True
    assert settings.redirect_uri == "https://sso.example.org/api/v1/auth/callback"


def test_the_asgi_app_is_built_on_first_use(monkeypatch, tmp_path) -> None:
    import dashboard_api.main as main

    for name in ("SECRET_KEY", "INTERNAL_TOKEN", "OAUTH_CLIENT_SECRET"):
        monkeypatch.setenv(f"DASHBOARD_{name}", f"a-real-{name.lower()}-value-123")
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.delattr(main, "app", raising=False)
    app = main.app
    assert app.openapi()["info"]["title"] == "Stackspin dashboard API"
    monkeypatch.delattr(main, "app")


def test_the_kratos_hook_token_may_be_unset_but_never_a_placeholder(monkeypatch) -> None:
    for name in ("SECRET_KEY", "INTERNAL_TOKEN", "OAUTH_CLIENT_SECRET"):
        monkeypatch.setenv(f"DASHBOARD_{name}", f"a-real-{name.lower()}-value-123")
    monkeypatch.setenv("DASHBOARD_ENVIRONMENT", "production")
    assert Settings().kratos_hook_token is None  # unset: the hook is refused, reconcile catches up
    monkeypatch.setenv("DASHBOARD_KRATOS_HOOK_TOKEN", "changethis")
    with pytest.raises(ValidationError, match="DASHBOARD_KRATOS_HOOK_TOKEN"):
        Settings()
