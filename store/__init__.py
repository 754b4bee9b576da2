"""Persistence: SQLAlchemy 2 async models, engine factory, migrations and seed data."""
