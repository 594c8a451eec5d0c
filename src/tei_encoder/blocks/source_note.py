"""A trailing "[Source: …]" line → note[@type="source"], closed by "]" or not at all."""

from __future__ import annotations

from ..model import chunk_span
from .state import BlockState


def source_note(state: BlockState) -> bool:
    """A chunk that opens with "[" and the profile's source prefix."""
    prefix = "[" + state.profile.get("brackets", "source_prefix")
    if prefix == "[" or not state.chunk.lines[0].lstrip().startswith(prefix):
        return False
    span = chunk_span(state.chunk)
    text = span.text
    inner_end = len(text)
    closed = text.endswith("]")
    if closed:
        inner_end -= 1
    else:
        where = state.chunk.offsets[0] + len(state.chunk.lines[0]) - len(state.chunk.lines[0].lstrip())
        hint = "; the line ends in '|', perhaps an OCR reading of ']'" if text.rstrip().endswith("|") else ""
        state.warn("TE301", f"unclosed bracket: '[' of the source note is never closed{hint}; kept as printed", where)
    state.add("source-note", span.slice(1, inner_end), closed=closed, trailing=state.pos > state.last_content)
    state.facts.setdefault("source_notes", []).append(span.slice(1, inner_end))
    state.pos += 1
    return True
