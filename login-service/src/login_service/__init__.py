"""login-service: Hydra login, consent and logout, and the pages of Kratos's browser flows."""

from login_service.app import create_app
from login_service.config import Settings

__all__ = ["Settings", "create_app"]
