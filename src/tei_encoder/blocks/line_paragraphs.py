"""One paragraph per line: in a file whose paragraphs are single lines, each line is a block of its own."""

from __future__ import annotations

from ..model import Chunk
from .state import BlockState

_TERMINAL = (".", "!", "?", "”", '"', "»", ":", ")", "…")
_SENTENCE = tuple(t for t in _TERMINAL if t != ":")  # "Present:" opens a list, ends no sentence
_MIN_SAMPLE = 3  # lines needed before the document's evidence decides anything
_SENTENCE_SHARE = 0.6  # lines that end a sentence, among lines followed by another in a block
_LOWER_SHARE = 0.15  # lines that open in lower case (a wrapped sentence going on)


def lines_are_paragraphs(chunks: list[Chunk]) -> bool:
    """Whether the document's lines are its paragraphs, judged from all its blocks of 2+ lines.

    A hard-wrapped text ends few lines with a sentence and opens many in lower case; a text
    with one paragraph a line ends nearly every line with a sentence and opens none in lower case.
    """
    ends = lower = total = 0
    for chunk in chunks:
        lines = [line.strip() for line in chunk.lines]
        for line, nxt in zip(lines, lines[1:]):
            total += 1
            ends += line.endswith(_TERMINAL)
            lower += nxt[:1].islower()
    return total >= _MIN_SAMPLE and ends >= _SENTENCE_SHARE * total and lower < _LOWER_SHARE * total


def line_paragraphs(state: BlockState) -> bool:
    """Cut every block at its line ends, where the whole document shows lines to be paragraphs."""
    if not state.opt("line_paragraphs") or not lines_are_paragraphs(state.chunks[state.pos :]):
        return False
    out: list[Chunk] = state.chunks[: state.pos]
    for chunk in state.chunks[state.pos :]:
        lines = [line.strip() for line in chunk.lines]
        # A block whose lines do not end sentences (a list of names, a signature) stays whole.
        inner = lines[:-1]
        if len(lines) < 2 or sum(x.endswith(_SENTENCE) for x in inner) * 2 <= len(inner):
            out.append(chunk)
            continue
        start = 0
        for i in range(1, len(lines) + 1):
            if i < len(lines) and (lines[i - 1].endswith("-") or lines[i][:1].islower()):
                continue  # a word or a sentence that goes on: the same paragraph
            first = start == 0
            out.append(
                Chunk(
                    chunk.lines[start:i],
                    chunk.offsets[start:i],
                    chunk.blank_before if first else 0,
                    chunk.first_line + start,
                    form_feed=chunk.form_feed and first,
                )
            )
            start = i
    state.chunks = out
    return False
