"""Composition root: settings, wiring and the gocoffee command."""
