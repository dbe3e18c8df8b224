"""`make bench` (`python -m devstack.bench`): a bounded loopback benchmark of login-service and
dashboard-api served the way production serves them (gunicorn), against the devstack stand-ins,
next to bare Flask and FastAPI endpoints measured in the same run."""
