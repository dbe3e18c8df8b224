"""gunicorn settings for dashboard-api in production: `gunicorn -c gunicorn.conf.py`.

Defaults suit a 2-core machine; every value can be overridden with the environment.
Endpoints run their (blocking) database and Ory calls in each worker's thread pool, so a few
processes already serve many requests at once.
"""

from __future__ import annotations

import ctypes
import gc
import os
import tempfile

from dashboard_api.serving import Ledger

wsgi_app = "dashboard_api.main:app"
# uvicorn's worker, new connections going to the one holding the fewest (dashboard_api.serving).
worker_class = "dashboard_api.serving.Worker"
bind = os.environ.get("DASHBOARD_BIND", "0.0.0.0:8000")
# 2 cores: three processes keep both busy while one waits on a slow Kratos answer.
workers = int(os.environ.get("DASHBOARD_WORKERS", "3"))
timeout = int(os.environ.get("DASHBOARD_WORKER_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded.
max_requests = 5000
max_requests_jitter = 500
accesslog = None  # the app logs every request as JSON with its request id
errorlog = "-"
loglevel = os.environ.get("DASHBOARD_LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("DASHBOARD_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Prometheus: with several workers each writes its samples here and /metrics adds them up.
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="dashboard-api-metrics-")


# glibc gives each thread that allocates its own malloc arena (up to 8 per core); the thread
# pool's threads thus hold several MB of mostly-free heap each. Two arenas are plenty here.
MALLOC_ARENA_MAX = int(os.environ.get("DASHBOARD_MALLOC_ARENA_MAX", "2"))
M_ARENA_MAX = -8  # glibc's malloc.h


# Each worker's open connections, shared with the workers; room for recycled ones overlapping.
ledger = Ledger(2 * workers)


def pre_fork(server: object, worker: object) -> None:
    enter = getattr(worker, "enter", None)  # dashboard_api.serving.Worker's
    if enter is not None:
        enter(ledger)


def post_fork(server: object, worker: object) -> None:
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)  # the C library's, if it has one
    if mallopt is not None:
        mallopt(M_ARENA_MAX, MALLOC_ARENA_MAX)


def post_worker_init(worker: object) -> None:
    # The app is loaded: what it holds lives as long as the worker. Out of the collector's
    # generations, a full collection no longer walks it (the tail of a request's latency).
    gc.freeze()


def child_exit(server: object, worker: object) -> None:
    leave = getattr(worker, "leave", None)
    if leave is not None:
        leave()
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
