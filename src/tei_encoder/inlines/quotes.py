"""Inline rule: quotations in curly double quotes, within one stretch of text, as q (the marks are rendering)."""

from __future__ import annotations

import re

from ..model import Inline, Node
from .matches import replace_matches
from .run import InlineRun

_QUOTE = re.compile(r"“(?P<inner>[^“”]{1,400})”")


def quotes(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    return replace_matches(
        pieces, _QUOTE, lambda m, _: Node("q", {"rend": "double-curly"}, run.inner([m.group("inner")])), "“"
    )
