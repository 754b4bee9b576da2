"""The kitchen: drinks queued from paid orders, dispatched to coffee machines, made once each."""
