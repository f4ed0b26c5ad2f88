"""Checking an uploaded file: what it is by its content, and whether its name agrees.

The type comes from the content (magic bytes, through the `filetype` package), never from the
name or the browser's Content-Type. The name's extension must be one we accept and must agree
with what the content is: a ".pdf" that is really a ZIP archive or a PNG image is refused. Plain
text and CSV have no magic bytes: they are accepted when the whole file decodes as UTF-8 and has
no NUL bytes. HTML, SVG and other markup (which a browser could run scripts from) are refused,
whatever the name says.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype
from flask_babel import lazy_gettext as _l

from plc.core.errors import ServiceError

#: How much of the start of a file the type detection reads.
HEAD_SIZE = 8192
CHUNK_SIZE = 64 * 1024
#: Longest stored file name (the column's length).
MAX_FILENAME = 255

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
RTF = "application/rtf"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PPT = "application/vnd.ms-powerpoint"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODP = "application/vnd.oasis.opendocument.presentation"
TEXT = "text/plain"
CSV = "text/csv"
ZIP = "application/zip"


@dataclass(frozen=True)
class Format:
    label: Any  #: what the content is, for messages ("a PDF document")
    content_types: frozenset[str]  #: detected types this extension may have


def _format(label: Any, *content_types: str) -> Format:
    return Format(label, frozenset(content_types))


_PDF = _format(_l("a PDF document"), PDF)
_WORD = _format(_l("a Word document"), DOC, DOCX)
_EXCEL = _format(_l("an Excel spreadsheet"), XLS, XLSX)
_POWERPOINT = _format(_l("a PowerPoint presentation"), PPT, PPTX)
_MP4 = ("video/mp4", "video/x-m4v", "video/quicktime", "audio/mp4")

#: Accepted extensions and the content each may have.
FORMATS: dict[str, Format] = {
    "pdf": _PDF,
    "doc": _format(_WORD.label, DOC),
    "docx": _format(_WORD.label, DOCX),
    "odt": _format(_l("an OpenDocument text"), ODT),
    "rtf": _format(_l("an RTF document"), RTF),
    "xls": _format(_EXCEL.label, XLS),
    "xlsx": _format(_EXCEL.label, XLSX),
    "ods": _format(_l("an OpenDocument spreadsheet"), ODS),
    "ppt": _format(_POWERPOINT.label, PPT),
    "pptx": _format(_POWERPOINT.label, PPTX),
    "odp": _format(_l("an OpenDocument presentation"), ODP),
    "txt": _format(_l("plain text"), TEXT),
    "md": _format(_l("plain text"), TEXT),
    "csv": _format(_l("a CSV file"), CSV),
    "jpg": _format(_l("a JPEG image"), "image/jpeg"),
    "jpeg": _format(_l("a JPEG image"), "image/jpeg"),
    "png": _format(_l("a PNG image"), "image/png"),
    "gif": _format(_l("a GIF image"), "image/gif"),
    "webp": _format(_l("a WebP image"), "image/webp"),
    "mp3": _format(_l("MP3 audio"), "audio/mpeg"),
    "m4a": _format(_l("M4A audio"), "audio/mp4"),
    "wav": _format(_l("WAV audio"), "audio/x-wav"),
    "ogg": _format(_l("Ogg audio"), "audio/ogg"),
    "flac": _format(_l("FLAC audio"), "audio/x-flac"),
    "mp4": _format(_l("an MP4 video"), *_MP4),
    "m4v": _format(_l("an MP4 video"), *_MP4),
    "mov": _format(_l("a QuickTime video"), *_MP4),
    "webm": _format(_l("a WebM video"), "video/webm", "video/x-matroska"),
}

#: Markup a browser would render, with scripts: never accepted, whatever the content.
MARKUP_EXTENSIONS = frozenset({"html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "js"})

#: What other detected types are, for the message when content and name disagree.
OTHER_LABELS: dict[str, Any] = {
    ZIP: _l("a ZIP archive"),
    "application/x-msdownload": _l("a program"),
    "application/x-executable": _l("a program"),
}

#: Shown next to the file field.
ACCEPTED_DESCRIPTION = _l(
    "PDF, Word, Excel, PowerPoint, OpenDocument, plain text or CSV, images (JPEG, PNG, GIF, WebP), audio (MP3, M4A, WAV, Ogg, FLAC) or video (MP4, MOV, WebM); at most %(size)d MB."
)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_TYPES = {ODT, ODS, ODP}


def accept_attribute() -> str:
    """The file input's `accept` list (a hint for the browser's file picker only)."""
    return ",".join(f".{extension}" for extension in FORMATS)


@dataclass(frozen=True)
class InspectedFile:
    filename: str  #: sanitised, for the download
    extension: str  #: lower case, without the dot
    content_type: str  #: as detected from the content
    size: int
    sha256: str


def clean_filename(name: str) -> str:
    """The uploader's file name, safe to store and to send back in a Content-Disposition.

    Only the last path component; NFC; no control characters or characters that file systems
    or headers treat specially; no leading dots; at most 255 characters, extension kept.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = []
    for ch in name:
        if ch.isspace():
            cleaned.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            continue  # control and invisible formatting characters (such as RTL overrides)
        elif ch in '<>:"/\\|?*;%' or not ch.isprintable():
            cleaned.append("_")
        else:
            cleaned.append(ch)
    name = "".join(cleaned)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_FILENAME - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_FILENAME]
    return name


def extension_of(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    return extension.lower() if dot and stem else ""


def _mismatch(extension: str, found: Any) -> ServiceError:
    return ServiceError(
        _l(
            "The content of this file does not match its name: the name ends in .%(extension)s, but the file is %(found)s. Check that you chose the right file.",
            extension=extension,
            found=found,
        ),
        field="file",
    )


def _markup_refused() -> ServiceError:
    return ServiceError(
        _l(
            "HTML and SVG files cannot be shared here: a browser could run scripts from them. Save the document as PDF instead."
        ),
        field="file",
    )


def _zip_document(stream: IO[bytes]) -> str | None:
    """An Office or OpenDocument file that `filetype` saw only as a ZIP archive (other tools
    order the parts differently); only the directory and the small `mimetype` part are read."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            for part, content_type in _OOXML_PARTS.items():
                if part in names:
                    return content_type
            if "mimetype" in names:
                with archive.open("mimetype") as part_file:
                    declared = part_file.read(100).decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    finally:
        stream.seek(0)
    return None


def _detect(head: bytes, stream: IO[bytes], extension: str) -> str | None:
    kind = filetype.guess(head)
    detected = kind.mime if kind is not None else None
    if detected == ZIP and extension in ("docx", "xlsx", "pptx", "odt", "ods", "odp"):
        return _zip_document(stream) or ZIP
    if detected is None and head.startswith(_OLE2) and extension in ("doc", "xls", "ppt"):
        # An Office 97–2003 file whose inner layout `filetype` does not recognise.
        return {"doc": DOC, "xls": XLS, "ppt": PPT}[extension]
    return detected


def _read_all(stream: IO[bytes], head: bytes, *, as_text: bool) -> tuple[int, str, bool]:
    """Size, SHA-256 and (when asked) whether it is UTF-8 text without NUL bytes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = 0
    is_text = as_text
    chunk = head
    while chunk:
        size += len(chunk)
        digest.update(chunk)
        if is_text:
            try:
                decoder.decode(chunk)
                is_text = b"\x00" not in chunk
            except UnicodeDecodeError:
                is_text = False
        chunk = stream.read(CHUNK_SIZE)
    if is_text:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_text = False
    return size, digest.hexdigest(), is_text


def _looks_like_markup(head: bytes) -> bool:
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    return text.startswith("<")


def inspect_file(stream: IO[bytes], filename: str, max_size: int | None = None) -> InspectedFile:
    """Check an upload; raises ServiceError (field "file") when it is refused.

    Reads the stream once to the end and leaves it at the start again.
    """
    name = clean_filename(filename)
    extension = extension_of(name)
    if not extension:
        raise ServiceError(
            _l("Give the file a name with an extension that shows its type, such as .pdf."),
            field="file",
        )
    if extension in MARKUP_EXTENSIONS:
        raise _markup_refused()
    expected = FORMATS.get(extension)
    if expected is None:
        raise ServiceError(
            _l(
                "Files of this type (.%(extension)s) cannot be shared here. Accepted are documents, presentations, spreadsheets, PDF, images, audio and video.",
                extension=extension,
            ),
            field="file",
        )
    stream.seek(0)
    head = stream.read(HEAD_SIZE)
    stream.seek(0)
    detected = _detect(head, stream, extension)
    stream.seek(len(head))
    size, sha256, is_text = _read_all(stream, head, as_text=detected is None)
    stream.seek(0)
    if size == 0:
        raise ServiceError(_l("The file is empty."), field="file")
    if max_size is not None and size > max_size:
        raise ServiceError(
            _l("The file is too large: at most %(size)d MB.", size=max_size // (1024 * 1024)),
            field="file",
        )
    if detected is None:
        if not is_text:
            raise _mismatch(extension, _l("of a type that is not recognised"))
        if _looks_like_markup(head):
            raise _markup_refused()
        detected = CSV if extension == "csv" else TEXT
    if detected not in expected.content_types:
        found = next(
            (f.label for f in FORMATS.values() if detected in f.content_types),
            OTHER_LABELS.get(detected),
        )
        raise _mismatch(extension, found or _l("another type of file (%(type)s)", type=detected))
    return InspectedFile(
        filename=name,
        extension=extension,
        content_type=detected,
        size=size,
        sha256=sha256,
    )


def file_size_label(size: int) -> str:
    """1.2 MB, 340 kB, 12 bytes: for lists and history (numbers in the user's locale)."""
    from flask_babel import format_decimal

    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"
    if size >= 1024:
        return f"{format_decimal(round(size / 1024))} kB"
    return f"{size} B"
