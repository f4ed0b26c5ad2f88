"""Reading DUO's open data about schools: school locations (vestigingen) and boards (besturen).

Pure parsing, no database. Both generations of DUO files are read:

- current (`vestigingenbo.csv`, `besturenvo.csv`, …): comma-separated, every field quoted, UTF-8,
  sometimes with a byte-order mark;
- legacy (`03-alle-vestigingen-bo.csv`, …): semicolon-separated, unquoted, windows-1252, with
  `BRIN NUMMER` for `INSTELLINGSCODE` and `VESTIGINGSNUMMER` for `VESTIGINGSCODE`.

Encoding and delimiter are detected, header names are compared case-insensitively and mapped to
the current names, unknown columns are ignored. A file that cannot be read (no header, a
required column missing) raises `DuoFileError`; a bad row is not an error but a `Rejection`
with its line number (the header is line 1) and the reason.

Values are returned as DUO writes them (whitespace collapsed, codes normalised); the helpers
at the bottom (`display_name`, `normalise_postcode`, `normalise_website`, …) turn them into the
readable form the application shows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

SchoolTypeCode = Literal["po", "vo", "mbo"]


class FileKind(StrEnum):
    SCHOOLS = "vestigingen"  #: school locations
    BOARDS = "besturen"  #: school boards (bevoegde gezagen)


class DuoFileError(ValueError):
    """A file that cannot be imported at all; the message names the file and the problem."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


@dataclass(frozen=True)
class Rejection:
    """A row that was not imported, and why."""

    file: str
    #: Line in the file where the row starts (the header is line 1).
    row: int
    reason: str
    kind: FileKind
    #: What could be read of the row, so that a caller can tell whether it concerns it.
    municipality: str | None = None
    board_number: str | None = None


@dataclass(frozen=True)
class SchoolRow:
    """One school location, values as DUO writes them (codes normalised)."""

    file: str
    row: int
    instellingscode: str
    vestigingscode: str
    name: str
    municipality: str
    board_number: str | None
    street: str | None
    house_number: str | None
    postcode: str | None
    city: str | None
    denomination: str | None
    website: str | None
    school_type: SchoolTypeCode | None

    def same_data(self, other: SchoolRow) -> bool:
        """Whether two rows say the same (wherever they come from)."""
        return _data(self) == _data(other)


@dataclass(frozen=True)
class BoardRow:
    """One school board (bevoegd gezag), values as DUO writes them."""

    file: str
    row: int
    board_number: str
    name: str
    municipality: str | None
    street: str | None
    house_number: str | None
    postcode: str | None
    city: str | None
    denomination: str | None
    website: str | None

    def same_data(self, other: BoardRow) -> bool:
        return _data(self) == _data(other)


def _data(row: SchoolRow | BoardRow) -> dict[str, object]:
    values = dict(vars(row))
    del values["file"], values["row"]
    return values


@dataclass
class ParsedFile:
    """What one file holds: its kind, how it was read, its good rows and its rejections."""

    path: str
    #: The file name as shown in messages.
    name: str
    kind: FileKind
    school_type: SchoolTypeCode | None
    encoding: str
    delimiter: str
    schools: list[SchoolRow] = field(default_factory=list)
    boards: list[BoardRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.schools) + len(self.boards) + len(self.rejections)


# -- columns -----------------------------------------------------------------------------------

INSTELLINGSCODE = "INSTELLINGSCODE"
VESTIGINGSCODE = "VESTIGINGSCODE"
VESTIGINGSNAAM = "VESTIGINGSNAAM"
BOARD_NUMBER = "BEVOEGD GEZAG NUMMER"
BOARD_NAME = "BEVOEGD GEZAG NAAM"
STREET = "STRAATNAAM"
HOUSE_NUMBER = "HUISNUMMER-TOEVOEGING"
HOUSE_NUMBER_ONLY = "HUISNUMMER"
HOUSE_NUMBER_ADDITION = "TOEVOEGING"
POSTCODE = "POSTCODE"
CITY = "PLAATSNAAM"
MUNICIPALITY = "GEMEENTENAAM"
DENOMINATION = "DENOMINATIE"
WEBSITE = "INTERNETADRES"
STRUCTURE = "ONDERWIJSSTRUCTUUR"

#: Other spellings of the columns, older generations first of all.
_ALIASES: dict[str, tuple[str, ...]] = {
    INSTELLINGSCODE: ("BRIN NUMMER", "BRINNUMMER", "BRIN-NUMMER", "BRIN", "INSTELLINGS CODE"),
    VESTIGINGSCODE: ("VESTIGINGSNUMMER", "VESTIGINGS NUMMER", "VESTIGINGSNR", "VESTIGINGS CODE"),
    VESTIGINGSNAAM: ("NAAM VESTIGING", "VESTIGINGS NAAM"),
    BOARD_NUMBER: (
        "BEVOEGD GEZAGNUMMER",
        "BEVOEGDGEZAG NUMMER",
        "BEVOEGD-GEZAG NUMMER",
        "BEVOEGD-GEZAGNUMMER",
        "BEVOEGD GEZAG NR",
        "BG NUMMER",
    ),
    BOARD_NAME: ("BEVOEGDGEZAG NAAM", "BEVOEGD-GEZAG NAAM", "NAAM BEVOEGD GEZAG"),
    STREET: ("STRAAT", "STRAAT NAAM"),
    HOUSE_NUMBER: ("HUISNUMMER TOEVOEGING", "HUISNUMMER-TOEV", "HUISNR-TOEV"),
    HOUSE_NUMBER_ADDITION: ("HUISNUMMERTOEVOEGING", "HUISNUMMER TOEV"),
    POSTCODE: ("POST CODE",),
    CITY: ("PLAATS", "PLAATS NAAM", "WOONPLAATS"),
    MUNICIPALITY: ("GEMEENTE", "GEMEENTE NAAM", "NAAM GEMEENTE"),
    DENOMINATION: ("DENOMINATIE VESTIGING",),
    WEBSITE: ("INTERNET ADRES", "INTERNET", "WEBSITE", "WEBADRES"),
}
_CANONICAL = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}

_REQUIRED: dict[FileKind, tuple[str, ...]] = {
    FileKind.SCHOOLS: (INSTELLINGSCODE, VESTIGINGSCODE, VESTIGINGSNAAM, MUNICIPALITY, BOARD_NUMBER),
    FileKind.BOARDS: (BOARD_NUMBER, BOARD_NAME),
}


def _header_key(name: str) -> str:
    """'  brin_nummer ' → 'BRIN NUMMER'; then the current name for a legacy one."""
    key = " ".join(name.replace("\ufeff", "").replace("_", " ").split()).upper()
    return _CANONICAL.get(key, key)


def _column_label(name: str) -> str:
    legacy = _ALIASES.get(name, ())
    return f"{name} (or {legacy[0]})" if name in (INSTELLINGSCODE, VESTIGINGSCODE) else name


# -- reading -----------------------------------------------------------------------------------


def parse_file(path: str | Path) -> ParsedFile:
    """Read and parse one DUO file; raises `DuoFileError` when it cannot be imported."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DuoFileError(path.name, f"cannot be read ({error.strerror})") from error
    return parse_bytes(data, path.name, path=str(path))


def parse_bytes(data: bytes, name: str, *, path: str | None = None) -> ParsedFile:
    """Parse the contents of a DUO file called `name` (the name tells po from vo)."""
    text, encoding = decode(data, name)
    header_line = next((line for line in text.splitlines() if line.strip()), None)
    if header_line is None:
        raise DuoFileError(name, "the file is empty")
    delimiter = detect_delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    header: list[str] | None = None
    last_line = 0
    records: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
            else:
                records.append((start, record))
    except csv.Error as error:
        raise DuoFileError(name, f"line {reader.line_num}: {error}") from error
    assert header is not None  # a non-blank line exists

    columns: dict[str, int] = {}
    for index, column in enumerate(header):
        columns.setdefault(_header_key(column), index)
    kind = _file_kind(columns, name, header)
    missing = [column for column in _REQUIRED[kind] if column not in columns]
    if missing:
        labels = ", ".join(_column_label(column) for column in missing)
        found = ", ".join(column.strip() for column in header)
        plural = "columns" if len(missing) > 1 else "column"
        raise DuoFileError(
            name, f"required {plural} {labels} missing (columns found: {found[:300]})"
        )

    parsed = ParsedFile(
        path=path or name,
        name=name,
        kind=kind,
        school_type=school_type_of(name, columns),
        encoding=encoding,
        delimiter=delimiter,
    )
    for line, record in records:
        _parse_record(parsed, columns, len(header), line, record)
    return parsed


def decode(data: bytes, name: str = "file") -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise DuoFileError(
                name, "not readable as UTF-16 despite its byte-order mark"
            ) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise DuoFileError(
            name, f"neither UTF-8 nor windows-1252 (byte {error.start} cannot be read)"
        ) from error


def detect_delimiter(header_line: str) -> str:
    """`;` for legacy files, `,` for current ones: whichever the header line has more of."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _file_kind(columns: dict[str, int], name: str, header: list[str]) -> FileKind:
    if VESTIGINGSCODE in columns:
        return FileKind.SCHOOLS
    if BOARD_NAME in columns:
        return FileKind.BOARDS
    found = ", ".join(column.strip() for column in header)
    raise DuoFileError(
        name,
        f"not a DUO school or board file: neither a {_column_label(VESTIGINGSCODE)} nor a "
        f"{BOARD_NAME} column (columns found: {found[:300]})",
    )


def school_type_of(name: str, columns: dict[str, int] | None = None) -> SchoolTypeCode | None:
    """po, vo or mbo from the file name (`vestigingenbo`, `02-alle-vestigingen-vo`, …).

    A file with an `ONDERWIJSSTRUCTUUR` column is vo when its name does not say.
    """
    stem = Path(name).stem.lower()
    if re.search(r"mbo|beroepsonderwijs", stem):
        return "mbo"
    # "vestigingenvo", "besturen_bo", "02-alle-vestigingen-vo", "vo-2024"
    edge = r"(?:^|[^a-z]|vestigingen|besturen)"
    if re.search(rf"{edge}vo(?:[^a-z]|$)|voortgezet", stem):
        return "vo"
    if re.search(rf"{edge}(?:s?bo|po)(?:[^a-z]|$)|basisonderwijs|primair", stem):
        return "po"
    if columns is not None and STRUCTURE in columns:
        return "vo"
    return None


# -- rows --------------------------------------------------------------------------------------

_INSTELLINGSCODE = re.compile(r"[0-9]{2}[A-Z0-9]{2}")
_SUFFIX = re.compile(r"[0-9A-Z]{2}")
_BOARD_NUMBER = re.compile(r"[0-9]{1,10}")


def _clean(value: str | None) -> str | None:
    """Whitespace collapsed; None for an empty value."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _code(value: str | None) -> str | None:
    """A code without any whitespace, upper case; None when empty."""
    if value is None:
        return None
    return "".join(value.split()).upper() or None


def normalise_location_code(raw: str | None, instellingscode: str) -> tuple[str | None, str | None]:
    """(vestigingscode, problem): '01' with '16SW' → '16SW01'; '16sw01 ' → '16SW01'."""
    code = _code(raw)
    if code is None:
        return None, "missing vestigingscode"
    if len(code) == 2 and _SUFFIX.fullmatch(code):
        return instellingscode + code, None
    if len(code) == 6 and _SUFFIX.fullmatch(code[4:]):
        if not code.startswith(instellingscode):
            return None, (
                f"vestigingscode {code!r} does not start with instellingscode {instellingscode!r}"
            )
        return code, None
    return (
        None,
        f"malformed vestigingscode {code!r} (expected 6 characters, or a 2-character suffix)",
    )


def _parse_record(
    parsed: ParsedFile, columns: dict[str, int], width: int, line: int, record: list[str]
) -> None:
    def get(column: str) -> str | None:
        index = columns.get(column)
        return _clean(record[index]) if index is not None and index < len(record) else None

    problems: list[str] = []
    if len(record) > width and any(cell.strip() for cell in record[width:]):
        problems.append(
            f"{len(record)} fields where the header has {width} (a delimiter inside a value?)"
        )
    municipality = get(MUNICIPALITY)
    municipality = municipality.upper() if municipality else None
    board_raw = _code(get(BOARD_NUMBER))
    board_number = board_raw if board_raw and _BOARD_NUMBER.fullmatch(board_raw) else None
    if board_raw and board_number is None:
        problems.append(f"malformed bevoegd gezag nummer {board_raw!r}")

    house_number = get(HOUSE_NUMBER)
    if house_number is None:
        house_number = _clean(
            " ".join(filter(None, [get(HOUSE_NUMBER_ONLY), get(HOUSE_NUMBER_ADDITION)]))
        )
    name_column = VESTIGINGSNAAM if parsed.kind is FileKind.SCHOOLS else BOARD_NAME
    name = get(name_column)
    if name is None:
        problems.insert(0, "missing name")

    if parsed.kind is FileKind.SCHOOLS:
        instellingscode = _code(get(INSTELLINGSCODE))
        if instellingscode is None:
            problems.append("missing instellingscode")
        elif not _INSTELLINGSCODE.fullmatch(instellingscode):
            problems.append(
                f"malformed instellingscode {instellingscode!r} (expected 4 characters)"
            )
            instellingscode = None
        vestigingscode = None
        if instellingscode is not None:  # else the row is rejected for its instellingscode
            vestigingscode, problem = normalise_location_code(get(VESTIGINGSCODE), instellingscode)
            if problem:
                problems.append(problem)
        if municipality is None:
            problems.append("missing gemeentenaam")
        if problems or instellingscode is None or vestigingscode is None:
            parsed.rejections.append(
                Rejection(
                    parsed.name, line, "; ".join(problems), parsed.kind, municipality, board_number
                )
            )
            return
        assert name is not None and municipality is not None
        parsed.schools.append(
            SchoolRow(
                file=parsed.name,
                row=line,
                instellingscode=instellingscode,
                vestigingscode=vestigingscode,
                name=name,
                municipality=municipality,
                board_number=board_number,
                street=get(STREET),
                house_number=house_number,
                postcode=get(POSTCODE),
                city=get(CITY),
                denomination=get(DENOMINATION),
                website=get(WEBSITE),
                school_type=parsed.school_type,
            )
        )
        return

    if board_raw is None:
        problems.append("missing bevoegd gezag nummer")
    if problems or board_number is None:
        parsed.rejections.append(
            Rejection(
                parsed.name, line, "; ".join(problems), parsed.kind, municipality, board_number
            )
        )
        return
    assert name is not None
    parsed.boards.append(
        BoardRow(
            file=parsed.name,
            row=line,
            board_number=board_number,
            name=name,
            municipality=municipality,
            street=get(STREET),
            house_number=house_number,
            postcode=get(POSTCODE),
            city=get(CITY),
            denomination=get(DENOMINATION),
            website=get(WEBSITE),
        )
    )


# -- readable values ---------------------------------------------------------------------------

#: Kept lower case inside a name ("Stichting Openbaar Onderwijs aan de Amstel").
SMALL_WORDS = frozenset(
    {
        "de", "het", "een", "van", "voor", "en", "der", "den", "des", "in", "op", "aan",
        "bij", "uit", "met", "te", "ten", "ter", "tot", "om", "of", "'t", "'s", "\u2019t", "\u2019s",
    }
)  # fmt: skip
#: Kept upper case: school kinds, levels and board abbreviations.
ACRONYMS = frozenset(
    {
        "OBS", "KBS", "RKBS", "PCBS", "CBS", "RK", "PC", "SBO", "SO", "VSO", "ISK", "IKC",
        "VMBO", "MAVO", "HAVO", "VWO", "TTO", "LWOO", "PRO", "VAVO", "MBO", "HBO", "ROC",
        "OSG", "CSG", "RSG", "ASKO", "ZAAM", "AMOS", "BV", "NV",
    }
)  # fmt: skip
_VOWELS = frozenset("AEIOUYÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÄËÏÖÜ")
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
_ORDINAL = re.compile(r"[0-9]+E")


def display_name(value: str | None) -> str | None:
    """A readable form of an upper-case DUO name; a name with lower case is left alone.

    'OBS DE KINDERBOOM' → 'OBS de Kinderboom', "'S-GRAVENHAGE" → "'s-Gravenhage",
    'HET 4E GYMNASIUM' → 'Het 4e Gymnasium', 'IJBURG COLLEGE' → 'IJburg College'.
    """
    value = _clean(value)
    if value is None or value != value.upper():
        return value
    return " ".join(_word(token, index == 0) for index, token in enumerate(value.split(" ")))


def _word(token: str, first: bool) -> str:
    match = re.fullmatch(r"([(\[\"]*)(.*?)([)\]\",.;:!?]*)", token)
    assert match is not None
    lead, core, tail = match.groups()
    if core in ACRONYMS or _DOTTED.fullmatch(core + "." if tail.startswith(".") else core):
        return token
    if any(char.isdigit() for char in core):
        return lead + (core.lower() if _ORDINAL.fullmatch(core) else core) + tail
    if not first and core.lower() in SMALL_WORDS:
        return lead + core.lower() + tail
    parts = re.split(r"([-/.])", core)
    abbreviation = "." in token  # 'ST.' is 'St.', 'J.TH.' is 'J.Th.': not acronyms
    return lead + "".join(_capitalise(part, abbreviation) for part in parts) + tail


def _capitalise(part: str, abbreviation: bool = False) -> str:
    if part in ACRONYMS or part in ("-", "/", "."):
        return part
    if len(part) > 1 and part.isalpha() and not abbreviation and not _VOWELS & set(part):
        return part  # no vowel: an acronym ('KNSM-LAAN' → 'KNSM-Laan')
    lower = part.lower()
    if lower in ("'s", "'t", "\u2019s", "\u2019t"):  # also with a curly apostrophe
        return lower
    if lower.startswith("ij"):
        return "IJ" + lower[2:]
    for index, char in enumerate(lower):
        if char.isalpha():
            return lower[:index] + char.upper() + lower[index + 1 :]
    return lower


def sentence_case(value: str | None) -> str | None:
    """'ROOMS-KATHOLIEK' → 'Rooms-katholiek'; a value with lower case is left alone."""
    value = _clean(value)
    if value is None or value != value.upper():
        return value
    return value[:1] + value[1:].lower()


def normalise_postcode(value: str | None) -> str | None:
    """'1017XR' → '1017 XR'; anything else as written."""
    value = _clean(value)
    if value is None:
        return None
    match = re.fullmatch(r"([0-9]{4})\s*([A-Za-z]{2})", value)
    return f"{match[1]} {match[2].upper()}" if match else value


def normalise_website(value: str | None) -> str | None:
    """'WWW.BARLAEUS.NL' → 'https://www.barlaeus.nl'; None when it is no web address."""
    value = _clean(value)
    if value is None or " " in value:
        return None
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", value):
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or "." not in parts.netloc:
        return None
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment)
    )


def street_address(street: str | None, house_number: str | None) -> str | None:
    """'WETERINGSCHANS', '76' → 'Weteringschans 76' (the house number as written)."""
    return _clean(" ".join(filter(None, [display_name(street), house_number]))) or None
