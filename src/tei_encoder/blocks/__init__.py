"""Block rules: the ordered list the profile names, and the driver that runs them."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..diagnostics import Reporter
from ..model import Block, chunk_span
from ..profiles import Profile
from ..profiles.vocabulary import unknown_rules
from ..source import Source
from .chunks import split_chunks
from .closer import closer
from .dateline import dateline
from .footnotes import footnote, is_footnote
from .front_matter import front_matter
from .heading import heading
from .line_paragraphs import line_paragraphs
from .memo_header import memo_header
from .opener import opener
from .pages import page_breaks
from .paragraph import paragraph
from .participants import participants
from .present import present
from .sections import section
from .signature import signature
from .source_note import is_source_line, source_note
from .state import BlockState
from .sublists import sublist
from .title import title
from .turns import split_turns, turn
from .yaml_front_matter import yaml_front_matter

Rule = Callable[[BlockState], bool]

# Passes run once over the chunk list before the block rules: they consume or reshape chunks.
PASSES: dict[str, Rule] = {
    "yaml_front_matter": yaml_front_matter,
    "front_matter": front_matter,
    "line_paragraphs": line_paragraphs,
    "page_breaks": page_breaks,
}
# Block rules, tried in the profile's order on each chunk; the first that matches wins.
RULES: dict[str, Rule] = {
    "opener": opener,
    "heading": heading,
    "title": title,
    "dateline": dateline,
    "present": present,
    "participants": participants,
    "source_note": source_note,
    "section": section,
    "closer": closer,
    "signature": signature,
    "footnote": footnote,
    "memo_header": memo_header,
    "sublist": sublist,
    "turn": turn,
    "paragraph": paragraph,
}


def parse_blocks(
    source: Source, profile: Profile, reporter: Reporter, text: str | None = None, participants: tuple[str, ...] = ()
) -> BlockState:
    """Run the profile's passes and block rules over a source (or a masked copy of its text)."""
    state = BlockState(source, profile, reporter, split_chunks(source.text if text is None else text))
    state.participants = participants
    names = profile.get("blocks", "rules")
    for name in names:
        if name in PASSES:
            PASSES[name](state)
    split_turns(state)
    last = len(state.chunks) - 1
    while last >= 0 and (is_source_line(state, state.chunks[last]) or is_footnote(state, state.chunks[last])):
        last -= 1
    state.last_content = last
    rules = [RULES[n] for n in names if n in RULES]
    if "paragraph" not in names:
        rules.append(paragraph)  # every chunk must land somewhere, or text would be lost
    while state.pos < len(state.chunks):
        chunk = state.chunk
        if state.pos in state.breaks_before:
            pb = state.add("pb", None, boundary=state.breaks_before.pop(state.pos))
            before = state.chunks[state.pos - 1] if state.pos else None
            if chunk.furniture == "pageNum":
                printed = chunk_span(chunk).text
                marker = state.page_marker
                if marker is not None and marker.match(printed.strip()):  # "--- Page 4 ---", "Page 4 of 12"
                    found = re.search(r"\d+", printed)
                    pb.attrs["printed"] = found.group() if found else ""
                else:
                    pb.attrs["printed"] = re.sub(r"\D", "", printed)  # the number heads its page
            elif before is not None and before.furniture == "pageNum":
                digits = re.sub(r"\D", "", chunk_span(before).text)  # the number ends the page before
                if digits:
                    pb.attrs["least"] = str(int(digits) + 1)
        if chunk.furniture:
            state.add("fw", chunk_span(chunk), type=chunk.furniture)
            state.pos += 1
            continue
        for rule in rules:
            if rule(state):
                break
    return state


__all__ = ["Block", "BlockState", "parse_blocks", "unknown_rules"]
