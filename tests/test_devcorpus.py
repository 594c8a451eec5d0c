"""Development corpus: every document converts, validates and round-trips; its facts are ratcheted."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tei_encoder.api import check_round_trip, encode_file, parse_edition
from tei_encoder.diagnostics import Diagnostic, Severity
from tei_encoder.validate.jing import run_jing

from .conftest import ROOT, SHARED

DEVCORPUS = SHARED / "devcorpus"
MANIFEST = DEVCORPUS / "manifest.json"
if not MANIFEST.is_file():
    pytest.skip(f"development corpus not found at {DEVCORPUS} (../shared is absent)", allow_module_level=True)

NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
DOCUMENTS: dict[str, dict[str, Any]] = {d["id"]: d for d in json.loads(MANIFEST.read_text("utf-8"))["documents"]}
FACTS = ("date", "citation", "speakers", "brackets", "sic", "gaps")

# Facts the converter does not meet yet: each runs as a strict xfail, so one that starts
# passing fails the run until its entry is removed here. Keep the reason to a few words.
KNOWN_GAPS: dict[tuple[str, str], str] = {}

# Expected speaker strings no rule below can read, with the key to look for instead.
# "the Attorney General" is never named in the text (Robert F. Kennedy): the role is the key.
SPEAKER_KEYS = {"the Attorney General": "Attorney General"}
# Words that are titles or roles, never a surname.
_TITLES = frozenset(
    {"mr", "mrs", "ms", "sir", "dr", "the", "president", "prime", "minister", "attorney", "general", "secretary"}
)
# A parenthesis that is a name: capitalised words only ("(Whitlam)", "(Harold Wilson)").
_NAME_IN_PARENS = re.compile(r"\(\s*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*)\s*\)")

# What a bracket of the source becomes in an edition (outermost element counted once).
# Counted against bracket_spans: archival references and footnote links are not in that count, so
# a supplied made of one of them is a miscount, as it should be (they belong in the header, in ref).
_INTERVENTION_TAGS = frozenset(
    f"{{{NS['t']}}}{name}" for name in ("supplied", "gap", "sic", "incident", "kinesic", "vocal")
)
_INTERVENTION_NOTES = frozenset({"editorial", "incident"})


@dataclass(frozen=True)
class Converted:
    """One document of the corpus and what the converter made of it."""

    text: str = ""
    xml: bytes = b""
    errors: tuple[Diagnostic, ...] = ()
    root: etree._Element | None = None
    failure: str = ""  # an exception raised, or the edition's parse error


@dataclass(frozen=True)
class Outcome:
    """One fact of one document: met or not, with what the edition shows."""

    met: bool
    observed: str


def speaker_key(expected: str) -> str:
    """The surname (or, from SPEAKER_KEYS, role) that identifies a speaker string of the manifest."""
    return SPEAKER_KEYS[expected] if expected in SPEAKER_KEYS else surname_rule(expected)


def surname_rule(expected: str) -> str:
    """The surname in a speaker string; ValueError where the rule cannot read one.

    The last of several forms ("Douglas-Home / Home") is the one the text uses; a parenthesis
    made of capitalised words is the name ("The Prime Minister (Whitlam)"), any other
    parenthesis is a comment and dropped; the key is then the last word, unless it is a title.
    """
    name = expected.split(" / ")[-1]
    found = _NAME_IN_PARENS.search(name)
    name = found.group(1) if found else re.sub(r"\([^()]*\)", " ", name)
    last = name.split()[-1].strip(".,;:'") if name.split() else ""
    if not last[:1].isupper() or last.casefold() in _TITLES:
        raise ValueError(f"no rule reads a surname from {expected!r}: add it to SPEAKER_KEYS")
    return last


def _words(text: str) -> list[str]:
    """Lower-cased words of a name or pointer: "#douglas-home" and "Douglas-Home" give [douglas, home]."""
    return re.findall(r"[^\W\d_]+", text.casefold())


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    """Whether the words of needle occur together, in order, in haystack."""
    n = len(needle)
    return n > 0 and any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def _people(root: etree._Element) -> list[list[str]]:
    """The words naming each participant: particDesc persons (names, roles, id) and each sp/@who."""
    found: list[list[str]] = []
    for person in root.iterfind(".//t:profileDesc/t:particDesc//t:person", NS):
        parts = [person.get(f"{{{NS['xml']}}}id", "")]
        for tag in ("persName", "roleName", "occupation"):
            parts += ["".join(e.itertext()) for e in person.iterfind(f".//t:{tag}", NS)]
        found.append(_words(" ".join(parts)))
    for sp in root.iterfind(".//t:text//t:sp[@who]", NS):
        found += [_words(pointer) for pointer in sp.get("who", "").split()]
    return found


def _citation_words(text: str) -> list[str]:
    """Words of a citation; brackets, commas, colons, semicolons and parentheses are rendering."""
    return [w.rstrip(".") for w in re.findall(r"[^\s,;:\[\]()]+", text.casefold()) if w.rstrip(".")]


def _source_desc_words(root: etree._Element) -> set[str]:
    """Every word in the sourceDesc's msIdentifier and bibl elements, text and attribute values."""
    words: set[str] = set()
    path = ".//t:teiHeader/t:fileDesc/t:sourceDesc//*[self::t:msIdentifier or self::t:bibl or self::t:biblStruct]"
    for element in root.xpath(path, namespaces=NS):
        words.update(_citation_words(" ".join(element.itertext())))
        for node in element.iter():
            words.update(w for value in node.attrib.values() for w in _citation_words(value))
    return words


def _is_intervention(element: etree._Element) -> bool:
    """Whether an element is what a bracket became; a sic whose marker was "(sic)" is not."""
    if element.tag == f"{{{NS['t']}}}note":
        return element.get("type") in _INTERVENTION_NOTES
    if element.tag == f"{{{NS['t']}}}sic":
        return not element.get("rend", "").lstrip().startswith("(")
    return element.tag in _INTERVENTION_TAGS


def bracket_interventions(root: etree._Element) -> int:
    """Editorial interventions the brackets became, each counted once at its outermost element."""
    return sum(
        1
        for e in root.iter(etree.Element)
        if _is_intervention(e) and not any(_is_intervention(a) for a in e.iterancestors())
    )


# Date: profileDesc/creation/date/@when equals date_iso (a time after "T" is allowed). A null
# date_iso means the text states no date, so the edition must claim none, or mark its claim
# as a guess (@cert low, medium or unknown): an unmarked date would be an invented fact.
def check_date(doc: dict[str, Any], root: etree._Element) -> Outcome:
    """The creation date against date_iso."""
    # A teiCorpus (one file of several documents) says the file's date in its own header.
    dates = root.xpath("./t:teiHeader/t:profileDesc/t:creation//t:date[@when]", namespaces=NS)
    claimed = [d.get("when") for d in dates]
    shown = ", ".join(claimed) or "none"
    if doc["date_iso"] is None:
        return Outcome(all(d.get("cert") in ("low", "medium", "unknown") for d in dates), shown)
    return Outcome(bool(claimed) and {w.split("T")[0] for w in claimed} == {doc["date_iso"]}, shown)


# Citation: the citation's words, in any order, are all in the sourceDesc's msIdentifier or
# bibl, as text or attribute values. Punctuation and brackets are rendering; this accepts the
# citation kept verbatim in a bibl or altIdentifier as well as split into repository/@key and
# one idno per level, and the manifest's composed citation (jfk_1089) as its parts.
def check_citation(doc: dict[str, Any], root: etree._Element) -> Outcome:
    """The archival citation in the sourceDesc."""
    have = _source_desc_words(root)
    missing = [w for w in _citation_words(doc["expected"]["archival_citation"]) if w not in have]
    return Outcome(not missing, "missing " + " ".join(missing) if missing else "")


# Speakers: each expected speaker's key (speaker_key) occurs, case-insensitively and as whole
# words, in a particDesc person's persName, roleName, occupation or xml:id, or in an sp/@who.
def check_speakers(doc: dict[str, Any], root: etree._Element) -> Outcome:
    """Each expected speaker's key names a particDesc person or an sp/@who."""
    people = _people(root)
    keys = [speaker_key(s) for s in doc["expected"]["speakers"]]
    missing = [k for k in keys if not any(_contains_run(p, _words(k)) for p in people)]
    return Outcome(not missing, "no " + ", ".join(missing) if missing else "")


def check_count(found: int, want: int) -> Outcome:
    """A count of the edition against the manifest's."""
    return Outcome(found == want, str(found))


def facts_of(doc: dict[str, Any]) -> list[str]:
    """The facts that apply to a document: citation and speakers only where the manifest expects some."""
    return [
        f for f in FACTS
        if not (f == "citation" and doc["expected"]["archival_citation"] is None)
        and not (f == "speakers" and not doc["expected"]["speakers"])
    ]


def observe(doc: dict[str, Any], converted: Converted) -> dict[str, Outcome]:
    """Every applicable fact of one document."""
    root = converted.root
    if root is None:
        return {f: Outcome(False, "no edition") for f in facts_of(doc)}
    computed = doc["computed"]
    checks = {
        "date": lambda: check_date(doc, root),
        "citation": lambda: check_citation(doc, root),
        "speakers": lambda: check_speakers(doc, root),
        "brackets": lambda: check_count(bracket_interventions(root), computed["bracket_spans"]),
        "sic": lambda: check_count(len(root.xpath("//t:sic", namespaces=NS)), computed["sic_markers"]),
        "gaps": lambda: check_count(len(root.xpath("//t:gap", namespaces=NS)), computed["gap_markers"]),
    }
    return {f: checks[f]() for f in facts_of(doc)}


def convert(doc: dict[str, Any]) -> Converted:
    """Convert one document, keeping whatever went wrong instead of raising."""
    try:
        source, result = encode_file(DEVCORPUS / doc["path"])
    except Exception as exc:  # noqa: BLE001 - reported by the test of this document
        return Converted(failure=f"{type(exc).__name__}: {exc}")
    errors = tuple(d for d in result.reporter.items if d.level >= Severity.ERROR)
    try:
        root = parse_edition(result.xml, doc["id"])
    except Exception as exc:  # noqa: BLE001 - not well-formed
        return Converted(source.text, result.xml, errors, None, f"{type(exc).__name__}: {exc}")
    return Converted(source.text, result.xml, errors, root)


def _cell(outcome: Outcome | None) -> str:
    """A table cell: ✓, ✗ with the observed value (shortened), or – where the fact does not apply."""
    if outcome is None:
        return "–"
    if outcome.met:
        return "✓"
    shown = outcome.observed if len(outcome.observed) <= 36 else outcome.observed[:35] + "…"
    return f"✗ {shown}"


def render_table(outcomes: dict[str, dict[str, Outcome]]) -> list[str]:
    """One row per document, one column per fact: ✓, ✗ with the observed value, or – where it does not apply."""
    rows = [["document", *FACTS]]
    for doc_id, facts in outcomes.items():
        rows.append([doc_id, *(_cell(facts.get(fact)) for fact in FACTS)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    met = sum(o.met for facts in outcomes.values() for o in facts.values())
    total = sum(len(facts) for facts in outcomes.values())
    lines.append(f"{met}/{total} facts met; {len(KNOWN_GAPS)} known gaps")
    return lines


@pytest.fixture(scope="module")
def converted() -> dict[str, Converted]:
    """Every document of the corpus, converted once."""
    return {doc_id: convert(doc) for doc_id, doc in DOCUMENTS.items()}


@pytest.fixture(scope="module")
def outcomes(converted: dict[str, Converted]) -> dict[str, dict[str, Outcome]]:
    """Every fact of every document, observed once."""
    return {doc_id: observe(doc, converted[doc_id]) for doc_id, doc in DOCUMENTS.items()}


@pytest.fixture(scope="module", autouse=True)
def fact_table(request: pytest.FixtureRequest, outcomes: dict[str, dict[str, Outcome]]) -> Iterator[None]:
    """Print the table of facts once the module has run."""
    yield
    lines = render_table(outcomes)
    capman = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    with capman.global_and_fixture_disabled() if capman else contextlib.nullcontext():
        if reporter is None:
            print("\n" + "\n".join(lines), file=sys.__stdout__, flush=True)
            return
        reporter.ensure_newline()
        reporter.write_sep("-", "development corpus facts")
        for line in lines:
            reporter.write_line(line)


def _jing_by_doc(schema: Path, converted: dict[str, Converted], folder: Path) -> dict[str, list[str]]:
    """jing's errors per document, from one run over all editions."""
    files = []
    for doc_id, conv in converted.items():
        if conv.xml:
            files.append(folder / f"{doc_id}.xml")
            files[-1].write_bytes(conv.xml)
    by_doc: dict[str, list[str]] = {doc_id: [] for doc_id in converted}
    for diag in run_jing(schema, files):
        stem = Path(diag.file).stem
        for doc_id in [stem] if stem in by_doc else by_doc:  # a failure of jing itself concerns all
            by_doc[doc_id].append(diag.format())
    return by_doc


@pytest.fixture(scope="module")
def jing_errors(tei_all: Path, converted: dict[str, Converted], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """jing's errors per document against tei_all."""
    return _jing_by_doc(tei_all, converted, tmp_path_factory.mktemp("devcorpus"))


@pytest.fixture(scope="module")
def project_errors(tei_all: Path, converted: dict[str, Converted], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """jing's errors per document against the project's own schema (schema/tei_encoder.rng)."""
    return _jing_by_doc(ROOT / "schema" / "tei_encoder.rng", converted, tmp_path_factory.mktemp("devcorpus-project"))


def _fact_params() -> list[Any]:
    """(document, fact) pairs; a known gap is a strict xfail that fails once it is met."""
    params = []
    for doc_id, doc in DOCUMENTS.items():
        for fact in facts_of(doc):
            marks = []
            if (doc_id, fact) in KNOWN_GAPS:
                why = KNOWN_GAPS[(doc_id, fact)]
                reason = f"known gap: {why}; if this passes, remove ({doc_id!r}, {fact!r}) from KNOWN_GAPS"
                marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
            params.append(pytest.param(doc_id, fact, marks=marks, id=f"{doc_id}-{fact}"))
    return params


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_converts_without_error(doc_id: str, converted: dict[str, Converted]) -> None:
    """The document converts with no error-level diagnostic."""
    conv = converted[doc_id]
    assert conv.xml, conv.failure
    assert not conv.errors, "\n".join(d.format() for d in conv.errors)


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_edition_is_well_formed(doc_id: str, converted: dict[str, Converted]) -> None:
    """The edition parses as XML with a TEI root."""
    conv = converted[doc_id]
    assert conv.root is not None, conv.failure
    assert conv.root.tag in (f"{{{NS['t']}}}TEI", f"{{{NS['t']}}}teiCorpus")


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_edition_is_valid_tei_all(doc_id: str, jing_errors: dict[str, list[str]]) -> None:
    """The edition validates against tei_all (one jing run for the corpus)."""
    assert not jing_errors[doc_id], "\n".join(jing_errors[doc_id][:10])


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_edition_is_valid_project_schema(doc_id: str, project_errors: dict[str, list[str]]) -> None:
    """The edition validates against our customised schema, which is stricter than tei_all."""
    assert not project_errors[doc_id], "\n".join(project_errors[doc_id][:10])


@pytest.fixture(scope="module")
def project_rules() -> Any:
    from tei_encoder.validate.schematron import Schematron

    return Schematron.from_file(ROOT / "schema" / "tei_encoder.sch")


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_edition_meets_project_rules(doc_id: str, converted: dict[str, Converted], project_rules: Any) -> None:
    """Our schema's Schematron finds no error in the edition (warnings, such as no citation, may stand)."""
    conv = converted[doc_id]
    assert conv.xml, conv.failure
    errors = [d for d in project_rules.validate_bytes(conv.xml, f"{doc_id}.xml") if d.level >= Severity.ERROR]
    assert not errors, "\n".join(d.format() for d in errors[:10])


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_edition_round_trips(doc_id: str, converted: dict[str, Converted]) -> None:
    """The text regenerated from the edition is the source's."""
    conv = converted[doc_id]
    assert conv.xml, conv.failure
    trip = check_round_trip(conv.text, conv.xml, doc_id)
    assert trip.ok, trip.detail


@pytest.mark.parametrize(("doc_id", "fact"), _fact_params())
def test_fact(doc_id: str, fact: str, outcomes: dict[str, dict[str, Outcome]]) -> None:
    """The edition states the manifest's fact (known gaps must still fail)."""
    outcome = outcomes[doc_id][fact]
    doc = DOCUMENTS[doc_id]
    want = {
        "date": doc["date_iso"] or "no date claimed",
        "citation": doc["expected"]["archival_citation"],
        "speakers": ", ".join(speaker_key(s) for s in doc["expected"]["speakers"]),
        "brackets": doc["computed"]["bracket_spans"],
        "sic": doc["computed"]["sic_markers"],
        "gaps": doc["computed"]["gap_markers"],
    }[fact]
    assert outcome.met, f"{fact}: expected {want}, edition gives {outcome.observed}"


def test_table_reads_every_fact_met(outcomes: dict[str, dict[str, Outcome]]) -> None:
    """The manifest table's last line: every fact of every document met, beyond the known gaps."""
    met = sum(o.met for facts in outcomes.values() for o in facts.values())
    total = sum(len(facts) for facts in outcomes.values())
    assert total == sum(len(facts_of(doc)) for doc in DOCUMENTS.values())
    assert met == total - len(KNOWN_GAPS), render_table(outcomes)[-1]


def test_known_gaps_name_real_facts() -> None:
    """Every KNOWN_GAPS entry names a document and a fact that applies to it, with a reason."""
    stray = [key for key in KNOWN_GAPS if key[0] not in DOCUMENTS or key[1] not in facts_of(DOCUMENTS[key[0]])]
    assert not stray, f"KNOWN_GAPS entries that are no test: {stray}"
    assert all(why.strip() for why in KNOWN_GAPS.values())


def test_speaker_keys() -> None:
    """The surname rule reads the manifest's forms; SPEAKER_KEYS holds only what it cannot."""
    assert [speaker_key(s) for s in (
        "The Prime Minister (Whitlam)", "Mr. Gorton", "Douglas-Home / Home (reported)",
        "L.I. Brezhnev (implicit; addresses 'Todor')", "John A. McCone (DCI, first person)",
        "Mr. Arnold Smith (later 'Mr. Smith')", "The Prime Minister (Harold Wilson)",
    )] == ["Whitlam", "Gorton", "Home", "Brezhnev", "McCone", "Smith", "Wilson"]
    for expected in SPEAKER_KEYS:
        with pytest.raises(ValueError):
            surname_rule(expected)
