"""Lettered and roman sub-lists ("(a) …", "(iv) …") → list/item with @n, one item a chunk."""

from __future__ import annotations

import re

from ..model import chunk_span
from .state import BlockState

_ITEM = re.compile(r"^\((?P<n>[a-z]|[ivxlc]{1,6})\)\s+(?=\S)")
_ROMAN = re.compile(r"^[ivxlc]+$")


def sublist(state: BlockState) -> bool:
    """A chunk opening with "(a)" or "(iv)": an item of a lettered or roman list."""
    m = _ITEM.match(state.chunk.lines[0].lstrip())
    if m is None:
        return False
    n = m.group("n")
    # "(i)" is roman when the list is roman or starts there; otherwise the letter i.
    previous = state.blocks[-1] if state.blocks else None
    lettered_run = previous is not None and previous.kind == "item" and previous.attrs["list"] == "lettered"
    kind = "roman" if _ROMAN.match(n) and not (lettered_run and len(n) == 1) else "lettered"
    span = chunk_span(state.chunk)
    lead = len(span.text) - len(span.text.lstrip())
    state.add("item", span.slice(lead + m.end()), n=n, list=kind)
    state.body_started = True
    state.pos += 1
    return True
