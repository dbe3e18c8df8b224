"""Free loopback ports and waiting for a server to accept connections (devstack.ports)."""

from __future__ import annotations

from devstack.ports import free_port, wait_for_port

__all__ = ["free_port", "wait_for_port"]
