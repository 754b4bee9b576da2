"""The Telegram channel: the bot, its webhook, and linking a customer's Telegram account."""
