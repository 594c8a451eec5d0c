"""Inline rule: Markdown emphasis, **bold** and _italic_, as hi with its rendering."""

from __future__ import annotations

import re

from ..model import Inline, Node
from .matches import replace_matches
from .run import InlineRun

# Underscores inside words are no emphasis ("snake_case", "file_name_2").
_EMPHASIS = re.compile(r"\*\*(?=\S)(?P<bold>.+?)(?<=\S)\*\*|(?<![\w*])_(?=\S)(?P<italic>.+?)(?<=\S)_(?!\w)")


def emphasis(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    def hi(m: re.Match[str], _: str) -> Node:
        rend = "bold" if m.group("bold") is not None else "italic"
        return Node("hi", {"rend": rend}, run.inner([m.group(rend)]))

    return replace_matches(pieces, _EMPHASIS, hi, "*_")
