"""The pipeline: source → blocks → persons and header facts → inline markup → TEI bytes."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from .blocks import BlockState, parse_blocks
from .blocks.documents import split_documents
from .config import ProjectConfig
from .diagnostics import Reporter
from .inlines import InlineContext, parse_inline, plain
from .inlines.brackets import BracketVocabulary
from .inlines.dates import DATE_RE, misread_date, parse_date, parse_iso
from .inlines.names import name_pattern
from .model import Block, Inline, Node, Span
from .profiles import Profile, detect_profile, load_profile
from .source import Source
from .tei.body import BodyBuilder
from .tei.header import build_header, build_part_header
from .tei.serialise import serialise
from .tei.xml import XML_LANG, el, sub
from .transforms.header_facts import header_facts
from .transforms.persons import (
    Register,
    offices_mentioned,
    parse_heading,
    parse_present,
    reported_speakers,
)


@dataclass
class Result:
    """An edition and what was said while making it."""

    xml: bytes
    profile: str
    profile_reason: str
    reporter: Reporter
    repairs: int = 0  # OCR repairs encoded as choice

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many of each element the edition has (read from its bytes when asked)."""
        counts: dict[str, int] = {}
        for element in etree.fromstring(self.xml).iter():
            if isinstance(element.tag, str):
                name = etree.QName(element).localname
                counts[name] = counts.get(name, 0) + 1
        return counts


def choose_profile(source: Source, name: str | None) -> tuple[Profile, str]:
    """The profile asked for, or the one detection picks, with the reason."""
    if name:
        return load_profile(name), "chosen with --profile"
    return detect_profile(source.text)


def convert(
    source: Source,
    reporter: Reporter,
    profile_name: str | None = None,
    config: ProjectConfig | None = None,
    repair_ocr: bool | None = None,
) -> Result:
    """Encode one source as a TEI edition."""
    # The objects built here hold no reference cycles: full collections over a growing heap
    # would only make time grow faster than the input.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _convert(source, reporter, profile_name, config, repair_ocr)
    finally:
        if enabled:
            gc.enable()


def _convert(
    source: Source, reporter: Reporter, profile_name: str | None, config: ProjectConfig | None, repair_ocr: bool | None
) -> Result:
    config = config or ProjectConfig()
    profile, reason = choose_profile(source, profile_name)
    text, wrapper = _unwrap(source.text, profile)
    state = parse_blocks(source, profile, reporter, text)
    register = Register()
    _collect_persons(state, register)
    register.assign_ids()

    doc_date = _document_date(state)
    date_cert = ""
    if doc_date is None:
        doc_date = _guessed_date(state)
        date_cert = "medium" if doc_date else ""
    ctx = InlineContext(
        source=source,
        reporter=reporter,
        vocab=BracketVocabulary.from_profile(profile.data["brackets"], profile.get("markdown", "enabled")),
        resp="#" + profile.get("brackets", "resp"),
        doc_year=int(doc_date[0][:4]) if doc_date else None,
        names=name_pattern(register),
        markdown=profile.get("markdown", "enabled"),
        repair_ocr=profile.get("ocr", "repair") if repair_ocr is None else repair_ocr,
    )
    for block in state.blocks:
        if block.kind == "present":
            block.attrs["items"] = _tag_spans(block.span, block.attrs["found"], plain)
        elif block.kind == "source-note":
            block.attrs["items"] = parse_inline(block.span, ctx)

    def inline(span: Span, names: bool = True) -> list[Inline]:
        return parse_inline(span, ctx, names)

    ids: dict[str, str] = {}

    def person_id(label: str) -> str:
        if label not in ids:
            person = register.resolve_caps(label)
            ids[label] = person.xml_id if person else "unknown"
        return ids[label]

    documents = split_documents(state.blocks, profile)
    root = el("TEI") if len(documents) == 1 else el("teiCorpus")
    builders: list[BodyBuilder] = []
    for number, blocks in enumerate(documents, start=1):
        tei = root if len(documents) == 1 else sub(root, "TEI")
        text = sub(tei, "text")
        text.set(XML_LANG, profile.top["language"])
        prefix = "" if len(documents) == 1 else f"d{number}-"
        builder = BodyBuilder(
            profile.top["div_type"], inline, person_id, profile.get("blocks", "number_pages"), ctx.resp, text, prefix
        )
        for block in blocks:
            builder.add(block)
        builder.finish()
        builders.append(builder)
        if len(documents) > 1:
            tei.insert(0, build_part_header(_part_facts(blocks, number, Path(source.name).stem)))

    facts = header_facts(source, profile, reason, state, register, ctx, doc_date, config)
    facts.creation_cert = date_cert
    facts.wrapper = wrapper
    if ctx.repair_ocr:
        facts.policies.append((
            "correction",
            f"OCR damage (run-together words, '|' and 'l' read for 'I') is repaired only where a word-frequency "
            f"dictionary gives strong evidence, as choice with the printed text in orig and the repair in reg "
            f"(resp tei-encoder, cert high or medium): {ctx.repairs} repairs.",
        ))
    facts.turns = any(b.turns for b in builders)
    if len(documents) > 1:
        facts.policies.append((
            "segmentation",
            f"The transcript holds {len(documents)} documents, each starting at a line the profile names "
            "(document_start_pattern): one teiCorpus, one TEI per document, in the order of the transcript.",
        ))
    root.insert(0, build_header(facts, builders[0].fill))
    return Result(serialise(root), profile.name, reason, reporter, ctx.repairs)


def _part_facts(blocks: list[Block], number: int, stem: str) -> dict[str, str]:
    """What the header of one document of several says: its title line and its date."""
    first = next((b for b in blocks if b.kind in ("p", "narration", "head") and b.span.text), None)
    start = next((b for b in blocks if b.kind in ("p", "narration") and b.span.clean.startswith("MEMO")), first)
    facts = {"title": start.span.clean if start else f"Document {number}", "n": str(number), "id": f"{stem}-d{number}"}
    text = "\n".join(b.span.clean for b in blocks[:8])
    exact = next((m for m in DATE_RE.finditer(text) if parse_date(m.group())), None)
    slip = misread_date(text)
    if exact is not None and (slip is None or exact.start() <= slip[0]):
        facts["when"], facts["date"] = parse_date(exact.group()) or "", exact.group()
    elif slip is not None:
        facts["when"], facts["date"] = slip[1], slip[2]
    return facts


def _unwrap(text: str, profile: Profile) -> tuple[str, tuple[str, str]]:
    """Blank out an export's wrapper (same length, newlines kept, so offsets stay true)."""
    table = profile.data["wrapper"]
    before = re.match(table["before"], text) if table["before"] else None
    after = re.search(table["after"], text) if table["after"] else None
    if before is None and after is None:
        return text, ("", "")
    start = before.end() if before else 0
    end = after.start() if after and after.start() >= start else len(text)

    def blank(part: str) -> str:
        return re.sub(r"[^\n]", " ", part)

    masked = blank(text[:start]) + text[start:end] + blank(text[end:])
    return masked, (text[:start], text[end:])


def _collect_persons(state: BlockState, register: Register) -> None:
    # Persons in order of mention: heading, the list of those present, speakers, signature,
    # and those the text names only by office (when the profile lists offices).
    speakers: set[str] = set()
    seen_reported: set[str] = set()
    title = state.facts.get("yaml", ("", {}))[1].get("title")
    if isinstance(title, str):
        # "RECORD OF CONVERSATION BETWEEN WILSON AND GORTON": the two sides of the record.
        m = re.search(r"\bBETWEEN ([A-Z][A-Z’'-]+) AND ([A-Z][A-Z’'-]+)\b", title)
        if m:
            for name in m.groups():
                register.add(name.title())
    turns = state.profile.data["turns"]
    reported = frozenset(turns["reporting_verbs"]) if turns["reported_in_text"] else frozenset()
    offices = state.profile.data["turns"]["offices"]
    for block in state.blocks:
        if offices and block.kind in ("p", "narration", "head", "item"):
            for office in offices_mentioned(block.span.clean, offices):
                register.add_role(office)
        if block.kind == "head":
            block.attrs["found"] = parse_heading(block.span.clean, register)
        elif block.kind == "present":
            block.attrs["found"] = parse_present(block.span.text, register)
        elif block.kind == "turn" and block.attrs["name"] not in speakers:
            speakers.add(block.attrs["name"])  # a label recurs in every turn: resolve it once
            register.add_caps(block.attrs["name"], speaker=True)
        elif block.kind == "opener":
            for kind, span in block.parts:
                if kind == "routing":
                    # "For Menzies from Beale.": the addressee and the writer of a cable.
                    for name in re.findall(r"\b(?:[Ff]or|[Ff]rom|[Tt]o) ([A-Z][a-z’'-]+(?:-[A-Z][a-z’'-]+)?)", span.clean):
                        register.add(name)
                if kind == "byline":
                    m = re.search(r"((?:[A-Z]\.\s?)+[A-Z][A-Z’'-]+)$", span.clean)
                    if m:
                        register.add_caps(m.group(1))
        elif block.kind in ("p", "narration", "item") and reported:
            for _, surname in reported_speakers(block.span.clean, reported):
                if surname not in seen_reported:
                    seen_reported.add(surname)
                    register.add(surname, speaker=True)
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


# How far into a transcript a memorandum's or cable's date may stand, when nothing else
# says which date is the document's.
_HEAD_OF_TEXT = 1500


def _document_date(state: BlockState) -> tuple[str, str] | None:
    """The document's date (ISO, as printed): from a dateline, the metadata or the heading."""
    if "date" in state.facts:
        when, span = state.facts["date"]
        return when, span.clean
    yaml_date = str(state.facts.get("yaml", ("", {}))[1].get("doc_date") or "")
    if parse_iso(yaml_date):
        return yaml_date, yaml_date
    head = state.facts.get("head")
    if head is not None:
        from .inlines.dates import DATE_RE

        for m in DATE_RE.finditer(head.clean):
            when = parse_date(m.group())
            if when:
                return when, m.group()
    return None


def _guessed_date(state: BlockState) -> tuple[str, str] | None:
    """The first full date near the top of the text: likely the document's, so marked a guess."""
    from .inlines.dates import DATE_RE

    head = state.source.text[:_HEAD_OF_TEXT]
    exact = next(((m.start(), parse_date(m.group()), m.group()) for m in DATE_RE.finditer(head) if parse_date(m.group())), None)
    # An OCR'd month ("30 Octaber 1962") counts only where no printed date comes before it.
    slip = misread_date(head)
    found = min((d for d in (exact, slip) if d is not None), default=None, key=lambda d: d[0])
    return (found[1] or "", found[2]) if found else None
