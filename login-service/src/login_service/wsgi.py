"""WSGI entry for gunicorn: `gunicorn -c gunicorn.conf.py login_service.wsgi:app`."""

from login_service import create_app

app = create_app()
