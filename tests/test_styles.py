"""Transcripts in house styles no profile was written for (tests/styles/): with no --profile,
each edition gets its speaker turns, date and language right, encodes no timestamp, footnote
marker or archive reference as an insertion, round-trips and validates. A table is printed."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tei_encoder.api import encode_file

from .transcript_facts import edition_problems, observe, print_section, same_partition, table_lines

STYLES = Path(__file__).resolve().parent / "styles"
MANIFEST: dict[str, dict] = tomllib.loads((STYLES / "manifest.toml").read_text("utf-8"))
FILES = {p.stem: p for p in sorted(STYLES.iterdir()) if p.suffix in (".txt", ".md")}


@cache
def encoded(stem: str) -> tuple[str, bytes, str]:
    source, result = encode_file(FILES[stem])
    return source.text, result.xml, result.profile


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
    problems = edition_problems(*encoded(stem)[:2], stem)
    assert not problems, "\n".join(problems[:10])


@pytest.fixture(scope="module", autouse=True)
def styles_table(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print what each edition got right once the module has run."""
    yield
    print_section(request, "unseen house styles", table_lines(MANIFEST, encoded))
