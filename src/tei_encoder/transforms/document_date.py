"""The document's date: stated (dateline, metadata, heading) or guessed from the top of the text."""

from __future__ import annotations

from ..blocks import BlockState
from ..inlines.dates import DATE_RE, misread_date, parse_date, parse_iso

# How far into a transcript a memorandum's or cable's date may stand, when nothing else
# says which date is the document's.
_HEAD_OF_TEXT = 1500


def document_date(state: BlockState) -> tuple[str, str] | None:
    """The document's date (ISO, as printed): from a dateline, the metadata or the heading."""
    if "date" in state.facts:
        when, span = state.facts["date"]
        return when, span.clean
    yaml_date = str(state.facts.get("yaml", ("", {}))[1].get("doc_date") or "")
    if parse_iso(yaml_date):
        return yaml_date, yaml_date
    head = state.facts.get("head")
    if head is not None:
        for m in DATE_RE.finditer(head.clean):
            when = parse_date(m.group())
            if when:
                return when, m.group()
    return None


def first_date(text: str) -> tuple[str, str] | None:
    """The first full date of a text (ISO, as printed); an OCR'd month ("30 Octaber 1962")
    counts only where no printed date comes before it."""
    exact = next(((m.start(), parse_date(m.group()) or "", m.group()) for m in DATE_RE.finditer(text) if parse_date(m.group())), None)
    slip = misread_date(text)
    found = min((d for d in (exact, slip) if d is not None), default=None, key=lambda d: d[0])
    return (found[1], found[2]) if found else None


def guessed_date(state: BlockState) -> tuple[str, str] | None:
    """The first full date near the top of the text: likely the document's, so marked a guess."""
    return first_date(state.source.text[:_HEAD_OF_TEXT])
