"""docker-compose.yml parses with the real docker-compose binary; the images are built safely.

No container engine runs here, so `docker-compose config` (which needs none) is the strongest
check available; docs/deploy.md says what was and was not run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from devstack.testing import services
from stack_harness.compose_file import COMPOSE_FILE, ENV_EXAMPLE, REPO, read_env_file
from stack_harness.nginx import TEMPLATE_VARIABLES

SERVICES = {
    "mariadb",
    "hydra-migrate",
    "hydra",
    "kratos-migrate",
    "kratos",
    "mailpit",
    "login-service",
    "dashboard-api",
    "proxy",
}
DOCKERFILES = {
    "login-service": REPO / "login-service" / "Dockerfile",
    "dashboard-api": REPO / "dashboard-api" / "Dockerfile",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    binary = shutil.which("docker-compose")
    if binary is None:
        # Skips, or fails under REQUIRE_SERVICES=1 (CI installs it).
        services.skip_or_fail("docker-compose", "not installed (apt-get install docker-compose)")
    assert binary is not None  # skip_or_fail raised otherwise
    result = subprocess.run(
        [binary, "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE_FILE), "config"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert isinstance(data, dict)
    return data


def test_compose_has_every_service_with_pinned_ory_images(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == SERVICES
    for name in ("hydra", "hydra-migrate"):
        assert services[name]["image"] == "oryd/hydra:v25.4.0"
    for name in ("kratos", "kratos-migrate"):
        assert services[name]["image"] == "oryd/kratos:v25.4.0"
    for name, service in services.items():
        image = service.get("image", "")
        assert ":" in image, name
        assert not image.endswith(":latest"), name


def test_services_start_in_dependency_order(compose: dict[str, Any]) -> None:
    services = compose["services"]

    def condition(service: str, dependency: str) -> str:
        return str(services[service]["depends_on"][dependency]["condition"])

    assert "healthcheck" in services["mariadb"]
    assert condition("hydra-migrate", "mariadb") == "service_healthy"
    assert condition("kratos-migrate", "mariadb") == "service_healthy"
    assert condition("hydra", "hydra-migrate") == "service_completed_successfully"
    assert condition("kratos", "kratos-migrate") == "service_completed_successfully"
    assert condition("dashboard-api", "mariadb") == "service_healthy"
    assert condition("login-service", "dashboard-api") == "service_healthy"
    assert condition("proxy", "login-service") == "service_healthy"


def test_only_nginx_and_the_mail_ui_are_published(compose: dict[str, Any]) -> None:
    published = {name for name, s in compose["services"].items() if s.get("ports")}
    assert published == {"proxy", "mailpit"}
    for port in compose["services"]["mailpit"]["ports"]:
        host_ip = port.split(":")[0] if isinstance(port, str) else port.get("host_ip")
        assert host_ip == "127.0.0.1"


@pytest.mark.parametrize("service", ["login-service", "dashboard-api"])
def test_our_services_run_read_only_without_privileges(
    compose: dict[str, Any], service: str
) -> None:
    config = compose["services"][service]
    assert config["read_only"] is True
    assert config["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in config["security_opt"]
    assert "/tmp" in config["tmpfs"]


def test_mariadb_creates_the_three_databases(compose: dict[str, Any]) -> None:
    script = (REPO / "deploy" / "mariadb" / "01-databases.sh").read_text()
    for name in ("dashboard", "hydra", "kratos"):
        assert f'"{name}:${{' in script
    env = compose["services"]["mariadb"]["environment"]
    assert {"DASHBOARD_DB_PASSWORD", "HYDRA_DB_PASSWORD", "KRATOS_DB_PASSWORD"} <= set(env)


def test_proxy_gets_every_template_variable_and_the_repo_config(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    assert set(TEMPLATE_VARIABLES) <= set(proxy["environment"])
    targets = {target for _, target in volumes_of(proxy)}
    assert "/etc/nginx/templates" in targets
    assert proxy["environment"]["LOGIN_SERVICE_UPSTREAM"] == "login-service:5000"
    assert proxy["environment"]["DASHBOARD_API_UPSTREAM"] == "dashboard-api:8000"
    # `/` is the dashboard: the proxy image is the frontend's, holding its built files.
    assert proxy["build"]["dockerfile"] == "dashboard/Dockerfile"
    assert proxy["environment"]["PROXY_STATIC_ROOT"] == "/usr/share/nginx/html"
    assert "/usr/share/nginx/html" not in targets  # no placeholder mounted over them


def test_bind_mounted_files_exist_in_the_repo(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for source, _ in volumes_of(service):
            if source.startswith("/"):
                assert Path(source).exists(), (name, source)


def test_services_share_one_internal_token_and_public_url(compose: dict[str, Any]) -> None:
    login = compose["services"]["login-service"]["environment"]
    dashboard = compose["services"]["dashboard-api"]["environment"]
    assert login["LOGIN_DASHBOARD_INTERNAL_TOKEN"] == dashboard["DASHBOARD_INTERNAL_TOKEN"]
    public = read_env_file()["PUBLIC_URL"]
    assert login["LOGIN_PUBLIC_URL"] == dashboard["DASHBOARD_PUBLIC_URL"] == public
    assert login["LOGIN_KRATOS_BROWSER_URL"] == f"{public}/kratos"


def volumes_of(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, target) of each volume; docker-compose v1 prints "src:dst:ro", v2 mappings."""
    found = []
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source", ""), volume["target"]
        found.append((source, target))
    return found


def final_stage(dockerfile: str) -> str:
    return re.split(r"(?m)^FROM ", dockerfile)[-1]


@pytest.mark.parametrize("service", sorted(DOCKERFILES))
def test_image_is_multi_stage_non_root_slim_with_healthcheck(service: str) -> None:
    text = DOCKERFILES[service].read_text()
    stages = re.findall(r"(?m)^FROM (\S+)", text)
    assert len(stages) >= 2
    assert all(s.startswith("python:3.11-slim") for s in stages)
    final = final_stage(text)
    assert re.search(r"(?m)^USER 10001$", final)
    assert "HEALTHCHECK" in final
    assert "/healthz" in final
    for tool in ("build-essential", "gcc", "apt-get install", "uv sync", "pip install"):
        assert tool not in final, tool
    assert "gunicorn" in final


def test_dashboard_api_serves_with_uvicorn_workers_sized_for_two_cores() -> None:
    final = final_stage(DOCKERFILES["dashboard-api"].read_text())
    assert "gunicorn.conf.py" in final
    config = (REPO / "dashboard-api" / "gunicorn.conf.py").read_text()
    assert 'worker_class = "dashboard_api.serving.Worker"' in config  # uvicorn's, balanced
    assert "DASHBOARD_WORKERS=3" in final
    start = (REPO / "deploy" / "docker" / "dashboard-api-start.sh").read_text()
    assert start.index("dashboard-api migrate") < start.index("bootstrap.py")
    assert start.index("bootstrap.py") < start.index("exec gunicorn")


def test_dockerignore_keeps_secrets_and_local_state_out_of_images() -> None:
    ignored = (REPO / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".env", ".devstack"):
        assert entry in ignored


def env_example_names() -> tuple[set[str], set[str]]:
    """(set, commented) variable names in deploy/.env.example."""
    active: set[str] = set()
    commented: set[str] = set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=", line)
        if match:
            (commented if match.group(1) else active).add(match.group(2))
    return active, commented


@pytest.mark.parametrize(
    ("prefix", "settings_module"),
    [("LOGIN_", "login_service.config"), ("DASHBOARD_", "dashboard_api.config")],
)
def test_env_example_lists_every_setting_of_both_services(
    prefix: str, settings_module: str
) -> None:
    import importlib

    settings = importlib.import_module(settings_module).Settings
    active, commented = env_example_names()
    expected = {prefix + name.upper() for name in settings.model_fields}
    assert expected <= active | commented, sorted(expected - active - commented)


def test_every_service_setting_in_env_example_reaches_its_container(
    compose: dict[str, Any],
) -> None:
    active, _ = env_example_names()
    for prefix, service in (("LOGIN_", "login-service"), ("DASHBOARD_", "dashboard-api")):
        environment = compose["services"][service]["environment"]
        names = {n for n in active if n.startswith(prefix) and not n.endswith("_DB_PASSWORD")}
        assert names <= set(environment), sorted(names - set(environment))
