"""Opening matter before the heading: byline, classification, dateline, register number."""

from __future__ import annotations

from ..inlines.dates import parse_date
from ..model import Span, join_lines
from .state import BlockState


def opener(state: BlockState) -> bool:
    """Chunks before the heading whose lines the profile's opener patterns classify."""
    patterns = state.opener_patterns
    if state.body_started or not patterns or any(b.kind != "fw" for b in state.blocks):
        return False  # a running head above the first page's opener leaves it the opener
    if state.opt("opener_before_heading"):
        # Only when a heading follows within a few chunks: the opener sits above it.
        end = next(
            (i for i in range(state.pos, min(state.pos + 5, len(state.chunks)))
             if any(r.search(state.chunks[i].lines[0].strip()) for r in state.heading_res)),
            None,
        )
    else:
        # No heading: the opener is the run of leading chunks whose every line is one.
        end = state.pos
        while end < len(state.chunks) and not state.chunks[end].furniture and all(
            any(r.search(line.strip()) for r in patterns.values()) for line in state.chunks[end].lines
        ):
            end += 1
    if end is None or end == state.pos:
        return False
    parts: list[tuple[str, Span]] = []
    for chunk in state.chunks[state.pos : end]:
        i = 0
        while i < len(chunk.lines):
            line = chunk.lines[i].strip()
            kind = next((k for k, r in patterns.items() if r.search(line)), None)
            if kind == "byline" and i + 1 < len(chunk.lines):
                # "from the journal of" names its author on the next line.
                parts.append(("byline", join_lines(chunk.lines[i : i + 2], chunk.offsets[i : i + 2])))
                i += 2
                continue
            span = join_lines([chunk.lines[i]], [chunk.offsets[i]])
            if kind is None and parse_date(line):
                kind = "dateline"
            parts.append((kind or "line", span))
            i += 1
    block = state.add("opener")
    block.parts = parts
    state.pos = end
    return True
