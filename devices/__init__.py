"""Coffee-machine protocol over MQTT and the machine simulator. Arrives with the kitchen issue."""
