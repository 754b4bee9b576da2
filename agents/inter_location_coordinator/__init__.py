"""The inter-location coordinator: compares stock and load across shops; transfers arrive later."""
