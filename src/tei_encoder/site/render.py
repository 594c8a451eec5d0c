"""TEI text → an HTML tree, by walking the TEI: every word of the text kept, every mark visible."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..tei.xml import TEI_NS, XML_ID
from .facts import Person, words

NS = {"t": TEI_NS}

# TEI elements that hold blocks; inside one, a block element becomes a block of HTML.
_BLOCK_TAGS = {
    "div": "section", "sp": "div", "p": "p", "head": "h2", "opener": "div", "closer": "div", "dateline": "p",
    "byline": "p", "signed": "p", "salute": "p", "ab": "div", "fw": "div", "note": "div", "list": "div",
    "speaker": "div", "postscript": "div", "trailer": "p", "docAuthor": "p", "argument": "div", "floatingText": "div",
}
# Editorial marks: shown with a class of their own and a tooltip saying what they are.
_MARKS = {
    "supplied": "supplied by the editor or translator", "sic": "as printed [sic]", "gap": "gap in the text",
    "unclear": "unclear reading", "incident": "incident", "vocal": "vocal event", "kinesic": "gesture",
    "pause": "pause", "time": "timestamp", "choice": "regularised reading",
}
_HI = {"bold": "strong", "italic": "em", "italics": "em", "underline": "u", "superscript": "sup", "subscript": "sub"}


@dataclass(frozen=True)
class Mention:
    """A place in an edition where a person speaks (a turn) or is named (a mention)."""

    person: str
    anchor: str
    kind: str  # "turn" or "mention"
    context: str


@dataclass
class Rendered:
    """An edition's text as HTML, and what the register and the tests need to know of it."""

    html: etree._Element
    mentions: list[Mention] = field(default_factory=list)
    turns: int = 0
    pages: int = 0


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


class _Walker:
    def __init__(self, persons: dict[str, Person], register_href: str):
        self.persons = persons
        self.register_href = register_href
        self.mentions: list[Mention] = []
        self.turns = 0
        self.pages = 0
        self.mention_count = 0
        self.seen_fn_refs: set[str] = set()

    # --- helpers -------------------------------------------------------------------------------
    @staticmethod
    def text(parent: etree._Element, text: str | None) -> None:
        """Append text at the end of parent's content."""
        if not text:
            return
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    @staticmethod
    def make(parent: etree._Element, tag: str, tei: str, *classes: str, **attrs: str) -> etree._Element:
        element = etree.SubElement(parent, tag)
        element.set("class", " ".join(["tei-" + tei, *classes]))
        for key, value in attrs.items():
            if value:
                element.set(key.rstrip("_").replace("_", "-"), value)
        return element

    def generated(self, parent: etree._Element, text: str, *classes: str, tag: str = "span") -> etree._Element:
        """A label the page adds (not a word of the source): class 'gen' says so."""
        element = etree.SubElement(parent, tag)
        element.set("class", " ".join(["gen", *classes]))
        element.text = text
        return element

    def children(self, source: etree._Element, target: etree._Element, block: bool) -> None:
        self.text(target, source.text)
        for child in source:
            if isinstance(child.tag, str):
                self.element(child, target, block)
            self.text(target, child.tail)

    # --- elements ------------------------------------------------------------------------------
    def element(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        name = local(node)
        handler = getattr(self, "_" + name, None)
        if handler is not None:
            handler(node, parent, block)
        elif name in _MARKS:
            self.mark(node, parent, name)
        elif block and name in _BLOCK_TAGS:
            out = self.make(parent, _BLOCK_TAGS[name], name, *self.typed(node), id=node.get(XML_ID, ""))
            self.children(node, out, block=name not in ("p", "head", "dateline", "byline", "signed", "salute", "trailer"))
        else:
            out = self.make(parent, "span", name, *self.typed(node), id=node.get(XML_ID, ""))
            self.children(node, out, block=False)

    @staticmethod
    def typed(node: etree._Element) -> list[str]:
        kind = node.get("type")
        return [f"type-{kind}"] if kind else []

    def mark(self, node: etree._Element, parent: etree._Element, name: str) -> None:
        title = _MARKS[name]
        detail = [value for value in (node.get("reason"), node.get("type")) if value and value != title]
        if node.get("quantity"):
            detail.append(f"{node.get('quantity')} {node.get('unit', '')}".strip())
        resp = node.get("resp", "").lstrip("#")
        if resp:
            detail.append(f"by the {resp}")
        if node.get("cert"):
            detail.append(f"certainty {node.get('cert')}")
        if name == "choice":
            reading = node.find("t:reg", NS) if node.find("t:reg", NS) is not None else node.find("t:corr", NS)
            detail.append(f"read: {words(reading)}")
        out = self.make(parent, "span", name, "mark", *self.typed(node),
                        title=title + (" (" + "; ".join(detail) + ")" if detail else ""))
        if name == "choice":
            for part in node:  # the printed form is shown; the reading is in the tooltip
                if isinstance(part.tag, str) and local(part) in ("orig", "sic"):
                    self.children(part, self.make(out, "span", local(part)), block=False)
            return
        if name == "pause":
            self.generated(out, "long pause" if node.get("type") == "long" else "pause")
        self.children(node, out, block=False)
        if name == "gap" and not len(out) and not out.text:
            self.generated(out, "…")
        if name == "sic":
            self.generated(out, "sic", "sic-marker", tag="sup")

    def _div(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        out = self.make(parent, "section" if block else "span", "div", *self.typed(node), id=node.get(XML_ID, ""))
        if node.get("type") == "section" and node.get("n"):
            self.generated(out, node.get("n", "") + ".", "section-number")
        self.children(node, out, block=block)

    def _head(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        depth = sum(1 for a in node.iterancestors() if isinstance(a.tag, str) and local(a) == "div")
        tag = f"h{min(1 + max(depth, 1), 6)}" if block else "span"
        self.children(node, self.make(parent, tag, "head", id=node.get(XML_ID, "")), block=False)

    def _sp(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        self.turns += 1
        anchor = node.get(XML_ID) or f"turn-{self.turns}"
        who = [w.lstrip("#") for w in node.get("who", "").split()]
        kinds = [a.lstrip("#") for a in node.get("ana", "").split()]
        out = self.make(parent, "div", "sp", *[f"turn-{k}" for k in kinds], id=anchor, data_who=" ".join(who))
        for person in who:
            self.mentions.append(Mention(person, anchor, "turn", _context(node)))
        speaker = node.find("t:speaker", NS)
        if speaker is None or not words(speaker):
            # Reported speech leaves speaker empty: the name comes from the participant list.
            label = self.generated(out, "", "tei-speaker", "speaker-from-register", tag="div")
            for i, person in enumerate(who):
                if i:
                    self.text(label, ", ")
                link = etree.SubElement(label, "a", {"href": f"{self.register_href}#{person}"})
                link.text = self.persons[person].name if person in self.persons else person
            if kinds:
                self.text(label, f" ({', '.join(kinds)})")
        self.text(out, node.text)
        for child in node:
            if isinstance(child.tag, str):
                if local(child) == "speaker" and not words(child):
                    self.text(out, child.tail)
                    continue
                self.element(child, out, block=True)
            self.text(out, child.tail)

    def _speaker(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        out = self.make(parent, "div" if block else "span", "speaker")
        who = node.getparent().get("who", "").split() if node.getparent() is not None else []
        if len(who) == 1:
            out = etree.SubElement(out, "a", {"href": f"{self.register_href}#{who[0].lstrip('#')}"})
        self.children(node, out, block=False)

    def _persName(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        ref = node.get("ref", "")
        if ref.startswith("#") and " " not in ref:
            self.mention_count += 1
            anchor = f"mention-{self.mention_count}"
            self.mentions.append(Mention(ref[1:], anchor, "mention", words(node)))
            out = self.make(parent, "a", "persName", id=anchor, href=f"{self.register_href}#{ref[1:]}")
        else:
            out = self.make(parent, "span", "persName", *self.typed(node))
        self.children(node, out, block=False)

    def _pb(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        self.pages += 1
        n = node.get("n", "")
        anchor = node.get(XML_ID) or f"page-{n or self.pages}"
        label = f"p. {n}" if n else "page break"
        if node.get("cert"):
            label += "?"
        out = self.make(parent, "a", "pb", "gen", id=anchor, href=f"#{anchor}",
                        title=f"page break{' (certainty ' + node.get('cert', '') + ')' if node.get('cert') else ''}")
        out.text = label

    def _lb(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        if node.get("break") != "no":  # a word broken at a line end reads as one word
            etree.SubElement(parent, "br")

    def _ref(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        target = node.get("target", "")
        if node.get("type") == "footnote" and target.startswith("#"):
            anchor = f"fnref-{target[1:]}"
            first = anchor not in self.seen_fn_refs
            self.seen_fn_refs.add(anchor)
            sup = self.make(parent, "sup", "ref", "footnote-ref")
            out = etree.SubElement(sup, "a", {"href": target, **({"id": anchor} if first else {})})
        elif target.startswith(("http://", "https://", "#")):
            out = self.make(parent, "a", "ref", href=target)
        else:
            out = self.make(parent, "span", "ref")
        self.children(node, out, block=False)

    def _note(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        kind = node.get("type", "")
        anchor = node.get(XML_ID, "")
        if kind == "footnote":
            out = self.make(parent, "div" if block else "span", "note", "type-footnote", "footnote", id=anchor)
            back = etree.SubElement(out, "a", {"class": "gen footnote-number", "href": f"#fnref-{anchor}"} if anchor
                                    else {"class": "gen footnote-number"})
            back.text = node.get("n", "") or "*"
            self.text(out, " ")
            self.children(node, out, block=False)
            return
        tag = "div" if block else "span"
        said = [kind] if kind else []
        if node.get("resp"):
            said.append(f"by the {node.get('resp', '').lstrip('#')}")
        out = self.make(parent, tag, "note", *self.typed(node), "mark" if not block else "block-note", id=anchor,
                        title=f"note{' (' + '; '.join(said) + ')' if said else ''}")
        self.children(node, out, block=False)

    def _list(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        out = self.make(parent, "div" if block else "span", "list", *self.typed(node))
        items: etree._Element | None = None
        self.text(out, node.text)
        for child in node:
            if isinstance(child.tag, str) and local(child) == "item" and block:
                if items is None:
                    items = etree.SubElement(out, "ul")
                item = self.make(items, "li", "item")
                self.children(child, item, block=False)
                self.text(item, child.tail)
                continue
            if isinstance(child.tag, str):
                if local(child) == "head":
                    self.children(child, self.make(out, "p" if block else "span", "head", "list-head"), block=False)
                else:
                    self.element(child, out, block)
            self.text(out, child.tail)

    def _hi(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        rend = (node.get("rend") or "").split()
        tag = next((_HI[r] for r in rend if r in _HI), "span")
        self.children(node, self.make(parent, tag, "hi", *[f"rend-{r}" for r in rend]), block=False)

    def _date(self, node: etree._Element, parent: etree._Element, block: bool) -> None:
        when = node.get("when", "")
        out = self.make(parent, "span", "date", title=f"date {when}" if when else "",
                        data_when=when)
        self.children(node, out, block=False)


def _context(node: etree._Element, size: int = 12) -> str:
    """The first words of a turn, for the register's list of turns."""
    said = [words(p) for p in node.iterfind("t:p", NS)]
    text = " ".join(w for w in said if w).split()
    return " ".join(text[:size]) + (" …" if len(text) > size else "")


def render_text(root: etree._Element, persons: dict[str, Person], register_href: str) -> Rendered:
    """The body (of a TEI, or of each TEI of a teiCorpus) as one HTML tree."""
    walker = _Walker(persons, register_href)
    container = etree.Element("div", {"class": "edition-text"})
    documents = [root] if local(root) == "TEI" else root.findall("t:TEI", NS)
    for document in documents:
        body = document.find("t:text/t:body", NS)
        if body is None:
            continue
        out = container
        if len(documents) > 1:
            out = etree.SubElement(container, "article", {"class": "document"})
            if document.get(XML_ID):
                out.set("id", document.get(XML_ID, ""))
        walker.children(body, out, block=True)
    return Rendered(container, walker.mentions, walker.turns, walker.pages)
