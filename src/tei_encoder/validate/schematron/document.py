"""Reading the document to check safely, and handing it to Saxon without its DOCTYPE."""

from __future__ import annotations

import re

from lxml import etree

# No DTD, no entity expansion, no network; large documents allowed. (collect_ids=False is not
# used to let duplicate xml:ids through: with it libxml2 reads the external DTD subset.)
_PARSER_OPTIONS = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True)
SAFE_PARSER = etree.XMLParser(**_PARSER_OPTIONS)
# Errors about xml:id values (a duplicate, a value that is not an NCName) are validity matters
# for the schemas to report, not a reason to refuse the document.
_ID_ERRORS = frozenset({"DTD_ID_REDEFINED", "DTD_XMLID_VALUE"})


def parse_document(data: bytes) -> etree._ElementTree:
    """Parse a document safely; raises etree.XMLSyntaxError when it is not well-formed."""
    etree.clear_error_log()  # lxml keeps earlier parses' errors in the log the exception carries
    try:
        return etree.ElementTree(etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS)))
    except etree.XMLSyntaxError as exc:
        if not exc.error_log or any(e.type_name not in _ID_ERRORS for e in exc.error_log):
            raise
    return etree.ElementTree(etree.fromstring(data, etree.XMLParser(recover=True, **_PARSER_OPTIONS)))


_ENCODING_DECL = re.compile(rb"""\A<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_PROLOG = re.compile(r"\A(?:<\?xml\s.*?\?>)?(?:\s+|<!--.*?-->|<\?.*?\?>)*<(?P<bang>!)?", re.S)


def _plain_text(data: bytes) -> str | None:
    """The document's text when it is in an ASCII-compatible encoding and has no DOCTYPE, else None."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        return None
    else:
        declared = _ENCODING_DECL.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    m = _PROLOG.match(text)
    if m is None or m.group("bang"):
        return None
    return text


class _CannotCheck(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def _expand_internal_entities(tree: etree._ElementTree) -> None:
    """Replace references to text-only entities of the internal subset by their text.

    References to external entities, or to entities holding markup, are refused: nothing is
    read from outside the document.
    """
    refs = [n for n in tree.getroot().iter() if isinstance(n, etree._Entity)]
    if not refs:
        return
    dtd = tree.docinfo.internalDTD
    known = {e.name: e for e in dtd.iterentities()} if dtd is not None else {}
    for ref in refs:
        name = ref.text[1:-1] if ref.text else ""
        entity = known.get(name)
        content = entity.content if entity is not None and not entity.system_url else None
        if content is None or "<" in content or "&" in content:
            raise _CannotCheck(
                f"the entity reference &{name}; is not expanded (only text entities of the internal subset are)", ref.sourceline
            )
        parent = ref.getparent()
        text = content + (ref.tail or "")
        previous = ref.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(ref)


def _serialise(root: etree._Element) -> str:
    """The document as text for Saxon: its top-level comments and PIs and its root, no DOCTYPE."""
    before = []
    sib = root.getprevious()
    while sib is not None:
        before.append(etree.tostring(sib, encoding="unicode", with_tail=False))
        sib = sib.getprevious()
    after = []
    sib = root.getnext()
    while sib is not None:
        after.append(etree.tostring(sib, encoding="unicode", with_tail=False))
        sib = sib.getnext()
    return "".join(reversed(before)) + etree.tostring(root, encoding="unicode", with_tail=False) + "".join(after)
