"""Pilots with shared ownership: charters, lifecycle, the six criteria of the seed."""
