"""The task manager: helps staff work the order queue and move orders through their states."""
