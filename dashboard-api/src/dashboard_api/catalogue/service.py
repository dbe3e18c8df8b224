"""Reading presets and creating an app from one: the app, its OAuth2 client and its claims in
one unit of work, so a failure anywhere leaves neither an app without client nor a client
without app."""

from __future__ import annotations

from dashboard_api.apps import repository as apps_repository
from dashboard_api.apps import service as apps
from dashboard_api.apps.schemas import AppCreate, ClientCreate
from dashboard_api.audit import service as audit
from dashboard_api.catalogue.models import Preset
from dashboard_api.catalogue.presets import PRESETS
from dashboard_api.catalogue.schemas import (
    AppCreatedFromPreset,
    AppFromPreset,
    AppSignIn,
    PresetOut,
)
from dashboard_api.catalogue.settings import Target, issuer_of, redirect_uri_for, render
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.errors import Conflict, NotFound, Unprocessable
from dashboard_api.groups import claims as group_claims

# What the presets' settings show for the app's address before it is known.
APP_URL_PLACEHOLDER = "<app url>"


def get_preset(preset_id: str) -> Preset:
    preset = PRESETS.get(preset_id)
    if preset is None:
        raise NotFound(f"There is no preset {preset_id!r}; see /api/v1/apps/presets.")
    return preset


def preset_out(settings: Settings, preset: Preset) -> PresetOut:
    target = Target(base_url=settings.hydra_browser_base, app_url=APP_URL_PLACEHOLDER)
    return PresetOut.of(preset, render(preset, target))


def list_presets(settings: Settings) -> list[PresetOut]:
    return [preset_out(settings, preset) for preset in PRESETS.values()]


def sign_in_of(ctx: Context, *, slug: str) -> AppSignIn:
    """An existing app's issuer and claim names (its clients' settings are on the clients)."""
    app = apps.get_app(ctx, slug=slug)
    issuer, discovery_url = issuer_of(ctx.settings.hydra_browser_base)
    return AppSignIn(
        issuer=issuer,
        discovery_url=discovery_url,
        role_claim=app.role_claim,
        groups_claim=app.groups_claim,
        extra_claims=sorted(app.extra_claims or {}),
    )


def _redirect_uri(preset: Preset, data: AppFromPreset) -> str:
    if data.redirect_uri is not None:
        return str(data.redirect_uri)
    uri = redirect_uri_for(preset, str(data.url))
    if uri is None:
        raise Unprocessable(
            f"The {preset.id} preset needs the app's redirect URI.", field="redirect_uri"
        )
    return uri


def create_from_preset(ctx: Context, data: AppFromPreset) -> AppCreatedFromPreset:
    """The app, its groups claim and its Hydra client; the client secret is in the answer only."""
    preset = PRESETS.get(data.preset)
    if preset is None:
        raise Unprocessable(f"There is no preset {data.preset!r}.", field="preset")
    slug = data.slug or preset.id
    redirect_uri = _redirect_uri(preset, data)
    if data.groups and preset.groups_claim is None:
        raise Unprocessable(f"The {preset.id} preset has no groups claim.", field="groups")
    if apps_repository.get_by_slug(ctx.session, slug) is not None:
        raise Conflict(f"An app with the slug {slug!r} already exists.", field="slug")
    app_data = AppCreate(
        slug=slug,
        name=data.name or preset.name,
        url=data.url,
        icon_url=data.icon_url,
        trusted=data.trusted,
        role_claim=preset.role_claim,
    )
    client_data = ClientCreate(
        redirect_uris=[redirect_uri],
        scope=preset.scope,
        token_endpoint_auth_method=preset.token_endpoint_auth_method,
    )
    # Commits the intent (nothing else yet): a rollback from here on deletes the client.
    intent = apps.begin_client(ctx)
    apps.create_app(ctx, data=app_data)
    app = apps.get_app(ctx, slug=slug)
    claim, groups = None, list[str]()
    if preset.groups_claim is not None:
        claim, groups = group_claims.set_groups_claim(
            ctx, app_slug=slug, claim=preset.groups_claim, groups=list(data.groups)
        )
    client = apps.make_client(ctx, app, client_data, intent)
    audit.record(
        ctx,
        action="app.create_from_preset",
        target_type="app",
        target_id=slug,
        summary={"preset": preset.id, "client": client.client_id},
    )
    rendered = render(
        preset,
        Target(
            base_url=ctx.settings.hydra_browser_base,
            app_url=str(data.url),
            client_id=client.client_id,
            client_secret=client.client_secret or "",
            redirect_uri=redirect_uri,
        ),
    )
    out = apps.to_out(app, [client.client_id])
    return AppCreatedFromPreset(
        **out.model_dump(),
        preset=preset.id,
        groups_claim=claim,
        groups=groups,
        client=client,
        settings=rendered,
    )
