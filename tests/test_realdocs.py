"""Real public documents (tests/realdocs/) in styles no profile was written for: with no
--profile, each edition gets its speaker turns, date and language right, encodes no timestamp,
footnote marker or archive reference as an insertion, round-trips and validates. A table is
printed."""

from __future__ import annotations

import contextlib
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tei_encoder.api import check_round_trip, encode_file
from tei_encoder.diagnostics import Severity
from tei_encoder.validate.relaxng import load_schema
from tei_encoder.validate.schematron import Schematron

from .conftest import ROOT
from .test_styles import observe, same_partition

REALDOCS = Path(__file__).resolve().parent / "realdocs"
MANIFEST: dict[str, dict] = tomllib.loads((REALDOCS / "manifest.toml").read_text("utf-8"))
FILES = {p.stem: p for p in sorted(REALDOCS.iterdir()) if p.suffix in (".txt", ".md") and p.name != "README.md"}
FACTS = ("who", "date", "lang", "brackets")

# Facts the encoder does not meet yet: each runs as a strict xfail, so one that starts
# passing fails the suite until it is removed from here.
KNOWN_GAPS: dict[tuple[str, str], str] = {
}


@cache
def encoded(stem: str) -> tuple[str, bytes, str]:
    source, result = encode_file(FILES[stem])
    return source.text, result.xml, result.profile


def met(stem: str) -> dict[str, bool]:
    """Which of the manifest's facts the edition of one document states."""
    want = MANIFEST[stem]
    seen = observe(encoded(stem)[1])
    return {
        "who": same_partition(want["who"], seen.who),
        "date": seen.date == want["date"],
        "lang": seen.lang == want["lang"],
        "brackets": not seen.bad_supplied,
    }


def _params() -> list:
    params = []
    for stem in sorted(MANIFEST):
        for fact in FACTS:
            marks = []
            if (stem, fact) in KNOWN_GAPS:
                reason = f"known gap: {KNOWN_GAPS[(stem, fact)]}; if this passes, remove it from KNOWN_GAPS"
                marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
            params.append(pytest.param(stem, fact, marks=marks, id=f"{stem}-{fact}"))
    return params


def test_every_document_has_its_facts_and_origin() -> None:
    assert sorted(FILES) == sorted(MANIFEST)
    for stem, want in MANIFEST.items():
        assert want.get("source") and want.get("licence"), stem
        assert stem in (REALDOCS / "README.md").read_text("utf-8"), f"{stem} is not listed in README.md"


@pytest.mark.parametrize(("stem", "fact"), _params())
def test_fact(stem: str, fact: str) -> None:
    """One fact of one document: turns (count and who), date, language, or no false insertion."""
    want = MANIFEST[stem]
    seen = observe(encoded(stem)[1])
    detail = {
        "who": f"expected {want['who']}, edition has {seen.who}",
        "date": f"expected {want['date']!r}, edition has {seen.date!r}",
        "lang": f"expected {want['lang']!r}, edition has {seen.lang!r}",
        "brackets": f"encoded as supplied: {seen.bad_supplied}",
    }[fact]
    assert met(stem)[fact], detail


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


def table() -> list[str]:
    """One row per document: profile, turns found/expected and each fact met or not."""
    rows = [("document", "profile", "turns", "who", "date", "lang", "brackets")]
    count = dict.fromkeys(FACTS, 0)
    for stem in sorted(MANIFEST):
        try:
            _, xml, profile = encoded(stem)
        except Exception as exc:  # shown in the table; the tests above report it
            rows.append((stem, f"failed: {type(exc).__name__}", "", "", "", "", ""))
            continue
        ok = met(stem)
        for key, value in ok.items():
            count[key] += value
        found = len(observe(xml).who)
        rows.append((stem, profile, f"{found}/{len(MANIFEST[stem]['who'])}", *("✓" if ok[k] else "✗" for k in FACTS)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    total = len(MANIFEST)
    lines.append(f"turn structure {count['who']}/{total}, date {count['date']}/{total}, language {count['lang']}/{total}, "
                 f"brackets {count['brackets']}/{total}; {len(KNOWN_GAPS)} known gaps")
    return lines


@pytest.fixture(scope="module", autouse=True)
def realdocs_table(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print what each edition got right once the module has run."""
    yield
    lines = table()
    capman = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    with capman.global_and_fixture_disabled() if capman else contextlib.nullcontext():
        if reporter is None:
            print("\n".join(lines), file=sys.__stdout__)
            return
        reporter.ensure_newline()
        reporter.write_sep("-", "real documents")
        for line in lines:
            reporter.write_line(line)
