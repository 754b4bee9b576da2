"""Notifications: an in-app inbox and email through an outbox, per-person preferences and quiet hours."""
