"""The templates' `_()` and `ngettext()`: the request's catalogue, found once per request and
locale, with Jinja's newstyle gettext rules (variables escaped in HTML, always %-formatted)."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale

from plc.core.i18n import translations


def test_forced_locale_switches_the_catalogue_within_one_request(app: Flask):
    # Mail goes out in the recipient's language from within another user's request.
    template = "{{ _('Forgot your password?') }}"
    with app.test_request_context("/"):
        assert render_template_string(template) == "Wachtwoord vergeten?"
        with force_locale("en"):
            assert render_template_string(template) == "Forgot your password?"
        assert render_template_string(template) == "Wachtwoord vergeten?"


def test_each_request_finds_its_own_language(client):
    # The catalogue is kept per request: the next request, in another language, gets its own.
    client.set_cookie("plc_lang", "en")
    english = client.get("/inloggen").get_data(as_text=True)
    client.delete_cookie("plc_lang")
    dutch = client.get("/inloggen").get_data(as_text=True)
    assert "Forgot your password?" in english and "Wachtwoord vergeten?" not in english
    assert "Wachtwoord vergeten?" in dutch and "Forgot your password?" not in dutch


def test_variables_are_escaped_in_html_and_left_alone_in_text(app: Flask):
    with app.test_request_context("/"):
        html = render_template_string("{{ _('%(name)s wrote:', name='<b>Ann</b>') }}")
        text = render_template_string(
            "{% autoescape false %}{{ _('%(name)s wrote:', name='<b>Ann</b>') }}{% endautoescape %}"
        )
    assert html == "&lt;b&gt;Ann&lt;/b&gt; schreef:"
    assert text == "<b>Ann</b> schreef:"


def test_ngettext_picks_the_plural_and_fills_in_the_number(app: Flask):
    template = "{{ ngettext('%(num)d member', '%(num)d members', n) }}"
    with app.test_request_context("/"):
        assert render_template_string(template, n=1) == "1 lid"
        assert render_template_string(template, n=3) == "3 leden"


def test_a_string_without_variables_keeps_a_literal_percent_sign_rule(app: Flask):
    # As Jinja's own newstyle gettext: every string is a format string ("%%" is one "%").
    with app.test_request_context("/"):
        assert render_template_string("{{ _('100%% sure') }}") == "100% sure"


def test_outside_a_request_templates_speak_the_default_language(app: Flask):
    # Mail rendered by the CLI, say: no request, no viewer, Dutch.
    assert render_template_string("{{ _('Forgot your password?') }}") == "Wachtwoord vergeten?"
    assert translations().ugettext("Forgot your password?") == "Wachtwoord vergeten?"
