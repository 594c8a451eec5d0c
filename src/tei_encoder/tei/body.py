"""Building text/body from blocks: divisions, turns, paragraphs, opener, closer, page breaks."""

from __future__ import annotations

import re

from lxml import etree

from ..model import Block, BlockFacts, Inline
from ..transforms.register import Mention
from .inline import InlineWriter
from .xml import XML_ID, el, qname, sub


class BodyBuilder:
    """Walks the blocks in order, keeping track of the open division and the open turn."""

    def __init__(
        self,
        div_type: str,
        inline,
        persons_by_label,
        writer: InlineWriter,
        resp: str = "#translator",
        parent=None,
        content: BlockFacts[list[Inline]] | None = None,
        participants: BlockFacts[list[Mention | None]] | None = None,
    ):
        self.inline = inline  # callable(span, names=True, printed=False) -> list[Inline] (inlines.parse_inline)
        self.persons_by_label = persons_by_label  # callable(label) -> xml:id
        # Inline content and page breaks are written by the document's writer, which the
        # teiHeader shares: page breaks are counted, and their ids kept apart, across both.
        self.writer = writer
        self.prefix = writer.prefix
        self.resp = resp
        # What stages after the block rules found about blocks (Document.content, .mentions).
        self.content: BlockFacts[list[Inline]] = content if content is not None else BlockFacts()
        self.participants: BlockFacts[list[Mention | None]] = participants if participants is not None else BlockFacts()
        # Built in place inside its text element: moving a finished tree into another
        # document makes lxml walk every node of it again.
        self.body = el("body") if parent is None else sub(parent, "body")
        self.record = sub(self.body, "div", type=div_type)
        self.container = self.record  # the record, or the open section
        self.sp: etree._Element | None = None
        self.section_ids: set[str] = set()
        self.note_ids: set[str] = set()
        self.turns = 0

    # ---- blocks ---------------------------------------------------------------------
    def add(self, block: Block) -> None:
        getattr(self, "block_" + block.kind.replace("-", "_"))(block)

    def block_head(self, block: Block) -> None:
        if block.attrs.get("n"):
            self.record.set("n", block.attrs["n"])  # the document's own number ("230.")
        self.writer.fill(sub(self.record, "head"), self.inline(block.span))

    def block_dateline(self, block: Block) -> None:
        dateline = sub(self.container, "dateline")
        if not block.parts:
            sub(dateline, "date", when=block.attrs["when"]).text = block.span.clean
            return
        # "Washington, February 07, 1964, 11:17 a.m.": the place, the date with its time.
        for kind, span in block.parts:
            if kind == "place":
                sub(dateline, "placeName").text = span.clean
            elif kind == "date":
                sub(dateline, "date", when=block.attrs["when"]).text = span.clean
            else:
                dateline[-1].tail = (dateline[-1].tail or "") + span.clean  # the place comes first

    def block_opener(self, block: Block) -> None:
        opener = sub(self.record, "opener")
        for kind, span in block.parts:
            if kind == "byline":
                self.writer.fill(sub(opener, "byline"), self.inline(span))
            elif kind == "classification":
                self.writer.fill(sub(opener, "seg", type="classification"), self.inline(span, False))
            elif kind == "dateline":
                self.writer.fill(sub(opener, "dateline"), self.inline(span))
            elif kind == "number":
                self.writer.fill(sub(opener, "idno", type="document"), self.inline(span, False))
            elif kind == "release":
                self.writer.fill(sub(opener, "fw", type="header"), self.inline(span, False))
            elif kind == "routing":
                self.writer.fill(sub(opener, "seg", type="routing"), self.inline(span))
            else:
                self.writer.fill(sub(opener, "seg"), self.inline(span))

    def block_present(self, block: Block) -> None:
        self.end_turn()
        self.writer.fill(sub(self.container, "note", type="present"), self.content[block])

    def block_participants(self, block: Block) -> None:
        """"Participants:" and its names → list[@type="participants"], a person per item."""
        self.end_turn()
        listing = sub(self.container, "list", type="participants")
        for (kind, span), found in zip(block.parts, self.participants[block]):
            if kind == "label":
                self.writer.fill(sub(listing, "head"), self.inline(span, printed=True))
                continue
            item = sub(listing, "item")
            text = span.clean
            if found is None:
                item.text = text
                continue
            start, end, person = found
            item.text = text[:start]
            name = sub(item, "persName", ref="#" + person.xml_id)
            name.text = text[start:end]
            name.tail = text[end:]

    def block_section(self, block: Block) -> None:
        self.end_turn()
        n = block.attrs["n"]
        attrs = {"rend": "escaped"} if block.attrs.get("escaped") else {}
        ident, k = f"{self.prefix}sec-{n}", 2
        while ident in self.section_ids:  # numbering that starts again must not repeat an id
            ident, k = f"{self.prefix}sec-{n}-{k}", k + 1
        self.section_ids.add(ident)
        self.container = sub(self.record, "div", type="section", n=n, **attrs, **{XML_ID: ident})

    def block_turn(self, block: Block) -> None:
        self.end_turn()
        self.turns += 1
        who = self.persons_by_label(block.attrs["name"])
        self.sp = sub(self.container, "sp", who="#" + who, ana="#" + block.attrs["mode"], **{XML_ID: f"{self.prefix}sp-{self.turns}"})
        label = block.attrs["label"]
        if block.attrs["mode"] == "direct":
            sub(self.sp, "speaker", **({"rend": "tight"} if block.attrs.get("tight") else {})).text = label.clean
            # A speaker alone on its line (a label form of the profile's): the speech follows as p.
            if block.span.text.strip() or "speaker" not in block.attrs:
                self.writer.fill(sub(self.sp, "p"), self.inline(block.span))
        else:
            # TEI P5 requires a speaker in every sp; in reported speech the name stays in
            # the sentence, so the speaker element is left empty.
            sub(self.sp, "speaker")
            p = sub(self.sp, "p")
            name = sub(p, "persName", ref="#" + who)
            name.text = label.clean
            name.tail = ""
            rest = self.inline(block.span.slice(len(label.text)))
            self.writer.fill_after(p, name, rest)

    def block_item(self, block: Block) -> None:
        parent = self.sp if self.sp is not None else self.container
        last = parent[-1] if len(parent) else None
        if last is None or last.tag != qname("list") or last.get("type") != block.attrs["list"]:
            last = sub(parent, "list", type=block.attrs["list"], rend="parenthesised")
        self.writer.fill(sub(last, "item", n=block.attrs["n"]), self.inline(block.span))

    def block_p(self, block: Block) -> None:
        parent = self.sp if self.sp is not None else self.container
        self.writer.fill(sub(parent, "p"), self.inline(block.span))

    def block_narration(self, block: Block) -> None:
        self.end_turn()
        self.writer.fill(sub(self.container, "p"), self.inline(block.span))

    def block_pb(self, block: Block) -> None:
        # A boundary between blocks: inside the open turn when the next block continues it.
        parent = self.sp if self.sp is not None else self.container
        self.writer.page_break(parent, printed=block.attrs.get("printed", ""), least=block.attrs.get("least", ""))

    def block_memo(self, block: Block) -> None:
        self.end_turn()
        header = sub(self.container, "ab", type="memo-header")
        for label, span in block.parts:
            subtype = re.sub(r"[^a-z]+", "-", label.lower()).strip("-")
            self.writer.fill(sub(header, "seg", type="memo-field", subtype=subtype), self.inline(span))

    def block_fw(self, block: Block) -> None:
        parent = self.sp if self.sp is not None else self.container
        self.writer.fill(sub(parent, "fw", type=block.attrs["type"]), self.inline(block.span, printed=True))

    def block_closer(self, block: Block) -> None:
        self.end_turn()
        closer = sub(self.record, "closer")
        signed = sub(closer, "signed")
        role, name = block.parts[0][1], block.parts[1][1]
        self.writer.fill(sub(signed, "roleName"), self.inline(role, printed=True))
        text = name.clean
        who = self.persons_by_label(text.strip("()"))
        signed[-1].tail = " " + ("(" if text.startswith("(") else "")
        pers = sub(signed, "persName", ref="#" + who)
        pers.text = text.strip("()")
        pers.tail = ")" if text.endswith(")") else None

    def block_signature(self, block: Block) -> None:
        """"Sincerely yours,⏎/s/ John Smith⏎Director": the closing, the name, its roles."""
        self.end_turn()
        closer = sub(self.record, "closer")
        signed: etree._Element | None = None
        for kind, span in block.parts:
            if kind == "salute":
                self.writer.fill(sub(closer, "salute"), self.inline(span, printed=True))
                continue
            if signed is None:
                signed = sub(closer, "signed")
            if kind == "mark":
                signed.text = span.clean  # "/s/ ": the copy says the original was signed
            elif kind == "name":
                sub(signed, "persName", ref="#" + self.persons_by_label(span.clean)).text = span.clean
            else:
                signed[-1].tail = " "
                self.writer.fill(sub(signed, "roleName"), self.inline(span, printed=True))

    def block_source_note(self, block: Block) -> None:
        self.end_turn()
        attrs = {"type": "source", "resp": self.resp}
        rend = list(block.attrs.get("rend", [])) + ([] if block.attrs["closed"] else ["unclosed"])
        if rend:
            attrs["rend"] = " ".join(rend)
        # A trailing source line closes the body; one in the middle stays where it stands.
        parent = self.body if block.attrs.get("trailing", True) else self.container
        self.writer.fill(sub(parent, "note", **attrs), self.content[block])

    def block_footnote(self, block: Block) -> None:
        self.end_turn()
        n = block.attrs["n"]
        ident, k = f"f{n}", 2
        while ident in self.note_ids:
            ident, k = f"f{n}-{k}", k + 1
        self.note_ids.add(ident)
        attrs = {"type": "footnote", "n": n, XML_ID: ident}
        if block.attrs.get("source"):
            attrs["subtype"] = "source"  # the note that names the document's source
        rend = ["bullet"] if block.attrs.get("bullet") else []
        if block.attrs.get("bracketed"):
            rend.append("bracketed")  # "[1] …": the number in brackets
        if block.attrs.get("tight"):
            # The label was read off the front of the text ("18 July" → note 1, "8 July"): an
            # interpretation, attributed, and "tight" so that the way back joins them again.
            rend.append("tight")
            attrs.update(resp="#tei-encoder", cert="medium")
        if rend:
            attrs["rend"] = " ".join(rend)
        self.writer.fill(sub(self.body, "note", **attrs), self.inline(block.span))

    def end_turn(self) -> None:
        self.sp = None

    def finish(self) -> etree._Element:
        _move_trailing_breaks(self.body)
        return self.body


def _move_trailing_breaks(body: etree._Element) -> None:
    """Page breaks (and page numbers) left at the end of a turn belong before the next turn."""
    for sp in list(body.iter(qname("sp"))):
        following = sp.getnext()
        if following is None:
            continue
        trailing: list[etree._Element] = []
        child = sp[-1] if len(sp) else None
        while child is not None and etree.QName(child).localname in ("pb", "fw"):
            trailing.insert(0, child)
            child = child.getprevious()
        for element in trailing:
            sp.remove(element)
            following.addprevious(element)
