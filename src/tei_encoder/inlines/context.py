"""What inline rules need to know about the document they run in."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Reporter
from ..source import Source
from .bracket_meaning import BracketFinds
from .brackets import BracketVocabulary
from .names import NameIndex


@dataclass
class InlineContext:
    """What inline rules need to know about the document."""

    source: Source
    reporter: Reporter
    vocab: BracketVocabulary
    resp: str  # the id bracketed insertions are attributed to, with "#" ("#translator", "#editor")
    doc_year: int | None
    names: NameIndex | None
    dates: bool = True
    markdown: bool = False
    repair_ocr: bool = False
    repairs: int = 0  # how many OCR repairs were encoded
    finds: BracketFinds = field(default_factory=BracketFinds)  # notes referred to, archive references
    world_dates: bool = False  # dates in other languages and English ordinals ([dates] multilingual)
    number_pages: bool = False  # page breaks numbered by the printed numbers ([blocks] number_pages)
