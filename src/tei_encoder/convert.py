"""Encoding one source: a Document through the stage table (stages/), written as TEI bytes (writers/)."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import cached_property

from lxml import etree

from .config import ProjectConfig
from .diagnostics import Reporter
from .document import Document
from .metadata import Metadata
from .source import Source
from .stages import run
from .writers import tei


@dataclass
class Result:
    """An edition and what was said while making it."""

    xml: bytes
    profile: str
    profile_reason: str
    reporter: Reporter
    repairs: int = 0  # OCR repairs encoded as choice

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many of each element the edition has (read from its bytes when asked)."""
        counts: dict[str, int] = {}
        for element in etree.fromstring(self.xml).iter():
            if isinstance(element.tag, str):
                name = etree.QName(element).localname
                counts[name] = counts.get(name, 0) + 1
        return counts


def convert(
    source: Source,
    reporter: Reporter,
    profile_name: str | None = None,
    config: ProjectConfig | None = None,
    repair_ocr: bool | None = None,
    metadata: Metadata | None = None,
    hrefs: tuple[str, str] | None = None,
) -> Result:
    """Encode one source as a TEI edition; `metadata` adds what the text does not say; with
    (rng, sch) `hrefs` the edition points at its schema."""
    # The objects built here hold no reference cycles: full collections over a growing heap
    # would only make time grow faster than the input.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _convert(source, reporter, profile_name, config, repair_ocr, metadata, hrefs)
    finally:
        if enabled:
            gc.enable()


def _convert(
    source: Source, reporter: Reporter, profile_name: str | None, config: ProjectConfig | None, repair_ocr: bool | None,
    metadata: Metadata | None = None, hrefs: tuple[str, str] | None = None,
) -> Result:
    doc = run(Document(source, reporter, config or ProjectConfig(), metadata, profile_name, repair_ocr))
    return Result(tei.write(doc, hrefs), doc.profile.name, doc.profile_reason, reporter, doc.ctx.repairs)
