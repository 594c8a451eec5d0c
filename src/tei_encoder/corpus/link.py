"""Pointing an edition at the corpus register: particDesc persons by @sameAs, places and organisations by @ref."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..tei.xml import TEI_NS, XML_ID
from .names import string_key
from .register import NS, Register, _existing, load_register, locals_of


@lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> Register:
    return load_register(Path(path))


def project_register(path: Path) -> Register:
    """The register file, read once per version of it."""
    stat = path.stat()
    return _cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def link_edition(root: etree._Element, register: Register, href: str) -> int:
    """Add pointers `HREF#id` to the entries the edition's names surely belong to; returns how many.

    A name the register cannot tell (a surname several entries share) gets no pointer.
    """
    linked = 0
    persons = {p.get(XML_ID): p for p in root.iter(f"{{{TEI_NS}}}person")
               if not p.xpath("ancestor::t:standOff", namespaces=NS)}
    for item in locals_of(root, ""):
        entry = _existing(register.entries[item.kind], item)
        if entry is None:
            continue
        target = f"{href}#{entry.ident}"
        if item.kind == "person" and item.local_id in persons:
            persons[item.local_id].set("sameAs", target)
            linked += 1
        elif item.kind != "person":
            keys = {string_key(f) for f in item.forms}
            tag = "placeName" if item.kind == "place" else "orgName"
            for element in root.iter(f"{{{TEI_NS}}}{tag}"):
                if not element.get("ref") and string_key(" ".join(element.xpath("string()").split())) in keys:
                    element.set("ref", target)
                    linked += 1
    return linked
