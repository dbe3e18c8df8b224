"""Development stand-in for Ory Hydra v25.4.0 (public and admin HTTP APIs); loopback only."""

from devstack.hydra.app import create_apps
from devstack.hydra.config import HydraConfig, HydraTTLs

__all__ = ["HydraConfig", "HydraTTLs", "create_apps"]
