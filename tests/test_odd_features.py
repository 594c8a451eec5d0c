"""One small ODD per compiler feature (tests/odd/*/): jing must accept its pass/ documents and reject its fail/ ones."""

from __future__ import annotations

import json
import os
import re
import shutil
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



def options(feature: str) -> dict[str, Any]:
    """compile_odd's keyword arguments from expect.json's "options" (odd_path relative to the folder)."""
    given = dict(expectations(HERE / feature).get("options", {}))
    if "odd_path" in given:
        given["odd_path"] = [HERE / feature / folder for folder in given["odd_path"]]
    return given


@cache
def compiled(feature: str) -> Compiled:
    """The folder's ODD compiled once (the TEI source is parsed once for all of them)."""
    return compile_odd(HERE / feature / "schema.odd", load_p5(P5), **options(feature))


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


@pytest.mark.parametrize("feature", [f for f in FEATURES if "findings" in expectations(HERE / f)])
@pytest.mark.parametrize("roles", ["own", "inherit"])
def test_schematron_roles(p5: Path, feature: str, roles: str) -> None:
    """Our Schematron on the compiled .sch: each document's findings, as (severity, role source, message), per role mode."""
    from tei_encoder.validate.schematron import Schematron

    schema = Schematron.from_bytes(compiled(feature).sch, f"{feature}.sch", roles=roles)
    for doc, wanted in expectations(HERE / feature)["findings"].items():
        found, problems = schema.check((HERE / feature / doc).read_bytes(), doc)
        assert problems == []
        got = sorted([str(f.severity), f.role_from, f.message] for f in found)
        assert got == sorted(wanted[roles]), f"{feature}/{doc} ({roles}): {got}"


def test_schema_spec_source_release_name(p5: Path, tmp_path: Path) -> None:
    """tei:RELEASE is the TEI source given when it is that release; tei:current always is; the schema is then the plain one."""
    odd = HERE / "schemaspec_start" / "schema.odd"
    text = odd.read_text("utf-8")
    for name in ("tei:4.10.0a", "tei:current"):
        named = tmp_path / f"{name.replace(':', '_')}.odd"
        named.write_text(text.replace('start="div"', f'start="div" source="{name}"'), "utf-8")
        assert compile_odd(named, load_p5(p5)).rng == compiled("schemaspec_start").rng


def test_schema_spec_source_release_in_odd_path(p5: Path, tmp_path: Path) -> None:
    """tei:RELEASE other than the source given is looked for in the ODD path as RELEASE/p5subset.xml."""
    release = tmp_path / "releases" / "4.10.0a"
    release.mkdir(parents=True)
    (release / "p5subset.xml").symlink_to(p5)
    odd = tmp_path / "child.odd"
    odd.write_text((HERE / "schemaspec_start" / "schema.odd").read_text("utf-8")
                   .replace('start="div"', 'start="div" source="tei:4.10.0a"'), "utf-8")
    other = load_p5(p5)
    other_release = type(other)(path=other.path, version="P5 Version 9.9.9.", specs=other.specs, modules=other.modules)
    with pytest.raises(OddError) as info:
        compile_odd(odd, other_release)
    assert info.value.diagnostic.code == "TE612" and "9.9.9" in info.value.diagnostic.message
    assert compile_odd(odd, other_release, odd_path=[tmp_path / "releases"]).rng == compiled("schemaspec_start").rng


def test_chain_needs_its_odd_path(p5: Path) -> None:
    """Without the ODD path the parent is not found: an error at the child's schemaSpec, never a fall back on the TEI source."""
    with pytest.raises(OddError) as info:
        compile_odd(HERE / "chain_odd_path" / "schema.odd", load_p5(p5))
    found = info.value.diagnostic
    assert (found.code, found.file, found.line) == ("TE612", str(HERE / "chain_odd_path" / "schema.odd"), 13)


def test_chain_on_the_command_line(p5: Path, tmp_path: Path) -> None:
    """`schema compile --odd-path DIR` finds the parent there; the result is the API's."""
    odd = HERE / "chain_odd_path" / "schema.odd"
    result = CliRunner().invoke(main, ["schema", "compile", str(odd), "-o", str(tmp_path), "--p5", str(p5),
                                       "--odd-path", str(HERE / "chain_odd_path" / "lib")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "chain_leaf.rng").read_bytes() == compiled("chain_odd_path").rng
    result = CliRunner().invoke(main, ["schema", "compile", str(odd), "-o", str(tmp_path / "none"), "--p5", str(p5)])
    assert result.exit_code == 1 and "error[TE612]" in result.stderr


def test_chain_differs_from_the_parentless_child(p5: Path, tmp_path: Path) -> None:
    """The child without @source is compiled from the TEI source and accepts what the parent forbids."""
    child = HERE / "chain_relative" / "schema.odd"
    alone = tmp_path / "alone.odd"
    alone.write_text(child.read_text("utf-8").replace(' source="parent/base.odd"', "")
                     .replace('<moduleRef key="derived-module-chain_base"/>', ""), "utf-8")
    assert b'name="note"' in compile_odd(alone, load_p5(p5)).rng
    assert b'name="note"' not in compiled("chain_relative").rng


def test_chain_parent_module_has_odd2odds_name(p5: Path, tmp_path: Path) -> None:
    """The parent's own new elements form "derived-module-IDENT", the TEI Stylesheets' name for that module.

    "module-from-IDENT", the name earlier versions gave it, still brings them in, without a warning;
    any other name is an unknown module (TE602).
    """
    child = (HERE / "chain_relative" / "schema.odd").read_text("utf-8")
    assert 'moduleRef key="derived-module-chain_base"' in child
    assert b'name="receipt"' in compiled("chain_relative").rng
    legacy = HERE / "chain_relative" / "legacy_module_name.odd"  # beside the parent, so @source resolves
    try:
        legacy.write_text(child.replace("derived-module-chain_base", "module-from-chain_base"), "utf-8")
        result = compile_odd(legacy, load_p5(p5))
    finally:
        legacy.unlink()
    assert b'name="receipt"' in result.rng
    assert [d.code for d in result.diagnostics] == [d.code for d in compiled("chain_relative").diagnostics]
    unknown = tmp_path / "parent"
    shutil.copytree(HERE / "chain_relative" / "parent", unknown)
    (tmp_path / "child.odd").write_text(child.replace("derived-module-chain_base", "module-from-nosuch"), "utf-8")
    with pytest.raises(OddError) as info:
        compile_odd(tmp_path / "child.odd", load_p5(p5))
    assert info.value.diagnostic.code == "TE602"


def test_chain_parent_warnings_are_reported(p5: Path, tmp_path: Path) -> None:
    """A warning compiling the parent is reported with the parent's file and line."""
    lib = tmp_path / "lib"
    lib.mkdir()
    parent = (HERE / "chain_relative" / "parent" / "base.odd").read_text("utf-8")
    (lib / "base.odd").write_text(parent.replace('include="p head title hi note"', 'include="p head title hi note nosuch"'), "utf-8")
    child = tmp_path / "child.odd"
    child.write_text((HERE / "chain_relative" / "schema.odd").read_text("utf-8").replace("parent/base.odd", "lib/base.odd"), "utf-8")
    found = compile_odd(child, load_p5(p5)).diagnostics
    assert [(d.code, Path(d.file).name) for d in found] == [("TE607", "base.odd"), ("TE607", "child.odd")]


def test_chain_cycle_between_two_files(p5: Path) -> None:
    """a names b, b names a: TE613 where the cycle closes (in b), naming the files of the cycle."""
    with pytest.raises(OddError) as info:
        compile_odd(ERRORS / "source_cycle_a.odd", load_p5(p5))
    found = info.value.diagnostic
    assert (found.code, found.file, found.line) == ("TE613", str(ERRORS / "source_cycle_b.odd"), 13)
    assert "source_cycle_a.odd → source_cycle_b.odd → source_cycle_a.odd" in found.message


def test_chain_on_a_compiled_odd(p5: Path, tmp_path: Path) -> None:
    """@source naming a compiled ODD (complete specs, no references): its specs are the source, as they are."""
    source = load_p5(p5)
    compiled_odd = etree.Element("{http://www.tei-c.org/ns/1.0}TEI", nsmap={None: "http://www.tei-c.org/ns/1.0"})
    spec = etree.SubElement(compiled_odd, "{http://www.tei-c.org/ns/1.0}schemaSpec", ident="compiled")
    keep = {"TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "text", "body", "div", "p", "head", "title"}
    for kind in ("elementSpec", "classSpec", "macroSpec", "dataSpec"):
        for ident, original in source.specs[kind].items():
            if kind != "elementSpec" or ident in keep:
                spec.append(etree.fromstring(etree.tostring(original)))
    (tmp_path / "compiled.odd").write_bytes(etree.tostring(compiled_odd))
    child = tmp_path / "child.odd"
    child.write_text((HERE / "chain_odd_path" / "schema.odd").read_text("utf-8").replace("middle.odd", "compiled.odd"), "utf-8")
    result = compile_odd(child, source)
    assert [d.code for d in result.diagnostics] == ["TE607", "TE607"]  # core has no hi and no note in the compiled ODD
    rng = etree.fromstring(result.rng)
    elements = {e.get("name") for e in rng.iter(f"{{{RNG_NS}}}element") if e.get("name")}
    assert {"p", "head", "title", "div"} <= elements and not {"hi", "note"} & elements


def test_any_element_require_on_the_command_line(p5: Path, tmp_path: Path) -> None:
    """--any-element-require ignore writes the schema compile_odd(any_element_require="ignore") makes."""
    odd = HERE / "anyelement_require_ignored" / "schema.odd"
    for choice in ("honour", "ignore"):
        result = CliRunner().invoke(main, ["schema", "compile", str(odd), "-o", str(tmp_path / choice), "--p5", str(p5),
                                           "--any-element-require", choice])
        assert result.exit_code == 0, result.output
    ignored = (tmp_path / "ignore" / "feature_require_ignored.rng").read_bytes()
    assert ignored == compiled("anyelement_require_ignored").rng
    assert ignored != (tmp_path / "honour" / "feature_require_ignored.rng").read_bytes()
    assert b"urn:example:a" in (tmp_path / "honour" / "feature_require_ignored.rng").read_bytes()


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


# ---- the feature ODDs under the TEI Stylesheets (tests/odd/reference-verdicts.md) ---------------

REFERENCE_TABLE = HERE / "reference-verdicts.md"


def reference_rows() -> list[dict[str, str]]:
    """The rows of reference-verdicts.md: folder, document, expected, ours, reference (cells as printed)."""
    keys = ("folder", "document", "expected", "ours", "reference")
    rows = []
    for line in REFERENCE_TABLE.read_text("utf-8").splitlines():
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == len(keys) and cells[0] not in ("folder", "---"):
            rows.append(dict(zip(keys, cells, strict=True)))
    return rows


def test_reference_table_names_existing_documents() -> None:
    """Every row of reference-verdicts.md is a document of a feature folder, and says what expect.json wants."""
    rows = reference_rows()
    assert rows
    for row in rows:
        assert row["document"] in documents(row["folder"]), row
        assert row["expected"].startswith("valid" if row["document"].startswith("pass/") else "invalid"), row


def test_reference_table_ours_is_current(verdicts: dict[str, Verdicts | Exception]) -> None:
    """The "jing on ours" column is what jing says now of our schema: valid, or the same first message."""
    for row in reference_rows():
        found = verdicts[row["folder"]]
        assert not isinstance(found, Exception), found
        messages = found.messages.get((HERE / row["folder"] / row["document"]).resolve(), [])
        if row["ours"] == "valid":
            assert not messages, row
        else:
            recorded = row["ours"].removeprefix("invalid: ").removesuffix("…")
            assert messages and " ".join(messages[0].split()).startswith(recorded), (row, messages[:1])
