"""Stage: the TEI tree's bodies, one per document of the transcript, with a part header for each of several."""

from __future__ import annotations

import re
from pathlib import Path

from ..blocks.documents import split_documents
from ..document import Document
from ..inlines import parse_inline
from ..model import Inline, Span
from ..tei.body import BodyBuilder
from ..tei.header import build_part_header
from ..tei.inline import InlineWriter
from ..tei.xml import XML_LANG, el, sub
from ..transforms.parts import part_facts


def stage(doc: Document) -> None:
    profile, ctx, register = doc.profile, doc.ctx, doc.register
    marks = doc.state.facts.get("footnote_marks", frozenset())

    def inline(span: Span, names: bool = True, printed: bool = False) -> list[Inline]:
        return parse_inline(span, ctx, names, printed=printed, marks=marks)

    ids: dict[str, str] = {}

    def person_id(label: str) -> str:
        if label not in ids:
            person = register.labels.get(label) or register.resolve_caps(label)
            ids[label] = person.xml_id if person else "unknown"
        return ids[label]

    documents = split_documents(doc.blocks, profile)
    root = el("TEI") if len(documents) == 1 else el("teiCorpus")
    writers: list[InlineWriter] = []
    turns = 0
    for number, blocks in enumerate(documents, start=1):
        tei = root if len(documents) == 1 else sub(root, "TEI")
        text = sub(tei, "text")
        text.set(XML_LANG, doc.language.code)
        writer = InlineWriter.from_context(ctx, "" if len(documents) == 1 else f"d{number}-")
        builder = BodyBuilder(
            profile.top["div_type"], inline, person_id, writer, ctx.resp, text,
            content=doc.content, participants=doc.mentions.participants,
        )
        for block in blocks:
            builder.add(block)
        builder.finish()
        writers.append(writer)
        turns += builder.turns
        if len(documents) > 1:
            start = doc.state.document_start or re.compile("(?!)")
            tei.insert(0, build_part_header(part_facts(blocks, number, Path(doc.source.name).stem, start)))
    doc.documents, doc.root, doc.writers, doc.turns = documents, root, writers, turns
