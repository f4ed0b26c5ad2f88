"""Platform administration: users, themes, the mail outbox."""
