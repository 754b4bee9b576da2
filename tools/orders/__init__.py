"""Orders: carts, placement with stock reservation, cancellation and the order state machine."""
