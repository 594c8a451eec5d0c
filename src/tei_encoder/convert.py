"""The pipeline: source → blocks → persons and header facts → inline markup → TEI bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import __version__
from .blocks import BlockState, parse_blocks
from .config import ProjectConfig
from .diagnostics import Reporter
from .inlines import InlineContext, parse_inline, plain
from .inlines.brackets import BracketVocabulary
from .inlines.dates import parse_date
from .inlines.names import find_names, name_pattern
from .model import Inline, Node, Span, strip_markers
from .profiles import Profile, detect_profile, load_profile
from .source import Source
from .tei.body import BodyBuilder
from .tei.header import HeaderFacts, Responsibility, build_header
from .tei.serialise import serialise
from .tei.xml import XML_LANG, el
from .transforms.archives import language_code, parse_archival_id
from .transforms.persons import Register, parse_heading, parse_present


@dataclass
class Result:
    """An edition and what was said while making it."""

    xml: bytes
    profile: str
    profile_reason: str
    reporter: Reporter
    counts: dict[str, int] = field(default_factory=dict)


def choose_profile(source: Source, name: str | None) -> tuple[Profile, str]:
    """The profile asked for, or the one detection picks, with the reason."""
    if name:
        return load_profile(name), "chosen with --profile"
    return detect_profile(source.text)


def convert(source: Source, reporter: Reporter, profile_name: str | None = None, config: ProjectConfig | None = None) -> Result:
    """Encode one source as a TEI edition."""
    config = config or ProjectConfig()
    profile, reason = choose_profile(source, profile_name)
    state = parse_blocks(source, profile, reporter)
    register = Register()
    _collect_persons(state, register)
    register.assign_ids()

    doc_date = _document_date(state)
    ctx = InlineContext(
        source=source,
        reporter=reporter,
        vocab=BracketVocabulary.from_profile(profile.data["brackets"]),
        resp="#translator",
        doc_year=int(doc_date[0][:4]) if doc_date else None,
        names=name_pattern(register),
    )
    for block in state.blocks:
        if block.kind == "present":
            block.attrs["items"] = _tag_spans(block.span, block.attrs["found"], plain)
        elif block.kind == "source-note":
            block.attrs["items"] = parse_inline(block.span, ctx)

    def inline(span: Span, names: bool = True) -> list[Inline]:
        return parse_inline(span, ctx, names)

    def person_id(label: str) -> str:
        person = register.resolve_caps(label)
        return person.xml_id if person else "unknown"

    builder = BodyBuilder(profile.top["div_type"], inline, person_id, profile.get("blocks", "number_pages"))
    for block in state.blocks:
        builder.add(block)
    body = builder.finish()

    facts = _header_facts(source, profile, reason, state, register, ctx, doc_date, config)
    facts.turns = builder.turns > 0
    tei = el("TEI")
    tei.append(build_header(facts, builder.fill))
    text = el("text")
    text.set(XML_LANG, profile.top["language"])
    text.append(body)
    tei.append(text)
    counts = _counts(tei)
    return Result(serialise(tei), profile.name, reason, reporter, counts)


def _collect_persons(state: BlockState, register: Register) -> None:
    # Persons in order of mention: heading, the list of those present, speakers, signature.
    for block in state.blocks:
        if block.kind == "head":
            block.attrs["found"] = parse_heading(block.span.clean, register)
        elif block.kind == "present":
            block.attrs["found"] = parse_present(block.span.text, register)
        elif block.kind == "turn":
            register.add_caps(block.attrs["name"], speaker=True)
        elif block.kind == "opener":
            for kind, span in block.parts:
                if kind == "byline":
                    m = re.search(r"((?:[A-Z]\.\s?)+[A-Z][A-Z’'-]+)$", span.clean)
                    if m:
                        register.add_caps(m.group(1))
        elif block.kind == "closer":
            role, name = block.parts[0][1].clean, block.parts[1][1].clean.strip("()")
            person = register.add_caps(name)
            if role not in person.roles:
                person.roles.append(role)


def _tag_spans(span: Span, found, split) -> list[Inline]:
    """Wrap the found (start, end, person) ranges of a span in persName."""
    items: list[Inline] = []
    last = 0
    for start, end, person in found:
        if start < last:
            continue
        items.extend(split(span.slice(last, start)))
        items.append(Node("persName", {"ref": "#" + person.xml_id}, [span.text[start:end]]))
        last = end
    items.extend(split(span.slice(last)))
    return items


def _document_date(state: BlockState) -> tuple[str, str] | None:
    if "date" in state.facts:
        when, span = state.facts["date"]
        return when, span.clean
    head = state.facts.get("head")
    if head is not None:
        from .inlines.dates import DATE_RE

        for m in DATE_RE.finditer(head.clean):
            when = parse_date(m.group())
            if when:
                return when, m.group()
    return None


def _header_facts(source, profile, reason, state, register, ctx, doc_date, config) -> HeaderFacts:
    facts_in = state.facts
    fields: dict[str, list[Span]] = facts_in.get("fields", {})
    if "title" in facts_in:
        title = parse_inline(facts_in["title"], ctx, names=False)
    elif "head" in facts_in:
        title = plain(facts_in["head"])
    else:
        title = [Path(source.name).stem]
    original = profile.top["original_language"]
    original_name = ""
    if fields.get("original-language"):
        original_name = fields["original-language"][0].clean
        original = language_code(original_name) or original
    facts = HeaderFacts(
        edition_id=Path(source.name).stem,
        title=title,
        profile=profile.name,
        profile_reason=reason,
        version=__version__,
        publisher=config.publisher,
        licence=config.licence,
        language=profile.top["language"],
        original_language=original,
        original_language_name=original_name,
        creation=doc_date,
        persons=register.persons,
        edition_date=config.date,
    )
    credit_texts: list[str] = []
    citation_spans = fields.get("citation", [])
    citation_text = ""
    for span in citation_spans:
        text = span.clean
        if text.startswith("<") and text.endswith(">") and " " not in text and len(citation_spans) > 1:
            facts.url = text[1:-1]
        else:
            facts.citation.append(plain(span) if not facts.citation else [" ", *plain(span)])
            citation_text = (citation_text + " " + text).strip()
    pattern = profile.get("front_matter", "citation_pattern")
    m = re.match(pattern, citation_text) if pattern and citation_text else None
    if m:
        groups = m.groupdict()
        facts.source_publisher = groups.get("publisher") or ""
        if groups.get("date") and parse_date(groups["date"]):
            facts.publication_date = (parse_date(groups["date"]), groups["date"])
        if groups.get("archive"):
            facts.archival = parse_archival_id(groups["archive"])
        credit_texts.append(groups.get("credit") or "")
    elif citation_text:
        facts.archival = parse_archival_id(citation_text)
        state.reporter.emit("TE402", "archival citation not parsed by the profile's pattern")
    if "publication_date" in facts_in:
        printed = facts_in["publication_date"].clean
        facts.publication_date = (parse_date(printed) or "", printed)
    for note in facts_in.get("source_notes", []):
        credit_texts.append(note.clean)
        if facts.archival is None:
            archive = note.clean.split(":", 1)[-1].split("Translated by")[0].strip()
            facts.archival = parse_archival_id(archive)
        if "National Security Archive" in note.clean and not facts.source_publisher:
            facts.source_publisher = "National Security Archive"
    for entry in profile.get("responsibility", "patterns"):
        for text in credit_texts:
            found = re.search(entry["pattern"], text)
            if found and all(r.role != entry["role"] for r in facts.responsibilities):
                facts.responsibilities.append(Responsibility(entry["role"], entry["resp"], _name_end(found.group("name"))))
    if fields.get("summary"):
        facts.summary = [plain(s) for s in fields["summary"]]
    for kind in ("credits", "contents"):
        for span in fields.get(kind, []):
            content: list[Inline] = plain(span)
            funder = re.search(r"support (?:from|of) (?:the )?(?P<org>[A-Z][^.]+?)\.?$", span.text)
            if kind == "credits" and funder and strip_markers(funder.group()) == funder.group():
                org = funder.group("org")
                facts.funders.append(org)
                content = [*plain(span.slice(0, funder.start("org"))), Node("orgName", {}, [org]), span.text[funder.end("org") :]]
            facts.notes.append((kind, [c for c in content if c != ""]))
    for kind, spans in fields.items():
        if kind not in ("citation", "summary", "credits", "contents", "original-language"):
            for span in spans:
                facts.notes.append((kind, plain(span)))
    if facts.archival is None and original_name:
        # No msDesc to hold textLang: the field is kept verbatim as a note instead.
        facts.notes.append(("original-language", plain(fields["original-language"][0])))
    facts.front_matter = list(facts_in.get("front_matter_order", []))
    facts.policies = _policies(profile, state)
    return facts


def _name_end(name: str) -> str:
    """A name caught before a sentence's full stop loses the stop, not an initial's."""
    last = name.rsplit(" ", 1)[-1]
    return name[:-1] if name.endswith(".") and len(last) > 2 else name


def _policies(profile: Profile, state: BlockState) -> list[tuple[str, str]]:
    blocks = profile.data["blocks"]
    lines = [
        ("correction", "[sic] markers of the translation are encoded as sic, attributed to the translator; nothing is corrected."),
        ("normalization", "Hard line wraps are joined with one space; a word hyphenated at a line end keeps its hyphen and is marked lb break=\"no\". OCR errors are left as printed."),
        ("interpretation", "Bracketed insertions are encoded as supplied (reason clarification), gap or editorial note, attributed to the translator; the brackets themselves are rendering."),
    ]
    if blocks["page_break_min_blank"]:
        lines.append(("segmentation", f"A run of {blocks['page_break_min_blank']} or more blank lines is a page boundary of the transcribed pages (pb, numbered from 2)."))
    if blocks["infer_breaks_in_sentences"]:
        lines.append(("segmentation", "A paragraph cut in mid-sentence by a blank line is encoded as one paragraph with a pb of medium certainty."))
    return lines


def _counts(tei: etree._Element) -> dict[str, int]:
    counts: dict[str, int] = {}
    for element in tei.iter():
        if isinstance(element.tag, str):
            name = etree.QName(element).localname
            counts[name] = counts.get(name, 0) + 1
    return counts
