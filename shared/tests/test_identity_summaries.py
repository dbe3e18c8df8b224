"""KratosAdmin.list_identity_summaries: the request of list_identities, only the fields a list
of people shows read, each the same value as in the whole identity."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from stackspin_clients.errors import OryError

pytestmark = pytest.mark.anyio

NEXT = '</admin/identities?page_size=2&page_token=p2>; rel="next"'


def _shown(identity: Any) -> tuple[Any, ...]:
    addresses = [(a.value, a.verified) for a in identity.verifiable_addresses or []]
    return (identity.id, identity.traits, identity.state, identity.created_at, addresses)


async def test_summaries_hold_what_the_whole_identities_hold(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    bare = {"id": "bare", "schema_id": "default", "schema_url": "x", "traits": {}}
    httpserver.expect_request(
        "/admin/identities", query_string={"page_size": "2", "page_token": "p1"}
    ).respond_with_json(
        [wire("IDENTITY"), wire("IDENTITY_WITH_CREDENTIALS"), bare], headers={"Link": NEXT}
    )

    whole = await kratos_admin("list_identities", page_size=2, page_token="p1")
    summaries = await kratos_admin("list_identity_summaries", page_size=2, page_token="p1")

    assert [_shown(i) for i in summaries.identities] == [_shown(i) for i in whole.identities]
    assert summaries.identities[0].created_at is not None
    assert summaries.identities[2].verifiable_addresses is None
    assert summaries.next_page_token == whole.next_page_token == "p2"
    assert set(summaries.identities[1].model_dump()) == {
        "id",
        "traits",
        "state",
        "verifiable_addresses",
        "created_at",
    }
    assert len(httpserver.log) == 2


async def test_summaries_check_the_fields_they_read_and_only_those(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    odd = dict(wire("IDENTITY"), schema_url=None, credentials=42)
    httpserver.expect_request(
        "/admin/identities", query_string={"page_size": "1"}
    ).respond_with_json([odd])
    httpserver.expect_request(
        "/admin/identities", query_string={"page_size": "2"}
    ).respond_with_json(
        [dict(wire("IDENTITY"), verifiable_addresses=[{"value": "a@b.org", "verified": "maybe"}])]
    )

    with pytest.raises(OryError):
        await kratos_admin("list_identities", page_size=1)
    (summary,) = (await kratos_admin("list_identity_summaries", page_size=1)).identities
    assert summary.traits["email"] == "ada@example.org"
    with pytest.raises(OryError, match="verified"):
        await kratos_admin("list_identity_summaries", page_size=2)


async def test_summaries_by_ids_send_the_request_of_identities_by_ids(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    other = dict(wire("IDENTITY_2"), id="other")
    httpserver.expect_request(
        "/admin/identities", query_string="page_size=2&ids=other&ids=bare"
    ).respond_with_json([other])

    whole = await kratos_admin("list_identities", page_size=2, ids=["other", "bare"])
    summaries = await kratos_admin("list_identity_summaries", page_size=2, ids=["other", "bare"])

    assert [_shown(i) for i in summaries.identities] == [_shown(i) for i in whole.identities]
    assert [i.id for i in summaries.identities] == ["other"]
    assert len(httpserver.log) == 2
