"""Stage: the editorial policies this edition adds to the profile's, each said where the evidence is."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..transforms.language import language_policy


def stage(doc: Document) -> None:
    policies = doc.header.policies  # the profile's own sentences come first (transforms.header_facts)
    metadata = doc.metadata
    if doc.profile.top["language"] == "auto" and not (metadata is not None and metadata.language):
        policies.append(("interpretation", language_policy(doc.language)))
    if metadata is not None and metadata.participants:
        names = ", ".join(metadata.participants)
        only_file = metadata.sources in ((), (Path(metadata.path).name,))
        where = f"file {Path(metadata.path).name}" if only_file else f"({metadata.source_names})"
        policies.append((
            "interpretation",
            f"Participants the text does not name ({names}) are taken from the project's metadata {where}.",
        ))
    if doc.from_catalogue:
        policies.append((
            "interpretation",
            f"Where the text states none, {', '.join(doc.from_catalogue)} come from the project's catalogue "
            f"({metadata.sources[-1] if metadata else ''}).",
        ))
    if doc.ctx.repair_ocr:
        policies.append((
            "correction",
            f"OCR damage (run-together words, '|' and 'l' read for 'I') is repaired only where a word-frequency "
            f"dictionary gives strong evidence, as choice with the printed text in orig and the repair in reg "
            f"(resp tei-encoder, cert high or medium): {doc.ctx.repairs} repairs.",
        ))
    running_heads = doc.state.facts.get("running_heads")
    if running_heads:
        policies.append((
            "segmentation",
            "Lines a page repeats at its top or foot (running heads and feet, page numbers), compared "
            "regardless of case, spacing, the page's number and close OCR readings, are encoded as fw "
            f"(type header, footer or pageNum) with the page break, not as text: {running_heads} lines.",
        ))
    if len(doc.documents) > 1:
        policies.append((
            "segmentation",
            f"The transcript holds {len(doc.documents)} documents, each starting at a line the profile names "
            "(document_start_pattern): one teiCorpus, one TEI per document, in the order of the transcript.",
        ))
