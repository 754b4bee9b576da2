"""MCP servers generated from the capability registry, and the gateway every caller uses."""
