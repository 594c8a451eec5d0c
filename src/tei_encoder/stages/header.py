"""Stage: the teiHeader built from the header facts, first in the tree."""

from __future__ import annotations

from ..document import Document
from ..tei.header import build_header


def stage(doc: Document) -> None:
    # The header's inline content (title, notes) goes through the first document's writer, so a
    # page break in it is counted with that document's and never repeats one of their ids.
    doc.root.insert(0, build_header(doc.header, doc.writers[0]))
