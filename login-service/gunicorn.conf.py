"""gunicorn settings for the login-service: `gunicorn -c gunicorn.conf.py login_service.wsgi:app`.

Defaults fit 2 cores; each knob can be overridden with the matching GUNICORN_* variable.
The app is stateless and I/O-bound (it waits on Hydra, Kratos, dashboard-api), so a few
processes with threads each serve more people than many single-threaded workers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:5000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))  # 2 cores: 2 * cores - 1
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# The app logs every request itself as JSON (without query strings); no second access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
