"""The list of those present ("Present: Khrushchev, N.S., …") and the lines that continue it."""

from __future__ import annotations

from ..model import chunk_span
from .speakers import ends_sentence, match_speaker
from .state import BlockState


def present(state: BlockState) -> bool:
    """A chunk opening with the profile's label, plus following chunks that are lists of names."""
    label = state.opt("present_label")
    if not label or not state.chunk.lines[0].lstrip().startswith(label):
        return False
    state.add("present", chunk_span(state.chunk), first=True)
    state.pos += 1
    # The list may go on in a further chunk ("Raul Castro and Luis Mas Martin (head of …)"):
    # a chunk that is no sentence and no turn, before the conversation starts.
    while state.pos < len(state.chunks):
        chunk = state.chunks[state.pos]
        if ends_sentence(chunk.lines[-1]) or (state.opens_turn(chunk.lines[0]) if state.labels is not None else match_speaker(chunk.lines[0], state.reporting_verbs)):
            break
        if state.pos in state.breaks_before or chunk.furniture:
            break
        state.add("present", chunk_span(chunk), first=False)
        state.pos += 1
    return True
