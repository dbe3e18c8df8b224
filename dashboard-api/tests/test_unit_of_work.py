"""The request's transaction ends in the endpoint's own thread (`deps.EndsUnitOfWork`): one
thread-pool hop less per request, the same commit-before-the-answer as before."""

from __future__ import annotations

import threading
import traceback

from sqlalchemy import event
from sqlalchemy.orm import Session


def test_a_sync_endpoint_commits_in_its_own_thread_before_answering(admin, engine) -> None:
    commits: list[tuple[int, list[str]]] = []
    statements: list[int] = []

    def on_commit(session) -> None:
        commits.append((threading.get_ident(), [f.name for f in traceback.extract_stack()]))

    def before(conn, cursor, statement, *args) -> None:
        statements.append(threading.get_ident())

    event.listen(Session, "after_commit", on_commit)
    event.listen(engine, "before_cursor_execute", before)
    try:
        answer = admin.client.get("/api/v1/users", params={"limit": 5})
    finally:
        event.remove(Session, "after_commit", on_commit)
        event.remove(engine, "before_cursor_execute", before)
    assert answer.status_code == 200, answer.text
    assert len(commits) == 1
    thread, stack = commits[0]
    assert "endpoint_then_commit" in stack  # in the endpoint's thread, as it returned
    assert "get_session" not in stack
    assert thread == statements[-1]  # where the endpoint's last statement ran


def test_a_failing_endpoint_still_rolls_back_after_it(admin) -> None:
    rollbacks: list[list[str]] = []

    def on_rollback(session) -> None:
        rollbacks.append([f.name for f in traceback.extract_stack()])

    event.listen(Session, "after_rollback", on_rollback)
    try:
        answer = admin.client.get("/api/v1/users/no-such-user")
    finally:
        event.remove(Session, "after_rollback", on_rollback)
    assert answer.status_code == 404
    assert rollbacks  # by get_session, once the endpoint raised
    assert all("endpoint_then_commit" not in stack for stack in rollbacks)
