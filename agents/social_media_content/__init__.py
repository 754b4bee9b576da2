"""Social media content: drafts posts and captions about real menu items for staff to publish."""
