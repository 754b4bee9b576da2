"""Agents: the barista and the specialists (prompts as data, tool allowlists). Arrives with the conversation issue."""
