"""Several documents in one transcript (an OCR'd file of memoranda): where each one starts."""

from __future__ import annotations

import re

from ..inlines.dates import DATE_RE
from ..model import Block
from ..profiles import Profile

# Lines that head a document above its first line proper: a date, a classification.
_HEAD_LINE_MAX = 40


def opening_text(block: Block) -> str:
    """The text a block opens with: its own, or its first part's (a memo header's first field)."""
    if block.kind in ("p", "narration"):
        return block.span.text
    if block.kind == "memo" and block.parts:
        return block.parts[0][1].text.lstrip("‘’“”'\"., ")
    return ""


def _heads_document(block: Block, before: Block | None) -> bool:
    """A short line in capitals ("SECRET.") or a date, not the text of a numbered section."""
    text = block.span.clean
    if block.kind != "p" or len(text) > _HEAD_LINE_MAX or (before is not None and before.kind == "section"):
        return False
    return not re.search(r"[a-z]", text) or DATE_RE.search(text) is not None


def split_documents(blocks: list[Block], profile: Profile) -> list[list[Block]]:
    """The blocks of each document, in order; one group when the profile sees one document."""
    pattern = profile.get("blocks", "document_start_pattern")
    if not pattern:
        return [blocks]
    start_re = re.compile(pattern)
    starts = [i for i, b in enumerate(blocks) if start_re.match(opening_text(b))]
    if len(starts) < 2:
        return [blocks]
    cuts: list[int] = []
    for index in starts:
        # Short lines just above ("30 October 1962", "SECRET.") belong to the new document.
        cut = index
        while (
            cut > (cuts[-1] + 1 if cuts else 0)
            and _heads_document(blocks[cut - 1], blocks[cut - 2] if cut >= 2 else None)
            and index - cut < 3
        ):
            cut -= 1
        cuts.append(cut)
    cuts[0] = 0  # whatever stands before the first document opens the file with it
    return [blocks[a:b] for a, b in zip(cuts, cuts[1:] + [len(blocks)])]
