"""The seed editions a site is built from in the tests: editions/ and an edition with many marks."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tei_encoder.api import check_round_trip, encode_bytes
from tei_encoder.site import SiteReport, build_site

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ROOT / "editions"
MANY_MARKS = ROOT / "tests" / "site" / "many_marks.txt"
TEI = "http://www.tei-c.org/ns/1.0"
MARKS = ("supplied", "sic", "gap", "unclear", "incident", "vocal", "kinesic", "pause", "time", "choice")


def seed_editions(folder: Path) -> list[Path]:
    """The committed editions and the many-marks transcript encoded (round trip proven) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    data = MANY_MARKS.read_bytes()
    result = encode_bytes(data, MANY_MARKS.name, "plain")
    assert check_round_trip(data.decode("utf-8"), result.xml, MANY_MARKS.name, "plain").ok
    marks = folder / "many-marks.xml"
    marks.write_bytes(result.xml)
    return [*sorted(EDITIONS.glob("*.xml")), marks]


def build_seed_site(tmp: Path, search: bool = True, name: str = "site") -> tuple[Path, SiteReport, list[Path]]:
    editions = seed_editions(tmp / "seed")
    out = tmp / name
    return out, build_site(editions, out, title="Seed editions", search=search), editions


def tei_marks(edition: Path) -> dict[str, int]:
    """How many of each editorial mark, turn, page break and note an edition's text holds."""
    root = etree.parse(str(edition)).getroot()
    count = {name: len(root.findall(f".//{{{TEI}}}text//{{{TEI}}}{name}")) for name in (*MARKS, "sp", "pb")}
    count["note"] = len(root.findall(f".//{{{TEI}}}text//{{{TEI}}}note"))
    return count
