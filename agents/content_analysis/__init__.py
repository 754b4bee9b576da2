"""Content analysis: reviews menu copy and item descriptions for accuracy, clarity and tone."""
