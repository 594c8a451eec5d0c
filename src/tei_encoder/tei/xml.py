"""Small helpers for building TEI elements with lxml."""

from __future__ import annotations

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
NSMAP = {None: TEI_NS}


def qname(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def el(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A new TEI element; attribute names given as keywords (xml:id through XML_ID)."""
    element = etree.Element(qname(tag), nsmap=NSMAP)
    for key, value in attrs.items():
        element.set(key, value)
    if text is not None:
        element.text = text
    return element


_QNAMES: dict[str, str] = {}


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A new TEI child element appended to parent."""
    name = _QNAMES.get(tag)
    if name is None:
        name = _QNAMES[tag] = qname(tag)
    element = etree.SubElement(parent, name, attrs) if attrs else etree.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


def local(element: etree._Element) -> str:
    """The local name of an element ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
