#!/bin/sh
# docker-compose start of dashboard-api: migrate and seed (both idempotent), then serve.
set -eu
dashboard-api migrate
dashboard-api seed ${SEED_ARGS:-}
exec gunicorn --config /app/gunicorn.conf.py
