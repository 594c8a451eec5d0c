"""Inline content (strings and nodes) written as TEI children, with the page breaks of one TEI document numbered."""

from __future__ import annotations

from lxml import etree

from ..inlines.context import InlineContext
from ..model import Inline, Node
from .xml import XML_ID, sub


class InlineWriter:
    """Writes inline content into elements; counts the page breaks of one TEI document.

    The body and the teiHeader of a document share one writer, so that a page break in either
    takes the next number and an id no other page break of the document has.
    """

    def __init__(self, number_pages: bool, prefix: str = ""):
        self.number_pages = number_pages  # numbered by the printed numbers, else by count
        self.prefix = prefix  # one file holding several documents keeps their ids apart
        self.pages = 1
        self.breaks = 0
        self.page_ids: set[str] = set()

    @classmethod
    def from_context(cls, ctx: InlineContext, prefix: str = "") -> InlineWriter:
        """The writer for one TEI document of the transcript the context was made for."""
        return cls(ctx.number_pages, prefix)

    def fill(self, parent: etree._Element, items: list[Inline]) -> etree._Element:
        """Append strings and nodes to an element, as text and children."""
        last: etree._Element | None = None
        for item in items:
            if isinstance(item, str):
                if last is None:
                    parent.text = (parent.text or "") + item
                else:
                    last.tail = (last.tail or "") + item
                continue
            last = self.node(parent, item)
        return parent

    def fill_after(self, parent: etree._Element, last: etree._Element, items: list[Inline]) -> None:
        """Append strings and nodes to an element after its child `last`."""
        for item in items:
            if isinstance(item, str):
                last.tail = (last.tail or "") + item
            else:
                last = self.node(parent, item)

    def node(self, parent: etree._Element, node: Node) -> etree._Element:
        if node.tag == "pb":
            pb = self.page_break(
                parent, bool(node.attrs.get("inferred")), node.attrs.get("printed", ""), node.attrs.get("least", "")
            )
            if node.attrs.get("break"):
                pb.set("break", node.attrs["break"])
            return pb
        child = sub(parent, node.tag, **node.attrs)
        self.fill(child, node.children)
        return child

    def page_break(self, parent: etree._Element, inferred: bool = False, printed: str = "", least: str = "") -> etree._Element:
        """A pb: numbered by the page's printed number, or by counting from 2.

        `least` comes from a number printed at the foot of the page before: the page that
        begins is at least the next one, and never numbered below the count of pages so far.
        """
        self.breaks += 1
        attrs: dict[str, str] = {}
        if inferred:
            attrs["cert"] = "medium"
            attrs["resp"] = "#tei-encoder"
            ident = f"{self.prefix}pb-x{self.breaks}"
        elif not self.number_pages:
            ident = f"{self.prefix}pb-x{self.breaks}"
        else:
            if printed:
                self.pages = int(printed)
            else:
                self.pages = max(int(least), self.pages + 1) if least else self.pages + 1
            attrs["n"] = str(self.pages)
            ident = f"{self.prefix}pb-{self.pages}"
        # Printed numbers may repeat (a new sequence, an OCR misreading): ids must not.
        base, k = ident, 2
        while ident in self.page_ids:
            ident, k = f"{base}-{k}", k + 1
        self.page_ids.add(ident)
        attrs[XML_ID] = ident
        return sub(parent, "pb", **attrs)
