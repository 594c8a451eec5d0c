"""A line holding only a date near the top of the document → dateline; with a place (and a time), as a profile allows."""

from __future__ import annotations

from ..inlines.datelines import parse_dateline
from ..inlines.dates import parse_date
from ..model import chunk_span
from .state import BlockState


def dateline(state: BlockState) -> bool:
    """A one-line chunk that is a full date (or "Place, date[, time]"), before the body text starts."""
    chunk = state.chunk
    places = bool(state.opt("dateline_places"))
    if state.body_started or chunk.furniture or len(chunk.lines) > (2 if places else 1):
        return False
    span = chunk_span(chunk)
    when = parse_date(span.text) if len(chunk.lines) == 1 else None
    if when:
        state.add("dateline", span, when=when)
        state.facts.setdefault("date", (when, span))
        state.pos += 1
        return True
    found = parse_dateline(span.clean) if places and span.clean == span.text else None
    if found is None:
        return False
    block = state.add("dateline", span, when=found.when)
    (p0, p1), (d0, d1) = found.place, found.date
    block.parts = [
        ("place", span.slice(p0, p1)),
        ("text", span.slice(p1, d0)),
        ("date", span.slice(d0, d1)),
        ("text", span.slice(d1)),
    ]
    # The header's creation date is the day; the time of day stays on the dateline's date.
    state.facts.setdefault("date", (found.when[:10], span.slice(d0, d1)))
    state.pos += 1
    return True
