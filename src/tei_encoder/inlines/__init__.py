"""Inline parsing of a block's text, the one way in for every caller: brackets and [sic], then the inline rules (rules.py) in order."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Inline, Node, Span
from ..transforms.persons import Person
from .brackets import SicMarker, attach_sic, parse_brackets
from .context import InlineContext as InlineContext
from .footnote_marks import link_markers
from .names import around_persons
from .rules import INLINE_RULES
from .run import InlineRun

_NO_MARKS: frozenset[str] = frozenset()


def parse_inline(
    span: Span,
    ctx: InlineContext,
    names: bool = True,
    *,
    printed: bool = False,
    persons: Sequence[tuple[int, int, Person]] = (),
    marks: frozenset[str] = _NO_MARKS,
) -> list[Inline]:
    """Turn a block's text into strings and inline nodes, in document order.

    `names`: look for the document's persons (not in a title, not inside a name).
    `printed`: the text is taken as printed (forme work, signatures, lists of those present,
    header fields): of the rules only the page and line markers run; no brackets, no footnote marks.
    `persons`: (start, end, person) ranges of the text already read as naming a person (a list
    of those present): each becomes persName (none inside forme work), the text around them
    is parsed as the rest.
    `marks`: footnote numbers the document prints as plain digits after a word: linked to their notes.
    """
    if persons:
        items = around_persons(span, persons, lambda part: _parse(part, ctx, names, printed))
    else:
        items = _parse(span, ctx, names, printed)
    return link_markers(items, marks) if marks and not printed else items


def _parse(span: Span, ctx: InlineContext, names: bool, printed: bool) -> list[Inline]:
    if printed:
        return _finish([span.text], ctx, False, _no_date_warning, printed=True)

    def warn(code: str, message: str, offset: int) -> None:
        line, col = ctx.source.position(offset)
        ctx.reporter.emit(code, message, line, col)

    items = parse_brackets(span, ctx.vocab, warn, ctx.resp, ctx.finds)

    def warn_date(piece: str, index: int, message: str) -> None:
        # Pieces are cut from the block's text: find the piece again to say where it is.
        base = span.text.find(piece)
        warn("TE401", message, span.source_offset(max(base, 0) + index))

    # Dates and names first, so that "July 9, 1961 [sic]" keeps its date whole.
    return attach_sic(_finish(items, ctx, names, warn_date), ctx.resp, warn, span)


def _no_date_warning(piece: str, index: int, message: str) -> None:
    """Text taken as printed is not read for dates: nothing to warn of."""


# Elements whose text is kept as printed: no dates or names are looked for inside them.
_VERBATIM = frozenset({"desc", "choice", "time", "ref", "orgName", "seg", "bibl", "figDesc"})


def _finish(items: list, ctx: InlineContext, names: bool, warn_date, printed: bool = False) -> list:
    out: list = []  # strings, nodes, and sic markers still to attach
    run = InlineRun(ctx, names, warn_date, lambda inner, names: _finish(inner, ctx, names, warn_date, printed), printed)
    for item in items:
        if isinstance(item, SicMarker):
            out.append(item)
            continue
        if isinstance(item, Node):
            if item.tag not in _VERBATIM:
                item.children = _finish(item.children, ctx, names and item.tag not in ("persName",), warn_date, printed)
            out.append(item)
            continue
        pieces: list[Inline] = [item]
        for _, applies, rule in INLINE_RULES:
            if applies(run):
                pieces = rule(pieces, run)
        out.extend(pieces)
    return [x for x in out if x != ""]
