"""Stage: the profile's block rules cut the text into generic blocks and note the facts they see."""

from __future__ import annotations

from ..blocks import parse_blocks
from ..document import Document


def stage(doc: Document) -> None:
    participants = tuple(doc.metadata.participants) if doc.metadata else ()
    doc.state = parse_blocks(doc.source, doc.profile, doc.reporter, doc.text, participants)
