"""deploy/kubernetes renders with `kubectl kustomize` and validates offline against the API."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import kubernetes_validate
import pytest
import yaml
from devstack.testing import services
from stack_harness.nginx import run_nginx
from stack_harness.ports import free_port

REPO = Path(__file__).resolve().parents[1]
KUSTOMIZE_DIRS = {
    "base": REPO / "deploy" / "kubernetes" / "base",
    "example": REPO / "deploy" / "kubernetes" / "overlays" / "example",
}
KUBERNETES_VERSION = "1.30.0"
SERVICES = {"login-service": 5000, "dashboard-api": 8000}


def render(directory: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        # Skips, or fails under REQUIRE_SERVICES=1 (CI installs it).
        services.skip_or_fail("kubectl", "not installed (apt-get install kubectl)")
    assert kubectl is not None  # skip_or_fail raised otherwise
    result = subprocess.run(
        [kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module", params=sorted(KUSTOMIZE_DIRS))
def manifests(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render(KUSTOMIZE_DIRS[request.param])


@pytest.fixture(scope="module")
def overlay() -> list[dict[str, Any]]:
    return render(KUSTOMIZE_DIRS["example"])


def find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"].startswith(name)]
    assert matches, f"no {kind} {name}"
    return matches[0]


def test_every_manifest_is_valid_for_the_kubernetes_api(manifests: list[dict[str, Any]]) -> None:
    assert manifests
    for doc in manifests:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {exc.message} at {exc.path}")


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_service_has_deployment_service_hpa_pdb_and_networkpolicy(
    manifests: list[dict[str, Any]], service: str
) -> None:
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        find(manifests, kind, service)
    policy = find(manifests, "NetworkPolicy", service)
    assert set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_deployments_are_probed_limited_non_root_read_only_and_spread(
    manifests: list[dict[str, Any]], service: str
) -> None:
    pod = find(manifests, "Deployment", service)["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["topologySpreadConstraints"]
    assert pod["automountServiceAccountToken"] is False
    (container,) = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["ports"][0]["containerPort"] == SERVICES[service]
    assert container["resources"]["requests"]["cpu"]
    assert container["resources"]["limits"]["memory"]
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]


def test_migration_job_runs_migrate_then_bootstrap(manifests: list[dict[str, Any]]) -> None:
    job = find(manifests, "Job", "dashboard-api-migrate")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    command = " ".join(container["command"])
    assert command.index("dashboard-api migrate") < command.index("bootstrap.py")


def test_reconcile_runs_every_15_minutes_one_at_a_time_with_least_privilege(
    manifests: list[dict[str, Any]],
) -> None:
    cron = find(manifests, "CronJob", "dashboard-api-reconcile")
    assert cron["spec"]["schedule"] == "*/15 * * * *"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["command"] == ["dashboard-api", "reconcile", "--repair"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    policy = find(manifests, "NetworkPolicy", "dashboard-api-reconcile")
    ports = {port["port"] for rule in policy["spec"]["egress"] for port in rule["ports"]}
    assert ports == {3306, 4445, 4434, 53}  # no mail, nothing public
    assert "ingress" not in policy["spec"]  # nothing may reach it


def ingress_paths(docs: list[dict[str, Any]]) -> dict[str, tuple[str, int | str]]:
    paths = {}
    for doc in docs:
        if doc["kind"] != "Ingress":
            continue
        for rule in doc["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                port = backend["port"].get("number") or backend["port"].get("name")
                paths[path["path"]] = (backend["name"], port)
    return paths


def test_ingress_implements_the_path_map_and_nothing_more(manifests: list[dict[str, Any]]) -> None:
    paths = ingress_paths(manifests)
    assert paths["/auth/"] == ("login-service", "http")
    assert paths["/api/"] == ("dashboard-api", "http")
    assert paths["/oauth2/"][0] == "hydra-public"
    assert paths["/userinfo"][0] == "hydra-public"
    assert paths["/.well-known/"][0] == "hydra-public"
    assert paths["/"] == ("frontend", "http")
    (kratos,) = [p for p in paths if p.startswith("/kratos")]
    assert paths[kratos][0] == "kratos-public"
    assert "(?!admin" in kratos
    backends = {name for name, _ in paths.values()}
    assert not {b for b in backends if "admin" in b}
    kratos_ingress = find(manifests, "Ingress", "stackspin-kratos")
    assert kratos_ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/limit-rpm"]


def egress_ports(policy: dict[str, Any]) -> dict[str, set[int]]:
    """Allowed destination (pod name label, ipBlock cidr or "any") -> ports."""
    allowed: dict[str, set[int]] = {}
    for rule in policy["spec"]["egress"]:
        ports = {p["port"] for p in rule.get("ports", [])}
        targets = rule.get("to") or [{"any": True}]
        for target in targets:
            if "ipBlock" in target:
                key = target["ipBlock"]["cidr"]
            elif "podSelector" in target and "namespaceSelector" not in target:
                key = target["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
            elif "podSelector" in target:
                key = "dns"
            else:
                key = "any"
            allowed.setdefault(key, set()).update(ports)
    return allowed


def test_login_service_may_reach_hydra_admin_kratos_and_dashboard_api_only(
    manifests: list[dict[str, Any]],
) -> None:
    allowed = egress_ports(find(manifests, "NetworkPolicy", "login-service"))
    assert allowed == {
        "hydra": {4445},
        "kratos": {4433, 4434},
        "dashboard-api": {8000},
        "dns": {53},
    }


def test_dashboard_api_may_reach_hydra_kratos_admin_mariadb_and_smtp(
    manifests: list[dict[str, Any]],
) -> None:
    allowed = egress_ports(find(manifests, "NetworkPolicy", "dashboard-api"))
    assert allowed["hydra"] == {4445, 4444}
    assert allowed["kratos"] == {4434}
    assert allowed["any"] == {25, 465, 587}
    database = allowed.get("mariadb") or allowed.get("10.0.10.5/32")
    assert database == {3306}
    ingress_from = find(manifests, "NetworkPolicy", "dashboard-api")["spec"]["ingress"][0]["from"]
    sources = [f.get("podSelector", {}).get("matchLabels", {}) for f in ingress_from]
    assert {"app.kubernetes.io/name": "login-service"} in sources


def test_example_overlay_sets_namespace_host_tls_and_pinned_images(
    overlay: list[dict[str, Any]],
) -> None:
    for doc in overlay:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "stackspin", doc["metadata"]["name"]
    for name in SERVICES:
        image = find(overlay, "Deployment", name)["spec"]["template"]["spec"]["containers"][0][
            "image"
        ]
        assert image == f"registry.example.org/stackspin/{name}:0.1.0"
    ingress = find(overlay, "Ingress", "stackspin")
    assert ingress["spec"]["tls"][0]["hosts"] == ["sso.example.org"]
    config = find(overlay, "ConfigMap", "login-service")["data"]
    assert config["LOGIN_PUBLIC_URL"] == "https://sso.example.org"


def test_the_frontend_ships_as_its_own_image_built_from_the_dashboard(
    overlay: list[dict[str, Any]],
) -> None:
    base = (KUSTOMIZE_DIRS["base"] / "frontend.yaml").read_text()
    assert "image: stackspin/dashboard-frontend:dev" in base
    (pinned,) = find(overlay, "Deployment", "frontend")["spec"]["template"]["spec"]["containers"]
    assert pinned["image"] == "registry.example.org/stackspin/dashboard-frontend:0.1.0"
    dockerfile = (REPO / "dashboard" / "Dockerfile").read_text()
    assert "npm ci" in dockerfile
    assert "npm run build" in dockerfile
    assert "COPY --from=build /src/dist /usr/share/nginx/html" in dockerfile


@pytest.mark.requires("nginx")
def test_frontend_nginx_config_serves_the_app_with_security_headers(
    overlay: list[dict[str, Any]], tmp_path: Path
) -> None:
    config = find(overlay, "ConfigMap", "frontend-nginx")["data"]["default.conf"]
    root = tmp_path / "html"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Stackspin</title>")
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    port = free_port()
    site = config.replace("listen 8080;", f"listen 127.0.0.1:{port};").replace(
        "root /usr/share/nginx/html;", f"root {root};"
    )
    server = run_nginx(tmp_path, site, port)
    try:
        page = httpx.get(f"{server.url}/", timeout=5)
        assert page.status_code == 200
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-cache"
        # A route of the single-page app is its index.html, not a 404.
        route = httpx.get(f"{server.url}/users/some-id", timeout=5)
        assert (route.status_code, route.text) == (200, page.text)
        asset = httpx.get(f"{server.url}/assets/index-abc123.js", timeout=5)
        assert asset.status_code == 200
        assert "immutable" in asset.headers["cache-control"]
        assert httpx.get(f"{server.url}/assets/gone.js", timeout=5).status_code == 404
    finally:
        server.stop()
