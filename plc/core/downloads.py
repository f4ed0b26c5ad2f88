"""Sending a stored file: always as an attachment, never shown inline, never sniffed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import abort, send_file
from werkzeug.wrappers import Response

from plc.core.storage import get_storage

log = logging.getLogger(__name__)

#: Downloads are never shown inline: a sandbox without any source, not sniffed, not shared.
DOWNLOAD_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def send_stored(
    storage_key: str,
    filename: str,
    content_type: str,
    before_sending: Callable[[], None] | None = None,
) -> Response:
    """The stored file as a download (404 when it is missing). `before_sending` runs once the
    file is known to be there and before streaming starts, e.g. to count and commit."""
    try:
        handle = get_storage().open(storage_key)
    except FileNotFoundError:
        log.error("stored file missing: key %s (%s)", storage_key, filename)
        abort(404)
    if before_sending is not None:
        before_sending()
    response = send_file(
        handle,
        mimetype=content_type,
        as_attachment=True,
        download_name=filename,
        conditional=False,
        etag=False,
        max_age=None,
    )
    response.headers.update(DOWNLOAD_HEADERS)
    return response
