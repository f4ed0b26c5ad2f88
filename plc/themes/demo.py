"""Demo themes: the default set."""

from plc.themes.services import install_default_themes


def load() -> str:
    return f"Themes: {install_default_themes()} added"
