"""Real public documents (tests/realdocs/) in styles no profile was written for: with no
--profile, each edition gets its speaker turns, date and language right, encodes no timestamp,
footnote marker or archive reference as an insertion, round-trips and validates. A table is
printed."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tei_encoder.api import encode_file

from .transcript_facts import FACTS, edition_problems, facts_met, observe, print_section, table_lines

REALDOCS = Path(__file__).resolve().parent / "realdocs"
MANIFEST: dict[str, dict] = tomllib.loads((REALDOCS / "manifest.toml").read_text("utf-8"))
FILES = {p.stem: p for p in sorted(REALDOCS.iterdir()) if p.suffix in (".txt", ".md") and p.name != "README.md"}

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
    return facts_met(MANIFEST[stem], encoded(stem)[1])


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
    problems = edition_problems(*encoded(stem)[:2], stem)
    assert not problems, "\n".join(problems[:10])


@pytest.fixture(scope="module", autouse=True)
def realdocs_table(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print what each edition got right once the module has run."""
    yield
    print_section(request, "real documents", table_lines(MANIFEST, encoded, f"; {len(KNOWN_GAPS)} known gaps"))
