"""Inline rule: quotations in curly double quotes, within one stretch of text, as q (the marks are rendering)."""

from __future__ import annotations

import re

from ..model import Inline, Node
from .run import InlineRun

_QUOTE = re.compile(r"“(?P<inner>[^“”]{1,400})”")


def quotes(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    out: list[Inline] = []
    for piece in pieces:
        if not isinstance(piece, str) or "“" not in piece:
            out.append(piece)
            continue
        last = 0
        for m in _QUOTE.finditer(piece):
            out.append(piece[last : m.start()])
            out.append(Node("q", {"rend": "double-curly"}, run.inner([m.group("inner")])))
            last = m.end()
        out.append(piece[last:])
    return out
