"""Times in Kratos messages are printed as dates people read, in English and Dutch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from login_service import Settings, create_app
from login_service.i18n import kratos_text
from login_service.readable_time import parse_moment, readable_moment, time_context

NOW = datetime(2026, 12, 2, 17, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("lang", "zone", "today", "other_day"),
    [
        ("en", "UTC", "5:13\u202fPM UTC", "Nov 28, 2026, 9:05\u202fAM UTC"),
        ("nl", "UTC", "17:13 UTC", "28 nov 2026, 09:05 UTC"),
        ("nl", "Europe/Amsterdam", "18:13", "28 nov 2026, 10:05"),
    ],
)
def test_moments_read_as_time_today_and_as_date_otherwise(
    lang: str, zone: str, today: str, other_day: str
) -> None:
    app = create_app(Settings(timezone=zone))
    with app.test_request_context(f"/auth/login?lang={lang}"):
        same_day = parse_moment("2026-12-02T17:13:42.123456789Z")
        earlier = parse_moment(1795856700)  # 2026-11-28 09:05 UTC
        assert same_day is not None
        assert earlier is not None
        assert readable_moment(same_day, now=NOW) == today
        assert readable_moment(earlier, now=NOW) == other_day


def test_time_context_adds_the_time_left() -> None:
    app = create_app(Settings())
    with app.test_request_context("/auth/login?lang=nl"):
        context = time_context(
            {"privileged_session_expires_at": "2026-12-02T17:14:58Z", "other": 1}, now=NOW
        )
    assert context == {
        "privileged_session_expires_at": "17:14 UTC",
        "privileged_session_expires_in": "15 minuten",
        "other": 1,
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", 'Remove security key "<key>" (added Nov 28, 2026, 9:05\u202fAM UTC)'),
        (
            "nl",
            "Beveiligingssleutel \u201c<key>\u201d verwijderen (toegevoegd 28 nov 2026, 09:05 UTC)",
        ),
    ],
)
def test_security_key_label_says_when_it_was_added(lang: str, expected: str) -> None:
    app = create_app(Settings())
    with app.test_request_context(f"/auth/settings?lang={lang}"):
        label = {
            "id": 1050018,
            "text": 'Remove security key "<key>"',
            "context": {
                "display_name": "<key>",
                "added_at": "2026-11-28T09:05:00Z",
                "added_at_unix": 1795856700,
            },
        }
        assert kratos_text(label) == expected


def test_unreadable_times_are_not_guessed() -> None:
    assert parse_moment("yesterday") is None
    assert parse_moment(True) is None
    assert parse_moment(None) is None


def test_an_unknown_timezone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        Settings(timezone="Mars/Olympus")
