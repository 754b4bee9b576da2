"""The tasting coordinator: plans tasting and cupping sessions from the current menu."""
