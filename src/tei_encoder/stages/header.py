"""Stage: the teiHeader built from the header facts, first in the tree."""

from __future__ import annotations

from ..document import Document
from ..tei.header import build_header


def stage(doc: Document) -> None:
    # Inline content of the header (title, notes) is written as the first body's is.
    doc.root.insert(0, build_header(doc.header, doc.builders[0].fill))
