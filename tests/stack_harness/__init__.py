"""Real processes for the cross-service tests: nginx with the repo's proxy config, gunicorn."""
