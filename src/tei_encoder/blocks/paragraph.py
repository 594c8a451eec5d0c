"""Everything else is a paragraph: a turn's continuation, or narration between turns."""

from __future__ import annotations

from ..model import chunk_span
from .state import BlockState


def paragraph(state: BlockState) -> bool:
    """Any chunk: p, or narration when a profile pattern says the text tells, not speaks."""
    span = chunk_span(state.chunk)
    narration = any(r.search(span.text) for r in state.narration_res)
    if state.document_start is not None and state.document_start.match(span.text):
        state.facts["last_section"] = 0  # a new document of the file numbers its sections anew
    state.add("narration" if narration else "p", span)
    state.body_started = True
    state.pos += 1
    return True
