"""Inline rule: OCR damage as choice, the text as printed in orig and the repair in reg, attributed."""

from __future__ import annotations

from ..model import Inline, Node
from .run import InlineRun


def repair(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    from .ocr_repair import find_repairs  # the word-frequency tables load only when asked for

    out: list[Inline] = []
    for piece in pieces:
        if not isinstance(piece, str):
            out.append(piece)
            continue
        last = 0
        for r in find_repairs(piece):
            out.append(piece[last : r.start])
            reg = Node("reg", {"resp": "#tei-encoder", "cert": r.cert, "type": r.kind}, [r.reg])
            out.append(Node("choice", {}, [Node("orig", {}, [r.orig]), reg]))
            run.ctx.repairs += 1
            last = r.end
        out.append(piece[last:])
    return out
