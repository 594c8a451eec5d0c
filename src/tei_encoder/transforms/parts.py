"""Several documents in one file: what the header of each one says."""

from __future__ import annotations

from ..model import Block
from .document_date import first_date


def part_facts(blocks: list[Block], number: int, stem: str) -> dict[str, str]:
    """The title line, number, id and date of one document among several."""
    first = next((b for b in blocks if b.kind in ("p", "narration", "head") and b.span.text), None)
    memo = next((b for b in blocks if b.kind == "memo" and b.parts), None)
    start = next((b for b in blocks if b.kind in ("p", "narration") and b.span.clean.startswith("MEMO")), first)
    if memo is not None:
        title = memo.parts[0][1].clean
    else:
        title = start.span.clean if start else f"Document {number}"
    facts = {"title": title, "n": str(number), "id": f"{stem}-d{number}"}
    found = first_date("\n".join(b.span.clean for b in blocks[:8]))
    if found:
        facts["when"], facts["date"] = found
    return facts
