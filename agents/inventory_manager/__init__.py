"""The inventory manager: checks stock per shop and records restocks and waste, with confirmation."""
