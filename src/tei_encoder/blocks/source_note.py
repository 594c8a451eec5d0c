"""A bracketed line naming the source ("[Source: …", "[NAA: A1838, …]") → note[@type="source"]."""

from __future__ import annotations

import re

from ..model import Chunk, chunk_span
from .state import BlockState

# Markdown editions set the line in italics: "_[NAA: A1838, 3107/38/18, ix]_".
_ITALIC = re.compile(r"^_\s*(\[.*\])\s*_$")


def is_source_line(state: BlockState, chunk: Chunk) -> bool:
    """Whether a chunk opens with "[" and one of the profile's source prefixes (or with the
    prefix alone, "Source: Department of State, …", where the profile reads such lines)."""
    first = chunk.lines[0].lstrip()
    if first[:1] not in "[_":
        return _unbracketed(state, first)  # the common case, decided on one character
    if state.markdown and first.startswith("_["):
        first = first[1:]
    return first.startswith(state.source_openings)


def _unbracketed(state: BlockState, first: str) -> bool:
    return bool(state.opt("source_lines")) and first.startswith(state.source_prefixes) and len(first) > 12


def source_note(state: BlockState) -> bool:
    """A source line, closed by "]" or not at all (then a warning: nothing is guessed)."""
    if not is_source_line(state, state.chunk):
        return False
    span = chunk_span(state.chunk)
    if not span.text.startswith(("[", "_")):
        # "Source: Department of State, Central Files, …" printed without brackets.
        state.add("source-note", span, closed=True, trailing=state.pos > state.last_content, rend=["unbracketed"])
        state.facts.setdefault("source_notes", []).append(span)
        state.pos += 1
        return True
    text = span.text
    rend = []
    m = _ITALIC.match(text) if state.profile.get("markdown", "enabled") else None
    if m:
        span = span.slice(m.start(1), m.end(1))
        text = span.text
        rend.append("italic")
    inner_end = len(text)
    closed = text.endswith("]")
    if closed:
        inner_end -= 1
    else:
        where = state.chunk.offsets[0] + len(state.chunk.lines[0]) - len(state.chunk.lines[0].lstrip())
        hint = "; the line ends in '|', perhaps an OCR reading of ']'" if text.rstrip().endswith("|") else ""
        state.warn("TE301", f"unclosed bracket: '[' of the source note is never closed{hint}; kept as printed", where)
    inner = span.slice(1, inner_end)
    state.add("source-note", inner, closed=closed, trailing=state.pos > state.last_content, rend=rend)
    state.facts.setdefault("source_notes", []).append(inner)
    state.pos += 1
    return True
