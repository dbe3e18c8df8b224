#!/bin/sh
# docker-compose start of dashboard-api: migrate and seed (both idempotent), then serve.
set -eu
dashboard-api migrate
dashboard-api seed ${SEED_ARGS:-}
exec gunicorn dashboard_api.main:app \
  --worker-class uvicorn.workers.UvicornWorker \
  --bind "${GUNICORN_BIND:-0.0.0.0:8000}" \
  --timeout 30 --graceful-timeout 20 --keep-alive 5 \
  --max-requests 5000 --max-requests-jitter 500 \
  --forwarded-allow-ips "${GUNICORN_FORWARDED_ALLOW_IPS:-127.0.0.1}"
