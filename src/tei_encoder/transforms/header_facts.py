"""Gathering what the header says: title, responsibility, citation, archive, fields of the export."""

from __future__ import annotations

import re
from pathlib import Path

from .. import __version__
from ..blocks import BlockState
from ..config import ProjectConfig
from ..inlines import InlineContext, parse_inline
from ..inlines.bracket_meaning import Meanings
from ..inlines.dates import parse_date
from ..model import Inline, Node, Span, strip_markers
from ..profiles import Profile
from ..source import Source
from ..tei.header import HeaderFacts, Responsibility
from .archives import language_code, parse_archival_id, release_record
from .persons import Register

_RESP_TEXT = {"translator": "translated by", "editor": "edited by"}
_RESP_WHO = {"translator": "the translator", "editor": "the editor of the source"}
_MEANINGS_POLICY = (
    "Brackets are read by meaning: timestamps as time (type timestamp), footnote markers as ref to "
    "their note, sounds, gestures and events as vocal, kinesic, incident or pause, party tags as "
    "orgName, archive references as bibl (also listed in sourceDesc), doubtful readings as unclear, "
    "omissions as gap; only the remaining insertions are supplied (reason clarification), attributed "
    "to {who}. The brackets themselves are rendering."
)

# Front-matter kinds the header has a place of its own for; any other kind becomes a note.
_PLACED = ("citation", "summary", "credits", "contents", "original-language")


def header_facts(
    source: Source,
    profile: Profile,
    reason: str,
    state: BlockState,
    register: Register,
    ctx: InlineContext,
    doc_date: tuple[str, str] | None,
    config: ProjectConfig,
) -> HeaderFacts:
    """Everything the teiHeader will say about one document."""
    found = state.facts
    fields: dict[str, list[Span]] = found.get("fields", {})
    original, original_name = profile.top["original_language"], ""
    if fields.get("original-language"):
        original_name = fields["original-language"][0].clean
        original = language_code(original_name) or original
    facts = HeaderFacts(
        edition_id=Path(source.name).stem,
        title=_title(found, ctx, source),
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
    credits = _citation(facts, fields.get("citation", []), profile, state, ctx)
    if "publication_date" in found:
        printed = found["publication_date"].clean
        facts.publication_date = (parse_date(printed) or "", printed)
    credits += _source_notes(facts, found.get("source_notes", []), profile)
    if facts.archival is None and profile.data["header"]["release_records"]:
        facts.archival = release_record(source.text)
    _responsibility(facts, credits, profile)
    resp = ctx.resp.lstrip("#")
    if all(r.role != resp for r in facts.responsibilities):
        # Insertions are attributed to this id: the header must say who that is, even when
        # the transcript does not name them.
        facts.responsibilities.append(Responsibility(resp, _RESP_TEXT.get(resp, "editorial interventions by"), ""))
    facts.summary = [parse_inline(s, ctx, printed=True) for s in fields.get("summary", [])]
    _notes(facts, fields, profile, ctx)
    spans = fields.get("original-language", [])
    if spans and (facts.archival is None or len(spans) > 1):
        # textLang holds one value, and only inside msDesc: otherwise the field is kept
        # verbatim as notes, and textLang (if any) says the language without text.
        facts.notes.extend(("original-language", parse_inline(span, ctx, printed=True)) for span in spans)
        facts.textlang_text = False
    if "yaml" in found:
        facts.yaml = found["yaml"][0]
    facts.front_matter = list(found.get("front_matter_order", []))
    facts.policies = policies(profile, resp)
    facts.archival_refs = list(ctx.finds.archive_refs)
    return facts


def _title(found: dict, ctx: InlineContext, source: Source) -> list[Inline]:
    if "title" in found:
        return parse_inline(found["title"], ctx, names=False)
    if "head" in found:
        return parse_inline(found["head"], ctx, printed=True)
    yaml_title = found.get("yaml", ("", {}))[1].get("title")
    if isinstance(yaml_title, str) and yaml_title.strip():
        return [" ".join(yaml_title.split())]
    return [Path(source.name).stem]


def _citation(facts: HeaderFacts, spans: list[Span], profile: Profile, state: BlockState, ctx: InlineContext) -> list[str]:
    """Keep the citation verbatim, take the URL apart, parse the rest; return credit texts."""
    text = ""
    for span in spans:
        clean = span.clean
        if clean.startswith("<") and clean.endswith(">") and " " not in clean and len(spans) > 1:
            facts.url = clean[1:-1]
        else:
            printed = parse_inline(span, ctx, printed=True)
            facts.citation.append(printed if not facts.citation else [" ", *printed])
            text = (text + " " + clean).strip()
    if not text:
        return []
    pattern = profile.get("front_matter", "citation_pattern")
    m = re.match(pattern, text) if pattern else None
    if not m:
        facts.archival = parse_archival_id(text)
        state.reporter.emit("TE402", "citation not parsed by the profile's citation_pattern; kept verbatim")
        return [text]
    groups = m.groupdict()
    facts.source_publisher = groups.get("publisher") or ""
    if groups.get("date") and parse_date(groups["date"]):
        facts.publication_date = (parse_date(groups["date"]) or "", groups["date"])
    if groups.get("archive"):
        facts.archival = parse_archival_id(groups["archive"])
    return [groups.get("credit") or ""]


def _source_notes(facts: HeaderFacts, notes: list[Span], profile: Profile) -> list[str]:
    """Archive and publisher named in "[Source: …" lines; return their texts as credits."""
    header = profile.data["header"]
    texts = []
    for note in notes:
        text = note.clean
        texts.append(text)
        m = re.search(header["source_note_pattern"], text) if header["source_note_pattern"] else None
        if facts.archival is None:
            archive = m.group("archive") if m and m.groupdict().get("archive") else text
            facts.archival = parse_archival_id(archive.strip())
        for publisher in header["publishers"]:
            if publisher in text and not facts.source_publisher:
                facts.source_publisher = publisher
    return texts


def _responsibility(facts: HeaderFacts, texts: list[str], profile: Profile) -> None:
    for entry in profile.get("responsibility", "patterns"):
        for text in texts:
            found = re.search(entry["pattern"], text)
            if found and all(r.role != entry["role"] for r in facts.responsibilities):
                facts.responsibilities.append(Responsibility(entry["role"], entry["resp"], _name_end(found.group("name"))))


def _notes(facts: HeaderFacts, fields: dict[str, list[Span]], profile: Profile, ctx: InlineContext) -> None:
    """Fields with no element of their own, verbatim in notesStmt; the funder tagged."""
    funder_pattern = profile.data["header"]["funder_pattern"]
    for kind in ("credits", "contents"):
        for span in fields.get(kind, []):
            content: list[Inline] = parse_inline(span, ctx, printed=True)
            funder = re.search(funder_pattern, span.text) if funder_pattern and kind == "credits" else None
            if funder and strip_markers(funder.group()) == funder.group():
                org = funder.group("org")
                facts.funders.append(org)
                before = parse_inline(span.slice(0, funder.start("org")), ctx, printed=True)
                content = [*before, Node("orgName", {}, [org]), span.text[funder.end("org") :]]
            facts.notes.append((kind, [c for c in content if c != ""]))
    for kind, spans in fields.items():
        if kind not in _PLACED:
            facts.notes.extend((kind, parse_inline(span, ctx, printed=True)) for span in spans)


def _name_end(name: str) -> str:
    """A name caught before a sentence's full stop loses the stop, not an initial's."""
    last = name.rsplit(" ", 1)[-1]
    return name[:-1] if name.endswith(".") and len(last) > 2 else name


def policies(profile: Profile, resp: str = "translator") -> list[tuple[str, str]]:
    """The editorial policies the edition states in editorialDecl; `resp` made the insertions."""
    blocks = profile.data["blocks"]
    of = "translation" if resp == "translator" else "transcript"
    lines = [
        ("correction", f"[sic] markers of the {of} are encoded as sic, attributed to the {resp}; nothing is corrected."),
        ("normalization", "Hard line wraps are joined with one space; a word hyphenated at a line end keeps its hyphen and is marked lb break=\"no\". OCR errors are left as printed."),
        ("interpretation", f"Bracketed insertions are encoded as supplied (reason clarification), gap or editorial note, attributed to the {resp}; the brackets themselves are rendering."),
    ]
    if Meanings.from_profile(profile.data["brackets"]) is not None:
        # A profile that reads brackets by meaning says so, and names who made the insertions.
        who = _RESP_WHO.get(resp, "#" + resp)
        lines[0] = ("correction", f"[sic] markers are encoded as sic, attributed to {who}; nothing is corrected.")
        lines[2] = ("interpretation", _MEANINGS_POLICY.format(who=who))
    if blocks["page_break_min_blank"]:
        lines.append(("segmentation", f"A run of {blocks['page_break_min_blank']} or more blank lines is a page boundary of the transcribed pages (pb, numbered from 2)."))
    if blocks["infer_breaks_in_sentences"]:
        lines.append(("segmentation", "A paragraph cut in mid-sentence by a blank line is encoded as one paragraph with a pb of medium certainty."))
    return lines
