"""Entry points that translate outside input into gateway calls (REST today; chat, web, telegram, voice later)."""
