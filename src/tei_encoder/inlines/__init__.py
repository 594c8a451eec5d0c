"""Inline parsing of a block's text, the one way in for every caller: brackets and [sic], then the inline rules (rules.py) in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..model import Inline, Node, Span
from ..transforms.persons import Person
from .brackets import attach_sic, parse_brackets
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
        return _finish([span.text], _runs(ctx, _no_date_warning, True)(False))

    def warn(code: str, message: str, offset: int) -> None:
        line, col = ctx.source.position(offset)
        ctx.reporter.emit(code, message, line, col)

    items = parse_brackets(span, ctx.vocab, warn, ctx.resp, ctx.finds)

    def warn_date(piece: str, index: int, message: str) -> None:
        # Pieces are cut from the block's text: find the piece again to say where it is.
        base = span.text.find(piece)
        warn("TE401", message, span.source_offset(max(base, 0) + index))

    # Dates and names first, so that "July 9, 1961 [sic]" keeps its date whole.
    return attach_sic(_finish(items, _runs(ctx, warn_date, False)(names)), ctx.resp, warn, span)


def _no_date_warning(piece: str, index: int, message: str) -> None:
    """Text taken as printed is not read for dates: nothing to warn of."""


def _runs(ctx: InlineContext, warn_date: Callable[[str, int, str], None], printed: bool) -> Callable[[bool], InlineRun]:
    """The run of one parse, with names looked for or not, each made once with the rules that apply to it.

    A bracket-dense text nests thousands of small nodes in one block: the rules that apply are
    decided once per parse, not once per node.
    """
    made: dict[bool, InlineRun] = {}

    def run(names: bool) -> InlineRun:
        found = made.get(names)
        if found is None:
            base = InlineRun(ctx, names, warn_date, lambda inner, flag: _finish(inner, run(flag)), printed)
            found = made[names] = replace(base, rules=tuple(rule for _, applies, rule in INLINE_RULES if applies(base)))
        return found

    return run


# Elements whose text is kept as printed: no dates or names are looked for inside them.
_VERBATIM = frozenset({"desc", "choice", "time", "ref", "orgName", "seg", "bibl", "figDesc"})


def _finish(items: list, run: InlineRun) -> list:
    out: list = []  # strings, nodes, and sic markers still to attach
    rules = run.rules
    for item in items:
        if isinstance(item, str):
            if not item:
                continue
            pieces: list[Inline] = [item]
            for rule in rules:
                pieces = rule(pieces, run)
            out.extend(pieces)
        elif isinstance(item, Node):
            if item.tag not in _VERBATIM and item.children:
                # No name is looked for inside a name.
                item.children = run.finish(item.children, run.names and item.tag != "persName")
            out.append(item)
        else:  # a sic marker
            out.append(item)
    return [x for x in out if x != ""]
