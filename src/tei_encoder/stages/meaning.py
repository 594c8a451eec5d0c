"""Stage: generic blocks given their inline meaning: persons named in lists of those present, source notes parsed."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..document import Document
from ..inlines import parse_inline, plain
from ..model import FW_CLOSE, FW_OPEN, BlockFacts, Inline, Node, Span
from ..transforms.persons import Person

_FORME_WORK = re.compile(f"{FW_OPEN}[^{FW_CLOSE}]*{FW_CLOSE}")


def tag_spans(span: Span, found: list[tuple[int, int, Person]], split: Callable[[Span], list[Inline]]) -> list[Inline]:
    """Wrap the found (start, end, person) ranges of a span in persName (none in forme work)."""
    items: list[Inline] = []
    last = 0
    forme = [m.span() for m in _FORME_WORK.finditer(span.text)] if FW_OPEN in span.text else []
    for start, end, person in found:
        if start < last or any(a < end and start < b for a, b in forme):
            continue
        items.extend(split(span.slice(last, start)))
        items.append(Node("persName", {"ref": "#" + person.xml_id}, [span.text[start:end]]))
        last = end
    items.extend(split(span.slice(last)))
    return items


def stage(doc: Document) -> None:
    # The persons stage found who a list of those present names where; here that becomes
    # inline content, which the body builder writes as it is.
    content: BlockFacts[list[Inline]] = BlockFacts()
    for block in doc.blocks:
        if block.kind == "present":
            content[block] = tag_spans(block.span, doc.mentions.present[block], plain)
        elif block.kind == "source-note":
            content[block] = parse_inline(block.span, doc.ctx)
    doc.content = content
