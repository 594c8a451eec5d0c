"""Serialising an edition: UTF-8, indented where there is no mixed content, final newline."""

from __future__ import annotations

from lxml import etree

# Elements whose content is text: never indented, since white space there is content.
MIXED = frozenset(
    "p head speaker note title item seg byline dateline signed supplied sic persName orgName "
    "placeName roleName date resp desc catDesc textLang idno publisher label forename surname "
    "occupation q quote name funder locus country settlement repository ab gap bibl".split()
)


_MIXED_TAGS = frozenset(f"{{http://www.tei-c.org/ns/1.0}}{name}" for name in MIXED)


def _indent(element: etree._Element, level: int) -> None:
    if element.tag in _MIXED_TAGS:
        return
    children = list(element)
    if not children:
        return
    if (element.text or "").strip() or any((c.tail or "").strip() for c in children):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        child.tail = pad
        _indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


def serialise(tei: etree._Element) -> bytes:
    """Canonical bytes of an edition: the same tree always gives the same bytes."""
    _indent(tei, 0)
    body = etree.tostring(tei, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
