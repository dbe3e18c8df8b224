"""/api/v1/apps (admins): apps and their OAuth2 clients."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response, status
from pydantic import Discriminator, Tag

from dashboard_api.apps import service
from dashboard_api.apps.schemas import (
    AppCreate,
    AppOut,
    AppUpdate,
    ClientCreate,
    ClientOut,
    ClientUpdate,
    ClientWithSecret,
)
from dashboard_api.catalogue import service as catalogue
from dashboard_api.catalogue.schemas import (
    AppCreatedFromPreset,
    AppFromPreset,
    AppSignIn,
    PresetOut,
)
from dashboard_api.deps import AdminContext, EndsUnitOfWork
from dashboard_api.errors import problem_responses

router = APIRouter(prefix="/apps", tags=["apps"], route_class=EndsUnitOfWork)

AppSlug = Annotated[str, Path(min_length=1, max_length=64)]
ClientId = Annotated[str, Path(min_length=1, max_length=255)]
ERRORS = (401, 403, 422)
ONE = (*ERRORS, 404)


@router.get("", responses=problem_responses(401, 403))
def list_apps(ctx: AdminContext) -> list[AppOut]:
    return service.list_apps(ctx)


def _body_kind(body: Any) -> str:
    return "preset" if isinstance(body, dict) and "preset" in body else "app"


NewApp = Annotated[
    Annotated[AppCreate, Tag("app")] | Annotated[AppFromPreset, Tag("preset")],
    Discriminator(_body_kind),
]


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(*ONE, 409, 503))
def create_app(ctx: AdminContext, body: Annotated[NewApp, Body()]) -> AppCreatedFromPreset | AppOut:
    """Create an app. With `preset` (see /apps/presets): its OAuth2 client and claims too, in
    one step; the answer carries the client secret (shown this once) and the settings to type
    into the app."""
    if isinstance(body, AppFromPreset):
        return catalogue.create_from_preset(ctx, body)
    return service.create_app(ctx, data=body)


@router.get("/presets", responses=problem_responses(401, 403))
def list_app_presets(ctx: AdminContext) -> list[PresetOut]:
    """The app catalogue: what each app needs and the settings to type into it."""
    return catalogue.list_presets(ctx.settings)


@router.get("/presets/{preset_id}", responses=problem_responses(*ONE))
def get_app_preset(ctx: AdminContext, preset_id: AppSlug) -> PresetOut:
    return catalogue.preset_out(ctx.settings, catalogue.get_preset(preset_id))


@router.get("/{slug}", responses=problem_responses(*ONE))
def get_app(ctx: AdminContext, slug: AppSlug) -> AppOut:
    return service.to_out(service.get_app(ctx, slug=slug))


@router.get("/{slug}/sign-in", responses=problem_responses(*ONE))
def get_app_sign_in(ctx: AdminContext, slug: AppSlug) -> AppSignIn:
    """What to type into the app besides its client: the issuer, its discovery URL and the
    names of the claims the app gets."""
    return catalogue.sign_in_of(ctx, slug=slug)


@router.patch("/{slug}", responses=problem_responses(*ONE))
def update_app(ctx: AdminContext, slug: AppSlug, body: AppUpdate) -> AppOut:
    return service.update_app(ctx, slug=slug, data=body)


@router.delete(
    "/{slug}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE, 409),
)
def delete_app(ctx: AdminContext, slug: AppSlug) -> None:
    """Delete the app, everyone's roles on it and its OAuth2 clients."""
    service.delete_app(ctx, slug=slug)


@router.get("/{slug}/clients", responses=problem_responses(*ONE))
def list_app_clients(ctx: AdminContext, slug: AppSlug) -> list[ClientOut]:
    return service.list_clients(ctx, slug=slug)


@router.post(
    "/{slug}/clients",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*ONE),
)
def create_app_client(ctx: AdminContext, slug: AppSlug, body: ClientCreate) -> ClientWithSecret:
    """Register an OAuth2 client in Hydra for the app; the secret is shown this once."""
    return service.create_client(ctx, slug=slug, data=body)


@router.patch("/{slug}/clients/{client_id}", responses=problem_responses(*ONE))
def update_app_client(
    ctx: AdminContext, slug: AppSlug, client_id: ClientId, body: ClientUpdate
) -> ClientOut:
    """Change the client's redirect URIs."""
    return service.update_client(ctx, slug=slug, client_id=client_id, data=body)


@router.post("/{slug}/clients/{client_id}/rotate-secret", responses=problem_responses(*ONE, 409))
def rotate_app_client_secret(
    ctx: AdminContext, slug: AppSlug, client_id: ClientId
) -> ClientWithSecret:
    """A new secret for the client (shown this once); the old one stops working."""
    return service.rotate_secret(ctx, slug=slug, client_id=client_id)


@router.delete(
    "/{slug}/clients/{client_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE),
)
def delete_app_client(ctx: AdminContext, slug: AppSlug, client_id: ClientId) -> None:
    service.delete_client(ctx, slug=slug, client_id=client_id)
