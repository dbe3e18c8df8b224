"""The sync and async client classes (thin: they build operations and send them)."""
