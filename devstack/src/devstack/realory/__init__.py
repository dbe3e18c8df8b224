"""Real Ory Hydra and Kratos, built from Go modules and run as processes beside the stand-ins."""
