"""Every action the audit log records: the one list the API's enum and the dashboard's
sentences are checked against (mypy refuses a `record` with an action not named here)."""

from __future__ import annotations

from typing import Literal, get_args

AuditAction = Literal[
    "app.create",
    "app.create_from_preset",
    "app.delete",
    "app.set_groups_claim",
    "app.update",
    "client.create",
    "client.delete",
    "client.link",
    "client.reconcile_link",
    "client.reconcile_orphan",
    "client.rotate_secret",
    "client.update",
    "group.add_member",
    "group.create",
    "group.delete",
    "group.remove_grant",
    "group.remove_member",
    "group.rename",
    "group.set_grant",
    "group.update",
    "invitation.accept",
    "invitation.resend",
    "invitation.withdraw",
    "user.create",
    "user.delete",
    "user.email_verified",
    "user.end_session",
    "user.invite",
    "user.offboard",
    "user.reconcile_orphan",
    "user.reconcile_roles",
    "user.recovery_code",
    "user.reset_second_factor",
    "user.revoke_sessions",
    "user.set_role",
    "user.update",
    "user.update_self",
]

AUDIT_ACTIONS: tuple[str, ...] = get_args(AuditAction)
