"""The customer wallet: stored value and loyalty points on a double-entry ledger."""
