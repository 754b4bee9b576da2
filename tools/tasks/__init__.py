"""The task board: tasks per shop, recurring tasks from rules, and tasks the kitchen's events make."""
