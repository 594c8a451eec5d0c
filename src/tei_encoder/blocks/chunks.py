"""Cutting normalised text into chunks: runs of non-blank lines with the blank run before them."""

from __future__ import annotations

import re
from itertools import accumulate

from ..model import Chunk

# A run of consecutive lines that each hold something other than white space.
_RUN = re.compile(r"^[^\S\n]*\S.*(?:\n[^\S\n]*\S.*)*", re.M)


def split_chunks(text: str) -> list[Chunk]:
    """Return the chunks of a text; a chunk remembers how many blank lines preceded it."""
    chunks: list[Chunk] = []
    end = 0  # where the previous chunk ended
    line = 1  # number of the line at `end`
    for m in _RUN.finditer(text):
        gap = text[end : m.start()]
        newlines = gap.count("\n")
        line += newlines
        # The gap holds the newline that ends the previous chunk's last line, then one per
        # blank line; before the first chunk every newline ends a blank line.
        blank = newlines - 1 if chunks else newlines
        lines = m.group().split("\n")
        offsets = list(accumulate((len(x) + 1 for x in lines[:-1]), initial=m.start()))
        chunks.append(Chunk(lines, offsets, blank, line, form_feed="\f" in gap))
        line += len(lines) - 1
        end = m.end()
    return chunks
