"""Typed sync and async clients for Ory Hydra, Ory Kratos and dashboard-api's internal API.

Every client takes a :class:`ClientConfig`, pools its connections, retries idempotent calls
on network errors and 502/503/504, sends ``request_id_var`` as X-Request-ID, keeps every call
inside ``request_deadline`` (the incoming request's time budget), and raises
:mod:`stackspin_clients.errors` exceptions for failures.
"""

from stackspin_clients.clients.dashboard_internal import AsyncDashboardInternal, DashboardInternal
from stackspin_clients.clients.hydra_admin import AsyncHydraAdmin, HydraAdmin
from stackspin_clients.clients.kratos_admin import AsyncKratosAdmin, KratosAdmin
from stackspin_clients.clients.kratos_public import AsyncKratosPublic, KratosPublic
from stackspin_clients.config import ClientConfig
from stackspin_clients.deadline import deadline_var, request_deadline
from stackspin_clients.request_id import request_id_var
from stackspin_clients.transport import quiet_http_logs

__all__ = [
    "AsyncDashboardInternal",
    "AsyncHydraAdmin",
    "AsyncKratosAdmin",
    "AsyncKratosPublic",
    "ClientConfig",
    "DashboardInternal",
    "HydraAdmin",
    "KratosAdmin",
    "KratosPublic",
    "deadline_var",
    "quiet_http_logs",
    "request_deadline",
    "request_id_var",
]
