"""A participant list ("Participants:", "PARTICIPANTS:", "Anwesend:" and names) → list[@type="participants"]."""

from __future__ import annotations

import re

from ..inlines.dates import parse_date
from ..model import Span, chunk_span
from .state import BlockState

_MAX_WORDS = 14  # an item longer than this is a sentence, not a name with its role


def _label(state: BlockState, line: str) -> int:
    """Length of the profile's participant label opening the line (case aside), else 0."""
    for label in state.opt("participant_labels"):
        if line[: len(label)].casefold() == label.casefold():
            after = line[len(label) :]
            if not after or after[0].isspace():
                return len(label)
    return 0


def _is_item(text: str) -> bool:
    text = text.strip()
    return (
        bool(text)
        and text[0].isupper()
        and parse_date(text.rstrip(",;.")) is None
        and len(text.split()) <= _MAX_WORDS
        and not text.endswith(("?", "!", ":"))
    )


def _items(span: Span) -> list[Span]:
    """The items of a one-line list: split at semicolons, or else at commas; each keeps its separator."""
    sep = ";" if ";" in span.text else ","
    out: list[Span] = []
    start = 0
    for m in re.finditer(re.escape(sep) + r"\s+", span.text):
        out.append(span.slice(start, m.start() + 1))
        start = m.end()
    out.append(span.slice(start))
    return [s for s in out if s.text.strip()]


def participants(state: BlockState) -> bool:
    """The label, then names one a line, or on the label's line separated by commas or semicolons."""
    chunk = state.chunk
    first = chunk.lines[0].strip()
    size = _label(state, first)
    if not size or chunk.furniture:
        return False
    chunks = [chunk]
    lines = [line.strip() for line in chunk.lines]
    if len(lines) == 1 and first[size:].strip() == "" and state.pos + 1 < len(state.chunks):
        # "Participants:" alone, the names in the next block.
        nxt = state.chunks[state.pos + 1]
        if state.pos + 1 in state.breaks_before or nxt.furniture:
            return False
        chunks.append(nxt)
    head = chunk_span(chunk, 0, 1)
    label_end = len(head.text) - len(head.text.lstrip()) + size
    items: list[Span] = []
    rest = head.slice(label_end).strip()
    if rest.text:
        items.extend(_items(rest) if len(lines) == 1 else [rest])
    for c in chunks:
        start = 1 if c is chunk else 0
        items.extend(chunk_span(c, i, i + 1) for i in range(start, len(c.lines)))
    if not items or not all(_is_item(s.clean.rstrip(",;")) for s in items):
        return False
    if items[-1].clean.endswith(".") and len(items[-1].clean.split()) > 6:
        return False  # a sentence after the label ("Present: the Minister and his staff …")
    block = state.add("participants")
    block.parts = [("label", head.slice(0, label_end)), *(("item", s) for s in items)]
    state.pos += len(chunks)
    return True

