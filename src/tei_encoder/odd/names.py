"""Namespaces and small helpers shared by the ODD compiler's modules."""

from __future__ import annotations

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EXAMPLES_NS = "http://www.tei-c.org/ns/Examples"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
ANNOTATIONS_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"

T = "{%s}" % TEI_NS
R = "{%s}" % RNG_NS
S = "{%s}" % SCH_NS

SPEC_KINDS = ("elementSpec", "classSpec", "macroSpec", "dataSpec")

# One parser for ODD files and the TEI source: no DTDs, no entities, no network, and
# duplicate xml:ids tolerated (real ODDs such as tei_simplePrint contain them).
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False, huge_tree=True
)


def local(el: etree._Element) -> str:
    """The local name of an element ("" for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def tokens(value: str | None) -> list[str]:
    return value.split() if value else []


def occurs(el: etree._Element) -> tuple[int, int | None]:
    """@minOccurs/@maxOccurs as (min, max); max None means unbounded."""
    lo = el.get("minOccurs")
    hi = el.get("maxOccurs")
    low = int(lo) if lo and lo.isdigit() else 1
    if hi == "unbounded":
        return low, None
    high = int(hi) if hi and hi.isdigit() else max(low, 1)
    return low, max(high, low)
