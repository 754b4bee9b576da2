"""Voice: a spoken turn heard offline, run through the same conversation, and answered in speech."""
