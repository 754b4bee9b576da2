"""The menu domain: its capabilities (`capabilities`) and the cached snapshot every pricing and recipe
computation reads (`snapshot`)."""
