"""The project's schema (schema/tei_encoder.odd) and the `schema compile` command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_encoder.cli import main
from tei_encoder.diagnostics import DIAGNOSTIC_LINE
from tei_encoder.odd import compile_odd, load_p5

from .conftest import EDITIONS, ROOT, SHARED

P5 = SHARED / "tei" / "p5subset.xml"
ODDS = SHARED / "tei" / "odd"
SCHEMA = ROOT / "schema"
PROJECT_ODD = SCHEMA / "tei_encoder.odd"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"

needs_p5 = pytest.mark.skipif(not P5.is_file(), reason=f"TEI source not found at {P5} (../shared is absent)")
needs_jing = pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed (Debian package jing)")


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(map(str, args)))
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


@needs_p5
def test_compile_writes_rng_and_sch(tmp_path: Path):
    code, err = run("schema", "compile", ODDS / "modes-test.odd", "-o", tmp_path, "--p5", P5)
    assert code == 0, err
    rng = etree.parse(str(tmp_path / "modes-test.rng")).getroot()
    sch = etree.parse(str(tmp_path / "modes-test.sch")).getroot()
    assert rng.tag == f"{{{RNG_NS}}}grammar" and sch.tag == f"{{{SCH_NS}}}schema"
    assert not list(tmp_path.glob(".*.tmp")), "temporary files left behind"
    # Warnings about the ODD (include lists naming elements the module lacks) are diagnostics.
    assert all(DIAGNOSTIC_LINE.match(line) for line in err.splitlines()[:-1]), err


@needs_p5
def test_compile_is_deterministic():
    source = load_p5(P5)
    first = compile_odd(ODDS / "tei_lite.odd", source)
    second = compile_odd(ODDS / "tei_lite.odd", source)
    assert (first.rng, first.sch) == (second.rng, second.sch)


@needs_p5
def test_compile_error_is_one_line_with_position(tmp_path: Path):
    odd = tmp_path / "bad.odd"
    odd.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        '  <schemaSpec ident="x">\n    <moduleRef key="nosuch"/>\n  </schemaSpec>\n</body></text></TEI>\n'
    )
    code, err = run("schema", "compile", odd, "-o", tmp_path, "--p5", P5)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1
    match = DIAGNOSTIC_LINE.match(lines[0])
    assert match and match["code"] == "TE602" and match["line"] == "3" and match["col"] == "5", lines[0]
    assert not (tmp_path / "x.rng").exists()


def test_compile_unreadable_odd(tmp_path: Path):
    code, err = run("schema", "compile", tmp_path / "missing.odd", "-o", tmp_path, "--p5", P5)
    assert code == 2 and "TE601" in err


def test_missing_tei_source_names_both_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TEI_P5_SOURCE", raising=False)
    code, err = run("schema", "compile", ODDS / "tei_bare.odd", "-o", tmp_path)
    assert code == 2
    assert "TE606" in err and "$TEI_P5_SOURCE" in err and "p5subset.xml" in err and "--p5" in err


def test_tei_source_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TEI_P5_SOURCE", str(tmp_path / "nowhere.xml"))
    code, err = run("schema", "compile", ODDS / "tei_bare.odd", "-o", tmp_path)
    assert code == 2 and "nowhere.xml" in err


# ---- the project's own schema ------------------------------------------------------------------


@needs_p5
def test_committed_schema_is_current():
    compiled = compile_odd(PROJECT_ODD, load_p5(P5))
    assert compiled.ident == "tei_encoder"
    assert (SCHEMA / "tei_encoder.rng").read_bytes() == compiled.rng, (
        "schema/tei_encoder.rng is stale: run `tei-encoder schema compile schema/tei_encoder.odd -o schema`"
    )
    assert (SCHEMA / "tei_encoder.sch").read_bytes() == compiled.sch, "schema/tei_encoder.sch is stale"
    assert not [d for d in compiled.diagnostics], [d.format() for d in compiled.diagnostics]


@needs_jing
def test_editions_valid_against_project_schema():
    editions = sorted(EDITIONS.glob("*.xml"))
    assert editions
    done = subprocess.run(["jing", str(SCHEMA / "tei_encoder.rng"), *map(str, editions)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


@needs_jing
def test_project_schema_rejects_what_it_should(tmp_path: Path):
    """A closed list bites: a div type outside our vocabulary is invalid."""
    edition = sorted(EDITIONS.glob("*.xml"))[0].read_text("utf-8")
    assert '<div type="' in edition
    broken = tmp_path / "broken.xml"
    broken.write_text(re.sub(r'<div type="[^"]+"', '<div type="chapterette"', edition, count=1), "utf-8")
    done = subprocess.run(["jing", str(SCHEMA / "tei_encoder.rng"), str(broken)],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and 'attribute "type"' in done.stdout, done.stdout


def test_editions_point_at_the_schema():
    for edition in sorted(EDITIONS.glob("*.xml")):
        models = [
            pi for pi in etree.parse(str(edition)).xpath("/processing-instruction('xml-model')")
        ]
        hrefs = {pi.get("schematypens"): pi.get("href") for pi in models}
        assert set(hrefs) == {RNG_NS, SCH_NS}, edition.name
        for href in hrefs.values():
            assert (edition.parent / href).resolve().is_file(), f"{edition.name}: {href} does not exist"


def test_schema_hrefs(tmp_path: Path):
    """Editions point at the schema relative to their folder, at a URL, or nowhere."""
    from tei_encoder.tei.schema_link import link_schema, schema_hrefs

    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "tei_encoder.rng").write_text("<grammar/>", "utf-8")
    out = tmp_path / "out" / "deep"
    out.mkdir(parents=True)
    assert schema_hrefs("schema/tei_encoder", out, tmp_path) == (
        "../../schema/tei_encoder.rng", "../../schema/tei_encoder.sch")
    assert schema_hrefs("https://example.org/s/x", out, tmp_path) == (
        "https://example.org/s/x.rng", "https://example.org/s/x.sch")
    assert schema_hrefs("schema/missing", out, tmp_path) is None  # no link rather than a broken one
    assert schema_hrefs("", out, tmp_path) is None
    from tei_encoder.validate.schemas import models_of

    edition = tmp_path / "e.xml"
    edition.write_bytes(link_schema(b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI/>\n', 'a"b.rng', "a&b.sch"))
    etree.parse(str(edition))  # still well-formed
    named = models_of(edition)
    assert named is not None and (named.rng.name, named.sch.name if named.sch else None) == ('a"b.rng', "a&b.sch")
