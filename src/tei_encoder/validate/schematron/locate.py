"""From a finding's path back to the line and column of its node in the source."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from lxml import etree

from .findings import Finding

# The markup of a well-formed document, in order: comments, CDATA, PIs, the DOCTYPE, end tags,
# and start tags (name and attributes captured).
_MARKUP = re.compile(
    r"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!DOCTYPE(?:[^\[>]|\[.*?\])*>|/[^>]*>"
    r"|(?P<name>[^\s/>!?]+)(?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>)",
    re.S,
)
_STEP = re.compile(
    r"/(?:Q\{(?P<ns>[^}]*)\}(?P<local>[^\[/]+)\[(?P<n>\d+)\]|@Q\{(?P<ans>[^}]*)\}(?P<alocal>[^/]+)|(?P<kind>text|comment|processing-instruction)\(\)\[(?P<k>\d+)\])"
)


class _Locator:
    """Lines and columns of elements and attributes, read from the source text."""

    def __init__(self, data: bytes, tree: etree._ElementTree):
        self.tree = tree
        self.data = data
        self._starts: list[tuple[int, str, int, int]] | None = None  # (offset, attrs, attrs_offset, end)
        self._ends: list[int] = []  # where each element's end tag ends
        self._others: list[int] = []
        self._other_order: dict[etree._Element, int] = {}
        self._order: dict[etree._Element, int] | None = None
        self._text: str | None = None
        self._line_starts: list[int] | None = None

    def _scan(self) -> None:
        enc = (self.tree.docinfo.encoding or "utf-8").lower()
        try:
            text = self.data.decode("utf-8-sig" if enc in ("utf-8", "utf8") else enc)
        except (LookupError, UnicodeDecodeError):
            text = self.data.decode("utf-8", "replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        starts: list[tuple[int, str, int, int]] = []
        ends: list[int] = []
        others: list[int] = []  # comments and processing instructions
        open_: list[int] = []
        for m in _MARKUP.finditer(text):
            if m.group("name"):
                starts.append((m.start(), m.group("attrs") or "", m.start("attrs"), m.end()))
                ends.append(m.end())
                if not m.group().endswith("/>"):
                    open_.append(len(starts) - 1)
            elif m.group().startswith("</") and open_:
                ends[open_.pop()] = m.end()
            elif m.group().startswith(("<!--", "<?")) and not re.match(r"<\?xml\s", m.group()):
                others.append(m.start())
        self._starts, self._ends, self._others = starts, ends, others
        root = self.tree.getroot()
        kinds = (etree.Comment, etree.ProcessingInstruction)
        nodes = [*reversed(list(root.itersiblings(preceding=True))), *root.iter(*kinds), *root.itersiblings()]
        self._other_order = {n: i for i, n in enumerate(n for n in nodes if n.tag in kinds)}
        self._order = {el: i for i, el in enumerate(e for e in self.tree.getroot().iter() if isinstance(e.tag, str))}

    def _line_col(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            assert self._text is not None
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def _early_start(self, el: etree._Element) -> tuple[int, str, int, int] | None:
        """The start tag of an element, read without scanning the rest of the document.

        Findings are mostly about the header, at the top of a long edition: the markup is read
        only as far as the element, and the tag found must bear its name on its line (else the
        whole document is scanned as before). A DOCTYPE, which may declare entities that change
        the count of tags, always takes the full scan.
        """
        if self._starts is not None or el.sourceline is None or b"<!DOCTYPE" in self.data:
            return None
        if (self.tree.docinfo.encoding or "utf-8").lower() not in ("utf-8", "utf8"):
            return None
        index = next((i for i, e in enumerate(self.tree.getroot().iter(etree.Element)) if e is el), None)
        if index is None:
            return None
        if self._text is None:
            try:
                text = self.data.decode("utf-8-sig")
            except UnicodeDecodeError:
                return None
            if "\r" in text:
                return None  # the full scan normalises line ends first
            self._text = text  # what the full scan would read too: lines are counted once, lazily
        seen = -1
        for m in _MARKUP.finditer(self._text):
            if not m.group("name"):
                continue  # comments, PIs, end tags: only start tags are counted
            seen += 1
            if seen == index:
                if m.group("name").rpartition(":")[2] != etree.QName(el).localname:
                    return None
                if self._line_col(m.start())[0] != el.sourceline:
                    return None
                return (m.start(), m.group("attrs") or "", m.start("attrs"), m.end())
        return None

    def element_place(self, el: etree._Element, attr: str | None = None) -> tuple[int | None, int | None]:
        found = self._early_start(el)
        if found is None:
            if self._starts is None:
                self._scan()
            assert self._order is not None and self._starts is not None
            i = self._order.get(el)
            if i is None or i >= len(self._starts) or len(self._starts) != len(self._order):
                return el.sourceline, None
            found = self._starts[i]
        start, attrs, attrs_at, _end = found
        if attr is not None:
            qname = _attribute_qname(el, attr)
            m = re.search(r"\s(" + re.escape(qname) + r")\s*=", attrs) if qname else None
            if m:
                return self._line_col(attrs_at + m.start(1))
        return self._line_col(start)

    def resolve(self, path: str) -> tuple[etree._Element | None, str | None, str | None]:
        """The element a path leads to, the attribute (Clark name) or the kind of other node it ends on."""
        root = self.tree.getroot()
        el: etree._Element | None = None
        attr = other = None
        pos = 0
        for m in _STEP.finditer(path):
            if m.start() != pos:
                return el, None, None
            pos = m.end()
            if m.group("local") is not None:
                tag = "{%s}%s" % (m.group("ns"), m.group("local")) if m.group("ns") else m.group("local")
                n = int(m.group("n"))
                if el is None:
                    if root.tag != tag or n != 1:
                        return None, None, None
                    el = root
                else:
                    same = [c for c in el if c.tag == tag]
                    if n > len(same):
                        return el, None, None
                    el = same[n - 1]
            elif m.group("alocal") is not None:
                attr = "{%s}%s" % (m.group("ans"), m.group("alocal")) if m.group("ans") else m.group("alocal")
            else:
                other = f"{m.group('kind')}:{m.group('k')}"
        if pos != len(path):
            return el, None, None
        return el, attr, other

    def place(self, path: str) -> tuple[int | None, int | None]:
        el, attr, other = self.resolve(path)
        if other and not other.startswith("text:"):
            return self.other_place(el, other)
        if el is None:
            return (1, None) if path == "/" else (None, None)
        if other:
            return self.text_place(el, int(other.split(":")[1]))
        return self.element_place(el, attr)

    def other_place(self, parent: etree._Element | None, other: str) -> tuple[int | None, int | None]:
        """Line and column of a comment or processing instruction (a top-level one when parent is None)."""
        kind, _, k = other.partition(":")
        wanted = etree.Comment if kind == "comment" else etree.ProcessingInstruction
        if parent is None:
            root = self.tree.getroot()
            pool = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
        else:
            pool = list(parent)
        same = [n for n in pool if n.tag is wanted]
        if int(k) > len(same):
            return (None, None) if parent is None else self.element_place(parent)
        if self._starts is None:
            self._scan()
        i = self._other_order.get(same[int(k) - 1])
        if i is None or len(self._others) != len(self._other_order):
            return (None, None) if parent is None else self.element_place(parent)
        return self._line_col(self._others[i])

    def text_place(self, parent: etree._Element, n: int) -> tuple[int | None, int | None]:
        """Line and column of the first non-blank character of the parent's n-th text node.

        A text node starts where its parent's start tag or the element before it ends.
        """
        segments: list[tuple[str, etree._Element, bool]] = []  # (text, the node it follows, inside it?)
        if parent.text:
            segments.append((parent.text, parent, True))
        for c in parent:
            if c.tail:
                segments.append((c.tail, c, False))
        fallback = self.element_place(parent)[0], None
        if n > len(segments):
            return fallback
        text, after, inside = segments[n - 1]
        if self._starts is None:
            self._scan()  # a text node's place needs where the element before it ends
        if self._starts is None or not isinstance(after.tag, str) or len(self._starts) != len(self._order or ()):
            return fallback
        i = (self._order or {}).get(after)
        if i is None:
            return fallback
        offset = self._starts[i][3] if inside else self._ends[i]
        lead = len(text) - len(text.lstrip())
        return self._line_col(offset + lead)


def _attribute_qname(el: etree._Element, clark: str) -> str | None:
    if not clark.startswith("{"):
        return clark
    ns, local = clark[1:].split("}", 1)
    if ns == "http://www.w3.org/XML/1998/namespace":
        return "xml:" + local
    for prefix, uri in (el.nsmap or {}).items():
        if uri == ns and prefix:
            return f"{prefix}:{local}"
    return None


def _with_place(f: Finding, locator: _Locator) -> Finding:
    line, col = locator.place(f.path)
    return replace(f, line=line, col=col)
