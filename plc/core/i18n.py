"""Language: Dutch by default, English by the switch; remembered per user and per browser."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

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
    return visitor_language(request.cookies, current_app.config)


def visitor_language(cookies: Mapping[str, str], config: Mapping[str, Any]) -> str:
    """The language of someone not logged in: the switch's cookie, else the default. Also read
    before the app runs (plc/core/pagecache.py), hence from plain values."""
    chosen = cookies.get(LANGUAGE_COOKIE)
    return str(chosen) if chosen in LANGUAGES else _default(config)


def _default(config: Mapping[str, Any] | None = None) -> str:
    config = current_app.config if config is None else config
    return str(config.get("BABEL_DEFAULT_LOCALE") or DEFAULT_LANGUAGE)


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def translations() -> NullTranslations:
    """The catalogue of the current locale, looked up once per request and locale.

    Flask-Babel finds the domain, the locale and the catalogue anew for every `_()` in a
    template, and a page with a list calls `_()` hundreds of times. Kept with the locale it was
    found for, so that `force_locale` (mail in the recipient's language) still switches it."""
    if not has_app_context():  # nothing to keep it in (Flask-Babel answers untranslated)
        return get_translations()
    locale = get_locale()
    cached = g.get("_plc_translations")
    if cached is None or cached[0] is not locale:
        cached = (locale, get_translations())
        g._plc_translations = cached
    return cached[1]


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    """`_()` in templates: what Jinja's newstyle gettext does (translate, mark safe where the
    template escapes, always %-format so that variables are escaped), as one call instead of
    Jinja's three (`_` → `gettext` → the catalogue), each through the template context."""
    found: str = translations().ugettext(string)
    if eval_ctx.autoescape:
        found = Markup(found)  # noqa: S704  (the catalogue is ours; variables are escaped by %)  # nosec B704
    return found % variables


@pass_eval_context
def _template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """`ngettext()` in templates, as `_template_gettext`; `num` is a variable by default."""
    variables.setdefault("num", num)
    found: str = translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        found = Markup(found)  # noqa: S704  (the catalogue is ours; variables are escaped by %)  # nosec B704
    return found % variables


def _install_template_gettext(app: Flask) -> None:
    """The templates' `_()`, `gettext()` and `ngettext()` with the request's catalogue (see
    `translations`); `pgettext` and `npgettext` as Flask-Babel installs them, on that catalogue."""
    env = app.jinja_env
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)


def init_app(app: Flask) -> None:
    from plc.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    _install_template_gettext(app)
    app.jinja_env.globals["current_language"] = current_language
