"""Inline parsing of a block's text: brackets and [sic], page markers, then the inline rules (rules.py) in order."""

from __future__ import annotations

import re

from ..model import FW_CLOSE, FW_OPEN, FW_TYPES, LB_NOBREAK, PB, PB_INFERRED, Inline, Node, Span
from .brackets import SicMarker, attach_sic, parse_brackets
from .context import InlineContext as InlineContext
from .rules import INLINE_RULES
from .run import InlineRun

_MARKERS = re.compile(f"[{PB}{PB_INFERRED}{LB_NOBREAK}]|{FW_OPEN}[^{FW_CLOSE}]*{FW_CLOSE}")


def parse_inline(span: Span, ctx: InlineContext, names: bool = True) -> list[Inline]:
    """Turn a block's text into strings and inline nodes, in document order."""

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


# Elements whose text is kept as printed: no dates or names are looked for inside them.
_VERBATIM = frozenset({"desc", "choice", "time", "ref", "orgName", "seg", "bibl", "figDesc"})


def _finish(items: list, ctx: InlineContext, names: bool, warn_date) -> list:
    out: list = []  # strings, nodes, and sic markers still to attach
    run = InlineRun(ctx, names, warn_date, lambda inner, names: _finish(inner, ctx, names, warn_date))
    for item in items:
        if isinstance(item, SicMarker):
            out.append(item)
            continue
        if isinstance(item, Node):
            if item.tag not in _VERBATIM:
                item.children = _finish(item.children, ctx, names and item.tag not in ("persName",), warn_date)
            out.append(item)
            continue
        pieces = _split_markers(item)
        for _, applies, rule in INLINE_RULES:
            if applies(run):
                pieces = rule(pieces, run)
        out.extend(pieces)
    return [x for x in out if x != ""]


def _split_markers(text: str) -> list[Inline]:
    # The markers are control characters: printable text has none (a fast check in C).
    if text.isprintable() or not _MARKERS.search(text):
        return [text]
    out: list[Inline] = []
    feet: dict[int, str] = {}  # page numbers printed at a page's foot (id of the fw → digits)
    last = 0
    for m in _MARKERS.finditer(text):
        out.append(text[last : m.start()])
        mark = m.group()
        if mark.startswith(FW_OPEN):
            body = mark[1:-1]
            kind = FW_TYPES.get(body[:1])
            if kind is not None:
                out.append(Node("fw", {"type": kind}, [body[1:]]))
                last = m.end()
                continue
            previous = _break_before(out)
            digits = re.sub(r"\D", "", body)
            node = Node("fw", {"type": "pageNum"}, [body])
            if previous is not None and digits:
                previous.attrs["printed"] = digits  # the pb takes the page's own number
            elif previous is None and digits:
                feet[id(node)] = digits  # the number of the page that ends here
            out.append(node)
        elif mark == LB_NOBREAK:
            previous = _break_before(out)
            if previous is not None:
                previous.attrs["break"] = "no"  # a word hyphenated across the page
            else:
                out.append(Node("lb", {"break": "no"}))
        else:
            pb = Node("pb", {"inferred": "yes"} if mark == PB_INFERRED else {})
            foot = _foot_number(out, feet)
            if foot:
                pb.attrs["least"] = str(int(foot) + 1)  # the page after the one numbered at its foot
            out.append(pb)
        last = m.end()
    out.append(text[last:])
    return out


def _foot_number(out: list[Inline], feet: dict[int, str]) -> str:
    """The page number printed just before this point among the forme work there, if any."""
    for item in reversed(out):
        if item == "":
            continue
        if not (isinstance(item, Node) and item.tag == "fw"):
            return ""
        if id(item) in feet:
            return feet[id(item)]
    return ""


def plain(span: Span) -> list[Inline]:
    """A block's text with only the page and line markers turned into nodes."""
    return [x for x in _split_markers(span.text) if x != ""]


def _break_before(out: list[Inline]) -> Node | None:
    """The pb right before this point (past a page number and empty text), if any."""
    for item in reversed(out):
        if item == "" or (isinstance(item, Node) and item.tag == "fw"):
            continue
        return item if isinstance(item, Node) and item.tag == "pb" else None
    return None
