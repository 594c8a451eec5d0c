"""Times of day as printed in datelines ("11:17 a.m.", "6 p.m.", "noon", "18.30 Uhr") → HH:MM:SS."""

from __future__ import annotations

import re

_CLOCK = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?\s*"
    r"(?:(?P<ampm>[ap])\.?\s?m\.?|(?P<uhr>Uhr|h|hrs?\.?|hours)|(?P<none>))$",
    re.IGNORECASE,
)
_MILITARY = re.compile(r"^(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s?(?:Z|hours|hrs?\.?)$")
_WORDS = {"noon": "12:00:00", "midnight": "00:00:00"}


def parse_time(text: str) -> str | None:
    """The time of day a text states and nothing else, as HH:MM:SS; None when it is no time."""
    text = text.strip()
    word = _WORDS.get(text.lower().rstrip("."))
    if word:
        return word
    m = _MILITARY.match(text)
    if m:
        return f"{int(m.group('h')):02d}:{m.group('m')}:00"
    m = _CLOCK.match(text)
    if m is None:
        return None
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if m.group("none") is not None and m.group("m") is None:
        return None  # a bare number ("6") is no time of day
    if minute > 59:
        return None
    if m.group("ampm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group("ampm").lower() == "p" else 0)
    elif hour > 23:
        return None
    return f"{hour:02d}:{minute:02d}:00"
