"""Language: Dutch by default, English by the switch; remembered per user and per browser."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
#: A plain cookie, not the session: the choice outlives logout.
LANGUAGE_COOKIE = "plc_lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def select_locale() -> str:
    if not has_request_context():  # CLI and background work speak the default language
        return _default()
    if (
        current_user
        and current_user.is_authenticated
        and current_user.preferred_language in LANGUAGES
    ):
        return current_user.preferred_language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else _default()


def _default() -> str:
    return str(current_app.config.get("BABEL_DEFAULT_LOCALE") or DEFAULT_LANGUAGE)


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def init_app(app: Flask) -> None:
    from plc.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_language"] = current_language
