"""Footnotes after the document ("1 Document 90.", "* 1 …", "[1] …") → note[@type="footnote"] with an id."""

from __future__ import annotations

import re

from ..inlines.footnote_marks import marker_counts
from ..model import Chunk, chunk_span, join_lines
from .state import BlockState

_FOOTNOTE = re.compile(r"^(?P<bullet>\*\s+)?(?P<n>\d{1,3})(?P<gap>\s+)(?=\S)")
# "[1] Source text …": a note whose number the text refers to with a bracketed marker.
_BRACKETED = re.compile(r"^\[(?P<n>[1-9]\d{0,2})\](?P<gap>\s+)(?=\S)")
_LINE_NOTE = re.compile(r"^(?P<n>\d{1,3})\s+(?=\S)")


def is_footnote(state: BlockState, chunk: Chunk) -> bool:
    """A chunk after the document that opens with a note number (Markdown editions), with a
    bracketed one the text refers to (profiles that read footnote markers), or plain footnote
    lines where the profile reads them and the text refers to them."""
    first = chunk.lines[0].strip()
    if state.profile.get("markdown", "enabled"):
        return bool(_FOOTNOTE.match(first))
    m = _BRACKETED.match(first) if state.profile.get("brackets", "footnote_markers") else None
    if m and m.group("n") in state.bracketed_footnote_refs:
        return True
    return id(chunk) in _plain_notes(state)


def _plain_notes(state: BlockState) -> set[int]:
    """Ids of the trailing chunks that are footnote lines ("1 Document 229."), found once.

    The run at the end of the text must be numbered one up from the other, and every number
    must stand as a marker in the text ("… at his request.1"): a last paragraph opening
    with a number ("3 divisions crossed …") is no footnote.
    """
    cached = state.facts.get("plain_footnotes")
    if cached is not None:
        return cached
    found: set[int] = set()
    state.facts["plain_footnotes"] = found
    if not state.opt("footnote_lines"):
        return found
    from .source_note import is_source_line

    run: list[Chunk] = []
    numbers: list[str] = []
    index = len(state.chunks) - 1
    while index > 0:
        chunk = state.chunks[index]
        if chunk.furniture or is_source_line(state, chunk):
            index -= 1
            continue
        notes = _note_numbers(chunk)
        if not notes:
            break
        run.insert(0, chunk)
        numbers[:0] = notes
        index -= 1
    if not numbers or index < 0:
        return found
    values = [int(n) for n in numbers]
    if values != list(range(values[0], values[0] + len(values))):
        return found
    body = [chunk_span(c).clean for c in state.chunks[: index + 1]]
    notes_text = [chunk_span(c).clean for c in run]
    counts = marker_counts(body + notes_text, set(numbers))
    if any(counts[n] == 0 for n in numbers):
        return found
    found.update(id(c) for c in run)
    state.facts["footnote_marks"] = frozenset(n for n in numbers if counts[n] == 1)
    return found


def _note_numbers(chunk: Chunk) -> list[str]:
    """The numbers of the notes a chunk holds, one a line that opens with the next number."""
    first = _LINE_NOTE.match(chunk.lines[0].strip())
    if first is None:
        return []
    numbers = [first.group("n")]
    for line in chunk.lines[1:]:
        m = _LINE_NOTE.match(line.strip())
        if m and int(m.group("n")) == int(numbers[-1]) + 1:
            numbers.append(m.group("n"))
    return numbers


def footnote(state: BlockState) -> bool:
    """A footnote, once the document's text is over."""
    if state.pos <= state.last_content or not is_footnote(state, state.chunk):
        return False
    span = chunk_span(state.chunk)
    if not state.markdown:
        b = _BRACKETED.match(span.text)
        if b is None or b.group("n") not in state.bracketed_footnote_refs:
            return _line_notes(state)
        state.add("footnote", span.slice(b.end()), n=b.group("n"), bracketed=True)
        state.pos += 1
        return True
    m = _FOOTNOTE.match(span.text)
    if m is None:
        return False
    n, start, tight = m.group("n"), m.end(), False
    referenced = state.footnote_refs
    if referenced and n not in referenced:
        # "18 July." where only note 1 is referenced and still missing: the label ran into
        # the text ("1" + "8 July."), as OCR and conversion often leave it.
        label = next((n[:k] for k in range(len(n) - 1, 0, -1)
                      if n[:k] in referenced and n[:k] not in state.footnotes_seen), None)
        if label is not None:
            n, start, tight = label, m.start("n") + len(label), True
    state.footnotes_seen.add(n)
    state.add("footnote", span.slice(start), n=n, bullet=bool(m.group("bullet")), tight=tight)
    state.pos += 1
    return True


def _line_notes(state: BlockState) -> bool:
    """Plain footnote lines: each line opening with the next number starts a note."""
    chunk = state.chunk
    starts = [0]
    expected = int(_note_numbers(chunk)[0]) + 1
    for i, line in enumerate(chunk.lines[1:], start=1):
        m = _LINE_NOTE.match(line.strip())
        if m and int(m.group("n")) == expected:
            starts.append(i)
            expected += 1
    for a, b in zip(starts, [*starts[1:], len(chunk.lines)]):
        span = join_lines(chunk.lines[a:b], chunk.offsets[a:b])
        m = _LINE_NOTE.match(span.text)
        assert m is not None  # every start was found by this pattern
        text = span.slice(m.end())
        # FRUS numbers its source note as the first footnote: "1 Source: Department of State, …".
        source = text.text.startswith(state.source_prefixes)
        state.add("footnote", text, n=m.group("n"), bullet=False, tight=False, source=source)
        if source:
            state.facts.setdefault("source_notes", []).append(text)
    state.pos += 1
    return True
