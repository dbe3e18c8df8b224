"""dashboard-api: users, apps, roles, OAuth2 clients and audit log of the single sign-on."""

__version__ = "0.1.0"
