"""Cutting normalised text into chunks: runs of non-blank lines with the blank run before them."""

from __future__ import annotations

from ..model import Chunk


def split_chunks(text: str) -> list[Chunk]:
    """Return the chunks of a text; a chunk remembers how many blank lines preceded it."""
    chunks: list[Chunk] = []
    lines: list[str] = []
    offsets: list[int] = []
    blank = 0
    form_feed = False
    first = 0
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not lines:
                first = number
            lines.append(line)
            offsets.append(offset)
        else:
            if lines:
                chunks.append(Chunk(lines, offsets, blank, first, form_feed=form_feed))
                lines, offsets, blank, form_feed = [], [], 0, False
            blank += 1
            form_feed = form_feed or "\f" in line
        offset += len(line) + 1
    if lines:
        chunks.append(Chunk(lines, offsets, blank, first, form_feed=form_feed))
    return chunks
