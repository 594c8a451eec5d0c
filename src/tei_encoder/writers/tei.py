"""The TEI edition's bytes, pointed at its schema when hrefs are given."""

from __future__ import annotations

from ..document import Document
from ..tei.schema_link import link_schema
from ..tei.serialise import serialise


def write(doc: Document, hrefs: tuple[str, str] | None = None) -> bytes:
    """The edition as UTF-8 XML; with (rng, sch) hrefs, xml-model instructions after the declaration."""
    return linked(serialise(doc.root), hrefs)


def linked(xml: bytes, hrefs: tuple[str, str] | None) -> bytes:
    """TEI bytes pointed at the (rng, sch) schema; as they are without hrefs. The one place a
    schema link is added: editions through write(), the corpus register through here."""
    return link_schema(xml, *hrefs) if hrefs else xml
