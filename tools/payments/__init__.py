"""Payments of orders: one flow (amount from the order, idempotency key, states), three providers.

`stored_value` (the customer's wallet, the default), `card` (Stripe PaymentIntents, when configured) and
`coffee` (COFFEE tokens into the escrow contract, confirmed by reading the chain).
"""
