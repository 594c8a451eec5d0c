"""Heading lines ("RECORD OF CONVERSATION …") → head; its date and title become header facts."""

from __future__ import annotations

from ..model import chunk_span
from .state import BlockState


def heading(state: BlockState) -> bool:
    """A chunk whose first line matches a heading pattern, before the body text starts."""
    if state.body_started or "head" in state.facts:
        return False
    first = state.chunk.lines[0].strip()
    if not any(r.search(first) for r in state.heading_res):
        return False
    span = chunk_span(state.chunk)
    state.add("head", span)
    state.facts["head"] = span
    state.pos += 1
    return True
