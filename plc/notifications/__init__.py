"""Notifications: the in-app centre, following and muting, and e-mail digests."""
