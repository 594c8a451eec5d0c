"""Page boundaries: long blank runs (or a paragraph cut mid-sentence) become page breaks."""

from __future__ import annotations

import re

from ..model import Chunk
from .speakers import match_speaker
from .state import BlockState

_OPEN_END = (",", ";", "-", "—", "–")


def _continues(prev: Chunk, nxt: Chunk, state: BlockState) -> bool:
    """Whether the text of `nxt` carries on the sentence that `prev` left open."""
    last = prev.lines[-1].rstrip()
    first = nxt.lines[0].lstrip()
    if not first or not last:
        return False
    if state.profile.get("turns", "enabled") and match_speaker(first, state.reporting_verbs):
        return False
    if first[0].islower():
        return True
    return last.endswith(_OPEN_END) or (last[-1].isalpha() and not last.isupper())


def page_breaks(state: BlockState) -> bool:
    """Mark page boundaries between chunks, merging chunks a boundary cuts in mid-sentence."""
    min_blank = state.opt("page_break_min_blank")
    infer = state.opt("infer_breaks_in_sentences")
    number_re = re.compile(state.opt("page_number_pattern"))
    stamp_re = re.compile(state.opt("page_stamp_pattern")) if state.opt("page_stamp_pattern") else None
    merged: list[Chunk] = state.chunks[: state.pos + 1]
    kinds: dict[int, str] = {}
    numbers: dict[int, tuple[Chunk, str]] = {}
    stamp: Chunk | None = None  # a stamp printed at the top of each page of a release
    rest = state.chunks[state.pos + 1 :]
    # A page number standing alone between two boundaries belongs to the page break.
    number: Chunk | None = None
    for index, chunk in enumerate(rest):
        prev = merged[-1]
        if stamp_re is not None and index + 1 < len(rest) and len(chunk.lines) == 1 and stamp_re.match(chunk.lines[0].strip()):
            stamp = chunk
            continue
        if stamp is not None:
            # The stamp opens a new page: a page break, the stamp as forme work, no merging.
            kinds[len(merged)] = "page"
            numbers[len(merged)] = (stamp, "stamp")
            stamp = None
            merged.append(chunk)
            continue
        is_page = chunk.form_feed or (bool(min_blank) and chunk.blank_before >= min_blank)
        if (
            is_page
            and number is None
            and len(chunk.lines) == 1
            and number_re.match(chunk.lines[0].strip())
            and index + 1 < len(rest)
            and (rest[index + 1].form_feed or (bool(min_blank) and rest[index + 1].blank_before >= min_blank))
        ):
            number = chunk
            continue
        if is_page and _continues(prev, chunk, state):
            if number is not None:
                _merge(prev, number, "number")
                _merge(prev, chunk, "number-end")
                number = None
            else:
                _merge(prev, chunk, "page")
            continue
        if not is_page and infer and chunk.blank_before >= 1 and chunk.lines[0].lstrip()[:1].islower() and _continues(prev, chunk, state):
            _merge(prev, chunk, "inferred")
            state.warn("TE202", "a blank line cuts this sentence: read as a page break inside the paragraph", chunk.offsets[0])
            continue
        if is_page or number is not None:
            kinds[len(merged)] = "page"
            if number is not None:
                numbers[len(merged)] = (number, "pageNum")
                number = None
        merged.append(chunk)
    state.chunks = merged
    state.breaks_before = kinds
    state.page_numbers = numbers
    return False


def _merge(prev: Chunk, chunk: Chunk, kind: str) -> None:
    prev.breaks[len(prev.lines)] = kind
    for index, other in chunk.breaks.items():
        prev.breaks[len(prev.lines) + index] = other
    prev.lines.extend(chunk.lines)
    prev.offsets.extend(chunk.offsets)
