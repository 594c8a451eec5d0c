"""One small ODD per compiler feature (tests/odd/*/): jing must accept its pass/ documents and reject its fail/ ones."""

from __future__ import annotations

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_encoder.cli import main
from tei_encoder.diagnostics import DIAGNOSTIC_LINE
from tei_encoder.odd import Compiled, OddError, compile_odd, load_p5

from .conftest import SHARED

HERE = Path(__file__).resolve().parent / "odd"
ERRORS = HERE / "errors"
P5 = SHARED / "tei" / "p5subset.xml"
FEATURES = sorted(p.name for p in HERE.iterdir() if (p / "schema.odd").is_file())
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
# One line of jing's output: FILE:LINE:COL: SEVERITY: MESSAGE (FILE is absolute when the argument was).
JING_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|fatal|warning): (?P<message>.*)$")


def expectations(folder: Path) -> dict[str, Any]:
    """The folder's expect.json: warnings, Schematron rules, prefix, jing messages of fail/ documents, xfails."""
    path = folder / "expect.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def documents(feature: str) -> list[str]:
    folder = HERE / feature
    return [str(p.relative_to(folder)) for kind in ("pass", "fail") for p in sorted((folder / kind).glob("*.xml"))]


def document_params() -> list[Any]:
    params = []
    for feature in FEATURES:
        xfails = expectations(HERE / feature).get("xfail", {})
        for doc in documents(feature):
            marks = [pytest.mark.xfail(strict=True, reason=xfails[doc])] if doc in xfails else []
            params.append(pytest.param(feature, doc, id=f"{feature}/{doc}", marks=marks))
    return params


@pytest.fixture(scope="module")
def p5() -> Path:
    if not P5.is_file():
        pytest.skip(f"TEI source not found at {P5} (../shared is absent)")
    return P5



@cache
def compiled(feature: str) -> Compiled:
    """The folder's ODD compiled once (the TEI source is parsed once for all of them)."""
    return compile_odd(HERE / feature / "schema.odd", load_p5(P5))


@dataclass
class Verdicts:
    """What jing said about one folder's documents: messages by document, and any complaint about the schema."""

    schema_errors: list[str] = field(default_factory=list)
    messages: dict[Path, list[str]] = field(default_factory=dict)


def run_jing(jing: str, rng: Path, docs: list[Path]) -> Verdicts:
    done = subprocess.run([jing, str(rng), *map(str, docs)], capture_output=True, text=True, check=False, timeout=300)
    verdicts = Verdicts()
    for line in done.stdout.splitlines():
        m = JING_LINE.match(line)
        if m is None:
            verdicts.schema_errors.append(line)
        elif Path(m["file"]).resolve() == rng.resolve():
            verdicts.schema_errors.append(line)
        else:
            verdicts.messages.setdefault(Path(m["file"]).resolve(), []).append(m["message"])
    if done.returncode not in (0, 1) or (done.returncode == 1 and not done.stdout.strip()):
        verdicts.schema_errors.append(f"jing exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return verdicts


@pytest.fixture(scope="module")
def verdicts(p5: Path, jing: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdicts | Exception]:
    """jing run once per folder over all its documents, the folders side by side (each run is mostly JVM start-up)."""
    out = tmp_path_factory.mktemp("odd-features")
    schemas: dict[str, Path | Exception] = {}
    for feature in FEATURES:  # compiled here, before the threads start: lxml trees are not for sharing across threads
        rng = out / f"{feature}.rng"
        try:
            rng.write_bytes(compiled(feature).rng)
            schemas[feature] = rng
        except Exception as exc:  # reported by each of the folder's tests
            schemas[feature] = exc

    def one(feature: str) -> Verdicts | Exception:
        rng = schemas[feature]
        if isinstance(rng, Exception):
            return rng
        return run_jing(jing, rng, [HERE / feature / doc for doc in documents(feature)])

    with ThreadPoolExecutor(max_workers=min(4, max(2, os.cpu_count() or 2))) as pool:
        return dict(zip(FEATURES, pool.map(one, FEATURES)))


def schematron_rules(sch: bytes) -> set[tuple[str, str]]:
    """(rule context, assert or report test) pairs of a Schematron schema."""
    root = etree.fromstring(sch)
    ns = {"sch": SCH_NS}
    return {
        (rule.get("context", ""), check.get("test", ""))
        for rule in root.iterfind(".//sch:rule", ns)
        for check in rule
        if etree.QName(check).localname in ("assert", "report")
    }


# ---- every folder -------------------------------------------------------------------------------


@pytest.mark.parametrize("feature", FEATURES)
def test_folder_is_complete(feature: str) -> None:
    """Each folder has documents that must pass, and says which jing message each fail/ document must cause."""
    folder = HERE / feature
    expect = expectations(folder)
    assert list((folder / "pass").glob("*.xml")), f"{feature} has no pass/ documents"
    fails = {p.name for p in (folder / "fail").glob("*.xml")}
    assert fails == set(expect.get("fail", {})), f"{feature}/expect.json 'fail' does not list exactly the fail/ documents"
    assert set(expect.get("xfail", {})) <= set(documents(feature))


@pytest.mark.parametrize("feature", FEATURES)
def test_compiles_with_expected_warnings(p5: Path, feature: str) -> None:
    """The ODD compiles; its warnings are exactly those expected (none, unless expect.json says)."""
    result = compiled(feature)
    expect = expectations(HERE / feature)
    assert sorted(d.code for d in result.diagnostics) == sorted(expect.get("warnings", [])), [
        d.format() for d in result.diagnostics
    ]
    if "ident" in expect:
        assert result.ident == expect["ident"]
    grammar = etree.fromstring(result.rng)
    names = [d.get("name", "") for d in grammar.iterfind(f"{{{RNG_NS}}}define")]
    assert len(names) == len(set(names)), "a define is written twice"
    if "prefix" in expect:
        unprefixed = [n for n in names if not n.startswith(expect["prefix"])]
        assert not unprefixed, f"defines without the prefix {expect['prefix']!r}: {unprefixed[:10]}"
        starts = [r.get("name", "") for r in grammar.iterfind(f"{{{RNG_NS}}}start//{{{RNG_NS}}}ref")]
        assert starts and all(s.startswith(expect["prefix"]) for s in starts), starts


@pytest.mark.parametrize("feature", [f for f in FEATURES if {"schematron", "no_schematron", "ns"} & set(expectations(HERE / f))])
def test_schematron(p5: Path, feature: str) -> None:
    """The compiled .sch holds the rules (context, test) and namespace declarations expected, and not those removed."""
    expect = expectations(HERE / feature)
    sch = compiled(feature).sch
    rules = schematron_rules(sch)
    for context, test in expect.get("schematron", []):
        assert (context, test) in rules, f"no rule context={context!r} with test={test!r}"
    for context, test in expect.get("no_schematron", []):
        assert (context, test) not in rules, f"rule context={context!r} test={test!r} should be gone"
    declared = {ns.get("prefix"): ns.get("uri") for ns in etree.fromstring(sch).iterfind(f"{{{SCH_NS}}}ns")}
    for prefix, uri in expect.get("ns", {}).items():
        assert declared.get(prefix) == uri, f"sch:ns {prefix} is {declared.get(prefix)!r}, expected {uri!r}"


@pytest.mark.parametrize(("feature", "doc"), document_params())
def test_document(verdicts: dict[str, Verdicts | Exception], feature: str, doc: str) -> None:
    """jing accepts each pass/ document and rejects each fail/ one, with the message its defect should cause."""
    path = HERE / feature / doc
    etree.parse(str(path))  # every document is well-formed: a fail/ document fails for its named defect only
    found = verdicts[feature]
    if isinstance(found, Exception):
        raise found
    assert not found.schema_errors, f"jing rejects the schema compiled from {feature}/schema.odd: {found.schema_errors[:3]}"
    messages = found.messages.get(path.resolve(), [])
    if doc.startswith("pass/"):
        assert not messages, f"{feature}/{doc} should be valid; jing: {messages[0]}"
    else:
        assert messages, f"{feature}/{doc} should be invalid, but jing accepts it"
        wanted = expectations(HERE / feature)["fail"][path.name]
        assert wanted in messages[0], f"{feature}/{doc}: jing's first message is {messages[0]!r}, expected it to contain {wanted!r}"


def test_schema_spec_source_is_ignored(p5: Path, tmp_path: Path) -> None:
    """schemaSpec/@source is not honoured: the schema is the one compiled from the TEI source given, without warning."""
    odd = HERE / "schemaspec_start" / "schema.odd"
    tree = etree.parse(str(odd))
    spec = tree.find(".//{http://www.tei-c.org/ns/1.0}schemaSpec")
    assert spec is not None and spec.get("source")
    del spec.attrib["source"]
    without = tmp_path / "schema.odd"
    tree.write(str(without), xml_declaration=True, encoding="UTF-8")
    assert compile_odd(without, load_p5(p5)).rng == compiled("schemaspec_start").rng


# ---- ODDs that cannot be compiled -------------------------------------------------------------

ERROR_CASES = expectations(ERRORS)


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_error_raised(p5: Path, name: str) -> None:
    """compile_odd raises OddError with the code, file, line and column of the defect."""
    case = ERROR_CASES[name]
    with pytest.raises(OddError) as info:
        compile_odd(ERRORS / name, load_p5(p5))
    found = info.value.diagnostic
    assert (found.code, found.file, found.line) == (case["code"], str(ERRORS / name), case["line"]), found.format()
    assert found.col is not None and found.col >= 1, found.format()
    if "col" in case:
        assert found.col == case["col"], found.format()


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_error_on_the_command_line(p5: Path, tmp_path: Path, name: str) -> None:
    """`schema compile` prints the error on one line, file:line:col: error[CODE] message, writes nothing, exits 1 or 2."""
    case = ERROR_CASES[name]
    odd = ERRORS / name
    result = CliRunner().invoke(main, ["schema", "compile", str(odd), "-o", str(tmp_path), "--p5", str(p5)])
    assert "Traceback" not in result.output
    assert result.exit_code == case["exit"], result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    m = DIAGNOSTIC_LINE.match(lines[0])
    assert m is not None, lines[0]
    assert (m["file"], m["severity"], m["code"], int(m["line"])) == (str(odd), "error", case["code"], case["line"]), lines[0]
    assert int(m["col"]) >= 1
    assert list(tmp_path.iterdir()) == []


def test_unreadable_odd(p5: Path, tmp_path: Path) -> None:
    """An ODD that cannot be read is TE601 from compile_odd, and exit status 2 from the command line."""
    missing = tmp_path / "missing.odd"
    with pytest.raises(OddError) as info:
        compile_odd(missing, load_p5(p5))
    assert info.value.diagnostic.code == "TE601"
    result = CliRunner().invoke(main, ["schema", "compile", str(missing), "-o", str(tmp_path), "--p5", str(p5)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and (m := DIAGNOSTIC_LINE.match(lines[0])) is not None, result.stderr
    assert (m["file"], m["code"]) == (str(missing), "TE601")
