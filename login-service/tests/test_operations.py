"""/healthz, /readyz and /metrics; the WSGI entry point and gunicorn settings."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from login_testkit import Env


def test_healthz(env: Env) -> None:
    response = httpx.get(f"{env.login_url}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_when_everything_answers(env: Env) -> None:
    response = httpx.get(f"{env.login_url}/readyz", timeout=10)
    assert response.status_code == 200, response.text


def test_readyz_names_the_dependency_that_is_down(
    env: Env, login_service_with: Callable[..., str], nothing_listens: str
) -> None:
    url = login_service_with(dashboard_internal_url=nothing_listens)
    response = httpx.get(f"{url}/readyz", timeout=10)
    assert response.status_code == 503
    assert response.json()["failing"] == ["dashboard-api"]


def test_metrics_count_requests(env: Env) -> None:
    httpx.get(f"{env.login_url}/auth/logged-out", timeout=5)
    response = httpx.get(f"{env.login_url}/metrics", timeout=5)
    assert response.status_code == 200
    assert "login_service_http_requests_total" in response.text
    assert 'endpoint="/auth/logged-out"' in response.text


def test_gunicorn_accepts_every_setting_and_reads_the_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gunicorn.config import Config

    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:5001")
    values = runpy.run_path(str(Path(__file__).parents[1] / "gunicorn.conf.py"))
    config = Config()
    names = [name for name in values if not name.startswith("_") and name != "os"]
    # A misspelt setting would be ignored by gunicorn without a word.
    assert [name for name in names if name not in config.settings] == []
    for name in names:
        config.set(name, values[name])  # gunicorn's own validators: a bad value raises
    assert config.workers == 5
    assert config.bind == ["127.0.0.1:5001"]
    assert config.worker_class_str == "gthread"
    assert config.accesslog is None


def test_one_hung_dependency_ends_in_our_page_before_the_proxy_gives_up() -> None:
    from login_service import Settings

    settings = Settings()
    worst_call = (1 + settings.max_retries) * (settings.connect_timeout + settings.read_timeout)
    nginx_proxy_read_timeout = 30
    assert worst_call + 1 < nginx_proxy_read_timeout
    gunicorn = runpy.run_path(str(Path(__file__).parents[1] / "gunicorn.conf.py"))
    assert worst_call + 1 < gunicorn["timeout"]


def test_wsgi_entry_builds_the_app_from_the_environment(monkeypatch: object) -> None:
    import importlib

    module = importlib.import_module("login_service.wsgi")
    assert module.app.name == "login_service.app"
