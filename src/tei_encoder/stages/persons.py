"""Stage: the document's persons, from speaker labels, lists of those present and the metadata; who the lists name where."""

from __future__ import annotations

from ..document import Document
from ..transforms.register import collect_persons


def stage(doc: Document) -> None:
    doc.register, doc.mentions = collect_persons(doc.state, doc.metadata.participants if doc.metadata else ())
