"""Run the repo's proxy config in the real nginx binary, unprivileged, in a temporary folder.

The template is rendered like the official nginx image does (envsubst of the named variables
only), then included from a minimal main config that keeps every path inside the folder.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from devstack.ports import free_port, wait_for_port

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "proxy" / "templates" / "default.conf.template"
STATIC_ROOT = REPO / "proxy" / "html"
SNIPPETS = REPO / "proxy" / "snippets"
NGINX_PATHS = ("/usr/sbin/nginx", "/usr/bin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
TEMPLATE_VARIABLES = (
    "NGINX_LISTEN",
    "LOGIN_SERVICE_UPSTREAM",
    "DASHBOARD_API_UPSTREAM",
    "KRATOS_PUBLIC_UPSTREAM",
    "HYDRA_PUBLIC_UPSTREAM",
    "PROXY_STATIC_ROOT",
    "PROXY_SELFSERVICE_RATE",
    "PROXY_SELFSERVICE_BURST",
    "PROXY_SNIPPETS_DIR",
)


def render_template(text: str, values: dict[str, str]) -> str:
    """envsubst with an explicit variable list: only ${NAME} of the given names is replaced."""
    missing = [name for name in TEMPLATE_VARIABLES if name not in values]
    if missing:
        raise KeyError(f"template variables without a value: {missing}")
    return re.sub(
        r"\$\{([A-Z_]+)\}",
        lambda m: values[m.group(1)] if m.group(1) in values else m.group(0),
        text,
    )


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in NGINX_PATHS if Path(p).exists()), None)
    if found is None:
        raise FileNotFoundError("nginx")
    return found


def main_config(prefix: Path, site_conf: Path) -> str:
    """A main nginx.conf whose pid, logs and temp files all live under `prefix`."""
    # As root the workers would drop to "nobody", who cannot read pytest's private tmp dirs.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    mime = f"include {MIME_TYPES};" if MIME_TYPES.exists() else "types { text/html html; }"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / ('tmp-' + kind)};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
daemon off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} info;
events {{ worker_connections 512; }}
http {{
    {mime}
    default_type application/octet-stream;
{temp}
    include {site_conf};
}}
"""


@dataclass
class RunningNginx:
    url: str
    port: int
    prefix: Path
    process: subprocess.Popen[bytes]
    access_log: Path
    _closed: bool = field(default=False, repr=False)

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def access_log_text(self) -> str:
        return self.access_log.read_text(errors="replace") if self.access_log.exists() else ""

    def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_nginx(
    prefix: Path,
    *,
    login_service: str,
    dashboard_api: str,
    kratos_public: str,
    hydra_public: str,
    port: int | None = None,
    static_root: Path = STATIC_ROOT,
    selfservice_rate: str = "60r/m",
    selfservice_burst: int = 20,
    snippets: dict[str, str] | None = None,
    listen_suffix: str = "",
    proxy_read_timeout: str | None = None,
) -> RunningNginx:
    """Render the proxy template for the given upstreams (host:port) and start nginx on loopback.

    `snippets` are written to the snippets folder next to the repo's files that always exist
    there (trusted-proxies.geo); `proxy_read_timeout` shortens the template's value so a test
    of a hung upstream need not wait the full production timeout.
    """
    prefix.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    snippets_dir = prefix / "snippets"
    snippets_dir.mkdir(exist_ok=True)
    for shipped in SNIPPETS.glob("*.geo"):
        shutil.copy(shipped, snippets_dir / shipped.name)
    for name, text in (snippets or {}).items():
        (snippets_dir / name).write_text(text)
    values = {
        "NGINX_LISTEN": f"127.0.0.1:{port}{listen_suffix}",
        "LOGIN_SERVICE_UPSTREAM": login_service,
        "DASHBOARD_API_UPSTREAM": dashboard_api,
        "KRATOS_PUBLIC_UPSTREAM": kratos_public,
        "HYDRA_PUBLIC_UPSTREAM": hydra_public,
        "PROXY_STATIC_ROOT": str(static_root),
        "PROXY_SELFSERVICE_RATE": selfservice_rate,
        "PROXY_SELFSERVICE_BURST": str(selfservice_burst),
        "PROXY_SNIPPETS_DIR": str(snippets_dir),
    }
    scheme = "https" if "ssl" in listen_suffix else "http"
    site_conf = render_template(TEMPLATE.read_text(), values)
    if proxy_read_timeout is not None:
        site_conf, count = re.subn(
            r"proxy_read_timeout \S+;", f"proxy_read_timeout {proxy_read_timeout};", site_conf
        )
        assert count == 1, "the template sets proxy_read_timeout once"
    return run_nginx(prefix, site_conf, port, scheme)


def run_nginx(prefix: Path, site_conf_text: str, port: int, scheme: str = "http") -> RunningNginx:
    """Start nginx with `site_conf_text` (http-level) included from a minimal main config."""
    prefix.mkdir(parents=True, exist_ok=True)
    site_conf = prefix / "conf.d" / "default.conf"
    site_conf.parent.mkdir(exist_ok=True)
    site_conf.write_text(site_conf_text)
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site_conf))
    binary = nginx_binary()
    check = subprocess.run(  # noqa: S603 (the nginx binary, our own arguments)
        [binary, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
    access_log = prefix / "access.log"
    with access_log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (the nginx binary, our own arguments)
            [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = RunningNginx(
        url=f"{scheme}://127.0.0.1:{port}",
        port=port,
        prefix=prefix,
        process=process,
        access_log=access_log,
    )
    try:
        wait_for_port(port, timeout=10, alive=lambda: process.poll() is None)
    except Exception:
        server.stop()
        raise RuntimeError(f"nginx did not start:\n{server.error_log()}") from None
    return server
