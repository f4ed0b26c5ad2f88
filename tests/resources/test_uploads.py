"""What an upload is, by its content; file names; the storage's all-or-nothing save."""

from __future__ import annotations

import errno
import io
import os
import re
from pathlib import Path

import pytest

from plc.core.errors import ServiceError
from plc.core.storage import LocalStorage, get_storage, new_key
from plc.resources.demo import csv_file, tiny_pdf
from plc.resources.uploads import clean_filename, inspect_file
from tests.resources.conftest import (
    HTML,
    PDF,
    PNG,
    SVG_WITH_SCRIPT,
    docx_bytes,
    stored_files,
    zip_bytes,
)


def inspect(content: bytes, filename: str, max_size: int | None = None):
    return inspect_file(io.BytesIO(content), filename, max_size)


def refusal(content: bytes, filename: str) -> str:
    with pytest.raises(ServiceError) as caught:
        inspect(content, filename)
    assert caught.value.field == "file"
    return str(caught.value.message)


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("Exit tickets.pdf", PDF, "application/pdf"),
        ("pixel.PNG", PNG, "image/png"),
        (
            "verslag.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("cijfers.csv", csv_file([("naam", "groep"), ("Daan", "5")]), "text/csv"),
        ("notities.txt", "Differentiëren in groep 5 — één idee\n".encode(), "text/plain"),
        ("lees-mij.md", b"# Kop\n\n*nadruk*\n", "text/plain"),
    ],
)
def test_accepted_files_get_the_type_of_their_content(filename, content, content_type):
    inspected = inspect(content, filename)
    assert inspected.content_type == content_type
    assert inspected.size == len(content)
    assert len(inspected.sha256) == 64


def test_the_stream_is_back_at_the_start_after_inspection():
    stream = io.BytesIO(PDF)
    inspect_file(stream, "a.pdf")
    assert stream.read() == PDF


def test_office_document_in_another_part_order_is_recognised():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:  # parts in an order `filetype` does not know
        for n in range(6):
            archive.writestr(f"customXml/item{n}.xml", "<x/>" * 400)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    inspected = inspect(buffer.getvalue(), "begroting.xlsx")
    assert inspected.content_type.endswith("spreadsheetml.sheet")


@pytest.mark.parametrize(
    ("filename", "content", "found"),
    [
        ("lesplan.pdf", PNG, "a PNG image"),
        ("lesplan.pdf", zip_bytes(), "a ZIP archive"),
        ("lesplan.pdf", b"Dit is gewoon tekst.\n", "plain text"),
        ("foto.jpg", PDF, "a PDF document"),
        ("verslag.docx", zip_bytes(), "a ZIP archive"),
        ("cijfers.csv", PNG, "a PNG image"),
        ("notities.txt", b"tekst met een \x00 erin", "of a type that is not recognised"),
        ("notities.txt", b"\xff\xfe niet utf-8", "of a type that is not recognised"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(filename, content, found):
    message = refusal(content, filename)
    extension = filename.rsplit(".", 1)[1].lower()
    assert f"the name ends in .{extension}" in message
    assert found in message


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("tekening.svg", SVG_WITH_SCRIPT),
        ("tekening.txt", SVG_WITH_SCRIPT),  # markup whatever the name says
        ("pagina.html", HTML),
        ("pagina.htm", b"hallo"),
        ("lesplan.pdf", HTML),
        ("lijst.csv", b"  \n<html><script>alert(1)</script>"),
    ],
)
def test_html_and_svg_are_refused(filename, content):
    assert "HTML and SVG files cannot be shared here" in refusal(content, filename)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("setup.exe", "Files of this type (.exe) cannot be shared here"),
        ("archief.zip", "Files of this type (.zip) cannot be shared here"),
        ("zonder-extensie", "Give the file a name with an extension"),
        (".pdf", "Give the file a name with an extension"),
    ],
)
def test_unaccepted_names_are_refused(filename, expected):
    assert expected in refusal(PDF, filename)


def test_empty_and_oversized_files_are_refused():
    assert refusal(b"", "leeg.txt") == "The file is empty."
    with pytest.raises(ServiceError, match="too large"):
        inspect(b"x" * 2048, "groot.txt", max_size=1024)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Exit tickets.pdf", "Exit tickets.pdf"),
        ("C:\\Users\\juf\\Documenten\\lesplan.pdf", "lesplan.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ('ver"slag; name=x.pdf', "ver_slag_ name=x.pdf"),
        ("..hidden.txt", "hidden.txt"),
        ("tab\there\u202enew\r\nline.txt", "tab herenew line.txt"),
        ("Differentie\u0308ren.pdf", "Differentiëren.pdf"),  # NFC
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(raw, clean):
    assert clean_filename(raw) == clean


# -- storage -----------------------------------------------------------------------------------


def test_local_storage_saves_opens_and_deletes(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    key = new_key()
    assert storage.save(key, io.BytesIO(PDF)) == len(PDF)
    with storage.open(key) as handle:
        assert handle.read() == PDF
    assert stored_files(tmp_path / "files") == [tmp_path / "files" / key]
    storage.delete(key)
    storage.delete(key)  # again: no error
    assert stored_files(tmp_path / "files") == []
    with pytest.raises(FileNotFoundError):
        storage.open(key)


@pytest.mark.parametrize("key", ["../secret", "a/b", "", "ABC", "x" * 100])
def test_keys_are_only_generated_names(tmp_path, key):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).open(key)


def test_a_failed_rename_leaves_no_file(tmp_path, monkeypatch):
    def full_disk(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    storage = LocalStorage(tmp_path)
    with pytest.raises(OSError):
        storage.save(new_key(), io.BytesIO(PDF))
    assert stored_files(tmp_path) == []


def test_a_write_that_fails_halfway_leaves_no_file(tmp_path):
    class Broken(io.RawIOBase):
        def __init__(self):
            self.calls = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            self.calls += 1
            if self.calls > 2:
                raise OSError(errno.EIO, "the upload broke off")
            buffer[:4] = b"%PDF"
            return 4

    storage = LocalStorage(tmp_path)
    with pytest.raises(OSError):
        storage.save(new_key(), io.BufferedReader(Broken()))
    assert stored_files(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_leaves_no_file(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OSError):
            LocalStorage(folder).save(new_key(), io.BytesIO(PDF))
        assert stored_files(folder) == []
    finally:
        folder.chmod(0o700)


def test_the_configured_backend_is_used(app, upload_folder):
    storage = get_storage()
    assert isinstance(storage, LocalStorage) and storage.root == Path(upload_folder)
    app.config["STORAGE_BACKEND"] = "tape"
    with pytest.raises(RuntimeError, match="tape"):
        get_storage()


def test_generated_pdf_is_well_formed():
    """The demo's PDF: every cross-reference points at its object, startxref at the table."""
    pdf = tiny_pdf("Kop (met haakjes)", ["één regel", "nog een \\ regel"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", pdf)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+)", pdf).group(1))
    body = pdf.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(body) == length
