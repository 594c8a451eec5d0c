"""The corpus register: name variants merged, near-misses kept apart, editors' data kept, editions linked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_encoder.api import encode_bytes, encode_file
from tei_encoder.cli import main
from tei_encoder.config import ProjectConfig
from tei_encoder.corpus.names import is_label, person_key, same_person, split_name, surnames_merge
from tei_encoder.corpus.register import build, register_bytes
from tei_encoder.corpus.suggest import suggestions
from tei_encoder.validate.runner import validate_one
from tei_encoder.validate.schemas import SchemaPair, companion_sch

ROOT = Path(__file__).resolve().parent.parent
PROJECT_RNG = ROOT / "schema" / "tei_encoder.rng"
DEVCORPUS = ROOT.parent / "shared" / "devcorpus"
T = "{http://www.tei-c.org/ns/1.0}"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


# --- names: hits and near-misses ------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("N.S. KHRUSHCHEV", "Khrushchev, N.S."),          # label capitals and the inverted form
    ("cde. N.S. Khrushchev", "N.S. Khrushchev"),       # honorific
    ("Mikoyan A.l.", "A.I. Mikoyan"),                  # surname first, OCR's l for I
    ("N.S. Khrushchcv", "N. S. Khrushchev"),           # an OCR letter in a long surname
    ("Nikita Khrushchev", "N.S. Khrushchev"),          # a forename and its initials
    ("Prime Minister Fidel Castro", "Fidel Castro"),   # a title
    ("RAÚL CASTRO", "Raul Castro"),                    # accents and capitals
])
def test_one_person(a: str, b: str):
    assert same_person(person_key(a), person_key(b))


@pytest.mark.parametrize("a, b", [
    ("Raul Castro", "Fidel Castro"),       # same surname, other forename
    ("A.I. Mikoyan", "S.A. Mikoyan"),      # father and son: initials conflict
    ("L. Johnson", "L. Johnston"),         # a letter added, not an OCR substitution
    ("John Kennedy", "Robert Kennedy"),
    ("Khrushchev", "N.S. Khrushchev"),     # a surname alone is never sure on its own
])
def test_not_one_person(a: str, b: str):
    assert not same_person(person_key(a), person_key(b))


def test_split_name_forms():
    assert split_name("Khrushchev, N.S.") == ("N.S.", "Khrushchev")
    assert split_name("cde. Khrushchev") == ("", "Khrushchev")
    assert split_name("Mikoyan A.l.") == ("A.l.", "Mikoyan")
    assert split_name("Ambassador S. Kudryavtsev") == ("S.", "Kudryavtsev")
    assert not surnames_merge("johnson", "johnston") and surnames_merge("khrushchev", "khrushchcv")


def test_labels_are_not_names():
    assert is_label("cc", "CC", "en") and is_label("operator", "Operator", "en") and is_label("cdr", "Cdr", "en")
    assert not is_label("rusk", "Rusk", "en") and not is_label("gorton", "Gorton", "en")


# --- building from editions ------------------------------------------------------------------

def _edition(path: Path, persons: list[tuple[str, str, str]], text: str = "", places: list[str] = ()) -> Path:
    """A small edition: particDesc persons (id, forename, surname) and a paragraph of tagged names."""
    people = "".join(
        f'<person xml:id="{i}"><persName>{f"<forename>{f}</forename> " if f else ""}<surname>{s}</surname></persName></person>'
        for i, f, s in persons)
    place_xml = "".join(f"<placeName>{p}</placeName> " for p in places)
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        '<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>'
        f'<profileDesc><particDesc><listPerson>{people}</listPerson></particDesc></profileDesc></teiHeader>'
        f'<text xml:lang="en"><body><p>{text} {place_xml}</p></body></text></TEI>', "utf-8")
    return path


def _persons(root: etree._Element) -> dict[str, list[str]]:
    return {p.get("{http://www.w3.org/XML/1998/namespace}id"): [" ".join(n.xpath("string()").split()) for n in p.findall("t:persName", NS)]
            for p in root.iter(f"{T}person")}


def test_variants_across_editions_merge(tmp_path: Path):
    a = _edition(tmp_path / "a.xml", [("khrushchev-ns", "N.S.", "Khrushchev"), ("castro-raul", "Raul", "Castro")],
                 '<persName ref="#khrushchev-ns">N.S. KHRUSHCHEV</persName> <persName ref="#khrushchev-ns">Khrushchev, N.S.</persName>')
    b = _edition(tmp_path / "b.xml", [("khrushchev", "", "Khrushchev"), ("castro-fidel", "Fidel", "Castro")],
                 'cde. <persName ref="#khrushchev">Khrushchev</persName>', ["Havana"])
    c = _edition(tmp_path / "c.xml", [("khrushchcv-ns", "N.S.", "Khrushchcv")], "", ["HAVANA"])
    register = build([a, b, c], tmp_path / "register.xml")
    persons = _persons(register.root)
    assert set(persons) == {"khrushchev-ns", "castro-raul", "castro-fidel"}
    assert {"N.S. KHRUSHCHEV", "Khrushchev, N.S.", "Khrushchev", "N.S. Khrushchcv"} <= set(persons["khrushchev-ns"])
    places = [p.get("{http://www.w3.org/XML/1998/namespace}id") for p in register.root.iter(f"{T}place")]
    assert places == ["havana"]
    assert register.unresolved == []


def test_surname_alone_shared_by_two_is_unresolved(tmp_path: Path):
    a = _edition(tmp_path / "a.xml", [("castro-raul", "Raul", "Castro"), ("castro-fidel", "Fidel", "Castro")])
    b = _edition(tmp_path / "b.xml", [("castro", "", "Castro")])
    register = build([a, b], tmp_path / "register.xml")
    assert set(_persons(register.root)) == {"castro-raul", "castro-fidel"}
    found = suggestions(register)
    assert found[0].kind == "unresolved" and found[0].candidates == ["castro-fidel", "castro-raul"]
    assert not any(s.kind == "near-duplicate" and set(s.candidates) == {"castro-raul", "castro-fidel"} for s in found)


def test_near_duplicates_are_suggested_with_evidence(tmp_path: Path):
    a = _edition(tmp_path / "a.xml", [("johnson-l", "L.", "Johnson"), ("rusk-d", "D.", "Rusk")])
    b = _edition(tmp_path / "b.xml", [("johnston-l", "L.", "Johnston"), ("rush-d", "D.", "Rush")])
    register = build([a, b], tmp_path / "register.xml")
    assert {"johnson-l", "johnston-l", "rusk-d", "rush-d"} == set(_persons(register.root))
    found = [s for s in suggestions(register) if s.kind == "near-duplicate"]
    assert [set(s.candidates) for s in found][:1] == [{"johnson-l", "johnston-l"}]  # the higher score first
    assert "score" in found[0].evidence[0] and found[0].evidence[1].startswith(("johnson-l: L. Johnson", "johnston-l"))


def test_rebuild_keeps_editors_data_and_is_stable(tmp_path: Path):
    a = _edition(tmp_path / "a.xml", [("khrushchev-ns", "N.S.", "Khrushchev")], '<persName ref="#khrushchev-ns">N.S. KHRUSHCHEV</persName>')
    target = tmp_path / "register.xml"
    target.write_bytes(register_bytes(build([a], target)))
    # The editor adds an authority id, renames the entry's main name and adds a variant by hand.
    text = target.read_text("utf-8")
    text = text.replace("<persName><forename>N.S.</forename> <surname>Khrushchev</surname></persName>",
                        "<persName>Nikita Sergeyevich Khrushchev</persName>"
                        "<persName type=\"variant\">Хрущёв</persName><idno type=\"wikidata\">Q35724</idno>")
    target.write_text(text, "utf-8")
    b = _edition(tmp_path / "b.xml", [("khrushchev", "N.S.", "Khrushchev")], '<persName ref="#khrushchev">Khrushchev, N.S.</persName>')
    again = register_bytes(build([a, b], target)).decode("utf-8")
    assert '<idno type="wikidata">Q35724</idno>' in again
    assert "Nikita Sergeyevich Khrushchev" in again and "Хрущёв" in again
    assert again.count("<person ") == 1 and "Khrushchev, N.S." in again
    assert 'source="a.xml"' in again and 'source="b.xml"' in again
    target.write_text(again, "utf-8")
    assert register_bytes(build([a, b], target)).decode("utf-8") == again


def test_register_is_valid_against_the_project_schema(tmp_path: Path):
    a = _edition(tmp_path / "a.xml", [("khrushchev-ns", "N.S.", "Khrushchev")], "", ["Havana"])
    target = tmp_path / "register.xml"
    target.write_bytes(register_bytes(build([a], target)).replace(
        b"</persName>\n", b'</persName>\n<idno type="gnd">118562177</idno>\n', 1))
    outcome = validate_one(target, SchemaPair(PROJECT_RNG, companion_sch(PROJECT_RNG)))
    assert outcome.valid, [d.format() for d in outcome.errors]


# --- editions point at the register --------------------------------------------------------

SOURCE = (ROOT / "sources" / "nsarchive-1960-07-18-khrushchev-raul-castro.txt").read_bytes()


def test_editions_link_only_when_the_project_has_a_register(tmp_path: Path):
    plain = encode_bytes(SOURCE, "x.txt", None, ProjectConfig()).xml
    committed = (ROOT / "editions" / "nsarchive-1960-07-18-khrushchev-raul-castro.xml").read_bytes()
    edition = tmp_path / "x.xml"
    edition.write_bytes(plain)
    target = tmp_path / "register.xml"
    target.write_bytes(register_bytes(build([edition], target)))
    config = ProjectConfig(register=str(target), register_href="../register.xml")
    linked = encode_bytes(SOURCE, "x.txt", None, config).xml
    assert b'sameAs="../register.xml#khrushchev-ns"' in linked and b'sameAs="../register.xml#castro-raul"' in linked
    assert linked.replace(b' sameAs="../register.xml#', b"").count(b"register") == plain.count(b"register")
    assert b"sameAs" not in plain and b"sameAs" not in committed
    # No register file yet: the same bytes as without one.
    assert encode_bytes(SOURCE, "x.txt", None, ProjectConfig(register=str(tmp_path / "none.xml"))).xml == plain


# --- the command line, on the development corpus and the styles ---------------------------

def _convert(tmp_path: Path, files: list[Path]) -> Path:
    out = tmp_path / "editions"
    out.mkdir()
    for path in files:
        _, result = encode_file(path, None, ProjectConfig(schema=""))
        (out / (path.stem + ".xml")).write_bytes(result.xml)
    return out


@pytest.mark.skipif(not DEVCORPUS.is_dir(), reason="../shared/devcorpus is not present")
def test_devcorpus_register_merges_khrushchev_across_corpora(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    files = sorted((ROOT / "sources").glob("*.txt")) + sorted((DEVCORPUS / "nlprocessing").glob("*.txt")) + \
        sorted((DEVCORPUS / "dfat").glob("*.md"))
    editions = _convert(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["register", "build", "editions", "-o", "register.xml"])
    assert result.exit_code == 0, result.output
    root = etree.parse(str(tmp_path / "register.xml")).getroot()
    persons = _persons(root)
    khrushchev = [i for i, names in persons.items() if any("hrushchev" in n for n in names)]
    assert khrushchev == ["khrushchev-ns"]
    sources = {s for n in root.iter(f"{T}persName") for s in n.get("source", "").split() if "hrushchev" in (n.text or "")}
    assert "editions/nsarchive-1960-07-18-khrushchev-raul-castro.xml" in sources  # "N.S. KHRUSHCHEV", "Khrushchev, N.S." …
    entry = build(sorted(editions.iterdir()), tmp_path / "register.xml").by_id()["khrushchev-ns"]
    assert {"editions/khrushchev_secret_speech_1956.xml"} <= {m.edition for m in entry.members}  # from its metadata
    assert {"castro-raul", "castro-ruz-fidel"} <= set(persons)
    suggest = CliRunner().invoke(main, ["register", "suggest", "editions", "--format", "json"])
    assert suggest.exit_code == 0
    found = json.loads(suggest.stdout)
    assert not any(set(s["candidates"]) == {"castro-raul", "castro-ruz-fidel"} for s in found)
    assert all(s["evidence"] for s in found)
    assert validate_one(tmp_path / "register.xml", SchemaPair(PROJECT_RNG, companion_sch(PROJECT_RNG))).valid
    assert len(list(editions.iterdir())) == len(files)


def test_report_formats_on_editions_and_styles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    files = sorted((ROOT / "sources").glob("*.txt")) + sorted(p for p in (ROOT / "tests" / "styles").iterdir()
                                                              if p.suffix in (".txt", ".md"))
    _convert(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    schema = ["--schema", str(PROJECT_RNG)]
    as_json = runner.invoke(main, ["report", "editions", "--format", "json", "--corpus-file", "corpus.xml", *schema])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    by_name = {Path(e["edition"]).name: e for e in data["editions"]}
    castro = by_name["nsarchive-1960-07-18-khrushchev-raul-castro.xml"]
    assert castro["valid"] is True and castro["date"] == "1960-07-18"
    assert castro["turns"]["N.S. Khrushchev"] > 0 and castro["turns"]["Raul Castro"] > 0
    assert castro["interventions"]["supplied"] > 0 and castro["names"]["person"]["N.S. KHRUSHCHEV"] > 0
    assert by_name["bundestag_1951.xml"]["interventions"]["incident"] >= 1
    assert data["corpus"]["editions"] == len(files) and data["corpus"]["invalid"] == 0
    assert data["corpus"]["interventions"]["supplied"] == sum(e["interventions"]["supplied"] for e in data["editions"])
    corpus = etree.parse(str(tmp_path / "corpus.xml")).getroot()
    includes = corpus.findall("{http://www.w3.org/2001/XInclude}include")
    assert corpus.tag == f"{T}teiCorpus" and len(includes) == len(files)
    assert all((tmp_path / i.get("href")).is_file() for i in includes)
    as_csv = runner.invoke(main, ["report", "editions", "--format", "csv", "--no-validate"])
    lines = as_csv.stdout.splitlines()
    assert lines[0].startswith("edition,title,date") and len(lines) == len(files) + 2 and lines[-1].startswith("(corpus)")
    as_text = runner.invoke(main, ["report", "editions/nsarchive-1960-07-18-khrushchev-raul-castro.xml", *schema])
    assert as_text.exit_code == 0 and "valid" in as_text.stdout and "turns: N.S. Khrushchev" in as_text.stdout
    assert "corpus: 1 editions" in as_text.stdout


def test_report_marks_an_invalid_edition(tmp_path: Path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>', "utf-8")
    result = CliRunner().invoke(main, ["report", str(bad), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["editions"][0]["valid"] is False
