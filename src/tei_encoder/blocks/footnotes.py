"""Footnotes after the document ("1 Document 90.", "* 1 …", "[1] …") → note[@type="footnote"] with an id."""

from __future__ import annotations

import re

from ..model import Chunk, chunk_span
from .state import BlockState

_FOOTNOTE = re.compile(r"^(?P<bullet>\*\s+)?(?P<n>\d{1,3})(?P<gap>\s+)(?=\S)")
# "[1] Source text …": a note whose number the text refers to with a bracketed marker.
_BRACKETED = re.compile(r"^\[(?P<n>[1-9]\d{0,2})\](?P<gap>\s+)(?=\S)")


def is_footnote(state: BlockState, chunk: Chunk) -> bool:
    """A chunk after the document that opens with a note number (Markdown editions), or with a
    bracketed one the text refers to (profiles that read footnote markers)."""
    first = chunk.lines[0].strip()
    if state.profile.get("markdown", "enabled"):
        return bool(_FOOTNOTE.match(first))
    m = _BRACKETED.match(first) if state.profile.get("brackets", "footnote_markers") else None
    return bool(m and m.group("n") in state.bracketed_footnote_refs)


def footnote(state: BlockState) -> bool:
    """A footnote, once the document's text is over."""
    if state.pos <= state.last_content or not is_footnote(state, state.chunk):
        return False
    span = chunk_span(state.chunk)
    if not state.markdown:
        b = _BRACKETED.match(span.text)
        if b is None:
            return False
        state.add("footnote", span.slice(b.end()), n=b.group("n"), bracketed=True)
        state.pos += 1
        return True
    m = _FOOTNOTE.match(span.text)
    if m is None:
        return False
    n, start, tight = m.group("n"), m.end(), False
    referenced = state.footnote_refs
    if referenced and n not in referenced:
        # "18 July." where only note 1 is referenced and still missing: the label ran into
        # the text ("1" + "8 July."), as OCR and conversion often leave it.
        label = next((n[:k] for k in range(len(n) - 1, 0, -1)
                      if n[:k] in referenced and n[:k] not in state.footnotes_seen), None)
        if label is not None:
            n, start, tight = label, m.start("n") + len(label), True
    state.footnotes_seen.add(n)
    state.add("footnote", span.slice(start), n=n, bullet=bool(m.group("bullet")), tight=tight)
    state.pos += 1
    return True
