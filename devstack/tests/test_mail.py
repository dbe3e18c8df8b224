import smtplib
from collections.abc import Iterator
from email.message import EmailMessage

import httpx
import pytest
from devstack.mail import MailCatcher
from devstack.serve import RunningServer, start_asgi


@pytest.fixture
def catcher() -> Iterator[tuple[MailCatcher, RunningServer]]:
    with MailCatcher() as mail:
        server = start_asgi(mail.app)
        yield mail, server
        server.stop()


def send(port: int, *, to: str, subject: str, text: str, html: str | None = None) -> None:
    message = EmailMessage()
    message["From"] = "Stackspin <no-reply@stackspin.local>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.send_message(message)


def test_a_mail_sent_by_smtp_is_listed_as_json(catcher) -> None:
    mail, server = catcher
    send(mail.smtp_port, to="ada@example.org", subject="Recover your account", text="Code: 123456")

    listed = httpx.get(f"{server.url}/mail/api/messages").json()

    assert len(listed) == 1
    got = listed[0]
    assert set(got) == {"id", "from", "to", "subject", "text", "html", "received_at"}
    assert got["from"] == "Stackspin <no-reply@stackspin.local>"
    assert got["to"] == ["ada@example.org"]
    assert got["subject"] == "Recover your account"
    assert got["text"].strip() == "Code: 123456"
    assert got["html"] is None
    assert got["received_at"].endswith("Z")
    one = httpx.get(f"{server.url}/mail/api/messages/{got['id']}").json()
    assert one == got


def test_messages_are_newest_first_and_filter_by_recipient(catcher) -> None:
    mail, server = catcher
    send(mail.smtp_port, to="a@example.org", subject="first", text="1")
    send(mail.smtp_port, to="b@example.org", subject="second", text="2")

    subjects = [m["subject"] for m in httpx.get(f"{server.url}/mail/api/messages").json()]
    only_a = httpx.get(f"{server.url}/mail/api/messages", params={"to": "A@example.org"}).json()

    assert subjects == ["second", "first"]
    assert [m["subject"] for m in only_a] == ["first"]


def test_html_and_text_parts_and_unicode_subject_are_kept(catcher) -> None:
    mail, server = catcher
    send(
        mail.smtp_port,
        to="zoë@example.org",
        subject="Grüße ✓",
        text="plain part",
        html="<p>html part</p>",
    )

    got = httpx.get(f"{server.url}/mail/api/messages").json()[0]

    assert got["subject"] == "Grüße ✓"
    assert got["text"].strip() == "plain part"
    assert got["html"].strip() == "<p>html part</p>"


def test_the_page_shows_mails_escaped_with_clickable_links(catcher) -> None:
    mail, server = catcher
    send(
        mail.smtp_port,
        to="ada@example.org",
        subject="<script>alert(1)</script>",
        text="Open http://localhost:8080/auth/recovery?flow=abc&x=1 <b>now</b>",
        html="<img src=x onerror=alert(2)>",
    )

    page = httpx.get(f"{server.url}/mail/")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<b>" not in page.text
    assert "<img" not in page.text
    assert '<a href="http://localhost:8080/auth/recovery?flow=abc&amp;x=1"' in page.text


def test_delete_clears_all_mails(catcher) -> None:
    mail, server = catcher
    send(mail.smtp_port, to="a@example.org", subject="x", text="1")

    deleted = httpx.delete(f"{server.url}/mail/api/messages")

    assert deleted.status_code == 204
    assert httpx.get(f"{server.url}/mail/api/messages").json() == []
    assert "No mail yet" in httpx.get(f"{server.url}/mail/").text


def test_page_form_clears_and_redirects_back(catcher) -> None:
    mail, server = catcher
    send(mail.smtp_port, to="a@example.org", subject="x", text="1")

    cleared = httpx.post(f"{server.url}/mail/clear")

    assert cleared.status_code == 303
    assert cleared.headers["location"] == "/mail/"
    assert httpx.get(f"{server.url}/mail/api/messages").json() == []


def test_mails_survive_a_restart_with_a_database_file(tmp_path) -> None:
    database = tmp_path / "mail.sqlite3"
    with MailCatcher(database=database) as mail:
        send(mail.smtp_port, to="a@example.org", subject="kept", text="1")
    with MailCatcher(database=database) as mail:
        assert [m.subject for m in mail.store.list()] == ["kept"]
