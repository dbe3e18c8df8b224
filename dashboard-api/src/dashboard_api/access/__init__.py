"""Taking access away at once: Hydra consents, login sessions and cached token answers."""
