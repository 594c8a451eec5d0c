"""Stage: generic blocks given their inline meaning: persons named in lists of those present, source notes parsed."""

from __future__ import annotations

from ..document import Document
from ..inlines import parse_inline
from ..model import BlockFacts, Inline


def stage(doc: Document) -> None:
    # The persons stage found who a list of those present names where; here that becomes
    # inline content, which the body builder writes as it is. The list is taken as printed
    # around the names (no brackets or dates are read in it).
    content: BlockFacts[list[Inline]] = BlockFacts()
    for block in doc.blocks:
        if block.kind == "present":
            content[block] = parse_inline(block.span, doc.ctx, printed=True, persons=doc.mentions.present[block])
        elif block.kind == "source-note":
            content[block] = parse_inline(block.span, doc.ctx)
    doc.content = content
