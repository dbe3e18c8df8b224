"""The organisation's name, logo and accent colour, for the dashboard frontend."""
