"""Speaker turns: "NAME. words" (dialogue) and "NAME states that …" (reported speech)."""

from __future__ import annotations

from ..model import Chunk, Span, chunk_span
from .speakers import SpeakerMatch, ends_sentence, match_speaker
from .state import BlockState


def split_turns(state: BlockState) -> None:
    """Cut chunks where a new turn begins on a line after a finished sentence."""
    if not state.profile.get("turns", "enabled"):
        return
    out: list[Chunk] = []
    breaks: dict[int, str] = {}
    for index, chunk in enumerate(state.chunks):
        if index in state.breaks_before:
            breaks[len(out)] = state.breaks_before[index]
        start = 0
        if index >= state.pos:
            for i in range(1, len(chunk.lines)):
                line = chunk.lines[i].lstrip()
                # A label opens with a capital and a full stop or capital: test that first.
                if len(line) < 3 or not line[0].isupper() or not (line[1] == "." or line[1].isupper()):
                    continue
                if ends_sentence(chunk.lines[i - 1]) and match_speaker(line, state.reporting_verbs):
                    out.append(_part(chunk, start, i, 0 if start else chunk.blank_before))
                    start = i
        out.append(_part(chunk, start, len(chunk.lines), 0 if start else chunk.blank_before) if start else chunk)
    state.chunks = out
    state.breaks_before = breaks


def _part(chunk: Chunk, start: int, end: int, blank: int) -> Chunk:
    breaks = {i - start: k for i, k in chunk.breaks.items() if start < i < end}
    return Chunk(chunk.lines[start:end], chunk.offsets[start:end], blank, chunk.first_line + start, breaks)


def turn(state: BlockState) -> bool:
    """A chunk that opens with a speaker label starts a turn."""
    if not state.turns_enabled:
        return False
    # Decided on the first line, before the chunk's lines are joined: the label lies in it.
    m = match_speaker(state.chunk.lines[0].lstrip(), state.reporting_verbs)
    if m is None:
        return False
    _add(state, chunk_span(state.chunk), m)
    state.body_started = True
    state.pos += 1
    return True


def add_turn(state: BlockState, span: Span) -> bool:
    """Add a turn block when a text opens with a speaker label; say whether it did."""
    if not state.turns_enabled:
        return False
    m = match_speaker(span.text, state.reporting_verbs)
    if m is None:
        return False
    _add(state, span, m)
    return True


def _add(state: BlockState, span: Span, m: SpeakerMatch) -> None:
    label = span.slice(0, m.end)
    if m.mode == "direct":
        state.add("turn", span.slice(label_end(span.text, len(label.text))), mode="direct", label=label, name=m.name)
    else:
        state.add("turn", span, mode="reported", label=label, name=m.name)


def label_end(text: str, end: int) -> int:
    """Index after the label and the white space that follows it."""
    while end < len(text) and text[end] == " ":
        end += 1
    return end
