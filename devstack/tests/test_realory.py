"""Real Hydra and Kratos: built once per pin, run with deploy/ory/*.yml and only the overrides
a run needs, fail with their log, and make no call off the machine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from devstack.hydra import HydraConfig
from devstack.kratos import KratosConfig
from devstack.realory import build, configs
from devstack.realory.process import OryProcess, OryProcessError
from devstack.realory.stack import RealOryStack, new_secrets

pytestmark = pytest.mark.requires("ory")

# What a make-dev run may change of deploy/ory/*.yml: URLs, ports, DSN, secrets, SMTP (and the
# file paths of the schema and the mail templates, which deploy names by their container path).
KRATOS_MAY_SET = {
    "dsn",
    "serve.public.base_url",
    "serve.public.host",
    "serve.public.port",
    "serve.admin.base_url",
    "serve.admin.host",
    "serve.admin.port",
    "selfservice.default_browser_return_url",
    "selfservice.allowed_return_urls",
    *(f"selfservice.flows.{kind}.ui_url" for kind in (*configs.KRATOS_FLOWS, "error")),
    "selfservice.flows.logout.after.default_browser_return_url",
    # deploy's settings web_hook with this run's dashboard-api URL and token (or none at all)
    "selfservice.flows.settings.after.profile.hooks",
    "selfservice.methods.webauthn.enabled",
    "selfservice.methods.webauthn.config.rp.id",
    "selfservice.methods.webauthn.config.rp.origins",
    "identity.default_schema_id",
    "identity.schemas",
    "courier.smtp.connection_uri",
    "courier.smtp.from_address",
    "courier.smtp.from_name",
    "courier.template_override_path",
    "secrets.default",
    "secrets.cookie",
    "secrets.cipher",
}
HYDRA_MAY_SET = {
    "dsn",
    "serve.public.host",
    "serve.public.port",
    "serve.admin.host",
    "serve.admin.port",
    *(f"urls.{key}" for key in ("login", "consent", "logout", "error", "post_logout_redirect")),
    "urls.self.issuer",
    "urls.self.public",
    "urls.self.admin",
    "secrets.system",
    "secrets.cookie",
}


def _keys(tree: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        keys |= _keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


def test_a_second_build_builds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in build.SERVERS:
        first = build.ensure_binary(name)
        before = first.stat().st_mtime_ns

        def no_go_command(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"a second ensure_binary ran a command: {args}")

        with monkeypatch.context() as patched:
            patched.setattr(build.subprocess, "run", no_go_command)
            assert build.ensure_binary(name) == first  # a path check, no go command
        assert first.stat().st_mtime_ns == before
        # The cache key is the pin: the folder is named by a hash of go.mod, go.sum and flags.
        assert first.parent.parent == build.CACHE
        assert first.parent.name.startswith(f"{name}-")


def test_the_binaries_are_the_pinned_versions() -> None:
    import subprocess

    for name, server in build.SERVERS.items():
        printed = subprocess.run(
            [str(build.ensure_binary(name)), "version"], capture_output=True, text=True, check=True
        ).stdout
        assert server.version in printed
        go_mod = (build.MODULES / name / "go.mod").read_text()
        assert f"{server.package} {server.version}" in go_mod


def test_make_dev_overrides_only_urls_dsn_secrets_and_smtp(tmp_path: Path) -> None:
    public = "http://localhost:8080"
    kratos = KratosConfig(
        public_url=f"{public}/kratos/",
        default_return_url=f"{public}/",
        allowed_return_urls=[f"{public}/"],
        mail_from="no-reply@example.org",
        smtp_url="smtp://127.0.0.1:1025/?disable_starttls=true",
    )
    for page in (*configs.KRATOS_FLOWS, "error"):
        setattr(kratos, f"{page}_ui_url", f"{public}/auth/{page}")
    listen = configs.Listen(4433, 4434)
    rendered = configs.kratos_overrides(
        kratos, listen=listen, dsn="sqlite:///x", secrets=new_secrets()
    )
    assert _keys(rendered) <= KRATOS_MAY_SET, _keys(rendered) - KRATOS_MAY_SET
    hydra = HydraConfig(issuer=f"{public}/")
    rendered = configs.hydra_overrides(
        hydra, listen=configs.Listen(4444, 4445), admin_url="x", dsn="y", secrets=new_secrets()
    )
    assert _keys(rendered) <= HYDRA_MAY_SET, _keys(rendered) - HYDRA_MAY_SET


def test_a_changed_test_setting_is_rendered_and_applied() -> None:
    with RealOryStack() as stack:
        flow = httpx.get(f"{stack.kratos_public_url}/self-service/login/api").json()
        assert _lifespan(flow) == pytest.approx(600, abs=5)  # deploy/ory/kratos.yml: 10m
        stack.kratos_config.flow_lifespan = 120
        stack.apply()
        flow = httpx.get(f"{stack.kratos_public_url}/self-service/login/api").json()
        assert _lifespan(flow) == pytest.approx(120, abs=5)
        # Nothing changed: nothing restarts.
        pids = stack.pids
        stack.apply()
        assert stack.pids == pids


def _lifespan(flow: dict[str, Any]) -> float:
    from datetime import datetime

    issued = datetime.fromisoformat(flow["issued_at"])
    expires = datetime.fromisoformat(flow["expires_at"])
    return (expires - issued).total_seconds()


def test_no_call_leaves_the_machine() -> None:
    from devstack.realory.process import SERVE_ARGS

    assert all("--sqa-opt-out" in args for args in SERVE_ARGS.values())
    deploy = (configs.DEPLOY_ORY / "kratos.yml").read_text()
    assert "haveibeenpwned_enabled: false" in deploy


def test_a_server_that_cannot_start_fails_with_its_log(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"dsn": "memory", "serve": {"admin": {"port": "not a port"}}}))
    log = tmp_path / "hydra.log"
    with pytest.raises(OryProcessError) as failed:
        OryProcess("hydra", [bad], admin_url="http://127.0.0.1:1", log=log).start(timeout=20)
    assert "hydra exited at start" in str(failed.value)
    assert "port" in str(failed.value)  # the config error, from the log


def test_the_profile_hook_is_deploys_with_this_runs_url_and_token() -> None:
    import yaml

    deployed = yaml.safe_load((configs.DEPLOY_ORY / "kratos.yml").read_text())
    (hook,) = deployed["selfservice"]["flows"]["settings"]["after"]["profile"]["hooks"]

    def hooks(config: KratosConfig) -> Any:
        rendered = configs.kratos_overrides(
            config, listen=configs.Listen(4433, 4434), dsn="x", secrets=new_secrets()
        )
        return rendered["selfservice"]["flows"]["settings"]["after"]["profile"]["hooks"]

    assert hooks(KratosConfig()) == []  # no dashboard-api to tell: compose's URL is not kept
    (ours,) = hooks(
        KratosConfig(profile_hook_url="http://127.0.0.1:9/hook", profile_hook_token="t")
    )
    assert ours["config"].pop("url") == "http://127.0.0.1:9/hook"
    assert ours["config"]["auth"]["config"].pop("value") == "Bearer t"
    assert ours["config"].pop("body") == (configs.DEPLOY_ORY / "identity-changed.jsonnet").as_uri()
    assert hook["config"]["body"] == "file:///etc/config/kratos/identity-changed.jsonnet"
    for key in ("url", "body"):
        del hook["config"][key]
    del hook["config"]["auth"]["config"]["value"]
    assert ours == hook
