"""The users service against the Kratos stand-in and a migrated database (SQLite and MariaDB)."""

from __future__ import annotations

import pytest
from dashboard_api.apps import service as apps
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.apps.schemas import AppCreate
from dashboard_api.audit import repository as audit
from dashboard_api.context import Context
from dashboard_api.errors import Conflict, LastAdmin, NotFound, Unprocessable
from dashboard_api.roles import service as roles
from dashboard_api.users import batch, creation, credentials, listing, reading, updates
from dashboard_api.users.schemas import AppRole, UserCreate, UserUpdate
from stackspin_clients import errors as ory_errors


def test_create_user_stores_identity_in_kratos_and_roles_here(ctx: Context, email) -> None:
    apps.create_app(ctx, data=AppCreate(slug="wiki", name="Wiki"))
    address = email()
    username = address.split("@")[0]  # usernames are unique in Kratos, like emails
    user = creation.create_user(
        ctx,
        data=UserCreate(
            email=address, name="Ada", username=username, roles=[AppRole(app="wiki", role="admin")]
        ),
    )
    assert user.email == address
    assert user.name == "Ada"
    assert user.username == username
    assert {(r.app, r.role) for r in user.roles} == {("wiki", "admin"), ("dashboard", "user")}
    assert ctx.ory.kratos.get_identity(user.id).traits == {
        "email": address,
        "name": "Ada",
        "username": username,
    }
    entries = audit.page(ctx.session, limit=5, target_id=user.id)
    assert [e.action for e in entries] == ["user.create"]
    assert entries[0].actor.startswith("cli:")


def test_a_second_user_with_the_same_email_is_a_conflict(ctx: Context, email) -> None:
    address = email()
    creation.create_user(ctx, data=UserCreate(email=address))
    with pytest.raises(Conflict) as caught:
        creation.create_user(ctx, data=UserCreate(email=address.upper()))
    assert caught.value.status == 409
    assert address.lower() in caught.value.detail.lower()


def test_roles_on_unknown_apps_are_refused_before_kratos_is_asked(ctx: Context, email) -> None:
    address = email()
    with pytest.raises(Unprocessable):
        creation.create_user(
            ctx, data=UserCreate(email=address, roles=[AppRole(app="nope", role="user")])
        )
    assert ctx.ory.kratos.list_identities(credentials_identifier=address).identities == []


def test_update_changes_traits_and_replaces_roles(ctx: Context, email) -> None:
    user = creation.create_user(ctx, data=UserCreate(email=email(), name="Old"))
    changed = updates.update_user(
        ctx,
        subject=user.id,
        data=UserUpdate(name="New", roles=[AppRole(app="dashboard", role="admin")]),
    )
    assert changed.name == "New"
    assert [(r.app, r.role) for r in changed.roles] == [("dashboard", "admin")]


def test_deactivating_ends_kratos_and_dashboard_sessions(ctx: Context, email) -> None:
    from dashboard_api.auth import service as auth

    user = creation.create_user(ctx, data=UserCreate(email=email()))
    token = auth.open_session(ctx, user.id)
    ctx.session.flush()
    updates.update_user(ctx, subject=user.id, data=UserUpdate(state="inactive"))
    assert ctx.ory.kratos.get_identity(user.id).state == "inactive"
    from dashboard_api.auth.introspection import IntrospectionCache
    from dashboard_api.errors import Unauthenticated

    with pytest.raises(Unauthenticated):
        auth.resolve_principal(ctx, IntrospectionCache(0, 1), bearer=None, session_token=token)


def test_delete_removes_identity_roles_and_sessions(ctx: Context, email) -> None:
    from dashboard_api.auth import service as auth
    from dashboard_api.auth.introspection import IntrospectionCache
    from dashboard_api.errors import Unauthenticated

    user = creation.create_user(ctx, data=UserCreate(email=email()))
    token = auth.open_session(ctx, user.id)
    updates.delete_user(ctx, subject=user.id)
    with pytest.raises(Unauthenticated):
        auth.resolve_principal(ctx, IntrospectionCache(0, 1), bearer=None, session_token=token)
    with pytest.raises(ory_errors.NotFound):
        ctx.ory.kratos.get_identity(user.id)
    assert roles.is_dashboard_admin(ctx, subject=user.id) is False
    from dashboard_api.roles import repository

    assert repository.has_any_role(ctx.session, user.id) is False
    # Deleting again converges to "not found", never half a user.
    with pytest.raises(NotFound):
        updates.delete_user(ctx, subject=user.id)


def test_the_last_dashboard_admin_cannot_be_demoted_deactivated_or_deleted(
    ctx: Context, email
) -> None:
    only = creation.create_user(
        ctx, data=UserCreate(email=email(), roles=[AppRole(app="dashboard", role="admin")])
    )
    with pytest.raises(LastAdmin):
        updates.update_user(
            ctx, subject=only.id, data=UserUpdate(roles=[AppRole(app="dashboard", role="user")])
        )
    with pytest.raises(LastAdmin):
        updates.update_user(ctx, subject=only.id, data=UserUpdate(state="inactive"))
    with pytest.raises(LastAdmin):
        updates.delete_user(ctx, subject=only.id)
    with pytest.raises(LastAdmin):
        roles.set_role(ctx, subject=only.id, app_slug=DASHBOARD_APP_SLUG, role=None)
    second = creation.create_user(
        ctx, data=UserCreate(email=email(), roles=[AppRole(app="dashboard", role="admin")])
    )
    updates.update_user(ctx, subject=only.id, data=UserUpdate(roles=[]))
    with pytest.raises(LastAdmin):
        updates.delete_user(ctx, subject=second.id)


def test_an_inactive_admin_does_not_count_as_the_remaining_admin(ctx: Context, email) -> None:
    a = creation.create_user(
        ctx, data=UserCreate(email=email(), roles=[AppRole(app="dashboard", role="admin")])
    )
    b = creation.create_user(
        ctx, data=UserCreate(email=email(), roles=[AppRole(app="dashboard", role="admin")])
    )
    updates.update_user(ctx, subject=a.id, data=UserUpdate(state="inactive"))
    with pytest.raises(LastAdmin):
        updates.update_user(ctx, subject=b.id, data=UserUpdate(state="inactive"))


def test_list_filters_by_app_and_role_and_pages_by_keyset(ctx: Context, email) -> None:
    apps.create_app(ctx, data=AppCreate(slug="chat", name="Chat"))
    created = [
        creation.create_user(
            ctx, data=UserCreate(email=email(), roles=[AppRole(app="chat", role="user")])
        )
        for _ in range(5)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        page = listing.as_page(
            listing.list_users(ctx, limit=2, cursor=cursor, app="chat", role="user")
        )
        seen.extend(u.id for u in page.items)
        assert all(("chat", "user") in {(r.app, r.role) for r in u.roles} for u in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(u.id for u in created)


def test_list_searches_by_exact_email_and_by_part_of_the_name(ctx: Context, email) -> None:
    address = email()
    user = creation.create_user(ctx, data=UserCreate(email=address, name="Grace Hopperfield"))
    assert [u.id for u in listing.as_page(listing.list_users(ctx, q=address)).items] == [user.id]
    found = []
    cursor = None
    for _ in range(50):
        page = listing.as_page(listing.list_users(ctx, q="hopperfield", cursor=cursor))
        found.extend(u.id for u in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert user.id in found


def test_unfiltered_list_pages_through_kratos(ctx: Context, email) -> None:
    for _ in range(3):
        creation.create_user(ctx, data=UserCreate(email=email()))
    first = listing.as_page(listing.list_users(ctx, limit=2))
    assert len(first.items) == 2
    assert first.next_cursor
    second = listing.as_page(listing.list_users(ctx, limit=2, cursor=first.next_cursor))
    assert {u.id for u in first.items}.isdisjoint({u.id for u in second.items})


def test_batch_create_reports_a_result_per_item(ctx: Context, email) -> None:
    existing = email()
    creation.create_user(ctx, data=UserCreate(email=existing))
    fresh = [email() for _ in range(3)]
    result = batch.batch_create(
        ctx,
        items=[
            UserCreate(email=fresh[0], name="One"),
            UserCreate(email=existing),
            UserCreate(email=fresh[1], roles=[AppRole(app="missing", role="user")]),
            UserCreate(email=fresh[2], roles=[AppRole(app="dashboard", role="admin")]),
            UserCreate(email=fresh[0]),
        ],
    )
    assert [r.status for r in result.results] == [
        "created",
        "exists",
        "failed",
        "created",
        "failed",
    ]
    assert (result.created, result.exists, result.failed) == (2, 1, 2)
    admin_id = result.results[3].id
    assert admin_id is not None
    assert roles.is_dashboard_admin(ctx, subject=admin_id)


def test_recovery_code_and_second_factor_reset(ctx: Context, email) -> None:
    user = creation.create_user(ctx, data=UserCreate(email=email()))
    handed = credentials.recovery_code(ctx, subject=user.id)
    assert handed.recovery_link.startswith("http")
    assert handed.recovery_code.isdigit()
    credentials.reset_second_factor(ctx, subject=user.id)
    actions = [e.action for e in audit.page(ctx.session, limit=10, target_id=user.id)]
    assert actions[:2] == ["user.reset_second_factor", "user.recovery_code"]


def test_invitation_mails_a_recovery_code(ctx: Context, email, ory) -> None:
    address = email()
    creation.create_user(ctx, data=UserCreate(email=address, name="Invitee", invite=True))
    mails = ory.mail.store.list(address)
    assert len(mails) == 1
    assert "Invitee" in (mails[0].text or "")


def test_user_not_in_kratos_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound):
        reading.get_user(ctx, subject="00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFound):
        reading.get_user(ctx, subject="not-a-uuid")


def test_set_role_on_an_existing_identity(ctx: Context, make_identity) -> None:
    subject = make_identity()
    roles.set_role(ctx, subject=subject, app_slug="dashboard", role="admin")
    assert roles.is_dashboard_admin(ctx, subject=subject)


def test_part_of_an_email_is_searched_too(ctx: Context, email) -> None:
    user = creation.create_user(ctx, data=UserCreate(email=f"zq-{email()}"))
    domain_part = user.email.split("@")[0]
    found = []
    cursor = None
    for _ in range(50):
        page = listing.as_page(listing.list_users(ctx, q=domain_part + "@", cursor=cursor))
        found.extend(u.id for u in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert user.id in found


def test_tampered_cursors_are_refused_or_ignored_never_a_crash(ctx: Context) -> None:
    from dashboard_api.pagination import encode_cursor

    cases = [({"k": "not-a-token"}, None), ({"o": "x"}, "zzz-nobody"), ({"s": 5}, None)]
    outcomes = []
    for position, q in cases:
        # Either a page (the bad part ignored) or a 422; never an unexpected error.
        try:
            page = listing.as_page(listing.list_users(ctx, cursor=encode_cursor(position), q=q))
        except Unprocessable as exc:
            outcomes.append(("422", str(exc)))
        else:
            outcomes.append(("page", len(page.items)))
    first_page = listing.as_page(listing.list_users(ctx))
    assert outcomes == [
        ("422", "The cursor is not one this API handed out."),  # a Kratos token it never gave
        ("page", 0),  # a position in a search nobody matches: an empty page
        ("page", len(first_page.items)),  # an unknown key: ignored, the first page
    ]
