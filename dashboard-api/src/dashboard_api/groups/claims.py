"""Per app: the name of its groups claim and which groups it may see (the claim lists only
those of the person's groups)."""

from __future__ import annotations

from dashboard_api.apps import repository as apps_repository
from dashboard_api.apps.models import App
from dashboard_api.apps.schemas import RESERVED_CLAIMS
from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.errors import NotFound, Unprocessable
from dashboard_api.groups import repository


def _app(ctx: Context, slug: str) -> App:
    app = apps_repository.get_by_slug(ctx.session, slug)
    if app is None:
        raise NotFound(f"There is no app {slug!r}.")
    return app


def get_groups_claim(ctx: Context, *, app_slug: str) -> tuple[str | None, list[str]]:
    app = _app(ctx, app_slug)
    return app.groups_claim, repository.visible_groups(ctx.session, app.id)


def set_groups_claim(
    ctx: Context, *, app_slug: str, claim: str | None, groups: list[str]
) -> tuple[str | None, list[str]]:
    """Name the claim (None: no groups claim) and the groups the app may see; audited."""
    app = _app(ctx, app_slug)
    if claim is not None:
        if claim in RESERVED_CLAIMS:
            raise Unprocessable(f"{claim!r} is a reserved claim name.", field="claim")
        if claim == app.role_claim or claim in (app.extra_claims or {}):
            raise Unprocessable(f"The app already has a claim named {claim!r}.", field="claim")
    wanted = list(dict.fromkeys(groups))
    ids = repository.ids_by_name(ctx.session, wanted)
    unknown = [name for name in wanted if name not in ids]
    if unknown:
        raise Unprocessable(f"There is no group {unknown[0]!r}.", field="groups")
    before = (app.groups_claim, repository.visible_groups(ctx.session, app.id))
    app.groups_claim = claim
    repository.set_visible(ctx.session, app.id, [ids[name] for name in wanted])
    ctx.session.flush()
    audit.record(
        ctx,
        action="app.set_groups_claim",
        target_type="app",
        target_id=app.slug,
        summary={"before": list(before), "after": [claim, sorted(wanted)]},
    )
    return claim, sorted(wanted)
