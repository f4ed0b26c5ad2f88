"""Response headers that every page carries."""

from __future__ import annotations

from flask import Flask, Response

#: No inline script anywhere: every script is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: A file sent to be saved or opened elsewhere (CSV, calendar, JSON export) is never a page: if a
#: browser shows it anyway, it runs nothing and loads nothing.
DOWNLOAD_SECURITY_POLICY = "sandbox; default-src 'none'"


def _add_headers(response: Response) -> Response:
    headers = response.headers
    is_file = "Content-Disposition" in headers
    headers.setdefault(
        "Content-Security-Policy", DOWNLOAD_SECURITY_POLICY if is_file else CONTENT_SECURITY_POLICY
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
