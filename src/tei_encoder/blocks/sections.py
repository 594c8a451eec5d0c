"""Numbered sections ("1. I met with …") → div[@type="section"][@n]."""

from __future__ import annotations

import re

from ..model import chunk_span
from .state import BlockState
from .turns import add_turn

# "1. I met …"; in Markdown the full stop is escaped ("2\. The first point …").
_NUMBER = re.compile(r"^(\d{1,3})(\\?)\.\s+(?=\S)")


def section(state: BlockState) -> bool:
    """A chunk opening with a number and a full stop starts a section; its text is the first p."""
    m = _NUMBER.match(state.chunk.lines[0])
    if not m:
        return False
    n = int(m.group(1))
    previous = state.facts.get("last_section", 0)
    # Numbers that go backwards are a list inside the text, not the document's sections.
    if n <= previous:
        return False
    state.facts["last_section"] = n
    span = chunk_span(state.chunk)
    state.add("section", None, n=str(n), escaped=bool(m.group(2)))
    rest = span.slice(m.end())
    if not add_turn(state, rest):  # "1. RAUL CASTRO states that …" opens with a turn
        state.add("p", rest)
    state.body_started = True
    state.pos += 1
    return True
