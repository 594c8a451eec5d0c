"""The text the edition gives back: the source, as the round trip compares it."""

from __future__ import annotations

from ..document import Document
from ..tei.totext import edition_text


def write(doc: Document) -> bytes:
    """The edition's text as UTF-8, read from the same tree the TEI writer serialises."""
    return edition_text(doc.root, doc.profile).encode("utf-8")
