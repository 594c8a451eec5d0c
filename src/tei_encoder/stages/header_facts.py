"""Stage: what the teiHeader says: the text's facts, then the catalogue's where the text states none."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..document import Document
from ..metadata import Metadata
from ..profiles import Profile
from ..tei.header import HeaderFacts
from ..transforms.archives import ArchivalId, parse_archival_id
from ..transforms.header_facts import header_facts


def stage(doc: Document) -> None:
    facts = header_facts(doc.source, doc.profile, doc.profile_reason, doc.state, doc.register, doc.ctx, doc.date, doc.config)
    facts.creation_cert = doc.date_cert
    facts.language = doc.language.code
    if doc.profile.top["language"] == "auto" and not (doc.metadata is not None and doc.metadata.language):
        facts.language_cert = doc.language.cert
    translation = doc.translation
    if translation is not None and not facts.original_language:
        facts.original_language = translation.original
    if translation is not None and translation.translator and doc.profile.top["translation"] == "stated":
        for r in facts.responsibilities:
            if r.role == "translator" and not r.name:
                r.name = translation.translator
    if translation is None and not _uses(doc.root, doc.ctx.resp):
        # An original with no bracketed insertion: nobody to name for them.
        facts.responsibilities = [r for r in facts.responsibilities if r.role != doc.resp]
    facts.wrapper = doc.wrapper
    if doc.metadata is not None:
        doc.from_catalogue += catalogue_facts(facts, doc.metadata, doc.profile, Path(doc.source.name).stem)
    facts.turns = doc.turns > 0
    doc.header = facts


def catalogue_facts(facts: HeaderFacts, metadata: Metadata, profile: Profile, stem: str) -> list[str]:
    """Fill the header's title and archival citation from the catalogue where the text gave none."""
    used = []
    if metadata.title and facts.title == [stem]:
        facts.title = [metadata.title]
        used.append("the title")
    reference = metadata.citation or metadata.archive
    # A profile that reads front matter gives its citation back on the way to text: none is added.
    if reference and not facts.citation and facts.archival is None and not profile.data["front_matter"]["enabled"]:
        facts.citation = [[reference]]
        facts.archival = parse_archival_id(reference) or ArchivalId(reference, repository=metadata.archive)
        used.append("the archival citation")
    return used


def _uses(element: etree._Element, pointer: str) -> bool:
    """Whether any element under this one points at the id with @resp."""
    return any(pointer in (e.get("resp") or "").split() for e in element.iter(etree.Element))
