"""The beverage inventor: drafts new and seasonal drink ideas for staff, grounded in the current menu."""
