"""`devstack up` in a subprocess on random ports: the router answers, seeding is safe to
repeat, state survives a restart, Ctrl-C stops cleanly, and a person logs in to the demo app
through the router (login-service, Kratos, Hydra, dashboard-api's consent decision)."""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import shlex
import signal
import smtplib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from devstack.testing import services

ADMIN_EMAIL = "root@example.org"
ADMIN_PASSWORD = "a long development password"
NEW_PASSWORD = "recovered and renewed 2026"
RANDOM_PORTS = [
    f"--{name}-port=0"
    for name in (
        "router",
        "login",
        "dashboard",
        "hydra-public",
        "hydra-admin",
        "kratos-public",
        "kratos-admin",
        "smtp",
    )
]


@dataclass
class Run:
    process: subprocess.Popen[str]
    url: str
    info: dict
    lines: list[str] = field(default_factory=list)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)

    @property
    def output(self) -> str:
        return "".join(self.lines)


RUN_CLI = "from devstack.cli import main; main()"
# As if login-service and dashboard-api were not installed: importing them raises ImportError.
WITHOUT_SERVICES = (
    "import sys\n"
    "for name in ('login_service', 'login_service.config', 'dashboard_api', 'dashboard_api.cli',"
    " 'dashboard_api.main', 'dashboard_api.config'):\n"
    "    sys.modules[name] = None\n"
) + RUN_CLI


def start(
    state_dir: Path,
    code: str = RUN_CLI,
    admin_password: str | None = ADMIN_PASSWORD,
    ory: str = "standin",
) -> Run:
    env = {**os.environ, "DEVSTACK_ADMIN_EMAIL": ADMIN_EMAIL, "PYTHONUNBUFFERED": "1"}
    env.pop("DEVSTACK_ADMIN_PASSWORD", None)
    if admin_password is not None:
        env["DEVSTACK_ADMIN_PASSWORD"] = admin_password
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "up",
            f"--state-dir={state_dir}",
            f"--ory={ory}",
            *RANDOM_PORTS,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    ready: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("devstack: ready at "):
                ready.put(line.split(" at ", 1)[1].strip())

    threading.Thread(target=read, daemon=True).start()
    try:
        url = ready.get(timeout=60)
    except queue.Empty:
        process.kill()
        pytest.fail("devstack up did not get ready:\n" + "".join(lines))
    # ORY=real keeps its state in <state-dir>/real/
    running = state_dir / ("real" if ory == "real" else "") / "running.json"
    info = json.loads(running.read_text())
    return Run(process, url, info, lines)


@dataclass
class Facts:
    admin_ids: list[str]
    client_ids: list[str]


def facts(run: Run) -> Facts:
    identities = httpx.get(
        f"{run.info['kratos_admin_url']}/admin/identities",
        params={"credentials_identifier": ADMIN_EMAIL},
    ).json()
    clients = httpx.get(f"{run.info['hydra_admin_url']}/admin/clients").json()
    return Facts([i["id"] for i in identities], sorted(c["client_id"] for c in clients))


@dataclass
class Runs:
    first: Run
    first_exit: int
    first_facts: Facts
    second: Run
    second_facts: Facts
    state_dir: Path  # where this backend's state is: <state-dir>, or <state-dir>/real/
    ory: str


@pytest.fixture(scope="module", params=services.ory_backends())
def runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runs]:
    """Two runs of `devstack up` on one state folder, on the stand-ins or (ORY=real) real Ory."""
    ory: str = request.param
    if ory == "real":
        services.require("ory")
    state_dir = tmp_path_factory.mktemp("devstack-state")
    first = start(state_dir, ory=ory)
    try:
        first_facts = facts(first)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            "a@example.org",
            "b@example.org",
            "kept",
        )
        message.set_content("from the first run")
        with smtplib.SMTP("127.0.0.1", first.info["smtp_port"], timeout=5) as smtp:
            smtp.send_message(message)
    finally:
        first_exit = first.stop()
    second = start(state_dir, ory=ory)
    try:
        own = state_dir / "real" if ory == "real" else state_dir
        yield Runs(first, first_exit, first_facts, second, facts(second), own, ory)
    finally:
        second.stop()


def test_the_banner_names_the_url_and_the_admin(runs: Runs) -> None:
    out = runs.first.output
    assert f"open            {runs.first.url}/" in out
    assert f"admin login     {ADMIN_EMAIL}" in out
    assert f"admin password  {ADMIN_PASSWORD}" in out
    assert f"{runs.first.url}/mail/" in out


def test_the_banner_prints_the_export_line_the_admin_cli_works_with(runs: Runs) -> None:
    (line,) = [
        x.strip() for x in runs.second.output.splitlines() if x.strip().startswith("export ")
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    env.update(dict(pair.split("=", 1) for pair in shlex.split(line.removeprefix("export "))))
    listed = subprocess.run(
        [
            str(Path(sys.executable).with_name("dashboard-api")),
            "user",
            "list",
            "--search",
            ADMIN_EMAIL,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert ADMIN_EMAIL in listed.stdout
    assert listed.stdout.splitlines()[0].split()[:2] == ["ID", "EMAIL"]
    assert listed.stderr.strip() == ""  # no warning, no traceback on a normal call


def test_ctrl_c_stops_everything_cleanly(runs: Runs) -> None:
    assert runs.first_exit == 0, runs.first.output
    assert runs.first.output.rstrip().endswith("devstack: stopped")
    assert "Traceback" not in runs.first.output


def test_the_router_serves_the_public_path_map(runs: Runs) -> None:
    url = runs.second.url
    discovery = httpx.get(f"{url}/.well-known/openid-configuration").json()

    assert httpx.get(f"{url}/").status_code == 200
    assert discovery["issuer"] == f"{url}/"
    assert httpx.get(f"{url}/kratos/health/alive").status_code == 200
    assert httpx.get(f"{url}/demo/").status_code == 200
    assert httpx.get(f"{url}/mail/api/messages").status_code == 200
    assert httpx.get(f"{url}/kratos/admin/identities").status_code == 404
    assert httpx.get(f"{url}/internal/v1/consent-decision").status_code == 404


def test_every_service_runs(runs: Runs) -> None:
    assert runs.second.info["missing"] == {}, runs.second.output
    assert httpx.get(f"{runs.second.url}/api/openapi.json").status_code == 200
    assert httpx.get(f"{runs.second.info['login_service_url']}/healthz").status_code == 200


def test_seeding_twice_creates_nothing_twice(runs: Runs) -> None:
    assert len(runs.first_facts.admin_ids) == 1
    assert len(runs.first_facts.client_ids) == 2  # the dashboard and the demo app
    assert runs.second_facts == runs.first_facts


def test_state_survives_a_restart(runs: Runs) -> None:
    mails = httpx.get(f"{runs.second.url}/mail/api/messages").json()
    assert [m["subject"] for m in mails if m["subject"] == "kept"] == ["kept"]
    secrets_file = runs.state_dir / "secrets.json"
    assert secrets_file.stat().st_mode & 0o077 == 0
    ory_files = ("hydra", "kratos") if runs.ory == "standin" else ("hydra-real", "kratos-real")
    for name in (*ory_files, "dashboard", "mail"):
        assert (runs.state_dir / f"{name}.sqlite3").is_file()


class Forms(HTMLParser):
    """The forms of a page: action, method, input values and submit buttons."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "buttons": []})
        elif self.forms and tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "submit" if tag == "button" else "text")
            if kind in ("submit", "button") or tag == "button":
                self.forms[-1]["buttons"].append((a["name"], a.get("value", "")))
            elif kind != "checkbox" or "checked" in a:
                self.forms[-1]["fields"].setdefault(a["name"], a.get("value", ""))

    def has_field(self, name: str) -> bool:
        return any(name in f["fields"] for f in self.forms)

    def with_field(self, name: str) -> dict:
        return next(f for f in self.forms if name in f["fields"])

    def with_button(self, value: str) -> dict:
        return next(f for f in self.forms if any(v == value for _, v in f["buttons"]))


def browse(browser: httpx.Client, response: httpx.Response) -> httpx.Response:
    for _ in range(20):
        if not response.is_redirect:
            return response
        response = browser.get(urljoin(str(response.url), response.headers["location"]))
    raise AssertionError("redirect loop")


def submit(browser: httpx.Client, page: httpx.Response, form: dict, button: str, **values: str):
    data = {**form["fields"], **values}
    name = next(n for n, v in form["buttons"] if v == button)
    data[name] = button
    action = urljoin(str(page.url), form["action"])
    return browse(browser, browser.post(action, data=data))


def test_a_person_logs_in_to_the_demo_app_through_the_router(runs: Runs) -> None:
    url = runs.second.url
    with httpx.Client(follow_redirects=False, timeout=15) as browser:
        login_page = browse(browser, browser.get(f"{url}/demo/login"))
        assert urlsplit(str(login_page.url)).path == "/auth/login", login_page.url
        login_form = Forms(login_page.text).with_field("password")
        assert login_form["action"].startswith(f"{url}/kratos/self-service/login?flow=")

        consent_page = submit(
            browser,
            login_page,
            login_form,
            "password",
            identifier=ADMIN_EMAIL,
            password=ADMIN_PASSWORD,
        )
        assert urlsplit(str(consent_page.url)).path == "/auth/consent", consent_page.text[:500]
        assert "Demo app" in consent_page.text
        consent_form = Forms(consent_page.text).with_button("accept")
        # Not remembered, so the browser test below sees the consent screen too.
        consent_form["fields"].pop("remember", None)
        demo_page = submit(browser, consent_page, consent_form, "accept")

        assert str(demo_page.url) == f"{url}/demo/"
        assert "Hello, Admin" in demo_page.text
        assert ADMIN_EMAIL in demo_page.text
        assert "Your role in this app: <strong>user</strong>" in demo_page.text
        assert runs.second_facts.admin_ids[0] in demo_page.text

        # The same Kratos session logs the admin in to the dashboard (trusted: no consent).
        browse(browser, browser.get(f"{url}/api/v1/auth/login"))
        users = browser.get(f"{url}/api/v1/users")
        assert users.status_code == 200, users.text
        assert ADMIN_EMAIL in users.text

        to_hydra = browser.post(f"{url}/demo/logout")
        hint = parse_qs(urlsplit(to_hydra.headers["location"]).query)
        assert hint["post_logout_redirect_uri"] == [f"{url}/demo/logged-out"]
        confirm = browse(browser, to_hydra)
        assert urlsplit(str(confirm.url)).path == "/auth/logout"
        logged_out = submit(browser, confirm, Forms(confirm.text).with_button("logout"), "logout")
        assert urlsplit(str(logged_out.url)).path == "/demo/logged-out", logged_out.text[:500]
        assert "You are logged out" in logged_out.text

        again = browse(browser, browser.get(f"{url}/demo/login"))
        assert urlsplit(str(again.url)).path == "/auth/login"
        assert Forms(again.text).with_field("password")


def _mail_to(url: str, email: str, subject: str, *, not_before: str | None = None) -> dict:
    """The newest mail to `email` whose subject holds `subject`, newer than the mail id
    `not_before` (real Kratos's courier polls; a settings change may mail a verification code
    in between, so the count of mails says nothing)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        mails = httpx.get(f"{url}/mail/api/messages", params={"to": email}).json()
        for mail in mails:  # newest first
            if mail["id"] == not_before:
                break
            if subject.lower() in str(mail.get("subject", "")).lower():
                return dict(mail)
        time.sleep(0.2)
    raise AssertionError(f"no mail about {subject!r} to {email}")


def _code(mail_text: str) -> str:
    found = re.search(r"^\s*(\d{6,8})\s*$", mail_text, re.MULTILINE)
    assert found, mail_text
    return found.group(1)


def test_an_invited_person_recovers_sets_up_2fa_and_logs_in_to_the_demo_app(runs: Runs) -> None:
    """What a person does in `make dev` (either backend): the admin invites them from the CLI;
    they redeem the invitation and choose a password, forget it and recover by a mailed code,
    add an authenticator app, and in a new browser reach the demo app with password and code."""
    import pyotp

    url, info = runs.second.url, runs.second.info
    email = f"ada-{secrets.token_hex(3)}@example.org"
    cli_env = {
        **os.environ,
        "DASHBOARD_DATABASE_URL": f"sqlite:///{runs.state_dir / 'dashboard.sqlite3'}",
        "DASHBOARD_SMTP_URL": f"smtp://127.0.0.1:{info['smtp_port']}",
        "DASHBOARD_KRATOS_ADMIN_URL": info["kratos_admin_url"],
        "DASHBOARD_KRATOS_PUBLIC_URL": info["kratos_public_url"],
        "DASHBOARD_HYDRA_ADMIN_URL": info["hydra_admin_url"],
        "DASHBOARD_HYDRA_PUBLIC_URL": info["hydra_public_url"],
        "DASHBOARD_PUBLIC_URL": url,
    }
    cli = str(Path(sys.executable).parent / "dashboard-api")
    created = subprocess.run(
        [cli, "user", "create", email, "--name", "Ada", "--role", "demo:user", "--invite"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    invited = _mail_to(url, email, "")
    invitation = invited["text"]
    link = re.search(r"https?://\S+", invitation)
    assert link, invitation

    with httpx.Client(follow_redirects=False, timeout=15) as browser:
        recovery = browse(browser, browser.get(link.group(0)))
        assert urlsplit(str(recovery.url)).path == "/auth/recovery", recovery.text[:500]
        settings = submit(
            browser,
            recovery,
            Forms(recovery.text).with_field("code"),
            "code",
            code=_code(invitation),
        )
        assert urlsplit(str(settings.url)).path == "/auth/settings", settings.text[:500]
        saved = submit(
            browser,
            settings,
            Forms(settings.text).with_field("password"),
            "password",
            password="first password 2026",
        )
        assert saved.status_code == 200, saved.text[:500]
        assert urlsplit(str(saved.url)).path == "/", (str(saved.url), saved.text[:500])

    with httpx.Client(follow_redirects=False, timeout=15) as browser:  # forgot it
        page = browse(browser, browser.get(f"{url}/auth/recovery"))
        sent = submit(browser, page, Forms(page.text).with_field("email"), "code", email=email)
        assert urlsplit(str(sent.url)).path == "/auth/recovery", sent.text[:500]
        settings = submit(
            browser,
            sent,
            Forms(sent.text).with_field("code"),
            "code",
            code=_code(_mail_to(url, email, "recovery code", not_before=invited["id"])["text"]),
        )
        assert urlsplit(str(settings.url)).path == "/auth/settings", settings.text[:500]
        saved = submit(
            browser,
            settings,
            Forms(settings.text).with_field("password"),
            "password",
            password=NEW_PASSWORD,
        )
        # A recovery ends on the dashboard (as deploy/ory/kratos.yml), not an error banner.
        assert urlsplit(str(saved.url)).path == "/", (str(saved.url), saved.text[:500])
        saved = browse(browser, browser.get(f"{url}/auth/settings"))
        secret = re.search(r"\b[A-Z2-7]{32}\b", saved.text)
        page_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", saved.text))
        assert secret, (str(saved.url), page_text[:1500])
        totp = pyotp.TOTP(secret.group(0))
        added = submit(
            browser,
            saved,
            Forms(saved.text).with_field("totp_code"),
            "totp",
            totp_code=totp.now(),
        )
        assert added.status_code == 200, added.text[:500]
        assert not Forms(added.text).has_field("totp_code"), "the authenticator was not added"

    with httpx.Client(follow_redirects=False, timeout=15) as browser:  # a new browser
        login = browse(browser, browser.get(f"{url}/demo/login"))
        second_factor = submit(
            browser,
            login,
            Forms(login.text).with_field("password"),
            "password",
            identifier=email,
            password=NEW_PASSWORD,
        )
        assert urlsplit(str(second_factor.url)).path == "/auth/login", second_factor.url
        consent = submit(
            browser,
            second_factor,
            Forms(second_factor.text).with_field("totp_code"),
            "totp",
            totp_code=totp.now(),
        )
        assert urlsplit(str(consent.url)).path == "/auth/consent", consent.text[:500]
        consent_form = Forms(consent.text).with_button("accept")
        demo = submit(browser, consent, consent_form, "accept")
        assert str(demo.url) == f"{url}/demo/", demo.text[:500]
        assert "Hello, Ada" in demo.text
        assert "Your role in this app: <strong>user</strong>" in demo.text


def test_without_login_service_and_dashboard_api_the_rest_runs_and_says_so(
    tmp_path: Path,
) -> None:
    run = start(tmp_path, WITHOUT_SERVICES)
    try:
        auth = httpx.get(f"{run.url}/auth/login")
        api = httpx.get(f"{run.url}/api/v1/users")
        demo = httpx.get(f"{run.url}/demo/")
        discovery = httpx.get(f"{run.url}/.well-known/openid-configuration")
    finally:
        assert run.stop() == 0

    assert "NOT RUNNING     login-service: login-service is not importable" in run.output
    assert "NOT RUNNING     dashboard-api: dashboard-api is not importable" in run.output
    assert auth.status_code == 503
    assert "login-service is not running" in auth.text
    assert api.status_code == 503
    assert demo.status_code == 200
    assert discovery.status_code == 200
    assert set(run.info["missing"]) == {"login-service", "dashboard-api"}


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "devstack"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


@pytest.mark.requires("chromium")
def test_a_person_logs_in_to_the_demo_app_with_a_real_browser(runs: Runs) -> None:
    """What a person does after `make dev`, in Chromium: no console errors (CSP), screenshots
    under test-artifacts/devstack/."""
    from playwright.sync_api import sync_playwright

    url = runs.second.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on(
                "response",
                lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )
            # Straight to the demo app: `/` is the dashboard once dashboard/dist is built.
            page.goto(f"{url}/demo/")
            page.screenshot(path=str(ARTIFACTS / "01-demo.png"))
            page.click("button:has-text('Log in')")
            page.wait_for_selector("input[name=password]")
            page.screenshot(path=str(ARTIFACTS / "02-login.png"))
            page.fill("input[name=identifier]", ADMIN_EMAIL)
            page.fill("input[name=password]", ADMIN_PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
            # The consent screen, unless an earlier test's login made Hydra remember the consent.
            page.wait_for_url(re.compile(r"/auth/consent\?|/demo/$"))
            if "/auth/consent" in page.url:
                page.screenshot(path=str(ARTIFACTS / "03-consent.png"))
                page.click("button[value=accept]")
            page.wait_for_url(f"{url}/demo/")
            page.screenshot(path=str(ARTIFACTS / "04-demo-logged-in.png"), full_page=True)
            text = page.inner_text("body")
            assert "Hello, Admin" in text
            assert "Your role in this app: user" in text
            page.click("button:has-text('Log out')")
            page.wait_for_selector("button[value=logout]")
            page.click("button[value=logout]")
            page.wait_for_url(f"{url}/demo/logged-out*")
            page.screenshot(path=str(ARTIFACTS / "05-logged-out.png"))
            assert "You are logged out" in page.inner_text("body")
            page.goto(f"{url}/mail/")
            page.screenshot(path=str(ARTIFACTS / "06-mail.png"))
        finally:
            browser.close()
    assert problems == []


def kratos_password_login(kratos_public_url: str, email: str, password: str) -> int:
    flow = httpx.get(f"{kratos_public_url}/self-service/login/api").json()
    response = httpx.post(
        f"{kratos_public_url}/self-service/login",
        params={"flow": flow["id"]},
        json={"method": "password", "identifier": email, "password": password},
    )
    return response.status_code


def test_seeding_the_admin_again_keeps_one_identity_and_can_set_a_new_password(
    ory_stack,
) -> None:
    from devstack.runner import seed

    first = seed.ensure_admin(
        ory_stack.kratos_admin_url, ADMIN_EMAIL, "first password 1", reset=False
    )
    same = seed.ensure_admin(
        ory_stack.kratos_admin_url, ADMIN_EMAIL, "ignored password", reset=False
    )
    reset = seed.ensure_admin(
        ory_stack.kratos_admin_url, ADMIN_EMAIL, "second password 2", reset=True
    )

    assert first == same == reset
    identities = httpx.get(f"{ory_stack.kratos_admin_url}/admin/identities").json()
    assert len(identities) == 1
    assert identities[0]["verifiable_addresses"][0]["verified"] is True
    assert (
        kratos_password_login(ory_stack.kratos_public_url, ADMIN_EMAIL, "first password 1") == 400
    )
    assert (
        kratos_password_login(ory_stack.kratos_public_url, ADMIN_EMAIL, "second password 2") == 200
    )


def test_a_hydra_client_is_created_once_and_its_redirects_kept_current(ory_stack) -> None:
    from devstack.runner import seed

    first = seed.ensure_client(
        ory_stack.hydra_admin_url,
        None,
        name="demo",
        redirect_uri="http://localhost:1/demo/callback",
        post_logout_redirect_uri="http://localhost:1/demo/logged-out",
        scope="openid",
    )
    again = seed.ensure_client(
        ory_stack.hydra_admin_url,
        first,
        name="demo",
        redirect_uri="http://localhost:2/demo/callback",
        post_logout_redirect_uri="http://localhost:2/demo/logged-out",
        scope="openid",
    )

    clients = httpx.get(f"{ory_stack.hydra_admin_url}/admin/clients").json()
    assert again == first
    assert len(clients) == 1
    assert clients[0]["redirect_uris"] == ["http://localhost:2/demo/callback"]
    assert clients[0]["post_logout_redirect_uris"] == ["http://localhost:2/demo/logged-out"]


def printed_password(run: Run) -> str:
    line = next(x for x in run.lines if x.strip().startswith("admin password"))
    return line.split()[-1]


def test_after_secrets_json_is_deleted_the_printed_admin_password_works(tmp_path: Path) -> None:
    first = start(tmp_path, WITHOUT_SERVICES, admin_password=None)
    try:
        first_admins = facts(first).admin_ids
    finally:
        assert first.stop() == 0
    (tmp_path / "secrets.json").unlink()

    second = start(tmp_path, WITHOUT_SERVICES, admin_password=None)
    try:
        second_admins = facts(second).admin_ids
        password = printed_password(second)
        login = kratos_password_login(second.info["kratos_public_url"], ADMIN_EMAIL, password)
    finally:
        assert second.stop() == 0

    assert password != printed_password(first)
    assert second_admins == first_admins
    assert login == 200
