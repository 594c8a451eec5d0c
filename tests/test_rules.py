"""Golden fixtures per rule family: transcript snippets and the exact markup they must give."""

# Fixture format (tests/rules/<family>.txt), in the manner of markdown-it's fixtures.
#
# A file holds cases one after another. Lines between cases are blank or comments
# (starting with "#"). A case is:
#
#     Title of the case                      one line, unique in its file
#     profile: nsarchive                     header lines "key: value"; profile is required
#     xpath: /t:TEI/t:teiHeader//t:abstract  optional: compare these nodes instead of text/body
#     xfail: what is wrong                   optional: a known bug; the case must fail until fixed
#     .
#     the input transcript, verbatim         "␌" (U+240C) stands for a form feed
#     .
#     the expected markup                    text/body (or each node the xpath selects),
#     .                                      unindented, without the TEI namespace declaration
#     TE301 17:14                            expected diagnostics, "CODE line:col", in order;
#     .                                      this part is empty when there are none
#
# A part cannot hold a line that is exactly ".". The xpath uses the prefix "t" for TEI.
#
# `UPDATE_GOLDENS=1 python3 -m pytest tests/test_rules.py` rewrites the expected markup and
# diagnostics of every case in place from the converter's output, except known-bug cases,
# whose expectation is what the output should be. Review the diff before keeping it.

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from tei_encoder.api import encode_bytes

RULES = Path(__file__).resolve().parent / "rules"
NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
DELIMITER = "."
FORM_FEED = "\u240c"
HEADER_KEYS = ("profile", "xpath", "xfail")
UPDATE = os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")


@dataclass
class Case:
    """One fixture: where it is, what goes in, what must come out."""

    family: str
    title: str
    headers: dict[str, str]
    header_lines: list[str]
    source: list[str]
    expected: list[str]
    diagnostics: list[str]
    after: list[str] = field(default_factory=list)  # blank and comment lines up to the next case

    @property
    def test_id(self) -> str:
        return f"{self.family}/{self.title}"


@dataclass
class Fixture:
    """A fixture file as parsed: the lines before the first case, then the cases."""

    path: Path
    preamble: list[str]
    cases: list[Case]


class FixtureError(Exception):
    """A fixture file that does not follow the format."""


def _is_filler(line: str) -> bool:
    return not line.strip() or line.startswith("#")


def parse_fixture(path: Path) -> Fixture:
    """Read a fixture file; raises FixtureError naming the line at fault."""
    lines = path.read_text("utf-8").split("\n")
    family = path.stem
    i = 0
    while i < len(lines) and _is_filler(lines[i]):
        i += 1
    fixture = Fixture(path, lines[:i], [])
    titles: set[str] = set()
    while i < len(lines):
        title = lines[i]
        if title == DELIMITER:
            raise FixtureError(f"{path}:{i + 1}: a case starts with its title, not with '.'")
        if title in titles:
            raise FixtureError(f"{path}:{i + 1}: title {title!r} is used twice")
        titles.add(title)
        i += 1
        headers: dict[str, str] = {}
        header_lines: list[str] = []
        while i < len(lines) and lines[i] != DELIMITER:
            m = re.fullmatch(r"(\w+): (.*)", lines[i])
            if not m or m.group(1) not in HEADER_KEYS:
                raise FixtureError(f"{path}:{i + 1}: expected a header line ({', '.join(HEADER_KEYS)}) or '.'")
            headers[m.group(1)] = m.group(2).strip()
            header_lines.append(lines[i])
            i += 1
        if "profile" not in headers:
            raise FixtureError(f"{path}:{i + 1}: case {title!r} names no profile")
        parts: list[list[str]] = []
        for _ in range(3):
            if i >= len(lines) or lines[i] != DELIMITER:
                raise FixtureError(f"{path}:{i + 1}: case {title!r}: expected '.' before part {len(parts) + 1}")
            i += 1
            start = i
            while i < len(lines) and lines[i] != DELIMITER:
                i += 1
            parts.append(lines[start:i])
        if i >= len(lines):
            raise FixtureError(f"{path}: case {title!r} is not closed by '.'")
        i += 1
        start = i
        while i < len(lines) and _is_filler(lines[i]):
            i += 1
        case = Case(family, title, headers, header_lines, parts[0], parts[1], parts[2], lines[start:i])
        fixture.cases.append(case)
    if not fixture.cases:
        raise FixtureError(f"{path}: no cases")
    return fixture


def format_fixture(fixture: Fixture) -> str:
    """The text of a fixture file: parse_fixture and format_fixture are inverses."""
    lines = list(fixture.preamble)
    for case in fixture.cases:
        lines += [case.title, *case.header_lines, DELIMITER, *case.source, DELIMITER, *case.expected, DELIMITER]
        lines += [*case.diagnostics, DELIMITER, *case.after]
    return "\n".join(lines)


def _serialise(node: object) -> str:
    """One selected node as text: elements unindented and without the namespace declaration."""
    if isinstance(node, float) and node.is_integer():
        return str(int(node))
    if not isinstance(node, etree._Element):
        return str(node)
    text = etree.tostring(node, encoding="unicode", with_tail=False)
    first, _, rest = text.partition("\n")
    first = first.replace(f' xmlns="{NS["t"]}"', "", 1)
    return first + ("\n" + textwrap.dedent(rest) if rest else "")


def actual_output(case: Case) -> tuple[list[str], list[str]]:
    """The converter's markup and diagnostics for a case, as fixture lines."""
    data = "\n".join(case.source).replace(FORM_FEED, "\f") + "\n"
    result = encode_bytes(data.encode("utf-8"), "case.txt", case.headers["profile"])
    root = etree.fromstring(result.xml)
    nodes = root.xpath(case.headers.get("xpath", "/t:TEI/t:text/t:body"), namespaces=NS)
    if not isinstance(nodes, list):
        nodes = [nodes]
    markup = "\n".join(_serialise(n) for n in nodes).split("\n") if nodes else []
    diagnostics = []
    for d in result.reporter.items:
        where = "" if d.line is None else f" {d.line}" + ("" if d.col is None else f":{d.col}")
        diagnostics.append(d.code + where)
    return markup, diagnostics


def _fixture_files() -> list[Path]:
    return sorted(RULES.glob("*.txt"))


def _cases() -> list:
    params = []
    for path in _fixture_files():
        for case in parse_fixture(path).cases:
            marks = [pytest.mark.xfail(strict=True, reason=case.headers["xfail"])] if "xfail" in case.headers else []
            params.append(pytest.param(case, id=case.test_id, marks=marks))
    return params


def _update(case: Case, markup: list[str], diagnostics: list[str]) -> None:
    """Rewrite one case's expectation in its file, leaving every other line as it was."""
    path = RULES / f"{case.family}.txt"
    fixture = parse_fixture(path)
    for stored in fixture.cases:
        if stored.title == case.title:
            stored.expected, stored.diagnostics = markup, diagnostics
    text = format_fixture(fixture)
    if text != path.read_text("utf-8"):
        path.write_text(text, "utf-8")


@pytest.mark.parametrize("case", _cases())
def test_rule(case: Case) -> None:
    markup, diagnostics = actual_output(case)
    if UPDATE and "xfail" not in case.headers:
        _update(case, markup, diagnostics)
        return
    assert "\n".join(markup) == "\n".join(case.expected)
    assert diagnostics == case.diagnostics


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.stem)
def test_fixture_file_is_canonical(path: Path) -> None:
    """Every family file parses, and writing it back changes nothing (so updates touch only expectations)."""
    assert format_fixture(parse_fixture(path)) == path.read_text("utf-8")


def test_every_family_has_a_file() -> None:
    families = {p.stem for p in _fixture_files()}
    wanted = {
        "speakers", "brackets", "sic", "pages", "sections", "dates",
        "opener_closer", "front_matter", "present", "hyphenation",
    }
    assert wanted <= families, f"missing: {sorted(wanted - families)}"
