"""The REST facade: FastAPI routes derived from capabilities, each calling through the gateway."""
