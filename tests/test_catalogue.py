"""A catalogue beside the transcripts (catalogue.csv): its facts join the header where the text
states none, a disagreement is reported, and a bad row is one TE110 line naming file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_encoder.api import check_round_trip, encode_file
from tei_encoder.cli import main
from tei_encoder.diagnostics import DIAGNOSTIC_LINE, Severity
from tei_encoder.validate.relaxng import load_schema
from tei_encoder.validate.schematron import Schematron

from .conftest import ROOT, SOURCES

NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
HEADER = "file,title,date,participants,archive,citation,language\n"
SPEECH = (
    "The delegation was received in the morning, and the talks went on until the afternoon.\n\n"
    "The two sides agreed to meet again before the end of the month, in the same place.\n"
)


def write(folder: Path, catalogue: str, name: str = "talks.txt", text: str = SPEECH) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    (folder / "catalogue.csv").write_text(catalogue, "utf-8")
    return folder / name


def one(root: etree._Element, path: str) -> str:
    found = root.xpath(path, namespaces=NS)
    return found[0] if isinstance(found[0], str) else "".join(found[0].itertext())


def test_catalogue_facts_fill_the_header_where_the_text_states_none(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'talks.txt,Talks in Bonn,1951-05-23,"Konrad Adenauer; Kurt Schumacher",'
                 'Bundesarchiv,"BArch, B 136/1234",de\n')
    source, result = encode_file(path)
    root = etree.fromstring(result.xml)
    assert one(root, "//t:titleStmt/t:title[@type='main']") == "Talks in Bonn"
    assert root.xpath("//t:profileDesc/t:creation/t:date/@when", namespaces=NS) == ["1951-05-23"]
    names = root.xpath("//t:particDesc//t:person/t:persName", namespaces=NS)
    assert ["".join(n.itertext()) for n in names][:2] == ["Konrad Adenauer", "Kurt Schumacher"]
    assert one(root, "//t:sourceDesc/t:bibl[@type='citation']") == "BArch, B 136/1234"
    assert one(root, "//t:msIdentifier/t:repository") in ("Bundesarchiv", "Federal Archives of Germany")
    assert root.find("t:text", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    policy = " ".join(root.xpath("//t:editorialDecl//t:p/text()", namespaces=NS))
    assert "identified from a sample" not in policy  # the catalogue's language is not identified
    assert "the language (de), the date (1951-05-23), the title, the archival citation come from the project's catalogue (catalogue.csv:2)" in policy
    assert "(catalogue.csv:2)" in policy and "Konrad Adenauer, Kurt Schumacher" in policy
    assert check_round_trip(source.text, result.xml).ok  # nothing of the catalogue comes back as text
    rng = load_schema(ROOT / "schema" / "tei_encoder.rng")
    assert not rng.validate_bytes(result.xml, "talks.xml")
    rules = Schematron.from_file(ROOT / "schema" / "tei_encoder.sch")
    assert not [d for d in rules.validate_bytes(result.xml, "talks.xml") if d.level >= Severity.ERROR]


def test_the_texts_own_date_wins_and_the_difference_is_reported(tmp_path: Path) -> None:
    text = "Bonn, 23 May 1951\n\n" + SPEECH
    path = write(tmp_path, HEADER + "talks.txt,,1951-05-24,,,,\n", text=text)
    _, result = encode_file(path)
    assert b'<date when="1951-05-23">' in result.xml
    warnings = [d for d in result.reporter.items if d.code == "TE421"]
    assert len(warnings) == 1 and "catalogue.csv:2 says 1951-05-24" in warnings[0].message


def test_a_file_the_catalogue_does_not_name_is_unchanged(tmp_path: Path) -> None:
    lone = tmp_path / "alone"
    plain = write(lone, HEADER)
    expected = encode_file(plain)[1].xml
    other = write(tmp_path / "listed", HEADER + "other.txt,Another,1960-01-01,,,,\n")
    assert encode_file(other)[1].xml == expected


def test_metadata_file_and_catalogue_merge_participants(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'talks.txt,,,"N.S. Khrushchev; Raul Castro",,,\n')
    (tmp_path / "talks.meta.toml").write_text('participants = ["Raul Castro", "A.I. Mikoyan"]\n', "utf-8")
    root = etree.fromstring(encode_file(path)[1].xml)
    names = ["".join(n.itertext()) for n in root.xpath("//t:particDesc//t:person/t:persName", namespaces=NS)]
    assert names[:3] == ["Raul Castro", "A.I. Mikoyan", "N.S. Khrushchev"]
    policy = " ".join(root.xpath("//t:editorialDecl//t:p/text()", namespaces=NS))
    assert "(talks.meta.toml and catalogue.csv:2)" in policy


def test_a_front_matter_citation_is_never_added_to(tmp_path: Path) -> None:
    wilson = SOURCES / "wilson-1961-04-28-kudryavtsev-fidel-castro.txt"
    folder = tmp_path / "w"
    folder.mkdir()
    shutil.copy(wilson, folder / wilson.name)
    (folder / "catalogue.csv").write_text(HEADER + f"{wilson.name},,,,,Some other citation,\n", "utf-8")
    source, result = encode_file(folder / wilson.name)
    assert b"Some other citation" not in result.xml
    assert result.xml == encode_file(wilson)[1].xml
    assert check_round_trip(source.text, result.xml).ok


@pytest.mark.parametrize(
    ("catalogue", "line", "message"),
    [
        ("file,title,when\n", 1, "unknown column 'when'"),
        ("title,date\nA,1951-05-23\n", 1, "no 'file' column"),
        (HEADER + "talks.txt,A,23 May 1951,,,,\n", 2, "is not a real day written YYYY-MM-DD"),
        (HEADER + "talks.txt,A,1951-02-30,,,,\n", 2, "is not a real day"),
        (HEADER + "talks.txt,A\n", 2, "2 values for 7 columns"),
        (HEADER + "talks.txt,A,,,,,\n\ntalks.txt,B,,,,,\n", 4, "has a row already (catalogue.csv:2)"),
        (HEADER + "talks.txt,A,,,,,German\n", 2, "language 'German' is not a code"),
        ("", 1, "catalogue is empty"),
    ],
)
def test_a_bad_catalogue_is_one_line_naming_file_and_line(tmp_path: Path, catalogue: str, line: int, message: str) -> None:
    path = write(tmp_path, catalogue)
    result = CliRunner().invoke(main, ["convert", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    errors = [m for m in map(DIAGNOSTIC_LINE.match, result.stderr.splitlines()) if m and m["severity"] == "error"]
    assert len(errors) == 1, result.stderr
    assert errors[0]["file"].endswith("catalogue.csv") and int(errors[0]["line"]) == line
    assert message in errors[0]["message"] and errors[0]["code"] == "TE110"
    assert not (tmp_path / "out" / "talks.xml").exists()
