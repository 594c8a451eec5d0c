"""Inline rule: the page and line markers a block's text holds → pb, lb and fw (page numbers, running heads)."""

from __future__ import annotations

import re

from ..model import FORME_WORK, FW_OPEN, FW_TYPES, LB_NOBREAK, PB, PB_INFERRED, Inline, Node
from .run import InlineRun

_MARKERS = re.compile(f"[{PB}{PB_INFERRED}{LB_NOBREAK}]|{FORME_WORK.pattern}")


def markers(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    """Each text piece with its markers made nodes; the first rule, and the only one for text taken as printed."""
    out: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.extend(split_markers(piece))
        else:
            out.append(piece)
    return out


def split_markers(text: str) -> list[Inline]:
    """The text with its markers as nodes, in order (empty strings left for the caller to drop)."""
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


def _break_before(out: list[Inline]) -> Node | None:
    """The pb right before this point (past a page number and empty text), if any."""
    for item in reversed(out):
        if item == "" or (isinstance(item, Node) and item.tag == "fw"):
            continue
        return item if isinstance(item, Node) and item.tag == "pb" else None
    return None
