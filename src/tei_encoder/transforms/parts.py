"""Several documents in one file: what the header of each one says."""

from __future__ import annotations

import re

from ..blocks.documents import opening_text
from ..model import Block, strip_markers
from .document_date import first_date


def part_facts(blocks: list[Block], number: int, stem: str, start: re.Pattern[str]) -> dict[str, str]:
    """The title line, number, id and date of one document among several."""
    # The title is the line that opened the document (the profile's document_start_pattern).
    opening = next((strip_markers(t) for t in map(opening_text, blocks) if t and start.match(t)), "")
    facts = {"title": opening or f"Document {number}", "n": str(number), "id": f"{stem}-d{number}"}
    found = first_date("\n".join(b.span.clean for b in blocks[:8]))
    if found:
        facts["when"], facts["date"] = found
    return facts
