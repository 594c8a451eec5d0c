"""Speaker turns: "NAME. words" (dialogue) and "NAME states that …" (reported speech)."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Chunk, Span, chunk_span
from .labels import Label, LabelEvidence
from .speakers import SpeakerMatch, ends_sentence, match_speaker
from .state import BlockState


def split_turns(state: BlockState) -> None:
    """Cut chunks where a new turn begins on a line after a finished sentence."""
    if not state.profile.get("turns", "enabled"):
        return
    if state.labels is not None:
        evidence = state.labels
        if evidence.accepted or "reported" in evidence.forms:
            _cut_chunks(state, lambda chunk: _label_cuts(state, evidence, chunk))
        return
    _cut_chunks(state, lambda chunk: _caps_cuts(state, chunk))


def _cut_chunks(state: BlockState, cuts_of: Callable[[Chunk], set[tuple[int, int]]]) -> None:
    """Cut every chunk of the body at the (line, column) places `cuts_of` gives, keeping each
    page boundary before the piece that now opens its chunk."""
    out: list[Chunk] = []
    breaks: dict[int, str] = {}
    for index, chunk in enumerate(state.chunks):
        if index in state.breaks_before:
            breaks[len(out)] = state.breaks_before[index]
        start = (0, 0)
        for cut in sorted(cuts_of(chunk)) if index >= state.pos else ():
            out.append(_piece(chunk, start, cut))
            start = cut
        out.append(chunk if start == (0, 0) else _piece(chunk, start, (len(chunk.lines), 0)))
    state.chunks = out
    state.breaks_before = breaks


def _caps_cuts(state: BlockState, chunk: Chunk) -> set[tuple[int, int]]:
    """House styles' labels ("NAME." and "NAME states"): a line that opens one after a finished sentence."""
    cuts: set[tuple[int, int]] = set()
    for i in range(1, len(chunk.lines)):
        line = chunk.lines[i].lstrip()
        # A label opens with a capital and a full stop or capital: test that first.
        if len(line) < 3 or not line[0].isupper() or not (line[1] == "." or line[1].isupper()):
            continue
        if ends_sentence(chunk.lines[i - 1]) and match_speaker(line, state.reporting_verbs):
            cuts.add((i, 0))
    return cuts


def _label_cuts(state: BlockState, evidence: LabelEvidence, chunk: Chunk) -> set[tuple[int, int]]:
    """Every line that opens with a known label, and a known label after a finished sentence
    inside a paragraph (read across line wraps)."""
    cuts: set[tuple[int, int]] = set()
    if chunk.furniture:
        return cuts
    for i in range(1, len(chunk.lines)):
        label = evidence.match(chunk.lines[i].lstrip(), state.reporting_verbs)
        if label is None:
            continue
        if "reported" in label.forms and not ends_sentence(chunk.lines[i - 1]):
            continue  # a reported speaker opens a new turn only after a finished sentence
        cuts.add((i, 0))
    cuts.update(_inline_cuts(chunk, evidence))
    return cuts


def _inline_cuts(chunk: Chunk, evidence: LabelEvidence) -> list[tuple[int, int]]:
    """(line, column) of each known label that opens a sentence inside the chunk."""
    stripped = [line.strip() for line in chunk.lines]
    joined = " ".join(stripped)
    starts = evidence.inline_starts(joined)
    if not starts:
        return []
    places: list[tuple[int, int]] = []
    line_at, base = 0, 0
    for at, _label in starts:
        while line_at + 1 < len(stripped) and base + len(stripped[line_at]) + 1 <= at:
            base += len(stripped[line_at]) + 1
            line_at += 1
        col = at - base
        if col == 0:
            places.append((line_at, 0))
        else:
            lead = len(chunk.lines[line_at]) - len(chunk.lines[line_at].lstrip())
            places.append((line_at, lead + col))
    return [p for p in places if p != (0, 0)]


def _piece(chunk: Chunk, start: tuple[int, int], end: tuple[int, int]) -> Chunk:
    """The part of a chunk from (line, column) up to (line, column); the first keeps its blank run."""
    (l0, c0), (l1, c1) = start, end
    last = l1 if c1 else l1 - 1  # the last line the piece holds (part of it when c1)
    lines: list[str] = []
    offsets: list[int] = []
    for i in range(l0, last + 1):
        a = c0 if i == l0 else 0
        b = c1 if (i == l1 and c1) else len(chunk.lines[i])
        lines.append(chunk.lines[i][a:b])
        offsets.append(chunk.offsets[i] + a)
    breaks = {i - l0: k for i, k in chunk.breaks.items() if l0 < i <= last}
    blank = chunk.blank_before if start == (0, 0) else 0
    return Chunk(lines, offsets, blank, chunk.first_line + l0, breaks)


def turn(state: BlockState) -> bool:
    """A chunk that opens with a speaker label starts a turn."""
    if not state.turns_enabled:
        return False
    if state.labels is not None:
        # The chunk's lines are joined only when needed: most chunks open with no label.
        span = None
        label = state.labels.match(state.chunk.lines[0].lstrip(), state.reporting_verbs)
        if label is None and len(state.chunk.lines) > 1:
            span = chunk_span(state.chunk)
            label = state.labels.match(span.text, state.reporting_verbs)  # a label wrapped over lines
        if label is None:
            return False
        if span is None:
            span = chunk_span(state.chunk)
        _add_label(state, span, label)
        state.body_started = True
        state.pos += 1
        return True
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
    if state.labels is not None:
        label = state.labels.match(span.text, state.reporting_verbs)
        if label is None:
            return False
        _add_label(state, span, label)
        return True
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


def _add_label(state: BlockState, span: Span, label: Label) -> None:
    """A turn opened by a label of the document's own forms (or a reported speaker)."""
    text = span.slice(0, label.end)
    if "reported" in label.forms:
        state.add("turn", span, mode="reported", label=text, name=label.name, speaker=label)
    else:
        rest = span.slice(label_end(span.text, label.end))
        # "Mr. Garrow.—Were you …": no space between label and speech, kept for the way back.
        tight = label.end < len(span.text) and not span.text[label.end].isspace()
        state.add("turn", rest, mode="direct", label=text, name=label.name, speaker=label, tight=tight)


def label_end(text: str, end: int) -> int:
    """Index after the label and the white space that follows it."""
    while end < len(text) and text[end] == " ":
        end += 1
    return end
