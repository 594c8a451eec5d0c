"""The validate command: schema choice, report formats, exit codes, safe parsing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from tei_encoder.cli import main
from tei_encoder.diagnostics import DIAGNOSTIC_LINE

from .conftest import EDITIONS, ROOT, SHARED

SCHEMA = ROOT / "schema"
WILSON = EDITIONS / "wilson-1961-04-28-kudryavtsev-fidel-castro.xml"
P5 = SHARED / "tei" / "p5subset.xml"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, ["validate", *map(str, args)])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the editions and the schema, so that xml-model hrefs resolve; cwd there."""
    shutil.copytree(EDITIONS, tmp_path / "editions")
    shutil.copytree(SCHEMA, tmp_path / "schema")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEI_ENCODER_CACHE", str(tmp_path / "cache"))
    return tmp_path


def broken(project: Path) -> Path:
    """The Wilson edition with an unknown element and a dangling @who, one each."""
    text = (project / "editions" / WILSON.name).read_text("utf-8")
    text = text.replace("<head>", "<nonsense/><head>", 1)
    text = re.sub(r'<sp who="#[^"]+"', '<sp who="#nobody"', text, count=1)
    path = project / "editions" / "broken.xml"
    path.write_text(text, "utf-8")
    return path


def test_editions_are_valid(project: Path):
    result = run("editions")
    assert result.exit_code == 0, result.output
    assert "2 documents: 2 valid, 0 invalid" in result.stderr


def test_every_error_with_position(project: Path):
    path = broken(project)
    result = run(path)
    assert result.exit_code == 1
    lines = [DIAGNOSTIC_LINE.match(line) for line in result.stdout.splitlines()]
    assert all(lines), result.stdout
    errors = [m for m in lines if m and m["severity"] == "error"]
    assert any('"nonsense"' in m["message"] and m["code"] == "TE510" for m in errors), result.stdout
    source_lines = path.read_text("utf-8").splitlines()
    for m in errors:
        assert m["file"] == str(path) and int(m["line"]) >= 1 and int(m["col"]) >= 1
    nonsense = next(m for m in errors if '"nonsense"' in m["message"])
    assert "<nonsense/>" in source_lines[int(nonsense["line"]) - 1]


def test_json_format(project: Path):
    broken(project)
    result = run("--format", "json", "editions")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert isinstance(report, list) and len(report) == 3
    by_path = {Path(item["path"]).name: item for item in report}
    assert by_path["broken.xml"]["valid"] is False
    assert by_path[WILSON.name]["valid"] is True
    first = by_path["broken.xml"]["errors"][0]
    assert set(first) >= {"line", "col", "code", "message"}


def test_junit_format(project: Path):
    broken(project)
    result = run("--format", "junit", "editions")
    suite = etree.fromstring(result.stdout.encode())
    assert suite.tag == "testsuite" and suite.get("tests") == "3" and suite.get("failures") == "1"
    failed = [c for c in suite if c.find("failure") is not None]
    assert [Path(c.get("name")).name for c in failed] == ["broken.xml"]


def test_jobs_give_the_same_report(project: Path):
    broken(project)
    one = run("--format", "json", "editions")
    many = run("--format", "json", "--jobs", "2", "editions")
    assert json.loads(one.stdout) == json.loads(many.stdout)


@pytest.mark.skipif(not P5.is_file(), reason=f"TEI source not found at {P5} (../shared is absent)")
def test_odd_compiled_on_the_fly(project: Path):
    result = run("--schema", project / "schema" / "tei_encoder.odd", "--p5", P5, "editions")
    assert result.exit_code == 0, result.output


def test_explicit_rng(project: Path):
    result = run("--schema", project / "schema" / "tei_encoder.rng", "--no-schematron", "editions")
    assert result.exit_code == 0, result.output


def test_missing_file_and_a_document_naming_no_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert run("nowhere.xml").exit_code == 2
    # Outside any project, a document naming no schema is validated with the packaged one.
    lonely = tmp_path / "lonely.xml"
    lonely.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>', "utf-8")
    result = run(lonely)
    assert result.exit_code == 1 and "TE520" not in result.output
    assert re.search(r"lonely\.xml:1:\d+: error\[TE511\]", result.stdout), result.output


def test_named_schema_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    edition = sorted(EDITIONS.glob("*.xml"))[0].read_bytes()
    moved = tmp_path / "moved.xml"  # its ../schema/tei_encoder.rng is not here: the package's is used
    moved.write_bytes(edition)
    result = run(moved)
    assert result.exit_code == 0, result.output
    assert "moved.xml:1:1: warning[TE521]" in result.stdout
    other = tmp_path / "other.xml"  # a schema of another name is never replaced by ours
    other.write_bytes(edition.replace(b"tei_encoder.rng", b"letters.rng"))
    result = run(other)
    assert result.exit_code == 2 and "error[TE520]" in result.stdout


def test_not_well_formed_is_unreadable(project: Path):
    bad = project / "editions" / "bad.xml"
    bad.write_text('<?xml-model href="../schema/tei_encoder.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>', "utf-8")
    result = run(bad)
    assert result.exit_code == 2
    assert re.search(r"bad\.xml:\d+:\d+: error\[TE500\]", result.stdout + result.stderr)


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE TEI [
 <!ENTITY a "lol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>&i;</teiHeader></TEI>
"""


@pytest.mark.parametrize("kind", ["laughs", "external"])
def test_hostile_documents(project: Path, kind: str):
    secret = project / "secret.txt"
    secret.write_text("do not read", "utf-8")
    if kind == "laughs":
        text = LAUGHS
    else:
        text = (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>&x;</teiHeader></TEI>\n')
    path = project / "hostile.xml"
    path.write_text(text, "utf-8")
    result = run("--schema", project / "schema" / "tei_encoder.rng", path)
    assert result.exit_code == 2
    found = [DIAGNOSTIC_LINE.match(line) for line in (result.stdout + result.stderr).splitlines()]
    assert any(m and m["file"] == str(path) and m["code"] in ("TE500", "TE501") for m in found), result.output
    assert "do not read" not in result.output


CHAIN = Path(__file__).resolve().parent / "odd" / "chain_odd_path"


@pytest.mark.skipif(not P5.is_file(), reason=f"TEI source not found at {P5} (../shared is absent)")
def test_a_chained_odd_compiled_on_the_fly_takes_the_odd_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """validate --schema CHILD.odd --odd-path LIB: the chain is resolved as schema compile resolves it;
    without the odd-path the parent cannot be found and that is one usage error, not a fallback."""
    monkeypatch.chdir(tmp_path)
    odd = CHAIN / "schema.odd"
    good = CHAIN / "pass" / "three_levels.xml"
    bad = CHAIN / "fail" / "hi_deleted_by_parent.xml"
    assert run("--schema", odd, "--p5", P5, "--odd-path", CHAIN / "lib", "--no-schematron", good).exit_code == 0
    refused = run("--schema", odd, "--p5", P5, "--odd-path", CHAIN / "lib", "--no-schematron", bad)
    assert refused.exit_code == 1 and 'element "hi" not allowed' in refused.stdout
    lost = run("--schema", odd, "--p5", P5, "--no-schematron", good)
    assert lost.exit_code == 2 and "TE612" in lost.stderr


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        # ISO Schematron: the rule's and the pattern's roles are not the assertions' own.
        ("own", [("error", "", "none", "warning", "rule"), ("error", "", "none", "information", "pattern")]),
        ("inherit", [("warning", "warning", "rule", None, None), ("info", "information", "pattern", None, None)]),
    ],
)
def test_json_report_names_the_governing_role(roles: str, expected: list[tuple[str | None, ...]],
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not P5.is_file():
        pytest.skip("the TEI source ../shared/tei/p5subset.xml is not here: the ODD cannot be compiled")
    monkeypatch.setenv("TEI_ENCODER_CACHE", str(tmp_path / "cache"))
    folder = ROOT / "tests" / "odd" / "sch_roles"
    result = run("--schema", folder / "schema.odd", "--p5", P5, "--schematron-roles", roles, "--format", "json",
                 folder / "pass" / "rule_role_only.xml")
    errors = json.loads(result.stdout)[0]["errors"]
    found = [(e["severity"], e["role"], e["role_from"], e.get("role_not_applied"), e.get("role_not_applied_from"))
             for e in errors]
    assert found == expected
