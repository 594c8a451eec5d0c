"""An export's wrapper around the document ("# Document", "## Page 1", a code fence)."""

from __future__ import annotations

import re

from ..profiles import Profile


def unwrap(text: str, profile: Profile) -> tuple[str, tuple[str, str]]:
    """Blank out an export's wrapper (same length, newlines kept, so offsets stay true)."""
    table = profile.data["wrapper"]
    before = re.match(table["before"], text) if table["before"] else None
    after = re.search(table["after"], text) if table["after"] else None
    if before is None and after is None:
        return text, ("", "")
    start = before.end() if before else 0
    end = after.start() if after and after.start() >= start else len(text)

    def blank(part: str) -> str:
        return re.sub(r"[^\n]", " ", part)

    masked = blank(text[:start]) + text[start:end] + blank(text[end:])
    return masked, (text[:start], text[end:])
