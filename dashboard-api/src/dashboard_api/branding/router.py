"""GET /api/v1/branding: public (the frontend shows it before anyone signs in), the same for
everybody, so it is the one answer proxies and browsers may keep for a while (headers.py)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from dashboard_api.deps import EndsUnitOfWork, SettingsDep

router = APIRouter(prefix="/branding", tags=["branding"], route_class=EndsUnitOfWork)
PATH = "/api/v1/branding"
CACHE_CONTROL = b"public, max-age=300"


class Branding(BaseModel):
    """What the login pages show too (SITE_NAME, LOGO_URL, ACCENT_COLOR; docs/operations.md)."""

    name: str
    logo_url: str | None
    accent_color: str


@router.get("")
def get_branding(settings: SettingsDep) -> Branding:
    """The organisation's name, logo URL (none: the name alone) and accent colour (hex)."""
    return Branding(
        name=settings.site_name, logo_url=settings.logo_url, accent_color=settings.accent_color
    )
