"""The pipeline: source → blocks → persons and header facts → inline markup → TEI bytes."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from .blocks import parse_blocks
from .blocks.documents import split_documents
from .config import ProjectConfig
from .diagnostics import Reporter
from .infer import BASE, INFERRED, SAMPLE_CHARS, Sample, infer
from .inlines import InlineContext, parse_inline, plain
from .inlines.brackets import BracketVocabulary
from .inlines.footnote_marks import link_markers
from .inlines.names import name_pattern
from .metadata import Metadata
from .model import FW_CLOSE, FW_OPEN, Inline, Node, Span
from .profiles import Profile, detect_profile, load_profile
from .source import Source
from .tei.body import BodyBuilder
from .tei.header import HeaderFacts, build_header, build_part_header
from .tei.serialise import serialise
from .tei.xml import XML_LANG, el, sub
from .transforms.archives import ArchivalId, parse_archival_id
from .transforms.document_date import ambiguous_numeric, document_date, guessed_date, guessed_world_date, stated_world_date
from .transforms.header_facts import header_facts
from .transforms.language import Detection, language_policy, text_language
from .transforms.parts import part_facts
from .transforms.register import collect_persons
from .transforms.translation import Translation, is_translation
from .transforms.wrapper import unwrap


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
    """The profile asked for, or the one detection picks, or one inferred from the file itself."""
    if name:
        return load_profile(name), "chosen with --profile"
    profile, reason = detect_profile(source.text)
    if profile.name != BASE or not reason.startswith("no house style"):
        return profile, reason
    inference = infer([Sample(source.name, source.text[:SAMPLE_CHARS])], f"{BASE}{INFERRED}", corpus=False)
    if not inference.settings:
        return profile, reason
    evidence = "; ".join(f"{s.key} = {s.value!r}: {s.why}" for s in inference.settings if s.key != "rules")
    return inference.profile(), f"{reason}; settings inferred from the file: {evidence}"


def convert(
    source: Source,
    reporter: Reporter,
    profile_name: str | None = None,
    config: ProjectConfig | None = None,
    repair_ocr: bool | None = None,
    metadata: Metadata | None = None,
) -> Result:
    """Encode one source as a TEI edition; `metadata` adds what the text does not say."""
    # The objects built here hold no reference cycles: full collections over a growing heap
    # would only make time grow faster than the input.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _convert(source, reporter, profile_name, config, repair_ocr, metadata)
    finally:
        if enabled:
            gc.enable()


def _convert(
    source: Source, reporter: Reporter, profile_name: str | None, config: ProjectConfig | None, repair_ocr: bool | None,
    metadata: Metadata | None = None,
) -> Result:
    config = config or ProjectConfig()
    profile, reason = choose_profile(source, profile_name)
    text, wrapper = unwrap(source.text, profile)
    state = parse_blocks(source, profile, reporter, text, tuple(metadata.participants) if metadata else ())
    register = collect_persons(state, metadata.participants if metadata else ())

    from_catalogue: list[str] = []  # facts the catalogue gives where the text states none
    if metadata is not None and metadata.language:
        language = Detection(metadata.language, 1.0, True)
        from_catalogue.append(f"the language ({metadata.language})")
    else:
        language = edition_language(profile, text, reporter)
    world_dates = profile.get("dates", "multilingual")
    # Numeric dates ("6/4/2015") are read month first in English (the American records these
    # profiles meet), day first elsewhere; where both orders make a date, it is marked a guess.
    month_first = language.code == "en"
    doc_date = document_date(state) or (stated_world_date(state, month_first) if world_dates else None)
    date_cert = "medium" if doc_date and world_dates and ambiguous_numeric(doc_date[1]) else ""
    if metadata is not None and metadata.date:
        if doc_date is None:
            doc_date = (metadata.date, metadata.date)
            from_catalogue.append(f"the date ({metadata.date})")
        elif doc_date[0][:10] != metadata.date:
            reporter.emit("TE421", f"the text dates itself {doc_date[0][:10]} ({doc_date[1]}), {metadata.path} says {metadata.date}; the text's date is kept")
    if doc_date is None:
        doc_date = guessed_world_date(state, month_first) if world_dates else guessed_date(state)
        date_cert = "medium" if doc_date else ""
    translation = is_translation(
        text,
        language.code,
        profile.top["original_language"],
        " ".join(span.clean for span in state.facts.get("fields", {}).get("original-language", [])[:1]),
        tuple(entry["pattern"] for entry in profile.get("responsibility", "patterns") if entry["role"] == "translator"),
    )
    if translation is None and profile.top["translation"] == "assumed":
        translation = Translation("", "the profile's translation = \"assumed\"")
    resp = profile.get("brackets", "resp")
    if resp == "translator" and translation is None:
        resp = "editor"  # an original's brackets are its editor's, not a translator's
    elif resp == "editor" and translation is not None and profile.top["translation"] == "stated":
        resp = "translator"  # a source that says it is a translation: its brackets are the translator's
    ctx = InlineContext(
        source=source,
        reporter=reporter,
        vocab=BracketVocabulary.from_profile(profile.data["brackets"], profile.get("markdown", "enabled")),
        resp="#" + resp,
        doc_year=int(doc_date[0][:4]) if doc_date else None,
        names=name_pattern(register),
        markdown=profile.get("markdown", "enabled"),
        repair_ocr=profile.get("ocr", "repair") if repair_ocr is None else repair_ocr,
        world_dates=world_dates,
    )
    # Footnote markers in the text point at the notes the document holds after it.
    ctx.finds.footnotes = frozenset(b.attrs["n"] for b in state.blocks if b.kind == "footnote")
    for block in state.blocks:
        if block.kind == "present":
            block.attrs["items"] = _tag_spans(block.span, block.attrs["found"], plain)
        elif block.kind == "source-note":
            block.attrs["items"] = parse_inline(block.span, ctx)

    marks = state.facts.get("footnote_marks", frozenset())

    def inline(span: Span, names: bool = True) -> list[Inline]:
        items = parse_inline(span, ctx, names)
        return link_markers(items, marks) if marks else items

    ids: dict[str, str] = {}

    def person_id(label: str) -> str:
        if label not in ids:
            person = register.labels.get(label) or register.resolve_caps(label)
            ids[label] = person.xml_id if person else "unknown"
        return ids[label]

    documents = split_documents(state.blocks, profile)
    root = el("TEI") if len(documents) == 1 else el("teiCorpus")
    builders: list[BodyBuilder] = []
    for number, blocks in enumerate(documents, start=1):
        tei = root if len(documents) == 1 else sub(root, "TEI")
        text = sub(tei, "text")
        text.set(XML_LANG, language.code)
        prefix = "" if len(documents) == 1 else f"d{number}-"
        builder = BodyBuilder(
            profile.top["div_type"], inline, person_id, profile.get("blocks", "number_pages"), ctx.resp, text, prefix
        )
        for block in blocks:
            builder.add(block)
        builder.finish()
        builders.append(builder)
        if len(documents) > 1:
            tei.insert(0, build_part_header(part_facts(blocks, number, Path(source.name).stem, state.document_start or re.compile("(?!)"))))

    facts = header_facts(source, profile, reason, state, register, ctx, doc_date, config)
    facts.creation_cert = date_cert
    facts.language = language.code
    if profile.top["language"] == "auto" and not (metadata is not None and metadata.language):
        facts.language_cert = language.cert
        facts.policies.append(("interpretation", language_policy(language)))
    if translation is not None and not facts.original_language:
        facts.original_language = translation.original
    if translation is not None and translation.translator and profile.top["translation"] == "stated":
        for r in facts.responsibilities:
            if r.role == "translator" and not r.name:
                r.name = translation.translator
    if translation is None and not _uses(root, ctx.resp):
        # An original with no bracketed insertion: nobody to name for them.
        facts.responsibilities = [r for r in facts.responsibilities if r.role != resp]
    facts.wrapper = wrapper
    if metadata is not None and metadata.participants:
        names = ", ".join(metadata.participants)
        only_file = metadata.sources in ((), (Path(metadata.path).name,))
        where = f"file {Path(metadata.path).name}" if only_file else f"({metadata.source_names})"
        facts.policies.append((
            "interpretation",
            f"Participants the text does not name ({names}) are taken from the project's metadata {where}.",
        ))
    if metadata is not None:
        from_catalogue += _catalogue_facts(facts, metadata, profile, Path(source.name).stem)
    if from_catalogue:
        facts.policies.append((
            "interpretation",
            f"Where the text states none, {', '.join(from_catalogue)} come from the project's catalogue "
            f"({metadata.sources[-1] if metadata else ''}).",
        ))
    if ctx.repair_ocr:
        facts.policies.append((
            "correction",
            f"OCR damage (run-together words, '|' and 'l' read for 'I') is repaired only where a word-frequency "
            f"dictionary gives strong evidence, as choice with the printed text in orig and the repair in reg "
            f"(resp tei-encoder, cert high or medium): {ctx.repairs} repairs.",
        ))
    if state.facts.get("running_heads"):
        facts.policies.append((
            "segmentation",
            "Lines a page repeats at its top or foot (running heads and feet, page numbers), compared "
            "regardless of case, spacing, the page's number and close OCR readings, are encoded as fw "
            f"(type header, footer or pageNum) with the page break, not as text: {state.facts['running_heads']} lines.",
        ))
    facts.turns = any(b.turns for b in builders)
    if len(documents) > 1:
        facts.policies.append((
            "segmentation",
            f"The transcript holds {len(documents)} documents, each starting at a line the profile names "
            "(document_start_pattern): one teiCorpus, one TEI per document, in the order of the transcript.",
        ))
    root.insert(0, build_header(facts, builders[0].fill))
    if config.register:
        _link_register(root, config)
    return Result(serialise(root), profile.name, reason, reporter, ctx.repairs)


def _link_register(root: etree._Element, config: ProjectConfig) -> None:
    """Point the edition's persons, places and organisations at the project's register (if it exists yet)."""
    from .corpus.link import link_edition, project_register

    path = Path(config.register)
    if path.is_file():
        link_edition(root, project_register(path), config.register_href or path.name)


def _catalogue_facts(facts: HeaderFacts, metadata: Metadata, profile: Profile, stem: str) -> list[str]:
    """Fill the header's title and archival citation from the catalogue where the text gave none."""
    used = []
    if metadata.title and facts.title == [stem]:
        facts.title = [metadata.title]
        used.append("the title")
    reference = metadata.citation or metadata.archive
    # A profile that reads front matter gives its citation back on the way to text: none is added.
    if reference and not facts.citation and facts.archival is None and not profile.data["front_matter"]["enabled"]:
        facts.citation = [[reference]]
        facts.archival = parse_archival_id(reference) or ArchivalId(reference, repository=metadata.archive)
        used.append("the archival citation")
    return used


def edition_language(profile: Profile, text: str, reporter: Reporter) -> Detection:
    """The text's language: the profile's, or identified from the text when it says "auto"."""
    if profile.top["language"] != "auto":
        return Detection(profile.top["language"], 1.0, True)
    found = text_language(text, profile.top["language_fallback"])
    if not found.sure:
        guess = f"best guess {found.best}, {found.confidence:.2f}" if found.best else "no words to read"
        reporter.emit("TE440", f"the text's language is not clear from it ({guess}); taken as {found.code}, the profile's language_fallback")
    return found


def _uses(element: etree._Element, pointer: str) -> bool:
    """Whether any element under this one points at the id with @resp."""
    return any(pointer in (e.get("resp") or "").split() for e in element.iter(etree.Element))


_FORME_WORK = re.compile(f"{FW_OPEN}[^{FW_CLOSE}]*{FW_CLOSE}")


def _tag_spans(span: Span, found, split) -> list[Inline]:
    """Wrap the found (start, end, person) ranges of a span in persName (none in forme work)."""
    items: list[Inline] = []
    last = 0
    forme = [m.span() for m in _FORME_WORK.finditer(span.text)] if FW_OPEN in span.text else []
    for start, end, person in found:
        if start < last or any(a < end and start < b for a, b in forme):
            continue
        items.extend(split(span.slice(last, start)))
        items.append(Node("persName", {"ref": "#" + person.xml_id}, [span.text[start:end]]))
        last = end
    items.extend(split(span.slice(last)))
    return items


