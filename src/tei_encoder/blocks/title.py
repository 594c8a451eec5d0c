"""A document number and title line at the top ("230. Telegram From …", "230.") → head, the number as the document's @n."""

from __future__ import annotations

import re

from ..inlines.datelines import starts_like_dateline
from ..inlines.dates import parse_date
from ..model import Chunk, chunk_span
from .state import BlockState

# "230." alone, or "230. Telegram From the Embassy in Vietnam to the Department of State".
_NUMBERED = re.compile(r"^(?P<n>\d{1,4})\.(?:\s+(?P<title>\S.*))?$")
# A title ends without a sentence's punctuation (a footnote number may follow its last word).
_SENTENCE_END = re.compile(r"[.!?,;:]\d{0,2}$")
# "SUBJECT: …", "Date: …": a label and its field.
_LABEL = re.compile(r"^([^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,2})\s?:\s")
_TITLE_MAX = 160  # characters: a line longer than this is text, not a title
_TITLE_MAX_LINES = 3


def looks_like_title(text: str) -> bool:
    """Short, opening with a capital or a digit, not ending as a sentence does, not a date."""
    text = text.strip()
    return (
        0 < len(text) <= _TITLE_MAX
        and (text[0].isupper() or text[0].isdigit())
        and not _SENTENCE_END.search(text)
        and parse_date(text) is None
        and any(c.isalpha() for c in text)
    )


def _first_number(chunk: Chunk) -> int | None:
    m = re.match(r"^(\d{1,4})\\?\.\s", chunk.lines[0].strip() + " ")
    return int(m.group(1)) if m else None


def _numbered_sequence(state: BlockState, n: int) -> bool:
    """Whether a later chunk opens with the next number: then "n." starts a section, not a document."""
    return any(_first_number(c) == n + 1 for c in state.chunks[state.pos + 1 :])


def _recurs(state: BlockState, text: str) -> bool:
    """Whether the line stands alone again further on ("Roger" in a radio log): no title."""
    return len(re.findall(rf"(?m)^[ \t]*{re.escape(text)}[ \t]*$", state.source.text)) > 1


def _at_top(state: BlockState) -> bool:
    """Nothing but page furniture and headings before this chunk, and more text after it."""
    if state.body_started or any(b.kind not in ("fw", "pb", "head") for b in state.blocks):
        return False
    return state.pos < state.last_content


def title(state: BlockState) -> bool:
    """The document's number and title: head, the number given to the document's division."""
    chunk = state.chunk
    if chunk.furniture or len(chunk.lines) > _TITLE_MAX_LINES or not _at_top(state):
        return False
    span = chunk_span(chunk)
    text = span.clean
    m = _NUMBERED.match(text)
    if m is not None:
        n = int(m.group("n"))
        heads = [b for b in state.blocks if b.kind == "head"]
        if heads or 1600 <= n <= 2100 or _numbered_sequence(state, n):
            return False  # a second number, a year alone, or the first of numbered paragraphs
        rest = m.group("title")
        if rest is not None and not looks_like_title(rest):
            return False
        state.add("head", span, n=str(n))
        if rest is not None:
            state.facts["head"] = span.slice(m.start("title"))
        state.pos += 1
        return True
    if "head" in state.facts or not looks_like_title(text) or state.opens_turn(chunk.lines[0].lstrip()):
        return False  # no title, or the first words of a speaker's turn
    if _first_number(chunk) is not None or starts_like_dateline(text) or _recurs(state, text):
        return False
    label = _LABEL.match(text)
    if label and label.group(1).casefold().rstrip(".") in state.profile.get("turns", "not_labels"):
        return False  # "SUBJECT: Visit of …": a field of a header, not the title
    state.add("head", span)
    state.facts["head"] = span
    state.pos += 1
    return True
