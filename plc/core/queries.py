"""Small query helpers shared by features."""

from __future__ import annotations


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character `\\`) matching `text` literally anywhere, lower case."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
