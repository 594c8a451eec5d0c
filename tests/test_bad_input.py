"""Bad, odd and hostile input: one clear line per problem, the documented exit code, no half-written edition."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from tei_encoder import api, batch
from tei_encoder import io as tei_io
from tei_encoder.api import check_round_trip, encode_bytes, encode_file
from tei_encoder.cli import main
from tei_encoder.diagnostics import DIAGNOSTIC_LINE, InputError

from .conftest import GOOD, SOURCES

NS = {"t": "http://www.tei-c.org/ns/1.0"}
WILSON = SOURCES / "wilson-1961-04-28-kudryavtsev-fidel-castro.txt"



@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own folder, away from any project configuration."""
    monkeypatch.chdir(tmp_path)


def convert(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["convert", *map(str, args)])


def diagnostics(result: Result, severity: str | None = None) -> list[re.Match[str]]:
    """The diagnostic lines a run printed on stderr, parsed."""
    found = [DIAGNOSTIC_LINE.match(line) for line in result.stderr.splitlines()]
    return [m for m in found if m and (severity is None or m["severity"] == severity)]


def assert_clean_exit(result: Result, code: int) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output


def assert_one_error(result: Result, file: Path | str, code: str, exit_code: int = 2, where: tuple[int, int] | None = None) -> None:
    """Exactly one error line, naming the file (and line:col when given), and the exit code."""
    assert_clean_exit(result, exit_code)
    errors = diagnostics(result, "error")
    assert len(errors) == 1, result.stderr
    error = errors[0]
    assert error["file"] == str(file) and error["code"] == code, error.group()
    if where is not None:
        assert (int(error["line"]), int(error["col"])) == where, error.group()


def assert_nothing_written(out: Path) -> None:
    """No edition and no temporary file in the output folder."""
    assert not out.exists() or list(out.iterdir()) == []


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def edition_body(xml: bytes) -> etree._Element:
    return etree.fromstring(xml).find("t:text/t:body", NS)


# ---- files that are not transcripts ------------------------------------------------------


@pytest.mark.parametrize(
    "data, code, where",
    [
        (b"", "TE101", None),
        (b"  \n\t\n\r\n \x0c \n", "TE101", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "TE102", (3, 1)),
        (b"First line.\nSecond \x00line.\n", "TE102", (2, 8)),
        (b"\xff\xfeH\x00i\x00", "TE103", (1, 1)),
        (b"Caf\xc3\xa9 \x81\x90 here.\n", "TE103", (1, 6)),
    ],
    ids=["empty", "white-space", "png", "nul", "utf-16", "undecodable"],
)
def test_unreadable_content_is_refused(tmp_path: Path, data: bytes, code: str, where):
    """Empty, blank, binary and undecodable files give one error line and exit 2, with no edition."""
    path = write(tmp_path / "doc.txt", data)
    result = convert(path, "--out", tmp_path / "out")
    assert_one_error(result, path, code, 2, where)
    assert_nothing_written(tmp_path / "out")
    with pytest.raises(InputError) as caught:
        encode_bytes(data, "doc.txt")
    assert caught.value.diagnostic.code == code


def test_white_space_only_says_so(tmp_path: Path):
    """A file of white space is reported as such, not as empty."""
    path = write(tmp_path / "blank.txt", b" \n\t\n")
    result = convert(path, "--out", tmp_path / "out")
    assert "white space" in diagnostics(result, "error")[0]["message"]


@pytest.mark.parametrize(
    "data, where",
    [
        (b"Line one.\nBad \x01 here.\n", (2, 5)),
        (b"Colour: \x1b[31mred\x1b[0m.\n", (1, 9)),
        (b"Tab\tok, vertical tab \x0b not.\n", (1, 22)),
        ("Noncharacter \ufffe.\n".encode(), (1, 14)),
        (b"Page one.\n\x0cPage two, \x02 bad.\n", (2, 12)),
        (b"Windows\r\nlines\r\n\x08.\r\n", (3, 1)),
        (b"Old Mac\rlines\r\x07.\r", (3, 1)),
    ],
    ids=["soh", "escape", "vertical-tab", "u-fffe", "after-form-feed", "crlf", "cr"],
)
def test_characters_xml_forbids(tmp_path: Path, data: bytes, where: tuple[int, int]):
    """A character XML cannot hold is one TE105 error at the file's own line:col, exit 2."""
    path = write(tmp_path / "doc.txt", data)
    result = convert(path, "--out", tmp_path / "out")
    assert_one_error(result, path, "TE105", 2, where)
    assert_nothing_written(tmp_path / "out")


def test_deeply_nested_brackets_are_kept_as_text(tmp_path: Path):
    """Brackets nested thousands deep convert: past the nesting limit they stay text, said once."""
    path = write(tmp_path / "deep.txt", b"[" * 3000 + b"x" + b"]" * 3000 + b"\n")
    result = convert(path, "--out", tmp_path / "out")
    assert_clean_exit(result, 0)
    deep = [d for d in diagnostics(result, "warning") if "deeper" in d["message"]]
    assert len(deep) == 1 and deep[0]["code"] == "TE303"
    source, encoded = encode_file(path)
    assert check_round_trip(source.text, encoded.xml).ok


# ---- encodings ---------------------------------------------------------------------------


def test_cp1252_is_decoded_with_a_warning(tmp_path: Path):
    """Smart quotes in cp1252 are read as cp1252, said so in a TE104 warning, and round-trip."""
    path = write(tmp_path / "cp.txt", b"He said \x93hello\x94 to me \x96 twice.\n")
    result = convert(path, "--out", tmp_path / "out")
    assert_clean_exit(result, 0)
    warning = diagnostics(result, "warning")[0]
    assert warning["code"] == "TE104" and "cp1252" in warning["message"]
    assert (warning["file"], warning["line"], warning["col"]) == (str(path), "1", "9")
    source, encoded = encode_file(path)
    assert source.encoding == "cp1252" and "\u201chello\u201d" in source.text
    assert check_round_trip(source.text, encoded.xml).ok
    assert "<q rend=\"double-curly\">hello</q>" in (tmp_path / "out" / "cp.xml").read_text("utf-8")


def test_latin1_is_decoded_with_a_warning(tmp_path: Path):
    """Latin-1 text is read as Latin-1 with a TE104 warning naming it."""
    path = write(tmp_path / "latin.txt", b"Caf\xe9 au lait \xe0 la ma\xefson.\n")
    result = convert(path, "--out", tmp_path / "out")
    assert_clean_exit(result, 0)
    warning = diagnostics(result, "warning")[0]
    assert warning["code"] == "TE104" and "latin-1" in warning["message"]
    source, encoded = encode_file(path)
    assert "Café au lait à la maïson." in source.text
    assert check_round_trip(source.text, encoded.xml).ok


def test_stray_cp1252_byte_keeps_utf8_text(tmp_path: Path):
    """One cp1252 byte in UTF-8 text does not garble the UTF-8 characters around it."""
    path = write(tmp_path / "mixed.txt", "Khrushchev’s speech, ".encode() + b"\x93quoted\x94.\n")
    source, encoded = encode_file(path)
    assert source.text == "Khrushchev’s speech, “quoted”.\n"
    assert [d.code for d in encoded.reporter.items] == ["TE104"]
    assert check_round_trip(source.text, encoded.xml).ok


def test_byte_order_mark_is_removed():
    """A UTF-8 byte order mark is dropped: the edition equals the one without it."""
    with_bom = encode_bytes(b"\xef\xbb\xbf" + GOOD, "doc.txt")
    assert with_bom.xml == encode_bytes(GOOD, "doc.txt").xml
    assert "\ufeff".encode() not in with_bom.xml
    assert [d.code for d in with_bom.reporter.items] == ["TE106"]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_line_ends_do_not_change_the_edition(newline: bytes):
    """CRLF and lone-CR transcripts give the very edition their LF twin gives."""
    lf = (SOURCES / "nsarchive-1960-07-18-khrushchev-raul-castro.txt").read_bytes()
    assert encode_bytes(lf.replace(b"\n", newline), "doc.txt").xml == encode_bytes(lf, "doc.txt").xml


# ---- form feeds --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile",
    [
        "nsarchive",
        "plain",
        None,
        "wilson-center",
    ],
    ids=lambda p: p or "detected",
)
def test_form_feed_is_a_page_break(profile: str | None):
    """A form feed between two paragraphs becomes a pb, and the text still round-trips."""
    data = b"The first page ends here.\n\x0cThe second page starts here.\n"
    result = encode_bytes(data, "doc.txt", profile)
    assert len(edition_body(result.xml).findall(".//t:pb", NS)) == 1
    assert check_round_trip(data.decode().replace("\x0c", "\n"), result.xml).ok


def test_positions_after_a_form_feed_are_the_files_own(tmp_path: Path):
    """A form feed ends no line: a warning after one points at the line an editor shows."""
    path = write(tmp_path / "ff.txt", b"Page one.\n\x0cPage two [unclosed here.\n")
    result = convert(path, "--out", tmp_path / "out", "--profile", "plain")
    assert_clean_exit(result, 0)
    warning = diagnostics(result, "warning")[0]
    assert (warning["code"], warning["line"], warning["col"]) == ("TE301", "2", "11")


# ---- brackets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, codes",
    [
        ("Text [a [b] c end.", {("TE303", 9), ("TE301", 6)}),
        ("Text x] y.", {("TE302", 7)}),
        ("Text [[x]] end.", {("TE303", 7)}),
    ],
    ids=["unclosed-nested", "stray-close", "double"],
)
def test_unbalanced_brackets_warn_and_round_trip(tmp_path: Path, line: str, codes: set[tuple[str, int]]):
    """Unbalanced and nested brackets convert with warnings at file:line:col, and round-trip."""
    path = write(tmp_path / "br.txt", f"First paragraph.\n\n{line}\n".encode())
    # The encoder's warnings only: validation's, about the edition, are not what this tests.
    result = convert(path, "--out", tmp_path / "out", "--profile", "plain", "--no-validate")
    assert_clean_exit(result, 0)
    warnings = diagnostics(result, "warning")
    assert all(w["file"] == str(path) and w["line"] == "3" for w in warnings), result.stderr
    assert {(w["code"], int(w["col"])) for w in warnings} == codes
    source, encoded = encode_file(path, "plain")
    assert check_round_trip(source.text, encoded.xml).ok
    assert (tmp_path / "out" / "br.xml").read_bytes() == encoded.xml


# ---- size ----------------------------------------------------------------------------------


BIG_BUDGET = 40  # seconds; measured about 16 s on one core of a 2-core machine


def test_fifty_megabytes_within_budget(tmp_path: Path):
    """SLOW (about 16 s): a ~50 MB transcript converts, round trip checked, within the budget."""
    body = WILSON.read_bytes() + b"\n\n"
    path = write(tmp_path / "big.txt", body * (50_000_000 // len(body) + 1))
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tei_encoder", "convert", str(path), "--out", str(tmp_path / "out")],
            capture_output=True, text=True, timeout=BIG_BUDGET,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.stat().st_size / 1e6:.0f} MB not converted within {BIG_BUDGET} s")
    elapsed = time.monotonic() - started
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert (tmp_path / "out" / "big.xml").stat().st_size > path.stat().st_size
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["big.xml"]
    print(f"{path.stat().st_size / 1e6:.0f} MB converted in {elapsed:.1f} s")


# ---- files that cannot be read -----------------------------------------------------------


def test_missing_file(tmp_path: Path):
    """A file that does not exist: one line naming it, exit 2."""
    result = convert(tmp_path / "nowhere.txt", "--out", tmp_path / "out")
    assert_one_error(result, tmp_path / "nowhere.txt", "TE100")
    assert "no such file" in result.stderr
    with pytest.raises(InputError):
        encode_file(tmp_path / "nowhere.txt")


def test_folder_named_like_a_transcript(tmp_path: Path):
    """A folder named *.txt given as a file: one line naming it, exit 2."""
    (tmp_path / "folder.txt").mkdir()
    result = convert(tmp_path / "folder.txt", "--out", tmp_path / "out")
    assert_one_error(result, tmp_path / "folder.txt", "TE100")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission(tmp_path: Path):
    """A file that may not be read: one line naming it, exit 2."""
    path = write(tmp_path / "secret.txt", GOOD)
    path.chmod(0)
    try:
        result = convert(path, "--out", tmp_path / "out")
    finally:
        path.chmod(0o644)
    assert_one_error(result, path, "TE100")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_not_read(tmp_path: Path):
    """A named pipe is refused at once instead of waiting forever for a writer."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "tei_encoder", "convert", str(pipe), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{pipe}: error[TE100] not a regular file" in done.stderr


# ---- output that cannot be written -------------------------------------------------------


@pytest.mark.parametrize("where", ["file", "under-file"])
def test_output_folder_is_a_file(tmp_path: Path, where: str):
    """--out naming a regular file, or a folder beneath one: one TE900 line, exit 2, nothing written."""
    blocker = write(tmp_path / "blocker", b"not a folder")
    out = blocker if where == "file" else blocker / "editions"
    sources = tmp_path / "in"
    sources.mkdir()
    write(sources / "a.txt", GOOD)
    write(sources / "b.txt", GOOD)
    result = convert(sources, "--out", out)
    assert_one_error(result, out, "TE900")
    assert blocker.read_bytes() == b"not a folder"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes in read-only folders")
def test_read_only_output_folder(tmp_path: Path):
    """A read-only output folder: one TE900 line, exit 2."""
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = convert(write(tmp_path / "a.txt", GOOD), "--out", out)
    finally:
        out.chmod(0o755)
    assert_one_error(result, out, "TE900")
    assert_nothing_written(out)


def test_edition_path_taken_by_a_folder(tmp_path: Path):
    """When out/<stem>.xml is a folder, that document fails with TE900 and leaves no temporary file."""
    out = tmp_path / "out"
    (out / "a.xml").mkdir(parents=True)
    result = convert(write(tmp_path / "a.txt", GOOD), write(tmp_path / "b.txt", GOOD), "--out", out)
    assert_one_error(result, out / "a.xml", "TE900")
    assert sorted(p.name for p in out.iterdir()) == ["a.xml", "b.xml"]
    assert (out / "a.xml").is_dir() and (out / "b.xml").is_file()


def test_write_failure_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A write that fails at the rename leaves the old edition whole and no temporary file."""
    target = tmp_path / "doc.xml"
    target.write_bytes(b"old edition")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tei_io.os, "replace", refuse)
    with pytest.raises(InputError) as caught:
        api.write_atomically(target, b"new edition")
    assert caught.value.diagnostic.code == "TE900"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.xml"]
    assert target.read_bytes() == b"old edition"


# ---- a good edition survives a later failure ---------------------------------------------


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01\x02", b"Bad \x1b char.\n"], ids=["empty", "binary", "control"])
def test_good_edition_survives_bad_source(tmp_path: Path, garbage: bytes):
    """When a transcript turns bad, the next run fails and keeps the edition it made before."""
    path = write(tmp_path / "doc.txt", GOOD)
    out = tmp_path / "out"
    assert convert(path, "--out", out).exit_code == 0
    before = (out / "doc.xml").read_bytes()
    write(path, garbage)
    assert_one_error(convert(path, "--out", out), path, {b"": "TE101", b"\x00\x01\x02": "TE102"}.get(garbage, "TE105"))
    assert (out / "doc.xml").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["doc.xml"]


def test_good_edition_survives_failed_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An edition whose round trip fails is not written over the previous one."""
    path = write(tmp_path / "doc.txt", GOOD)
    out = tmp_path / "out"
    assert convert(path, "--out", out).exit_code == 0
    before = (out / "doc.xml").read_bytes()
    write(path, GOOD + b"\nA new paragraph.\n")
    monkeypatch.setattr(batch, "check_round_trip", lambda *a, **k: api.RoundTrip(False, "at character 0"))
    result = convert(path, "--out", out)
    assert_one_error(result, path, "TE901", 1)
    assert (out / "doc.xml").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["doc.xml"]
