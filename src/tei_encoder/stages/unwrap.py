"""Stage: an export's wrapper masked out of the text (same length, so offsets stay true)."""

from __future__ import annotations

from ..document import Document
from ..transforms.wrapper import unwrap


def stage(doc: Document) -> None:
    doc.text, doc.wrapper = unwrap(doc.source.text, doc.profile)
