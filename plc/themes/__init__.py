"""Themes: the admin-managed list of subjects communities, offerings and outputs are about."""
