"""The one-process local stack behind `make dev` (`devstack up`)."""
