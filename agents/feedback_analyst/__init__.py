"""The feedback analyst: reads order history to spot patterns behind customer feedback and complaints."""
