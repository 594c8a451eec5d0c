"""A line holding only a date near the top of the document → dateline."""

from __future__ import annotations

from ..inlines.dates import parse_date
from ..model import chunk_span
from .state import BlockState


def dateline(state: BlockState) -> bool:
    """A one-line chunk that is a full date, before the body text starts."""
    chunk = state.chunk
    if state.body_started or len(chunk.lines) != 1:
        return False
    span = chunk_span(chunk)
    when = parse_date(span.text)
    if not when:
        return False
    state.add("dateline", span, when=when)
    state.facts.setdefault("date", (when, span))
    state.pos += 1
    return True
