"""Footnotes after the document ("1 Document 90.", "* 1 …") → note[@type="footnote"] with an id."""

from __future__ import annotations

import re

from ..model import Chunk, chunk_span
from .state import BlockState

_FOOTNOTE = re.compile(r"^(?P<bullet>\*\s+)?(?P<n>\d{1,3})(?P<gap>\s+)(?=\S)")


def is_footnote(state: BlockState, chunk: Chunk) -> bool:
    """A chunk after the document that opens with a note number (Markdown editions only)."""
    return bool(state.profile.get("markdown", "enabled") and _FOOTNOTE.match(chunk.lines[0].strip()))


def footnote(state: BlockState) -> bool:
    """A footnote, once the document's text is over."""
    if state.pos <= state.last_content or not is_footnote(state, state.chunk):
        return False
    span = chunk_span(state.chunk)
    m = _FOOTNOTE.match(span.text)
    if m is None:
        return False
    state.add("footnote", span.slice(m.end()), n=m.group("n"), bullet=bool(m.group("bullet")))
    state.pos += 1
    return True
