"""Resource test equipment: a fresh upload folder per test, small valid files, an upload helper."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from plc.resources.demo import tiny_pdf

#: The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF = tiny_pdf("Exit tickets", ["Wat heb je vandaag geleerd?"])
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def docx_bytes() -> bytes:
    """A minimal Word document as Word lays it out ([Content_Types].xml first, then word/)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "just a zip")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def english(app: Flask) -> None:
    """These tests read the English messages (the root fixture restores the config); that the
    Dutch ones exist is checked by tests/core/test_i18n.py."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


@pytest.fixture(autouse=True)
def upload_folder(app: Flask, tmp_path: Path) -> Path:
    """Each test stores its files in a folder of its own (the config is restored afterwards)."""
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder


def stored_files(folder: Path) -> list[Path]:
    """Every file in the upload folder, temporary ones included."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def upload() -> Callable[..., Any]:
    """`upload(client, slug, filename, content, **fields)`: the real form, with a CSRF token."""

    def post(client: Any, slug: str, filename: str, content: bytes, **fields: Any) -> Any:
        data = {
            "kind": "file",
            "title": fields.pop("title", "Exit tickets"),
            "licence": "cc-by-4.0",
            "file": (io.BytesIO(content), filename),
            **fields,
        }
        return client.submit(
            f"/gemeenschappen/{slug}/materiaal/nieuw",
            data,
            content_type="multipart/form-data",
        )

    return post
