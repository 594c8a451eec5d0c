"""The two source transcripts: editions are current, valid, lossless and say what they must."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_encoder.api import check_round_trip, encode_file
from tei_encoder.validate.jing import run_jing

from .conftest import EDITIONS, SOURCES

NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
SOURCE_FILES = sorted(SOURCES.glob("*.txt"))
NSA = SOURCES / "nsarchive-1960-07-18-khrushchev-raul-castro.txt"
WILSON = SOURCES / "wilson-1961-04-28-kudryavtsev-fidel-castro.txt"


def test_sources_are_there():
    assert [p.name for p in SOURCE_FILES] == [NSA.name, WILSON.name]


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_committed_edition_is_current(path: Path):
    _, result = encode_file(path, hrefs=("../schema/tei_encoder.rng", "../schema/tei_encoder.sch"))
    committed = EDITIONS / (path.stem + ".xml")
    assert committed.read_bytes() == result.xml, "editions/ is stale: run `make build` and review the diff"


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_round_trip(path: Path):
    source, result = encode_file(path)
    trip = check_round_trip(source.text, result.xml)
    assert trip.ok, trip.detail


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_deterministic(path: Path):
    assert encode_file(path)[1].xml == encode_file(path)[1].xml


def test_editions_valid_against_tei_all(tei_all: Path):
    errors = run_jing(tei_all, sorted(EDITIONS.glob("*.xml")))
    assert not errors, "\n".join(map(str, errors))


def _tree(path: Path) -> etree._Element:
    return etree.fromstring(encode_file(path)[1].xml)


def xp(tree, path: str):
    return tree.xpath(path, namespaces=NS)


class TestNsarchive:
    tree = None

    @classmethod
    def setup_class(cls):
        cls.tree = _tree(NSA)

    def test_turns(self):
        sps = xp(self.tree, "//t:sp")
        assert len(sps) == 32
        assert len(xp(self.tree, "//t:sp[@ana='#direct']")) == 24
        assert len(xp(self.tree, "//t:sp[@ana='#reported']")) == 8
        whos = {sp.get("who") for sp in sps}
        assert whos == {"#khrushchev-ns", "#castro-raul", "#mas-martin-luis", "#mikoyan-ai"}

    def test_every_who_resolves(self):
        ids = set(xp(self.tree, "//@xml:id"))
        for ref in xp(self.tree, "//t:sp/@who | //t:persName/@ref | //@resp | //t:sp/@ana"):
            assert ref[1:] in ids, ref

    def test_reported_turn_keeps_name_in_sentence(self):
        p = xp(self.tree, "//t:sp[@ana='#reported'][1]/t:p[1]")[0]
        assert p[0].text == "N.S. KHRUSHCHEV" and p[0].get("ref") == "#khrushchev-ns"
        assert p[0].tail.startswith(" greets")

    def test_turn_inside_a_block(self):
        sp = xp(self.tree, "//t:sp[t:p[contains(., 'spirit of improvisation')]]")[0]
        following = sp.getnext()
        assert following.get("who") == "#khrushchev-ns" and following.get("ana") == "#reported"

    def test_capitals_at_line_start_are_not_a_turn(self):
        assert xp(self.tree, "//t:sp[t:p[contains(., 'USSR has great importance')]]/@who") == ["#castro-raul"]

    def test_continuation_paragraphs_stay_in_the_turn(self):
        sp = xp(self.tree, "//t:sp[t:p[starts-with(., 'We believe that after the statement')]]")[0]
        assert sp.get("who") == "#castro-raul" and len(xp(sp, "t:p")) == 6

    def test_narration_outside_turns(self):
        p = xp(self.tree, "//t:div/t:p[starts-with(., 'In conclusion')]")
        assert len(p) == 1

    def test_page_breaks(self):
        pbs = xp(self.tree, "//t:pb")
        assert [pb.get("n") for pb in pbs] == ["2", "3", "4", "5", "6", "7"]
        inside = xp(self.tree, "//t:p/t:pb/@n")
        assert inside == ["3", "5"]  # "so to speak,⏎⏎⏎hung" and "statement⏎⏎⏎appeared"

    def test_supplied(self):
        supplied = xp(self.tree, "//t:supplied")
        assert len(supplied) == 12
        assert all(s.get("resp") == "#translator" and s.get("reason") == "clarification" for s in supplied)
        texts = [s.text for s in supplied]
        assert "this opportunity" in texts and "to the USSR" in texts and "voting" in texts

    def test_source_note_and_translator(self):
        note = xp(self.tree, "//t:body/t:note[@type='source']")[0]
        assert note.get("rend") == "unclosed" and note.text.endswith("|")
        assert xp(self.tree, "//t:respStmt[@xml:id='translator']/t:persName/text()") == ["Svetlana Savranskaya"]
        assert xp(self.tree, "//t:msIdentifier/t:repository/text()") == ["State Archive of the Russian Federation"]

    def test_header(self):
        assert xp(self.tree, "//t:creation/t:date/@when") == ["1960-07-18"]
        assert xp(self.tree, "//t:langUsage/t:language/@ident") == ["en", "ru"]
        assert len(xp(self.tree, "//t:particDesc//t:person")) == 5
        assert xp(self.tree, "//t:person[@xml:id='castro-raul']/t:occupation/text()") == [
            "Minister of Revolutionary Armed Forces of the Republic of Cuba"
        ]
        assert xp(self.tree, "//t:application/@ident") == ["tei-encoder"]

    def test_dates_in_text(self):
        assert "1960-07-09" in xp(self.tree, "//t:body//t:date/@when")

    def test_ocr_noise_left_as_printed(self):
        text = "".join(self.tree.itertext())
        assert "governmentand" in text and "actions | have mentioned" in text


class TestWilson:
    tree = None

    @classmethod
    def setup_class(cls):
        cls.tree = _tree(WILSON)

    def test_title_and_responsibility(self):
        assert xp(self.tree, "//t:titleStmt/t:title[@type='main']")[0].xpath("string()").startswith("From the Journal of S.M. Kudryavtsev")
        assert xp(self.tree, "//t:respStmt[@xml:id='obtainer']/t:persName/text()") == ["James G. Hershberg"]
        assert xp(self.tree, "//t:respStmt[@xml:id='translator']/t:persName/text()") == ["Gary Goldberg"]
        assert xp(self.tree, "//t:funder/text()") == ["Blavatnik Family Foundation"]

    def test_ms_identifier(self):
        ident = xp(self.tree, "//t:msIdentifier")[0]
        assert xp(ident, "t:repository/text()") == ["Archive of Foreign Policy of the Russian Federation"]
        assert [(i.get("type"), i.text) for i in xp(ident, "t:idno")] == [
            ("fond", "0104"), ("opis", "17"), ("papka", "118"), ("delo", "3"),
        ]
        assert xp(self.tree, "//t:msItem/t:locus/@from") == ["237"]
        assert xp(self.tree, "//t:msItem/t:locus/@to") == ["240"]
        assert xp(self.tree, "//t:msItem/t:textLang/@mainLang") == ["ru"]

    def test_source_publication(self):
        assert xp(self.tree, "//t:bibl[@type='publication']/t:ptr/@target") == [
            "https://wilson-center-digital-archive.dvincitest.com/document/188144"
        ]
        assert xp(self.tree, "//t:bibl[@type='publication']/t:publisher/text()") == ["Wilson Center Digital Archive"]

    def test_abstract_and_dates(self):
        assert xp(self.tree, "//t:abstract/t:p")[0].text.startswith("Fidel Castro expresses")
        assert xp(self.tree, "//t:creation/t:date/@when") == ["1961-04-28"]

    def test_opener(self):
        opener = xp(self.tree, "//t:opener")[0]
        assert xp(opener, "t:seg[@type='classification']/text()") == ["Top Secret. Copy N° 2"]
        assert xp(opener, "t:dateline/t:date/@when") == ["1961-06-09"]
        assert xp(opener, "t:idno[@type='document']/text()") == ["N° 189"]

    def test_sections(self):
        sections = xp(self.tree, "//t:div[@type='section']")
        assert [s.get("n") for s in sections] == ["1", "2"]
        assert [len(xp(s, "t:p")) for s in sections] == [4, 8]

    def test_sic_and_supplied(self):
        sic = xp(self.tree, "//t:sic")
        assert len(sic) == 1 and sic[0].text == "government" and sic[0].get("resp") == "#translator"
        assert xp(self.tree, "//t:supplied/text()") == ["him"]

    def test_page_break_inside_paragraph(self):
        pb = xp(self.tree, "//t:p/t:pb")
        assert len(pb) == 1 and pb[0].get("cert") == "medium"

    def test_closer(self):
        signed = xp(self.tree, "//t:closer/t:signed")[0]
        assert xp(signed, "t:roleName/text()") == ["AMBASSADOR OF THE USSR IN THE REPUBLIC OF CUBA"]
        assert xp(signed, "t:persName/@ref") == ["#kudryavtsev-sm"]
