"""The signature block at the end ("AMBASSADOR OF THE USSR …⏎(S. KUDRYAVTSEV)") → closer/signed."""

from __future__ import annotations

import re

from ..model import join_lines
from .state import BlockState


def closer(state: BlockState) -> bool:
    """The last chunk (before any source note): role lines in capitals, then a name."""
    if state.pos > state.last_content or not _only_forme_work_after(state):
        return False
    chunk = state.chunk
    role_re = re.compile(state.opt("closer_role_pattern"))
    name_re = re.compile(state.opt("closer_name_pattern"))
    lines = [line.strip() for line in chunk.lines]
    if len(lines) < 2 or not name_re.match(lines[-1]) or not all(role_re.match(x) for x in lines[:-1]):
        return False
    block = state.add("closer")
    block.parts = [
        ("role", join_lines(chunk.lines[:-1], chunk.offsets[:-1])),
        ("name", join_lines(chunk.lines[-1:], chunk.offsets[-1:])),
    ]
    state.pos += 1
    return True


def _only_forme_work_after(state: BlockState) -> bool:
    """Whether the chunk is the last text, or followed only by the running foot of its page."""
    for index in range(state.pos + 1, state.last_content + 1):
        if not state.chunks[index].furniture:
            return False
    return True
