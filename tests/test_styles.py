"""Transcripts in house styles no profile was written for (tests/styles/): with no --profile,
each edition gets its speaker turns, date and language right, encodes no timestamp, footnote
marker or archive reference as an insertion, round-trips and validates. A table is printed."""

from __future__ import annotations

import contextlib
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from tei_encoder.api import check_round_trip, encode_file
from tei_encoder.diagnostics import Severity
from tei_encoder.infer.brackets import classify
from tei_encoder.validate.relaxng import load_schema
from tei_encoder.validate.schematron import Schematron

from .conftest import ROOT

STYLES = Path(__file__).resolve().parent / "styles"
MANIFEST: dict[str, dict] = tomllib.loads((STYLES / "manifest.toml").read_text("utf-8"))
FILES = {p.stem: p for p in sorted(STYLES.iterdir()) if p.suffix in (".txt", ".md")}
NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Bracket contents that are never an editor's insertion.
NOT_INSERTIONS = frozenset({"timestamp", "footnote", "archive"})


@dataclass
class Observed:
    who: list[str]
    date: str
    lang: str
    bad_supplied: list[str]


@cache
def encoded(stem: str) -> tuple[str, bytes, str]:
    source, result = encode_file(FILES[stem])
    return source.text, result.xml, result.profile


def observe(xml: bytes) -> Observed:
    root = etree.fromstring(xml)
    who = [sp.get("who", "") for sp in root.iterfind(".//t:body//t:sp", NS)]
    when = root.find(".//t:profileDesc/t:creation/t:date", NS)
    date = (when.get("when") or when.get("from") or "")[:10] if when is not None else ""
    text = root.find(".//t:text", NS)
    lang = text.get(LANG, "") if text is not None else ""
    bad = ["".join(s.itertext()) for s in root.iterfind(".//t:supplied", NS) if classify("".join(s.itertext())) in NOT_INSERTIONS]
    return Observed(who, date, lang, bad)


def same_partition(expected: list[str], found: list[str]) -> bool:
    """The same number of turns, and turns share a person exactly where the expected keys do."""
    if len(expected) != len(found):
        return False
    forward: dict[str, str] = {}
    backward: dict[str, str] = {}
    return all(forward.setdefault(e, f) == f and backward.setdefault(f, e) == e for e, f in zip(expected, found))


def test_every_document_has_its_facts() -> None:
    assert sorted(FILES) == sorted(MANIFEST)


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_turn_structure(stem: str) -> None:
    """Count of turns and who speaks each: the same person is the same @who, and only then."""
    found = observe(encoded(stem)[1]).who
    assert same_partition(MANIFEST[stem]["who"], found), f"expected {MANIFEST[stem]['who']}, edition has {found}"


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_document_date(stem: str) -> None:
    assert observe(encoded(stem)[1]).date == MANIFEST[stem]["date"]


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_language(stem: str) -> None:
    assert observe(encoded(stem)[1]).lang == MANIFEST[stem]["lang"]


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_no_timestamp_footnote_or_archive_reference_is_supplied(stem: str) -> None:
    assert observe(encoded(stem)[1]).bad_supplied == []


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_round_trip_and_validity(stem: str) -> None:
    text, xml, _ = encoded(stem)
    trip = check_round_trip(text, xml, stem)
    assert trip.ok, trip.detail
    rng = load_schema(ROOT / "schema" / "tei_encoder.rng")
    errors = [str(d) for d in rng.validate_bytes(xml, f"{stem}.xml")]
    errors += [str(d) for d in Schematron.from_file(ROOT / "schema" / "tei_encoder.sch").validate_bytes(xml, f"{stem}.xml")
               if d.level >= Severity.ERROR]
    assert not errors, "\n".join(errors[:10])


@pytest.fixture(scope="module", autouse=True)
def styles_table(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print what each edition got right once the module has run."""
    yield
    rows = [("document", "profile", "turns", "who", "date", "lang", "brackets")]
    met = {"who": 0, "date": 0, "lang": 0, "brackets": 0}
    for stem, want in sorted(MANIFEST.items()):
        try:
            _, xml, profile = encoded(stem)
        except Exception as exc:  # shown in the table; the tests above report it
            rows.append((stem, f"failed: {type(exc).__name__}", "", "", "", "", ""))
            continue
        seen = observe(xml)
        ok = {
            "who": same_partition(want["who"], seen.who),
            "date": seen.date == want["date"],
            "lang": seen.lang == want["lang"],
            "brackets": not seen.bad_supplied,
        }
        for key, value in ok.items():
            met[key] += value
        rows.append((stem, profile, f"{len(seen.who)}/{len(want['who'])}", *("✓" if ok[k] else "✗" for k in ok)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    total = len(MANIFEST)
    lines.append(f"turn structure {met['who']}/{total}, date {met['date']}/{total}, language {met['lang']}/{total}, "
                 f"brackets {met['brackets']}/{total}")
    capman = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    with capman.global_and_fixture_disabled() if capman else contextlib.nullcontext():
        if reporter is None:
            print("\n".join(lines), file=sys.__stdout__)
            return
        reporter.ensure_newline()
        reporter.write_sep("-", "unseen house styles")
        for line in lines:
            reporter.write_line(line)
