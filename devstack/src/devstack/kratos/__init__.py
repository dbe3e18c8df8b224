"""Development stand-in for Ory Kratos v25.4.0 (public and admin HTTP APIs).

Loopback only, for development and tests; never for production.
"""

from devstack.kratos.app import create_apps
from devstack.kratos.config import KratosConfig

__all__ = ["KratosConfig", "create_apps"]
