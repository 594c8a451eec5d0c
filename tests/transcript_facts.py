"""Shared by the tests of transcripts in unseen styles (tests/styles, tests/realdocs): what an
edition says about turns, date, language and brackets, its round trip and validity, the table."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from lxml import etree

from tei_encoder.api import check_round_trip
from tei_encoder.diagnostics import Severity
from tei_encoder.infer.brackets import classify
from tei_encoder.validate.relaxng import load_schema
from tei_encoder.validate.schematron import Schematron

from .conftest import ROOT

NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FACTS = ("who", "date", "lang", "brackets")
# Bracket contents that are never an editor's insertion.
NOT_INSERTIONS = frozenset({"timestamp", "footnote", "archive"})


@dataclass
class Observed:
    who: list[str]
    date: str
    lang: str
    bad_supplied: list[str]


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


def facts_met(want: dict[str, Any], xml: bytes) -> dict[str, bool]:
    """Which of a manifest entry's facts the edition states."""
    seen = observe(xml)
    return {
        "who": same_partition(want["who"], seen.who),
        "date": seen.date == want["date"],
        "lang": seen.lang == want["lang"],
        "brackets": not seen.bad_supplied,
    }


@cache
def _schemas() -> tuple[Any, Schematron]:
    """The project's schemas, loaded once for every edition checked."""
    return load_schema(ROOT / "schema" / "tei_encoder.rng"), Schematron.from_file(ROOT / "schema" / "tei_encoder.sch")


def edition_problems(text: str, xml: bytes, stem: str) -> list[str]:
    """A failed round trip, and every RELAX NG error and Schematron error of the edition."""
    trip = check_round_trip(text, xml, stem)
    problems = [] if trip.ok else [f"round trip: {trip.detail}"]
    rng, rules = _schemas()
    problems += [str(d) for d in rng.validate_bytes(xml, f"{stem}.xml")]
    problems += [str(d) for d in rules.validate_bytes(xml, f"{stem}.xml") if d.level >= Severity.ERROR]
    return problems


def table_lines(manifest: dict[str, dict], encoded: Callable[[str], tuple[str, bytes, str]], tail: str = "") -> list[str]:
    """One row per document (profile, turns found/expected, each fact met or not) and the totals."""
    rows = [("document", "profile", "turns", *FACTS)]
    count = dict.fromkeys(FACTS, 0)
    for stem, want in sorted(manifest.items()):
        try:
            _, xml, profile = encoded(stem)
        except Exception as exc:  # shown in the table; the tests report it
            rows.append((stem, f"failed: {type(exc).__name__}", "", "", "", "", ""))
            continue
        ok = facts_met(want, xml)
        for key, value in ok.items():
            count[key] += value
        found = len(observe(xml).who)
        rows.append((stem, profile, f"{found}/{len(want['who'])}", *("✓" if ok[k] else "✗" for k in FACTS)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    total = len(manifest)
    lines.append(f"turn structure {count['who']}/{total}, date {count['date']}/{total}, language {count['lang']}/{total}, "
                 f"brackets {count['brackets']}/{total}{tail}")
    return lines


def print_section(request: pytest.FixtureRequest, title: str, lines: list[str]) -> None:
    """Print lines under a title past pytest's capture, at the end of a module."""
    capman = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    with capman.global_and_fixture_disabled() if capman else contextlib.nullcontext():
        if reporter is None:
            print("\n".join(lines), file=sys.__stdout__)
            return
        reporter.ensure_newline()
        reporter.write_sep("-", title)
        for line in lines:
            reporter.write_line(line)
