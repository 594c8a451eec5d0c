"""The command line: help, version, convert, build, text and profiles, with their exit codes."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tei_encoder import __version__
from tei_encoder.api import collapse, encode_file, schema_hrefs_for
from tei_encoder.cli import main
from tei_encoder.config import ProjectConfig
from tei_encoder.diagnostics import DIAGNOSTIC_LINE, Reporter
from tei_encoder.source import read_source

from .conftest import GOOD, SOURCES

NSA = SOURCES / "nsarchive-1960-07-18-khrushchev-raul-castro.txt"
WILSON = SOURCES / "wilson-1961-04-28-kudryavtsev-fidel-castro.txt"



@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own folder, away from any project configuration or schema."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TEI_ALL_RNG", raising=False)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, list(map(str, args)))


def errors(result: Result) -> list[re.Match[str]]:
    found = [DIAGNOSTIC_LINE.match(line) for line in result.stderr.splitlines()]
    return [m for m in found if m and m["severity"] == "error"]


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def assert_exit(result: Result, code: int) -> None:
    assert_no_traceback(result)
    assert result.exit_code == code, result.output


def assert_one_error(result: Result, file: Path | str, code: str, exit_code: int = 2) -> re.Match[str]:
    """Exactly one error line, naming the file, with the code and exit status given."""
    assert_exit(result, exit_code)
    found = errors(result)
    assert len(found) == 1, result.stderr
    assert found[0]["file"] == str(file) and found[0]["code"] == code, found[0].group()
    return found[0]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the real transcripts."""
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# ---- help, version, profiles -------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["convert"], ["build"], ["text"], ["profiles"]], ids=lambda c: c[0] if c else "main")
def test_help(command: list[str]):
    """--help works on the group and on every command."""
    result = run(*command, "--help")
    assert_exit(result, 0)
    assert result.stdout.startswith("Usage:")


def test_help_documents_exit_codes():
    """The main help says what the exit codes mean."""
    assert "Exit codes" in run("--help").stdout


def test_version():
    """--version prints the package version."""
    result = run("--version")
    assert_exit(result, 0)
    assert result.stdout.strip() == f"tei-encoder, version {__version__}"


def test_profiles_lists_the_builtin_ones():
    """`profiles` names the built-in profiles, one a line."""
    result = run("profiles")
    assert_exit(result, 0)
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["nsarchive", "wilson-center", "dfat", "us-records-ocr", "plain", "parliament"]


# ---- convert -----------------------------------------------------------------------------


def test_convert_a_file(sources: Path, tmp_path: Path):
    """convert FILE writes OUT/<stem>.xml, the edition the library makes."""
    result = run("convert", sources / WILSON.name, "--out", tmp_path / "out")
    assert_exit(result, 0)
    assert [p.name for p in (tmp_path / "out").iterdir()] == [WILSON.stem + ".xml"]
    assert (tmp_path / "out" / (WILSON.stem + ".xml")).read_bytes() == encode_file(WILSON)[1].xml


def test_convert_a_folder(sources: Path, tmp_path: Path):
    """convert FOLDER writes one edition per transcript in it."""
    result = run("convert", sources, "--out", tmp_path / "out")
    assert_exit(result, 0)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [NSA.stem + ".xml", WILSON.stem + ".xml"]
    assert "2 encoded, 0 failed" in result.stderr


def test_convert_empty_folder(tmp_path: Path):
    """A folder without transcripts is an input error, said in one line."""
    (tmp_path / "empty").mkdir()
    assert_one_error(run("convert", tmp_path / "empty", "--out", tmp_path / "out"), tmp_path / "empty", "TE100")


def test_convert_needs_out(sources: Path):
    """convert without --out is a usage error."""
    assert_exit(run("convert", sources), 2)


def test_mixed_good_and_bad(sources: Path, tmp_path: Path):
    """Good transcripts are written next to bad ones; the exit code is the worst seen."""
    write(sources / "empty.txt", b"")
    write(sources / "binary.txt", b"\x00\x01")
    result = run("convert", sources, "--out", tmp_path / "out")
    assert_exit(result, 2)
    assert {m["file"] for m in errors(result)} == {str(sources / "empty.txt"), str(sources / "binary.txt")}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [NSA.stem + ".xml", WILSON.stem + ".xml"]
    assert "2 encoded, 2 failed" in result.stderr


def test_worst_exit_code_wins(sources: Path, tmp_path: Path):
    """A failed document (1) and an unreadable one (2) in one run exit 2; the failure alone exits 1."""
    out = tmp_path / "out"
    assert_exit(run("convert", sources, "--out", out, "--fail-on", "warning"), 1)
    write(sources / "empty.txt", b"")
    assert_exit(run("convert", sources, "--out", out, "--fail-on", "warning"), 2)


def test_fail_on_warning(sources: Path, tmp_path: Path):
    """The NSA source has one TE301 warning: exit 0 by default, 1 with --fail-on warning, and then no edition."""
    path = sources / NSA.name
    default = run("convert", path, "--out", tmp_path / "a")
    assert_exit(default, 0)
    # The encoder's warnings; validation's (TE5xx, about the edition) are tested with validate.
    warnings = [line for line in default.stderr.splitlines() if "warning[" in line and "[TE5" not in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:") and "warning[TE301]" in warnings[0]
    strict = run("convert", path, "--out", tmp_path / "b", "--fail-on", "warning")
    assert_exit(strict, 1)
    assert not (tmp_path / "b" / (NSA.stem + ".xml")).exists()


STRICT_RNG = b"""<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element name="letter"><text/></element></start></grammar>
"""


def test_convert_validates_unless_told_not_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """convert validates what it wrote with the project's schema; an invalid edition fails the run, --no-validate skips it."""
    monkeypatch.chdir(tmp_path)
    source = write(tmp_path / "doc.txt", GOOD)
    checked = run("convert", source, "--out", tmp_path / "a")
    assert_exit(checked, 0)
    assert "validated 1 editions (RELAX NG and Schematron): 0 errors" in checked.stderr
    # A project whose schema accepts only <letter>: every edition is invalid against it.
    write(tmp_path / "schema" / "strict.rng", STRICT_RNG)
    write(tmp_path / "tei-encoder.toml", b'[edition]\nschema = "schema/strict"\n')
    invalid = run("convert", source, "--out", tmp_path / "b")
    assert_exit(invalid, 1)
    assert re.search(r"doc\.xml:\d+:\d+: error\[TE518\]", invalid.stderr), invalid.stderr
    skipped = run("convert", source, "--out", tmp_path / "c", "--no-validate")
    assert_exit(skipped, 0)
    assert "validated" not in skipped.stderr and (tmp_path / "c" / "doc.xml").is_file()


def test_api_gives_the_bytes_convert_writes(sources: Path, tmp_path: Path):
    """api.encode_file with the project's configuration and the schema hrefs for OUT: the bytes `convert` writes there."""
    schema = Path(__file__).parent.parent / "schema"
    for suffix in (".rng", ".sch"):
        write(tmp_path / "house" / ("edition" + suffix), (schema / ("tei_encoder" + suffix)).read_bytes())
    write(tmp_path / "tei-encoder.toml", b'[edition]\nschema = "house/edition"\npublisher = "A House"\n')
    out = tmp_path / "out"
    assert_exit(run("convert", sources / NSA.name, "--out", out, "--no-validate"), 0)
    written = (out / (NSA.stem + ".xml")).read_bytes()
    config = ProjectConfig.load(tmp_path)
    _, result = encode_file(sources / NSA.name, config=config, hrefs=schema_hrefs_for(config, out))
    assert result.xml == written
    assert b'<?xml-model href="../house/edition.rng"' in written and b"A House" in written


def test_same_stem_twice(tmp_path: Path):
    """Two transcripts that would make the same edition: the second is refused, not written over the first."""
    first = write(tmp_path / "a" / "doc.txt", GOOD)
    second = write(tmp_path / "b" / "doc.txt", GOOD + b"\nMore.\n")
    result = run("convert", first, second, "--out", tmp_path / "out")
    assert_one_error(result, second, "TE900")
    assert (tmp_path / "out" / "doc.xml").read_bytes() == encode_file(first)[1].xml


# ---- profiles given on the command line --------------------------------------------------


def test_unknown_profile_name(sources: Path, tmp_path: Path):
    """--profile with a name that is neither built in nor a file: one line, exit 2."""
    result = run("convert", sources, "--out", tmp_path / "out", "--profile", "no-such-style")
    assert_one_error(result, "no-such-style", "TE110")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text",
    [
        'name = "bad"\ncolour = "blue"\n',
        '[blocks]\nheading_patterns = ["(unclosed"]\n',
        'name = "bad\n',
        '[blocks]\nheading_patterns = [1]\n',
        '[[responsibility.patterns]]\npattern = 1\nrole = "x"\nresp = "y"\n',
        b'\xff\xfename = "x"\n',
        "description = 5\n",
    ],
    ids=["unknown-key", "bad-regex", "invalid-toml", "number-as-pattern", "number-as-responsibility", "not-utf8", "wrong-type"],
)
def test_bad_profile_file(sources: Path, tmp_path: Path, text: str | bytes):
    """--profile naming a broken TOML file: one line naming the file, exit 2, nothing written."""
    profile = write(tmp_path / "bad.toml", text)
    result = run("convert", sources, "--out", tmp_path / "out", "--profile", profile)
    assert_one_error(result, profile, "TE110")
    assert not (tmp_path / "out").exists()


def test_profile_file_round_trip(sources: Path, tmp_path: Path):
    """An edition made with a profile file is checked with that profile, and `text` needs it again."""
    profile = write(tmp_path / "house.toml", (Path(__file__).parent.parent / "src/tei_encoder/profiles/wilson-center.toml")
                    .read_text("utf-8").replace('name = "wilson-center"', 'name = "house"'))
    result = run("convert", sources / WILSON.name, "--out", tmp_path / "out", "--profile", profile)
    assert_exit(result, 0)
    edition = tmp_path / "out" / (WILSON.stem + ".xml")
    assert_one_error(run("text", edition), edition, "TE110")
    again = run("text", edition, "--profile", profile)
    assert_exit(again, 0)
    assert collapse(again.stdout) == collapse(WILSON.read_text("utf-8"))


def test_bad_project_configuration(sources: Path, tmp_path: Path):
    """A broken tei-encoder.toml in the working folder: one line naming it, exit 2."""
    write(tmp_path / "tei-encoder.toml", "edition = 3\n")
    assert_one_error(run("convert", sources, "--out", tmp_path / "out"), "tei-encoder.toml", "TE110")


# ---- text --------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [NSA, WILSON], ids=lambda p: p.stem.split("-")[0])
def test_text_gives_the_source_back(source: Path, tmp_path: Path):
    """`text EDITION` prints text whose collapsed white space equals the source's."""
    assert_exit(run("convert", source, "--out", tmp_path), 0)
    result = run("text", tmp_path / (source.stem + ".xml"))
    assert_exit(result, 0)
    assert collapse(result.stdout) == collapse(read_source(source, Reporter()).text)


def test_text_on_a_file_that_is_not_xml(tmp_path: Path):
    """`text` on a file that is not XML: one line with file:line:col, exit 2."""
    path = write(tmp_path / "notes.xml", "<TEI>\n  <p>unclosed\n")
    error = assert_one_error(run("text", path), path, "TE100")
    assert error["line"] and error["col"]
    assert ", line " not in error["message"]


def test_text_on_a_missing_file(tmp_path: Path):
    """`text` on a file that does not exist: one line, exit 2."""
    assert_one_error(run("text", tmp_path / "none.xml"), tmp_path / "none.xml", "TE100")


@pytest.mark.parametrize(
    "xml",
    [
        "<root/>",
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p><sic rend=" ">x</sic><pb/><gap/></p></body></text></TEI>',
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>' + "<p>" * 1500 + "x" + "</p>" * 1500 + "</body></text></TEI>",
    ],
    ids=["not-tei", "odd-markup", "deep"],
)
def test_text_on_a_strange_edition(tmp_path: Path, xml: str):
    """Well-formed XML that is no edition of ours gives text or one error line, never a traceback."""
    result = run("text", write(tmp_path / "odd.xml", xml))
    assert_no_traceback(result)
    assert result.exit_code in (0, 1) and len(errors(result)) == result.exit_code


def test_text_never_opens_a_profile_an_edition_names(tmp_path: Path):
    """A profile path written in an edition is not opened: only built-in names are taken from it."""
    profile = write(tmp_path / "house.toml", 'name = "house"\n')
    path = write(tmp_path / "e.xml", '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc><appInfo>'
                 f'<application><desc type="profile">profile {profile}: x</desc></application></appInfo>'
                 "</encodingDesc></teiHeader><text><body><p>a b</p></body></text></TEI>")
    error = assert_one_error(run("text", path), path, "TE110")
    assert "not built in" in error["message"]


SECRET = "TOP-SECRET-MARKER-7431"
HOSTILE = {
    "billion-laughs": '<?xml version="1.0"?>\n<!DOCTYPE TEI [\n <!ENTITY l0 "lol">\n'
    + "".join(f' <!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">\n' for i in range(1, 10))
    + ']>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&l9;</p></body></text></TEI>\n',
    "external-entity": '<?xml version="1.0"?>\n<!DOCTYPE TEI [ <!ENTITY x SYSTEM "file://{secret}"> ]>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a &x; b</p></body></text></TEI>\n',
    "passwd": '<?xml version="1.0"?>\n<!DOCTYPE TEI [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a &x; b</p></body></text></TEI>\n',
    "parameter-entity": '<?xml version="1.0"?>\n<!DOCTYPE TEI [ <!ENTITY % p SYSTEM "file://{secret}"> %p; ]>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a b</p></body></text></TEI>\n',
    "external-dtd": '<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "file://{secret}">\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a b</p></body></text></TEI>\n',
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_text_never_expands_entities_or_reads_files(kind: str, tmp_path: Path):
    """Entities are never expanded and files named in an edition never read; the answer comes within a second."""
    secret = write(tmp_path / "secret.toml", f'description = "{SECRET}"\nname = "{SECRET}"\n')
    path = write(tmp_path / "hostile.xml", HOSTILE[kind].replace("{secret}", str(secret)))
    started = time.monotonic()
    result = run("text", path)
    assert time.monotonic() - started < 1.0
    assert_no_traceback(result)
    assert result.exit_code in (0, 2)
    assert SECRET not in result.output and "root:" not in result.output and "lollol" not in result.output
    assert len(result.output) < 1000


# ---- build -------------------------------------------------------------------------------


def test_build(sources: Path, tmp_path: Path):
    """build --sources X --editions Y writes both editions and exits 0."""
    result = run("build", "--sources", sources, "--editions", tmp_path / "editions")
    assert_exit(result, 0)
    for source in (NSA, WILSON):
        assert (tmp_path / "editions" / (source.stem + ".xml")).read_bytes() == encode_file(source)[1].xml


def test_build_validates(sources: Path, tmp_path: Path, tei_all: Path):
    """build with a schema validates the editions (RELAX NG and Schematron) and still exits 0."""
    result = run("build", "--sources", sources, "--editions", tmp_path / "editions", "--schema", tei_all)
    assert_exit(result, 0)
    assert "validated 2 editions" in result.stderr and ": 0 errors" in result.stderr


def test_build_without_sources(tmp_path: Path):
    """build with a sources folder that does not exist: one line, exit 2."""
    assert_one_error(run("build", "--sources", tmp_path / "none", "--editions", tmp_path / "e"), tmp_path / "none", "TE100")


def test_build_into_a_file(sources: Path, tmp_path: Path):
    """build with --editions naming a regular file: one TE900 line, exit 2."""
    blocker = write(tmp_path / "editions", b"x")
    assert_one_error(run("build", "--sources", sources, "--editions", blocker), blocker, "TE900")


def test_repair_ocr_encodes_choices_and_keeps_the_round_trip(tmp_path: Path):
    """--repair-ocr puts each repair in choice/orig/reg, counts them, and the text still comes back."""
    source = SOURCES / "nsarchive-1960-07-18-khrushchev-raul-castro.txt"
    result = run("convert", str(source), "--out", str(tmp_path), "--repair-ocr")
    assert_exit(result, 0)
    assert "OCR repairs" in result.stderr
    edition = (tmp_path / (source.stem + ".xml")).read_bytes()
    assert b"<choice><orig>governmentand</orig><reg resp=\"#tei-encoder\" cert=\"high\"" in edition
    assert b"OCR damage" in edition  # stated in editorialDecl
    plain = run("text", str(tmp_path / (source.stem + ".xml")))
    assert " ".join(plain.stdout.split()) == " ".join(source.read_text("utf-8").split())
