"""Demo resources: files and links in the demo communities, under different licences.

Everything goes through the resource services (so uploads are checked and stored as in real
use, in the configured storage). The files are made here: small but valid PDFs (one page of
text) and CSV files; two of them get a second version. The links point at real public pages of
Dutch education organisations.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import sqlalchemy as sa

from plc.auth.models import CareerStage, SchoolType, User
from plc.communities.models import Community
from plc.communities.services import access_for
from plc.extensions import db
from plc.organisations import demo as organisations_demo
from plc.resources import services
from plc.resources.models import Licence, Resource
from plc.themes.models import Theme


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page A4 PDF with a title and lines of text (Helvetica, WinAnsi)."""

    def text(value: str) -> bytes:
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("cp1252", "replace") + b")"

    stream = b"BT /F1 18 Tf 56 780 Td " + text(title) + b" Tj /F1 11 Tf 0 -30 Td 15 TL"
    for line in lines:
        stream += b" " + text(line) + b" Tj T*"
    stream += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def csv_file(rows: list[tuple[str, ...]]) -> bytes:
    """Semicolon-separated, as Dutch spreadsheet programs expect; UTF-8."""
    return ("\r\n".join(";".join(row) for row in rows) + "\r\n").encode()


@dataclass(frozen=True)
class DemoFile:
    filename: str
    content: bytes
    note: str = ""


@dataclass(frozen=True)
class DemoResource:
    community: str  #: slug
    by: str  #: "creator" or a demo person's key (plc.auth.demo)
    title: str
    description: str
    licence: Licence
    themes: tuple[str, ...] = ()
    school_type: SchoolType | None = None
    career_stage: CareerStage | None = None
    url: str | None = None
    files: tuple[DemoFile, ...] = ()  #: versions, oldest first
    downloads: int = 0


EXIT_TICKETS = [
    "1. Schrijf in een zin op wat je vandaag hebt geleerd.",
    "2. Welke vraag zou je nu nog aan de docent willen stellen?",
    "3. Los deze ene opgave op en leg uit hoe je het deed.",
    "4. Kleur je zekerheid: groen, oranje of rood.",
    "5. Wat was het lastigste van deze les, en waarom?",
    "6. Geef een voorbeeld uit je eigen leven van het begrip van vandaag.",
    "7. Welke fout zie je in deze uitwerking?",
    "8. Kies het beste antwoord en leg uit waarom de andere niet kloppen.",
    "9. Teken het begrip van vandaag in een schema.",
    "10. Wat ga je volgende les anders doen?",
]
LESSON_STUDY = [
    "Onderzoeksvraag van het team:",
    "Lesdoel (wat leerlingen aan het eind kunnen):",
    "Opbouw van de les, per fase: wat doet de docent, wat doen de leerlingen?",
    "Welke leerlingen observeren we, en waarop letten we?",
    "Nabespreking: wat zagen we, wat betekent dat voor de les?",
]

RESOURCES: list[DemoResource] = [
    DemoResource(
        "formatief-evalueren-in-de-onderbouw",
        "creator",
        "Exit tickets: tien voorbeelden voor de onderbouw",
        "Tien korte vragen voor het eind van de les, om te zien waar leerlingen staan. "
        "Gebruikt in klas 1 en 2 bij wiskunde en Nederlands.\n\n"
        "**Tip:** bespreek de antwoorden de volgende les kort na.",
        Licence.CC_BY,
        ("formatief-evalueren",),
        SchoolType.SECONDARY,
        files=(
            DemoFile(
                "exit-tickets-onderbouw.pdf",
                tiny_pdf("Exit tickets voor de onderbouw", EXIT_TICKETS[:8]),
            ),
            DemoFile(
                "exit-tickets-onderbouw.pdf",
                tiny_pdf("Exit tickets voor de onderbouw", EXIT_TICKETS),
                "Twee voorbeelden voor de talen toegevoegd.",
            ),
        ),
        downloads=14,
    ),
    DemoResource(
        "formatief-evalueren-in-de-onderbouw",
        "creator",
        "Succescriteria per vak (werkversie)",
        "Een tabel met voorbeelden van succescriteria die we in de bijeenkomsten verzamelden. "
        "Vul gerust aan met je eigen vak.",
        Licence.CC_BY_SA,
        ("formatief-evalueren", "vakdidactiek"),
        SchoolType.SECONDARY,
        files=(
            DemoFile(
                "succescriteria-per-vak.csv",
                csv_file(
                    [
                        ("vak", "leerdoel", "succescriterium"),
                        (
                            "wiskunde",
                            "Ik kan een lineair verband herkennen",
                            "Ik vind de toename per stap in een tabel",
                        ),
                        (
                            "Nederlands",
                            "Ik kan een alinea schrijven",
                            "Mijn alinea begint met een kernzin",
                        ),
                        (
                            "biologie",
                            "Ik kan een cel beschrijven",
                            "Ik noem drie celonderdelen en hun functie",
                        ),
                    ]
                ),
            ),
        ),
        downloads=6,
    ),
    DemoResource(
        "formatief-evalueren-in-de-onderbouw",
        "leader",
        "Onderwijsraad: adviezen over toetsen en leren",
        "De Onderwijsraad adviseert de regering over onderwijs, ook over toetsing. "
        "Handig als achtergrond voor de discussie over cijfers.",
        Licence.ALL_RIGHTS_RESERVED,
        ("formatief-evalueren",),
        url="https://www.onderwijsraad.nl",
        downloads=9,
    ),
    DemoResource(
        "begrijpend-lezen-in-groep-5-tot-en-met-8",
        "creator",
        "Onderzoek naar lezen: het Nationaal Regieorgaan Onderwijsonderzoek",
        "Het NRO bundelt onderzoek naar onderwijs, ook over begrijpend lezen en woordenschat. "
        "Zoek op *begrijpend lezen* of *kennisrotonde*.",
        Licence.ALL_RIGHTS_RESERVED,
        ("taal-en-lezen",),
        SchoolType.PRIMARY,
        url="https://www.nro.nl",
        downloads=11,
    ),
    DemoResource(
        "begrijpend-lezen-in-groep-5-tot-en-met-8",
        "starter",
        "Leeslijst: rijke teksten voor groep 5 tot en met 8",
        "Teksten die we in de groep gebruikten, met het onderwerp van wereldoriëntatie "
        "waar ze bij passen.",
        Licence.CC0,
        ("taal-en-lezen", "kansengelijkheid"),
        SchoolType.PRIMARY,
        CareerStage.STARTER,
        files=(
            DemoFile(
                "leeslijst-groep-5-8.csv",
                csv_file(
                    [
                        ("groep", "onderwerp", "soort tekst"),
                        ("5", "Het water in Amsterdam", "informatieve tekst"),
                        ("6", "De Gouden Eeuw", "verhaal en bron"),
                        ("7", "Het menselijk lichaam", "informatieve tekst"),
                        ("8", "Democratie en verkiezingen", "krantenartikel"),
                    ]
                ),
            ),
        ),
        downloads=4,
    ),
    DemoResource(
        "lesson-study-wiskunde",
        "creator",
        "Sjabloon lesontwerp voor lesson study",
        "Het sjabloon waarmee de teams hun les ontwerpen. Versie 2 heeft een kolom voor de "
        "voorspellingen van wat leerlingen zullen denken en doen.",
        Licence.CC_BY_SA,
        ("rekenen", "onderzoek-in-de-school"),
        SchoolType.SECONDARY,
        files=(
            DemoFile("sjabloon-lesson-study.pdf", tiny_pdf("Lesontwerp", LESSON_STUDY[:4])),
            DemoFile(
                "sjabloon-lesson-study.pdf",
                tiny_pdf(
                    "Lesontwerp",
                    [*LESSON_STUDY, "Voorspelling: wat denken en doen leerlingen per fase?"],
                ),
                "Kolom voor voorspellingen van het denken van leerlingen toegevoegd.",
            ),
        ),
        downloads=21,
    ),
    DemoResource(
        "sociale-veiligheid-schoolleiders-in-gesprek",
        "creator",
        "Draaiboek: de eerste 48 uur na een ingrijpend incident",
        "Vertrouwelijk: ons gezamenlijke draaiboek. Alleen voor de leden van deze groep.",
        Licence.ALL_RIGHTS_RESERVED,
        ("sociale-veiligheid",),
        files=(
            DemoFile(
                "draaiboek-eerste-48-uur.pdf",
                tiny_pdf(
                    "Draaiboek: de eerste 48 uur",
                    [
                        "Uur 0-2: veiligheid, hulpdiensten, bestuur informeren.",
                        "Uur 2-8: team en ouders informeren; opvang regelen.",
                        "Dag 1-2: nazorg, contact met de media via het bestuur.",
                    ],
                ),
            ),
        ),
        downloads=3,
    ),
    DemoResource(
        "ai-in-de-les",
        "creator",
        "Kennisnet over AI in het onderwijs",
        "Kennisnet volgt de ontwikkelingen rond AI in het onderwijs en schrijft over kansen, "
        "risico's en privacy.",
        Licence.ALL_RIGHTS_RESERVED,
        ("ai-in-het-onderwijs", "digitale-geletterdheid"),
        url="https://www.kennisnet.nl",
        downloads=7,
    ),
    DemoResource(
        "meertaligheid-en-nt2-in-de-klas",
        "creator",
        "SLO: leerplan en NT2",
        "SLO, het nationaal expertisecentrum leerplanontwikkeling, over taalonderwijs en "
        "Nederlands als tweede taal.",
        Licence.ALL_RIGHTS_RESERVED,
        ("meertaligheid",),
        url="https://www.slo.nl",
        downloads=2,
    ),
]


def _author(spec: DemoResource, community: Community) -> User:
    if spec.by == "creator":
        user = db.session.get(User, community.created_by_id)
        assert user is not None
        return user
    return organisations_demo.person(spec.by)


def load() -> str:
    themes = {t.slug: t.id for t in db.session.scalars(sa.select(Theme))}
    communities = {
        c.slug: c
        for c in db.session.scalars(
            sa.select(Community).where(Community.slug.in_({spec.community for spec in RESOURCES}))
        )
    }
    files = links = versions = 0
    for spec in RESOURCES:
        community = communities[spec.community]
        author = _author(spec, community)
        access = access_for(community, author)
        fields = services.ResourceFields(
            title=spec.title,
            description=spec.description,
            licence=spec.licence,
            theme_ids=[themes[slug] for slug in spec.themes if slug in themes],
            school_type=spec.school_type,
            career_stage=spec.career_stage,
        )
        if spec.url:
            resource = services.add_link(access, author, fields, spec.url)
            links += 1
        else:
            first, *later = spec.files
            resource = services.add_file(
                access, author, fields, io.BytesIO(first.content), first.filename
            )
            for demo_file in later:
                services.add_version(
                    access,
                    resource,
                    author,
                    io.BytesIO(demo_file.content),
                    demo_file.filename,
                    demo_file.note,
                )
            files += 1
            versions += len(spec.files)
        db.session.execute(
            sa.update(Resource)
            .where(Resource.id == resource.id)
            .values(download_count=spec.downloads, updated_at=Resource.updated_at)
        )
    db.session.flush()
    return (
        f"Resources: {files + links} in {len(communities)} communities "
        f"({files} files with {versions} stored versions, {links} links)"
    )
