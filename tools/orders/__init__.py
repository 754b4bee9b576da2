"""Orders: carts, placement with stock reservation, cancellation and the order state machine."""

from tools.orders import cart, lifecycle  # noqa: F401  (registers the capabilities)
