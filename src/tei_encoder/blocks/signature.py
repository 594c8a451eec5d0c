"""A signature at the end ("Lodge", "/s/ John Smith", a name over a role line) → closer/signed."""

from __future__ import annotations

import re
from functools import cache

from ..model import Span, chunk_span, join_lines
from .closer import _only_forme_work_after
from .state import BlockState

_PARTICLE = r"(?:von|van|de|da|del|der|la|le|du|zu|y|bin|ibn)"
_WORD = r"(?:[A-Z]\.|[A-ZÀ-Þ][\w’'-]+|" + _PARTICLE + ")"
_NAME = re.compile(rf"^(?P<mark>/s/\s*)?(?P<name>{_WORD}(?: {_WORD}){{0,4}})$")
_SALUTE = re.compile(
    r"^(?:(?:Very |Most )?(?:Sincerely|Respectfully|Faithfully|Cordially|Truly)(?: yours)?|Yours(?: \w+){0,2}"
    r"|(?:With )?(?:Best|Kind|Warm) (?:regards|wishes)|Regards|Mit freundlichen Grüßen|Hochachtungsvoll)[,.]?$"
)
# Words that close a message or a broadcast and stand alone on the last line: no one's name.
_CLOSINGS = frozenset(
    "over out roger end ends thanks goodbye bye amen signed unsigned fin ende finis stop break copy".split()
)
_ROLE_MAX = 90
_COMMON = 5.0  # Zipf frequency from which an English word is too common to be a surname alone


@cache
def _common(word: str) -> bool:
    from wordfreq import zipf_frequency  # loaded only when a last line may be a signature

    return zipf_frequency(word.lower(), "en") >= _COMMON


def _is_name(text: str, repeated: bool) -> re.Match[str] | None:
    m = _NAME.match(text)
    if m is None or repeated or len(text) > 48:
        return None
    words = [w for w in m.group("name").split() if not re.fullmatch(_PARTICLE, w)]
    if not words or not words[0][0].isupper():
        return None
    if len(words) == 1 and (words[0].lower() in _CLOSINGS or (not m.group("mark") and _common(words[0]))):
        return None
    if len(words) > 1 and all(_common(w) for w in words if len(w) > 2):
        return None  # "Thank You", "The End", "New York": common words, not a person
    return m


def _is_role(text: str) -> bool:
    return 0 < len(text) <= _ROLE_MAX and text[0].isupper() and not text.endswith((".", "?", "!", ":", ";"))


def signature(state: BlockState) -> bool:
    """The last chunk of the text: an optional closing ("Sincerely,"), a name, role lines."""
    if not state.body_started or state.pos > state.last_content or not _only_forme_work_after(state):
        return False
    chunk = state.chunk
    lines = [line.strip() for line in chunk.lines]
    if chunk.furniture or len(lines) > 4:
        return False
    first = 1 if _SALUTE.match(lines[0]) and len(lines) > 1 else 0
    whole = state.source.text
    repeated = len(re.findall(rf"(?m)^[ \t]*{re.escape(lines[first])}[ \t]*$", whole)) > 1
    m = _is_name(lines[first], repeated)
    if m is None or not all(_is_role(x) for x in lines[first + 1 :]):
        return False
    block = state.add("signature")
    parts: list[tuple[str, Span]] = []
    if first:
        parts.append(("salute", join_lines(chunk.lines[:1], chunk.offsets[:1])))
    name_line = chunk_span(chunk, first, first + 1)
    if m.group("mark"):
        parts.append(("mark", name_line.slice(0, m.end("mark"))))
    parts.append(("name", name_line.slice(m.start("name"), m.end("name"))))
    for i in range(first + 1, len(lines)):
        parts.append(("role", chunk_span(chunk, i, i + 1)))
    block.parts = parts
    state.pos += 1
    return True
