"""Markdown written by users, rendered once and sanitised: the one function every feature uses.

markdown-it-py renders CommonMark with raw HTML switched off (it is shown as text), then nh3 (the
Rust `ammonia` sanitiser) keeps only an allow-list of tags and attributes and only http(s) and
mailto links. Links written by users get `rel="nofollow ugc noopener noreferrer"`. Headings move
one level down, so that a user's `#` never competes with the page's own `<h1>`. Images are not
allowed: they would load from other hosts (the Content-Security-Policy blocks that anyway).
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"
#: Longest text rendered; longer input is cut (forms limit their fields well below this).
MAX_SOURCE = 100_000


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def render_markdown(source: str) -> str:
    """Markdown → safe HTML, ready to store and to show with `|safe`."""
    parser = _parser()
    tokens = parser.parse(source[:MAX_SOURCE])
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    html = parser.renderer.render(tokens, parser.options, {})
    return sanitise_html(html)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )
