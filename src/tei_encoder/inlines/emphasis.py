"""Inline rule: Markdown emphasis, **bold** and _italic_, as hi with its rendering."""

from __future__ import annotations

import re

from ..model import Inline, Node
from .run import InlineRun

# Underscores inside words are no emphasis ("snake_case", "file_name_2").
_EMPHASIS = re.compile(r"\*\*(?=\S)(?P<bold>.+?)(?<=\S)\*\*|(?<![\w*])_(?=\S)(?P<italic>.+?)(?<=\S)_(?!\w)")


def emphasis(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    out: list[Inline] = []
    for piece in pieces:
        if not isinstance(piece, str) or ("*" not in piece and "_" not in piece):
            out.append(piece)
            continue
        last = 0
        for m in _EMPHASIS.finditer(piece):
            out.append(piece[last : m.start()])
            rend = "bold" if m.group("bold") is not None else "italic"
            out.append(Node("hi", {"rend": rend}, run.inner([m.group(rend)])))
            last = m.end()
        out.append(piece[last:])
    return out
