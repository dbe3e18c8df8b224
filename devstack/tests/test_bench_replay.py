"""The bench's replay server answers what it recorded from a real stand-in byte for byte, and
says plainly when it was asked something it never recorded."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import httpx
from devstack.bench import replay_server
from devstack.kratos import KratosConfig, create_apps
from devstack.serve import start_asgi


def test_replayed_answers_are_the_recorded_bytes_and_unrecorded_ones_a_404(
    tmp_path: Path,
) -> None:
    config = KratosConfig(database=str(tmp_path / "kratos.sqlite3"))
    _, admin_app = create_apps(config)
    admin = start_asgi(admin_app)
    try:
        with ExitStack() as stack:
            for n in range(3):
                made = httpx.post(
                    f"{admin.url}/admin/identities",
                    json={"schema_id": "default", "traits": {"email": f"p{n}@example.org"}},
                )
                assert made.status_code == 201
            (url,) = replay_server.start(stack, [admin.url])
            listing = "/admin/identities?page_size=2"
            with httpx.Client(base_url=url, trust_env=False) as client:
                recorded = client.get(listing)
                direct = httpx.get(admin.url + listing)
                searched = client.post("/admin/identities", json={"traits": {}})
                replay_server.replay(url)
                # Kratos changes afterwards; the replay does not.
                httpx.post(
                    f"{admin.url}/admin/identities",
                    json={"schema_id": "default", "traits": {"email": "late@example.org"}},
                )
                replayed = [client.get(listing) for _ in range(2)]
                again = client.post("/admin/identities", json={"traits": {}})
                other_body = client.post("/admin/identities", json={"traits": {"x": 1}})
                unrecorded = client.get("/admin/identities?page_size=3")
                counts = client.get("/__bench/requests").json()

            assert recorded.status_code == 200
            assert recorded.content == direct.content
            for answer in replayed:
                assert answer.status_code == 200
                assert answer.content == recorded.content
                assert answer.headers["link"] == recorded.headers["link"]
            assert again.status_code == searched.status_code == 400
            assert again.content == searched.content
            for refused in (other_body, unrecorded):
                assert refused.status_code == 404
                assert refused.json()["title"] == "Not recorded"
            assert "page_size=3" in unrecorded.json()["detail"]
            assert counts == {admin.url: 7}
    finally:
        admin.stop()
