"""Memorandum and cable header lines ("MEMORANDUM FOR: …", "SUBJECT: …") → typed fields."""

from __future__ import annotations

import re

from ..model import Span, join_lines
from .state import BlockState

# OCR often puts a stray mark or two before a label ("‘ AGENT :", "j DATE :").
_JUNK = r"(?:[^\w\s]{1,2}\s|[a-z]\s)?"


def memo_header(state: BlockState) -> bool:
    """A chunk whose first line opens with one of the profile's memo labels."""
    labels = state.opt("memo_labels")
    if not labels:
        return False
    pattern = re.compile(_JUNK + r"(?P<label>" + "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True)) + r")\b")
    chunk = state.chunk
    if not pattern.match(chunk.lines[0].strip()):
        return False
    fields: list[tuple[str, Span]] = []
    start = 0
    label = pattern.match(chunk.lines[0].strip()).group("label")  # type: ignore[union-attr]
    for i in range(1, len(chunk.lines) + 1):
        m = pattern.match(chunk.lines[i].strip()) if i < len(chunk.lines) else None
        if i == len(chunk.lines) or m:
            # A line with no label of its own continues the field above it.
            fields.append((label, join_lines(chunk.lines[start:i], chunk.offsets[start:i])))
            if m:
                start, label = i, m.group("label")
    if state.document_start is not None and any(state.document_start.match(span.text) for _, span in fields[:1]):
        state.facts["last_section"] = 0  # a new document of the file numbers its sections anew
    block = state.add("memo")
    block.parts = fields
    state.body_started = True
    state.pos += 1
    return True
