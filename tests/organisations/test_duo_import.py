"""`plc import-schools`: DUO school and board files of both generations become organisations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from plc.auth.models import SchoolType
from plc.extensions import db
from plc.organisations.duo import DuoFileError, display_name, parse_bytes, parse_file
from plc.organisations.importer import import_files
from plc.organisations.models import Organisation, OrganisationKind

DATA = Path(__file__).parent / "data"
CURRENT = [DATA / name for name in ("vestigingenbo.csv", "vestigingenvo.csv")]
CURRENT_BOARDS = [DATA / name for name in ("besturenbo.csv", "besturenvo.csv")]
LEGACY = [DATA / name for name in ("03-alle-vestigingen-bo.csv", "02-alle-vestigingen-vo.csv")]
ALL = [*CURRENT, *CURRENT_BOARDS, *LEGACY]
MALFORMED = DATA / "vestigingenbo-zonder-gemeente.csv"

AMSTERDAM_SCHOOLS = {
    # current generation
    "04AB00", "05CD00", "06EF00", "06EF01", "07GH00",
    "16SW00", "17TX00", "18UY00", "19VZ00", "20WA00", "21XB00", "22YC00", "25BF00",
    # legacy generation
    "30AA00", "31BB00", "32CC01", "33DD00", "34EE01",
    "40KA00", "41LB00", "42MC00", "43ND00", "44PE00",
}  # fmt: skip
AMSTERDAM_BOARDS = {"41820", "41821", "41822", "41823", "41824", "41825", "41828", "41829", "41831"}
REJECTIONS = [
    "vestigingenbo.csv, row 7: malformed vestigingscode '08JK0'",
    "vestigingenbo.csv, row 8: missing name",
    "besturenvo.csv, row 9: missing name",
    "03-alle-vestigingen-bo.csv, row 7: missing name",
    "03-alle-vestigingen-bo.csv, row 8: malformed instellingscode '3GG'",
    "02-alle-vestigingen-vo.csv, row 9: vestigingscode '48SH00' does not start with instellingscode '47SH'",
]


def _import(app, *files: Path, gemeente: str | None = None, dry_run: bool = False):
    args = ["plc", "import-schools", *map(str, files)]
    if gemeente is not None:
        args += ["--gemeente", gemeente]
    if dry_run:
        args.append("--dry-run")
    return app.test_cli_runner().invoke(args=args)


def _school(code: str) -> Organisation:
    return db.session.scalars(
        sa.select(Organisation).where(Organisation.vestigingscode == code)
    ).one()


def _codes(kind: OrganisationKind) -> set[str]:
    column = (
        Organisation.vestigingscode
        if kind == OrganisationKind.SCHOOL
        else Organisation.bevoegd_gezag_nummer
    )
    return set(db.session.scalars(sa.select(column).where(Organisation.kind == kind)))


def _rows() -> list[tuple]:
    """Every organisation row as stored, every column (updated_at included)."""
    table = Organisation.__table__
    return [tuple(row) for row in db.session.execute(sa.select(table).order_by(table.c.id))]


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Organisation.id))) or 0


# -- loading -----------------------------------------------------------------------------------


def test_both_generations_load_with_readable_names_normalised_codes_and_board_links(app):
    result = _import(app, *ALL)

    assert result.exit_code == 0, result.output
    assert "Schools in AMSTERDAM: 23 added, 0 updated, 0 unchanged, 5 rejected" in result.output
    assert "Boards: 9 added, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert _codes(OrganisationKind.SCHOOL) == AMSTERDAM_SCHOOLS
    assert _codes(OrganisationKind.BOARD) == AMSTERDAM_BOARDS

    barlaeus = _school("16SW00")  # current generation, vo
    assert (barlaeus.name, barlaeus.slug) == ("Barlaeus Gymnasium", "barlaeus-gymnasium")
    assert barlaeus.kind == OrganisationKind.SCHOOL
    assert barlaeus.instellingscode == "16SW" and barlaeus.school_type == SchoolType.SECONDARY
    assert (barlaeus.street, barlaeus.postcode, barlaeus.city) == (
        "Weteringschans 76",
        "1017 XR",
        "Amsterdam",
    )
    assert barlaeus.municipality == "AMSTERDAM" and barlaeus.denomination == "Openbaar"
    assert barlaeus.website == "https://www.barlaeus.nl"
    assert barlaeus.duo_board_number == "41824"
    assert barlaeus.parent is not None and barlaeus.parent.kind == OrganisationKind.BOARD
    assert barlaeus.parent.name == "Stichting voor Openbaar Voortgezet Onderwijs Amsterdam"

    # Only the two-digit suffix in the file: instellingscode + suffix, in both generations.
    ijburg = _school("06EF01")
    assert ijburg.name == "OBS de Kinderboom Locatie IJburg"
    assert ijburg.school_type == SchoolType.PRIMARY
    assert ijburg.parent.name == "Stichting Openbaar Onderwijs aan de Amstel"
    zevensprong = _school("34EE01")
    assert zevensprong.name == "SBO de Zevensprong" and zevensprong.instellingscode == "34EE"
    assert zevensprong.parent.name == "Amsterdamse Stichting voor Katholiek Onderwijs"

    # Legacy generation: BRIN NUMMER / VESTIGINGSNUMMER, postcode without space, upper-case URL.
    etoile = _school("30AA00")
    assert etoile.name == "Montessorischool Étoile"
    assert (etoile.postcode, etoile.website) == ("1095 CJ", "https://www.montessori-etoile.nl")
    assert etoile.school_type == SchoolType.PRIMARY
    ideeen = _school("42MC00")  # no ONDERWIJSSTRUCTUUR column: vo from the file name
    assert ideeen.name == "OSG de Ideeënfabriek" and ideeen.school_type == SchoolType.SECONDARY
    assert ideeen.parent.name == "Esprit Scholen"

    assert _school("25BF00").name == "Het 4e Gymnasium"
    assert _school("25BF00").website == "https://www.4egymnasium.nl"
    assert _school("21XB00").parent.name == "Stichting ZAAM"
    assert _school("07GH00").website is None  # DUO has none

    # A board in Amstelveen is kept because an Amsterdam school belongs to it.
    assert _school("22YC00").parent.name == "Stichting Onderwijsgroep Amstelland"
    assert _school("22YC00").parent.municipality == "AMSTELVEEN"


def test_rejected_rows_are_listed_with_file_row_and_reason(app):
    result = _import(app, *ALL)

    assert result.exit_code == 0, result.output
    listed = [line.strip() for line in result.output.splitlines() if ", row " in line]
    assert len(listed) == len(REJECTIONS)
    for line, expected in zip(listed, REJECTIONS, strict=True):
        assert line.startswith(expected)
    # Rejected rows never become organisations.
    assert not {"08JK0", "10LM00", "35FF00", "48SH00", "47SH00"} & _codes(OrganisationKind.SCHOOL)
    assert "41899" not in _codes(OrganisationKind.BOARD)


def test_only_the_chosen_municipality_is_kept(app):
    result = _import(app, *ALL, gemeente="amstelveen")

    assert result.exit_code == 0, result.output
    assert "Schools in AMSTELVEEN: 4 added, 0 updated, 0 unchanged, 0 rejected" in result.output
    names = set(
        db.session.scalars(
            sa.select(Organisation.name).where(Organisation.kind == OrganisationKind.SCHOOL)
        )
    )
    assert names == {
        "OBS de Waarden",
        "Keizer Karel College",
        "OBS de Griffioen",
        "Amstelveen College",
    }
    assert _codes(OrganisationKind.BOARD) == {"41826", "41829"}
    assert _school("11NP00").parent.name == "Stichting Algemeen Bijzonder Onderwijs Amstelveen"
    assert "Barlaeus" not in result.output  # Amsterdam's rows are neither imported nor rejected


# -- running again -----------------------------------------------------------------------------


def test_a_second_run_reports_everything_unchanged_and_writes_nothing(app, count_queries):
    import_files(ALL)
    db.session.commit()
    before = _rows()

    with count_queries() as counted:
        result = _import(app, *ALL)

    assert result.exit_code == 0, result.output
    assert "Schools in AMSTERDAM: 0 added, 0 updated, 23 unchanged, 5 rejected" in result.output
    assert "Boards: 0 added, 0 updated, 9 unchanged, 1 rejected" in result.output
    writes = [
        statement
        for statement in counted.statements
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert _rows() == before


def test_a_changed_row_is_reported_updated_for_that_school_only(app, tmp_path):
    files = [Path(shutil.copy(path, tmp_path)) for path in ALL]
    assert _import(app, *files).exit_code == 0
    before = {
        row.vestigingscode: row for row in db.session.execute(sa.select(Organisation.__table__))
    }

    vo = tmp_path / "vestigingenvo.csv"
    text = vo.read_text("utf-8")
    changed = text.replace(
        '"BARLAEUS GYMNASIUM","WETERINGSCHANS","76"',
        '"STEDELIJK BARLAEUS GYMNASIUM","WETERINGSCHANS","78"',
    )
    assert changed != text
    vo.write_text(changed, "utf-8")
    result = _import(app, *files)

    assert result.exit_code == 0, result.output
    assert "Schools in AMSTERDAM: 0 added, 1 updated, 22 unchanged, 5 rejected" in result.output
    assert "Boards: 0 added, 0 updated, 9 unchanged" in result.output
    assert "school 16SW00 Stedelijk Barlaeus Gymnasium: name, street" in result.output
    barlaeus = _school("16SW00")
    assert (barlaeus.name, barlaeus.street) == ("Stedelijk Barlaeus Gymnasium", "Weteringschans 78")
    assert barlaeus.slug == "barlaeus-gymnasium"  # an existing slug never changes
    after = {
        row.vestigingscode: row for row in db.session.execute(sa.select(Organisation.__table__))
    }
    differing = {code for code in after if after[code] != before[code]}
    assert differing == {"16SW00"}


def test_dry_run_reports_the_same_counts_and_writes_nothing(app):
    dry = _import(app, *ALL, dry_run=True)

    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing was written." in dry.output
    assert _count() == 0
    real = _import(app, *ALL)
    assert real.exit_code == 0 and _count() == 32

    def summary(output: str) -> list[str]:
        return [
            line for line in output.splitlines() if not line.startswith(("Dry run", "Importing"))
        ]

    assert summary(dry.output) == summary(real.output)
    assert "Schools in AMSTERDAM: 23 added" in real.output


def test_import_files_dry_run_reports_like_a_real_run_and_leaves_the_session_clean(app):
    dry = import_files(ALL, dry_run=True)
    db.session.commit()

    assert _count() == 0
    assert (dry.schools.added, dry.schools.rejected, dry.boards.added) == (23, 5, 9)
    real = import_files(ALL)
    db.session.commit()
    assert (real.schools, real.boards) == (dry.schools, dry.boards)
    assert [(r.file, r.row, r.reason) for r in real.rejections] == [
        (r.file, r.row, r.reason) for r in dry.rejections
    ]
    assert _count() == 32


def test_a_board_imported_after_its_schools_gets_linked(app):
    first = _import(app, DATA / "vestigingenbo.csv")
    assert first.exit_code == 0, first.output
    assert "Schools in AMSTERDAM: 5 added" in first.output
    assert _school("04AB00").parent is None and _school("04AB00").duo_board_number == "41820"

    later = _import(app, DATA / "besturenbo.csv")

    assert later.exit_code == 0, later.output
    assert "Boards: 4 added" in later.output  # three the schools belong to, one in Amsterdam
    assert "Schools in AMSTERDAM: 0 added, 5 updated" in later.output
    assert "school 04AB00 KBS de Klimop: board" in later.output
    assert _school("04AB00").parent.name == "Amsterdamse Stichting voor Katholiek Onderwijs"
    assert _school("06EF01").parent.name == "Stichting Openbaar Onderwijs aan de Amstel"
    assert _school("07GH00").parent.name == "Esprit Scholen"
    assert (
        "Schools in AMSTERDAM: 0 added, 0 updated" in _import(app, DATA / "besturenbo.csv").output
    )


# -- files that cannot be read -----------------------------------------------------------------


def test_a_missing_required_column_stops_the_run_before_anything_is_written(app):
    result = _import(app, *ALL, MALFORMED)

    assert result.exit_code != 0
    assert "vestigingenbo-zonder-gemeente.csv" in result.output
    assert "required column GEMEENTENAAM missing" in result.output
    assert _count() == 0  # not even the valid files given before it

    with pytest.raises(DuoFileError, match="GEMEENTENAAM"):
        import_files([*ALL, MALFORMED])
    db.session.commit()
    assert _count() == 0


def test_a_file_that_is_neither_schools_nor_boards_names_the_missing_column(app, tmp_path):
    other = tmp_path / "leerlingen.csv"
    other.write_text('"INSTELLINGSCODE","AANTAL LEERLINGEN"\n"16SW","912"\n', "utf-8")

    result = _import(app, other, *CURRENT)

    assert result.exit_code != 0
    assert "leerlingen.csv" in result.output and "VESTIGINGSCODE" in result.output
    assert _count() == 0


def test_windows_1252_and_the_utf8_byte_order_mark_are_read(app):
    legacy = parse_file(DATA / "03-alle-vestigingen-bo.csv")
    assert (legacy.encoding, legacy.delimiter) == ("windows-1252", ";")
    names = {row.name for row in legacy.schools}
    # É is the same byte in Latin-1; the curly apostrophe (0x92) is windows-1252 only.
    assert {"MONTESSORISCHOOL ÉTOILE", "DALTONSCHOOL \u2019T PALET"} <= names

    with_bom = parse_file(DATA / "besturenbo.csv")  # its first column is a required one
    assert (with_bom.encoding, with_bom.delimiter) == ("utf-8-sig", ",")
    assert len(with_bom.boards) == 7

    # The same name in UTF-8 is not mistaken for windows-1252.
    utf8 = parse_bytes(
        "INSTELLINGSCODE,VESTIGINGSCODE,VESTIGINGSNAAM,GEMEENTENAAM,BEVOEGD GEZAG NUMMER\n"
        "30AA,00,MONTESSORISCHOOL ÉTOILE,AMSTERDAM,41821\n".encode(),
        "vestigingenbo.csv",
    )
    assert utf8.encoding == "utf-8" and utf8.schools[0].name == "MONTESSORISCHOOL ÉTOILE"

    assert _import(app, DATA / "03-alle-vestigingen-bo.csv").exit_code == 0
    assert _school("30AA00").name == "Montessorischool Étoile"
    assert _school("31BB00").name == "Daltonschool \u2019t Palet"


# -- parsing details ---------------------------------------------------------------------------


def test_headers_are_matched_loosely_and_unknown_columns_ignored():
    parsed = parse_bytes(
        b"  brin nummer ;Vestigingsnummer;Vestigingsnaam;gemeentenaam;Bevoegd Gezag Nummer;"
        b"RMC-REGIO NAAM\n"
        b"16sw; 01 ;BARLAEUS  GYMNASIUM;amsterdam;41824;Amsterdam\n",
        "02-alle-vestigingen-vo.csv",
    )

    (row,) = parsed.schools
    assert (row.instellingscode, row.vestigingscode) == ("16SW", "16SW01")
    assert (row.name, row.municipality, row.board_number) == (
        "BARLAEUS GYMNASIUM",
        "AMSTERDAM",
        "41824",
    )
    assert row.school_type == "vo" and parsed.rejections == []


@pytest.mark.parametrize(
    ("duo", "shown"),
    [
        ("BARLAEUS GYMNASIUM", "Barlaeus Gymnasium"),
        (
            "STICHTING OPENBAAR ONDERWIJS AAN DE AMSTEL",
            "Stichting Openbaar Onderwijs aan de Amstel",
        ),
        ("HET AMSTERDAMS LYCEUM", "Het Amsterdams Lyceum"),
        ("RKBS DE STERRENWACHT", "RKBS de Sterrenwacht"),
        (
            "PCBS VAN DE KINDEREN VOOR DE BUURT EN HET PLEIN",
            "PCBS van de Kinderen voor de Buurt en het Plein",
        ),
        ("VMBO/HAVO/VWO IJBURG", "VMBO/HAVO/VWO IJburg"),
        ("'S-GRAVENHAGE", "'s-Gravenhage"),
        ("ST. NICOLAASLYCEUM", "St. Nicolaaslyceum"),
        ("Montessori Lyceum Amsterdam", "Montessori Lyceum Amsterdam"),  # cased already
    ],
)
def test_upper_case_names_are_shown_readably(duo, shown):
    assert display_name(duo) == shown
