"""Replacing a pattern's matches inside the text pieces of an inline parse, the one loop the inline rules share."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


def replace_matches(pieces: list[Any], pattern: re.Pattern[str], make: Callable[[re.Match[str], str], Any | None],
                    triggers: str = "") -> list[Any]:
    """Each string piece with the pattern's matches replaced by what `make(match, text before it)`
    returns; a match it returns None for stays text, and nodes pass as they are. `triggers` are
    characters one of which every match holds: a piece with none is passed over unsearched."""
    out: list[Any] = []
    for piece in pieces:
        if not isinstance(piece, str) or (triggers and not any(c in piece for c in triggers)):
            out.append(piece)
            continue
        last = 0
        for m in pattern.finditer(piece):
            node = make(m, piece[last : m.start()])
            if node is not None:
                out += [piece[last : m.start()], node]
                last = m.end()
        out.append(piece[last:])
    return out
