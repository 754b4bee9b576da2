"""The notifier: drafts customer and staff notifications from order data; sending arrives later."""
