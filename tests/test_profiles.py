"""Profiles: the built-in ones, the README's complete example, and errors that name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_encoder.api import check_round_trip, encode_bytes, encode_file
from tei_encoder.diagnostics import InputError
from tei_encoder.profiles import BUILTIN, detect_profile, load_profile

from .conftest import ROOT, SHARED


def readme_profile(tmp_path: Path) -> Path:
    text = (ROOT / "README.md").read_text("utf-8")
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "my-style.toml"
    path.write_text(block, "utf-8")
    return path


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_profiles_load(name: str):
    """Every built-in profile loads and names itself."""
    assert load_profile(name).name == name


def test_readme_example_profile_encodes(tmp_path: Path):
    """The complete example in the README is a working profile."""
    path = readme_profile(tmp_path)
    profile = load_profile(str(path))
    assert profile.name == "my-style"
    source = (ROOT / "sources" / "nsarchive-1960-07-18-khrushchev-raul-castro.txt").read_bytes()
    result = encode_bytes(source, "nsa.txt", str(path))
    assert result.profile == "my-style"
    assert b'<sp who="#khrushchev-ns"' in result.xml


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('name = "x"\n\n[blocks]\nrules = ["paragraph"]\nheading_patterns = ["(unclosed"]\n', 5, "bad pattern"),
        ('name = "x"\n[turns]\nenabeld = true\n', 3, "unknown key 'enabeld'"),
        ('name = "x\n', 1, "not valid TOML"),
        ('[blocks]\nrules = ["nope"]\n', None, "unknown rule 'nope'"),
        ('[blocks]\npage_break_min_blank = "two"\n', 2, "must be a int"),
        ('name = "x"\n[blocks]\nrunning_heads = "yes"\n', 3, "must be a bool"),
        ('[blocks]\nrunning_head_min_pages = 1\n', 2, "must be at least 2"),
        ('[blocks]\nrules = ["paragraph"]\nrunning_head_lines = 0\n', 3, "must be at least 1"),
        ('[brackets]\nsic_markers = [1]\n', None, "list of strings"),
        ('name = "x"\nlanguage = "Deutsch"\n', 2, "'language' must be a language code"),
        ('language_fallback = "auto"\n', 1, "'language_fallback' must be a language code"),
        ('name = "x"\n\ntranslation = "maybe"\n', 3, "'translation' must be"),
        ('[dates]\nmultilingual = "yes"\n', 2, "must be a bool"),
    ],
)
def test_bad_profile_names_file_line_and_key(tmp_path: Path, text: str, line: int | None, words: str):
    """A defect in a profile is one error with the file, the line where known, and the key."""
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(str(path))
    diagnostic = caught.value.diagnostic
    assert diagnostic.file == str(path) and diagnostic.code == "TE110"
    assert diagnostic.line == line
    assert words in diagnostic.message


def test_running_heads_are_switched_and_tuned_by_the_profile(tmp_path: Path):
    """Running heads: on by default, off with running_heads = false, and seen on as many pages as asked."""
    text = b"Minutes of the Presidium\nThe first page.\n\n\n\nMinutes of the Presidium\nThe second page.\n"
    heads = b'<fw type="header">Minutes of the Presidium</fw>'
    assert encode_bytes(text, "m.txt", "plain").xml.count(heads) == 2
    for name, setting in (("off", "running_heads = false"), ("strict", "running_head_min_pages = 3")):
        path = tmp_path / f"{name}.toml"
        path.write_text(f'name = "{name}"\n[blocks]\nrules = ["page_breaks", "paragraph"]\n'
                        f"page_break_min_blank = 3\nnumber_pages = true\n{setting}\n", "utf-8")
        result = encode_bytes(text, "m.txt", str(path))
        assert heads not in result.xml
        assert b"<p>Minutes of the Presidium The second page.</p>" in result.xml
        assert check_round_trip(text.decode(), result.xml, profile=str(path)).ok


def test_running_heads_edition_meets_the_project_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Forme work in paragraphs, turns and between blocks, and its editorial policy, validate."""
    from click.testing import CliRunner

    from tei_encoder.cli import main

    monkeypatch.setenv("TEI_ENCODER_CACHE", str(tmp_path / "cache"))

    text = (
        b"RAUL CASTRO. We would like to know, so to speak,\nSECRET\n\n\n\nSECRET\nyour opinion on all the issues.\n"
        b"Embassy of the USSR\n\n\n\nSECRET\nN.S. KHRUSHCHEV. Yes.\nEmbassy of the USSR\n"
    )
    edition = tmp_path / "heads.xml"
    edition.write_bytes(encode_bytes(text, "heads.txt", "nsarchive").xml)
    assert edition.read_bytes().count(b"<fw ") == 5
    result = CliRunner().invoke(main, ["validate", str(edition), "--schema", str(ROOT / "schema" / "tei_encoder.rng")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("folder, name", [("dfat", "dfat"), ("jfk_ocr", "us-records-ocr"), ("nlprocessing", "plain")])
def test_devcorpus_documents_pick_their_profile(folder: str, name: str):
    """Each kind of document in the development corpus picks its profile and round-trips."""
    where = SHARED / "devcorpus" / folder
    if not where.is_dir():
        pytest.skip(f"development corpus not found at {where} (../shared is absent)")
    for path in sorted(where.glob("*.*")):
        profile, _ = detect_profile(path.read_text("utf-8"))
        assert profile.name == name, path.name
        source, result = encode_file(path)
        assert check_round_trip(source.text, result.xml).ok, path.name


def test_one_matching_pattern_is_too_weak_to_pick_a_house_style():
    """A caps label ("CHAIRMAN GREENSPAN. …") is one nsarchive pattern of four: not enough alone."""
    fomc = "CHAIRMAN GREENSPAN. Good morning.\n\nMR. PRELL. Thank you, Mr. Chairman.\n"
    profile, reason = detect_profile(fomc)
    assert profile.name == "plain"
    assert reason == "no house style recognised (too few detection patterns matched: nsarchive: 1 of 4)"
    profile, reason = detect_profile("RECORD OF CONVERSATION\n\nPresent: N.S. Khrushchev\n\n" + fomc)
    assert (profile.name, reason) == ("nsarchive", "3 of 4 detection patterns matched")


def test_release_wrapper_and_stamps(tmp_path: Path):
    """An OCR release: the export's wrapper stays out of the document, stamps become pb + fw."""
    text = (
        "# Document\n\n## Page 1\n\n```text\n"
        "104-10 | 2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992\n\n"
        "1. The first paragraph.\n\n13-00000\n\n2. The second paragraph.\n```\n"
    )
    result = encode_bytes(text.encode(), "release.md")
    assert result.profile == "us-records-ocr"
    xml = result.xml.decode()
    assert '<fw type="header">104-10 | 2025 RELEASE' in xml
    assert '<pb n="2" xml:id="pb-2"/>' in xml and '<fw type="stamp">13-00000</fw>' in xml
    assert "# Document" not in xml.split("<text", 1)[1]  # the wrapper is in the header only
    from tei_encoder.diagnostics import Reporter
    from tei_encoder.source import source_from_bytes

    assert check_round_trip(source_from_bytes(text.encode(), "r", Reporter()).text, result.xml).ok


def test_misread_month_gives_a_guessed_document_date():
    """An OCR'd "30 Octaber 1962" near the top is the document's date, marked a guess."""
    text = b"URGENT\n\n30 Octaber 1962\n\nMEMORANDUM FOR: General Carter\n\nThe President directed as follows.\n"
    xml = encode_bytes(text, "memo.txt", "plain").xml.decode()
    assert '<date when="1962-10-30" cert="medium" resp="#tei-encoder">30 Octaber 1962</date>' in xml
    # No guess from a word that is no month, nor from a slip that could be two months.
    for other in (b"30 Mayor 1962", b"3 Jule 1962"):
        assert "<creation>" not in encode_bytes(b"URGENT\n\n" + other + b"\n", "memo.txt", "plain").xml.decode()


def test_several_documents_in_one_file_make_a_tei_corpus(tmp_path: Path, tei_all: Path):
    """A file of several memoranda: one teiCorpus, a TEI per memorandum, ids kept apart, valid, lossless."""
    from lxml import etree

    from tei_encoder.diagnostics import Reporter
    from tei_encoder.source import source_from_bytes
    from tei_encoder.validate.jing import run_jing

    memo = "SECRET\n\n{date}\n\nMEMORANDUM FOR: General Carter\n\n1. The President directed as follows.\n\n13-00000\n\n2. Done.\n"
    text = "# Document\n\n## Page 1\n\n```text\n" + memo.format(date="30 October 1962") + "\n" + memo.format(date="14 November 1962") + "```\n"
    result = encode_bytes(text.encode(), "memos.md", "us-records-ocr")
    root = etree.fromstring(result.xml)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert etree.QName(root).localname == "teiCorpus"
    parts = root.xpath("t:TEI", namespaces=ns)
    assert len(parts) == 2
    assert [p.xpath("string(t:teiHeader//t:creation/t:date/@when)", namespaces=ns) for p in parts] == ["1962-10-30", "1962-11-14"]
    ids = root.xpath("//@xml:id")
    assert len(ids) == len(set(ids)) and "d2-sec-1" in ids
    assert check_round_trip(source_from_bytes(text.encode(), "m", Reporter()).text, result.xml).ok
    path = tmp_path / "memos.xml"
    path.write_bytes(result.xml)
    assert not run_jing(tei_all, [path])


def test_release_record_number_and_identification_form():
    """A release's record number and its identification form's agency and series go to msIdentifier."""
    text = (
        "# Document\n\n## Page 1\n\n```text\n"
        "177-10002-10016, | 2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992 |\n\n"
        "Agency Information\n\nLBJ\n177-10002-10016\n\nNSF, UNARRANGED FILES, BOX 5\n\nDocument Information\n```\n"
    )
    xml = encode_bytes(text.encode(), "form.md").xml.decode()
    assert '<repository key="JFK">President John F. Kennedy Assassination Records Collection</repository>' in xml
    assert '<idno type="agency">LBJ</idno>' in xml and '<idno type="series">NSF, UNARRANGED FILES, BOX 5</idno>' in xml
    assert "JFK Assassination System record 177-10002-10016" in xml


@pytest.mark.parametrize(
    "text",
    [
        "Original Language:\n\nthe.\nthe.\nPresent: the.\n\nthe.\n\nCitation:\n",
        "Citation:\n\nAVP RF, F. 1. Op. 2, D. 3. ll. 4-5\n\nOriginal Language:\n\nRussian\n\nmore\n\nContents:\n\nx\n\nbody\n",
    ],
)
def test_front_matter_field_of_several_paragraphs_round_trips(text: str):
    """A labelled field holding more than one paragraph keeps every one of them."""
    from tei_encoder.diagnostics import Reporter
    from tei_encoder.source import source_from_bytes

    result = encode_bytes(text.encode(), "export.txt", "wilson-center")
    assert check_round_trip(source_from_bytes(text.encode(), "e", Reporter()).text, result.xml).ok
