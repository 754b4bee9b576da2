"""The scheduler: answers staffing questions from order volume; shift and rota tools arrive later."""
