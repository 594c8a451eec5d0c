"""The Document and its stages: the table's order, the meaning stage, and the writers' bytes."""

from __future__ import annotations

from tei_encoder.api import collapse, encode_bytes
from tei_encoder.diagnostics import Reporter
from tei_encoder.document import Document
from tei_encoder.inlines import parse_inline
from tei_encoder.inlines.rules import INLINE_RULES
from tei_encoder.model import PB, Node, Span
from tei_encoder.source import source_from_bytes
from tei_encoder.stages import STAGES, run
from tei_encoder.tei.schema_link import link_schema
from tei_encoder.writers import tei, text

TRANSCRIPT = """MEMORANDUM OF CONVERSATION

Present: Mr. Adams, Mr. Brown

ADAMS: We met on July 9, 1961 [in Vienna] and spoke of the “open question”.

BROWN: Agreed. [inaudible]
"""


def _document(name: str = "memo.txt") -> Document:
    reporter = Reporter(name)
    return Document(source_from_bytes(TRANSCRIPT.encode(), name, reporter), reporter)


def _upto(last: str):
    names = [name for name, _ in STAGES]
    return STAGES[: names.index(last) + 1]


RECORD = """Present: Khrushchev, N.S., Mikoyan, A.I.

We have to always take your interests into account.
"""


def test_block_rules_leave_blocks_generic_and_later_stages_add_typed_facts():
    reporter = Reporter("record.txt")
    source = source_from_bytes(RECORD.encode(), "record.txt", reporter)
    doc = run(Document(source, reporter, profile_name="nsarchive"), _upto("inline_context"))
    present = [b for b in doc.blocks if b.kind == "present"]
    before = [dict(b.attrs) for b in doc.blocks]
    assert present and [p.xml_id for _, _, p in doc.mentions.present[present[0]]] == ["khrushchev-ns", "mikoyan-ai"]
    run(doc, (("meaning", dict(STAGES)["meaning"]),))
    # The stages after the block rules keep what they find beside the blocks, typed: the blocks stay as made.
    assert [b.attrs for b in doc.blocks] == before
    items = doc.content[present[0]]
    assert [i.attrs["ref"] for i in items if not isinstance(i, str)] == ["#khrushchev-ns", "#mikoyan-ai"]


def test_one_inline_entry_reads_text_for_meaning_or_as_printed():
    doc = run(_document(), _upto("inline_context"))
    span = Span(f"Adams met Brown on July 9, 1961 [in Vienna].{PB}Next page.")
    read = parse_inline(span, doc.ctx)
    assert {i.tag for i in read if isinstance(i, Node)} == {"persName", "date", "supplied", "pb"}
    # Taken as printed, only the first rule of the same table runs: the page and line markers.
    assert INLINE_RULES[0][0] == "markers"
    printed = parse_inline(span, doc.ctx, printed=True)
    assert [i.tag if isinstance(i, Node) else i for i in printed] == ["Adams met Brown on July 9, 1961 [in Vienna].", "pb", "Next page."]
    # Ranges already read as a person's name (a list of those present) become persName there.
    adams = doc.register.persons[0]
    named = parse_inline(span, doc.ctx, printed=True, persons=[(0, 5, adams)])
    assert named[0] == Node("persName", {"ref": "#" + adams.xml_id}, ["Adams"]) and named[1].startswith(" met Brown")


def test_tei_writer_gives_the_bytes_convert_gives():
    doc = run(_document())
    assert tei.write(doc) == encode_bytes(TRANSCRIPT.encode(), "memo.txt").xml


def test_tei_writer_includes_the_schema_link_when_given():
    doc = run(_document())
    linked = tei.write(doc, ("schema/tei_encoder.rng", "schema/tei_encoder.sch"))
    assert linked == link_schema(tei.write(doc), "schema/tei_encoder.rng", "schema/tei_encoder.sch")
    assert b'<?xml-model href="schema/tei_encoder.rng"' in linked


def test_text_writer_gives_the_source_back():
    doc = run(_document())
    assert collapse(text.write(doc).decode("utf-8")) == collapse(TRANSCRIPT)


def test_stages_run_in_the_order_each_needs():
    # A stage run before the one that sets what it reads fails: the order in the table is real.
    doc = _document()
    swapped = (STAGES[0], STAGES[2])  # blocks without unwrap
    try:
        run(doc, swapped)
    except AttributeError as exc:
        assert "text" in str(exc)
    else:
        raise AssertionError("blocks ran before unwrap set the text")
