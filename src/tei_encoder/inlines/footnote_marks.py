"""Footnote markers printed as plain digits after a word ("at his request.1") → ref to the note."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..model import Inline, Node

# A digit run straight after a lower-case letter or closing punctuation, ending a word:
# "request.1", "State1", "said:”2". Not "POL 27" (a space before), "B52" (a capital), "1960s".
MARKER = re.compile(r"(?<=[a-z.,;:)\]”\"’'])(?P<n>\d{1,3})(?=[\s,.;:)”\"’]|$)")


def marker_counts(texts: Iterable[str], numbers: set[str]) -> Counter[str]:
    """How often each footnote number stands as a marker in the texts."""
    counts: Counter[str] = Counter()
    for text in texts:
        for m in MARKER.finditer(text):
            if m.group("n") in numbers:
                counts[m.group("n")] += 1
    return counts


def link_markers(items: list[Inline], numbers: frozenset[str]) -> list[Inline]:
    """Each marker of a number in `numbers` (each found once in the document) → ref type="footnote"."""
    out: list[Inline] = []
    for item in items:
        if isinstance(item, Node):
            if item.tag in ("hi", "q", "supplied"):  # text inside these may hold a marker too
                item.children = link_markers(item.children, numbers)
            out.append(item)
            continue
        last = 0
        for m in MARKER.finditer(item):
            n = m.group("n")
            if n not in numbers:
                continue
            out.append(item[last : m.start()])
            out.append(Node("ref", {"type": "footnote", "target": f"#f{n}", "rend": "plain"}, [n]))
            last = m.end()
        out.append(item[last:])
    return [x for x in out if x != ""]
