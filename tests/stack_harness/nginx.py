"""Real nginx with the repo's proxy config: `devstack.nginx` (the bench runs it too)."""

from __future__ import annotations

from devstack.nginx import TEMPLATE_VARIABLES, RunningNginx, run_nginx, start_nginx

__all__ = ["TEMPLATE_VARIABLES", "RunningNginx", "run_nginx", "start_nginx"]
