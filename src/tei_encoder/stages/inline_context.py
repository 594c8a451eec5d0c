"""Stage: what inline parsing and writing need to know: bracket vocabulary, names, the year, who inserted, page numbering."""

from __future__ import annotations

from ..document import Document
from ..inlines import InlineContext
from ..inlines.brackets import BracketVocabulary
from ..inlines.names import name_pattern


def stage(doc: Document) -> None:
    profile = doc.profile
    doc.ctx = InlineContext(
        source=doc.source,
        reporter=doc.reporter,
        vocab=BracketVocabulary.from_profile(profile.data["brackets"], profile.get("markdown", "enabled")),
        resp="#" + doc.resp,
        doc_year=int(doc.date[0][:4]) if doc.date else None,
        names=name_pattern(doc.register),
        markdown=profile.get("markdown", "enabled"),
        repair_ocr=profile.get("ocr", "repair") if doc.repair_ocr is None else doc.repair_ocr,
        world_dates=doc.world_dates,
        number_pages=profile.get("blocks", "number_pages"),
    )
    # Footnote markers in the text point at the notes the document holds after it.
    doc.ctx.finds.footnotes = frozenset(b.attrs["n"] for b in doc.blocks if b.kind == "footnote")
