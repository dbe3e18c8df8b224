#!/bin/sh
# docker-compose start of dashboard-api: migrate, bootstrap (the dashboard's Hydra client, the
# seed, the first admin's invitation; all safe to repeat), then serve.
set -eu
dashboard-api migrate
python /app/bootstrap.py
exec gunicorn --config /app/gunicorn.conf.py
