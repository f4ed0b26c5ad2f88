"""Accounts: registration, login sessions, password reset, profile."""
