"""One inline parse in progress: what every inline rule is given besides the pieces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Inline
from .context import InlineContext


@dataclass(frozen=True)
class InlineRun:
    """The document's context, which rules run here, and how to parse nested content."""

    ctx: InlineContext
    names: bool  # False inside persName and in titles: a name is not looked for in a name
    warn_date: Callable[[str, int, str], None]  # (piece, index in it, message): TE401 where the piece is
    finish: Callable[[list, bool], list]  # the whole inline parse, for content a rule wraps
    printed: bool = False  # the text taken as printed: only the page and line markers are read
    # The rules that run here, in order (set where the run is made: which apply depends on it).
    rules: tuple[Callable[[list[Inline], InlineRun], list[Inline]], ...] = ()

    def inner(self, items: list[Inline]) -> list[Inline]:
        """Content inside a node a rule makes (emphasis, a quotation), parsed as the text around it."""
        return self.finish(items, self.names)
