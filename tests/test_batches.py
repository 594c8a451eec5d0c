"""Batches: jobs and Dask give the bytes of a serial run, incremental builds, progress on a terminal."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tei_encoder import batch
from tei_encoder.api import encode_files, iter_transcripts
from tei_encoder.batch import Policy, run_batch
from tei_encoder.cli import main
from tei_encoder.diagnostics import DIAGNOSTIC_LINE
from tei_encoder.incremental import MANIFEST_NAME, profile_digest

from .conftest import ROOT, SHARED, SOURCES

DEVCORPUS = SHARED / "devcorpus"
STYLES = ROOT / "tests" / "styles"
SCHEMA = ROOT / "schema"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _workers_even_for_small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """These batches are small enough to be run in one process: make --jobs start its workers."""
    monkeypatch.setattr(batch, "SERIAL_BELOW", 0)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small corpus of every kind we have: the sources, the house styles, the devcorpus (metadata files too)."""
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    shutil.copytree(STYLES, folder / "styles", ignore=shutil.ignore_patterns("*.toml"))
    if DEVCORPUS.is_dir():
        shutil.copytree(DEVCORPUS, folder / "devcorpus", ignore=shutil.ignore_patterns("*.json", "README.md", "manifest.*"))
    return folder


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, list(map(str, args)))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def written(result: Result) -> list[str]:
    """The transcripts a run encoded, from its `SOURCE -> EDITION` lines."""
    return [line.split(" -> ")[0] for line in result.stderr.splitlines() if " -> " in line]


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.xml")}


# ---- jobs ----------------------------------------------------------------------------------


def test_jobs_give_the_bytes_and_lines_of_a_serial_build(corpus: Path, tmp_path: Path):
    """build -j 2 writes the same editions (and manifest) and says the same lines, in the same order, as -j 1."""
    shutil.copytree(SCHEMA, tmp_path / "schema")  # validation with the project's schema, editions linked to it
    serial = run("build", "--sources", corpus, "--editions", tmp_path / "one", "-j", "1")
    parallel = run("build", "--sources", corpus, "--editions", tmp_path / "two", "-j", "2")
    assert serial.exit_code == parallel.exit_code == 0, serial.stderr
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert len(one) > 30 and MANIFEST_NAME in one
    assert one == two
    assert serial.stderr.replace(str(tmp_path / "one"), "E") == parallel.stderr.replace(str(tmp_path / "two"), "E")
    assert f"validated {len(one) - 1} editions" in serial.stderr


def test_convert_jobs_and_the_library_give_the_cli_bytes(corpus: Path, tmp_path: Path):
    """convert -j 2, convert -j 1 and api.encode_files write byte-identical editions, schema link included."""
    shutil.copytree(SCHEMA, tmp_path / "schema")
    assert run("convert", corpus, "--out", tmp_path / "a", "-j", "2").exit_code == 0
    assert run("convert", corpus, "--out", tmp_path / "b").exit_code == 0
    summary = encode_files([corpus], tmp_path / "c", jobs=2)
    assert summary.code == 0 and summary.done == len(files(tmp_path / "a"))
    a = files(tmp_path / "a")
    assert a == files(tmp_path / "b") == files(tmp_path / "c")
    assert all(b"<?xml-model href=" in data for data in a.values())


def test_exit_code_is_the_worst_seen_with_jobs(tmp_path: Path):
    """A binary file (2) and a good one: -j 2 exits 2 and writes the good edition, as serial does."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"\x00\x01\x02binary")
    shutil.copy(SOURCES / "wilson-1961-04-28-kudryavtsev-fidel-castro.txt", tmp_path / "in" / "b.txt")
    for jobs in ("1", "2"):
        result = run("convert", tmp_path / "in", "--out", tmp_path / jobs, "-j", jobs)
        assert result.exit_code == 2
        assert (tmp_path / jobs / "b.xml").is_file() and not (tmp_path / jobs / "a.xml").exists()
        assert result.stderr.splitlines()[-1] == "1 encoded, 1 failed"


def test_transcripts_stream_in_sorted_order(tmp_path: Path):
    """The folder walk gives the order of sorting every path, names that sort around folders included."""
    for name in ("a.txt", "a/z.txt", "a/b/c.md", "a-b.txt", "b.md", "a/b.txt", "A.txt", "x.xml", "a/.hidden.txt"):
        (tmp_path / "t" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "t" / name).write_text("x")
    expected = sorted(p for p in (tmp_path / "t").rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    assert list(iter_transcripts([tmp_path / "t"])) == expected
    assert len(expected) == 8


# ---- incremental builds -------------------------------------------------------------------


def test_a_second_build_encodes_nothing(corpus: Path, tmp_path: Path):
    first = run("build", "--sources", corpus, "--editions", tmp_path / "e")
    assert first.exit_code == 0
    count = len(written(first))
    before = mtimes(tmp_path / "e")
    again = run("build", "--sources", corpus, "--editions", tmp_path / "e")
    assert again.exit_code == 0 and written(again) == []
    assert again.stderr.splitlines()[-1] == f"0 encoded, {count} unchanged, 0 failed"
    assert mtimes(tmp_path / "e") == before
    # A touch that changes no byte changes nothing: the manifest compares contents, not times.
    some = next(corpus.rglob("*.txt"))
    os.utime(some, (time.time() + 60, time.time() + 60))
    assert written(run("build", "--sources", corpus, "--editions", tmp_path / "e")) == []


def test_a_changed_source_rebuilds_that_edition_only(corpus: Path, tmp_path: Path):
    assert run("build", "--sources", corpus, "--editions", tmp_path / "e").exit_code == 0
    source = corpus / "styles" / "fomc_meeting.txt"
    source.write_text(source.read_text("utf-8") + "\nMR. POWELL. One more remark.\n", "utf-8")
    before = mtimes(tmp_path / "e")
    result = run("build", "--sources", corpus, "--editions", tmp_path / "e")
    assert result.exit_code == 0
    assert written(result) == [str(source)]
    after = mtimes(tmp_path / "e")
    assert [name for name in after if after[name] != before[name]] == ["fomc_meeting.xml"]
    assert b"One more remark." in (tmp_path / "e" / "fomc_meeting.xml").read_bytes()


@pytest.mark.skipif(not DEVCORPUS.is_dir(), reason="../shared/devcorpus is absent")
def test_a_changed_metadata_file_rebuilds_that_edition_only(corpus: Path, tmp_path: Path):
    assert run("build", "--sources", corpus, "--editions", tmp_path / "e").exit_code == 0
    meta = corpus / "devcorpus" / "nlprocessing" / "brezhnev_zhivkov_meeting.meta.toml"
    meta.chmod(0o644)
    meta.write_text('participants = ["L.I. Brezhnev", "T. Zhivkov", "A.A. Gromyko"]\n', "utf-8")
    result = run("build", "--sources", corpus, "--editions", tmp_path / "e")
    assert result.exit_code == 0
    assert written(result) == [str(corpus / "devcorpus" / "nlprocessing" / "brezhnev_zhivkov_meeting.txt")]
    assert b"Gromyko" in (tmp_path / "e" / "brezhnev_zhivkov_meeting.xml").read_bytes()


def test_a_changed_catalogue_row_rebuilds_that_edition_only(tmp_path: Path):
    """The row of catalogue.csv is part of what an edition is made from; other rows are not."""
    (tmp_path / "src").mkdir()
    for name in ("commons_debate.txt", "trial_examination.txt"):
        shutil.copy(STYLES / name, tmp_path / "src" / name)
    catalogue = tmp_path / "src" / "catalogue.csv"
    catalogue.write_text("file,archive\ntrial_examination.txt,National Archives\n", "utf-8")
    assert run("build", "--sources", tmp_path / "src", "--editions", tmp_path / "e").exit_code == 0
    catalogue.write_text("file,archive\ntrial_examination.txt,National Archives and Records Administration\n", "utf-8")
    result = run("build", "--sources", tmp_path / "src", "--editions", tmp_path / "e")
    assert written(result) == [str(tmp_path / "src" / "trial_examination.txt")]
    assert b"National Archives and Records Administration" in (tmp_path / "e" / "trial_examination.xml").read_bytes()


def test_a_changed_profile_rebuilds_what_it_made(tmp_path: Path):
    """With --profile FILE, editing the file rebuilds every edition; an unchanged one rebuilds none."""
    (tmp_path / "src").mkdir()
    for name in ("commons_debate.txt", "trial_examination.txt", "fomc_meeting.txt"):
        shutil.copy(STYLES / name, tmp_path / "src" / name)
    profile = tmp_path / "house.toml"
    profile.write_text('name = "house"\nbase = "plain"\ndescription = "Our house style"\n', "utf-8")
    assert run("build", "--sources", tmp_path / "src", "--editions", tmp_path / "e", "-p", profile).exit_code == 0
    assert written(run("build", "--sources", tmp_path / "src", "--editions", tmp_path / "e", "-p", profile)) == []
    profile.write_text('name = "house"\nbase = "plain"\ndescription = "Our house style, revised"\n', "utf-8")
    result = run("build", "--sources", tmp_path / "src", "--editions", tmp_path / "e", "-p", profile)
    assert result.exit_code == 0 and len(written(result)) == 3
    # Another profile altogether (the built-in one) is another input too.
    assert len(written(run("build", "--sources", tmp_path / "src", "--editions", tmp_path / "e", "-p", "plain"))) == 3


def test_a_detected_profile_counts_its_own_file_and_the_detection():
    """Editions detected as nsarchive do not depend on wilson-center's rules; an inferred profile is plain's."""
    assert profile_digest(None, "nsarchive") != profile_digest(None, "wilson-center")
    assert profile_digest(None, "plain+inferred") == profile_digest(None, "plain")
    assert profile_digest("nsarchive", "nsarchive") != profile_digest(None, "nsarchive")  # detection counts only when detecting


def test_force_rebuilds_everything(corpus: Path, tmp_path: Path):
    first = run("build", "--sources", corpus, "--editions", tmp_path / "e")
    forced = run("build", "--sources", corpus, "--editions", tmp_path / "e", "--force")
    assert forced.exit_code == 0 and written(forced) == written(first) != []


def test_a_deleted_source_is_reported_until_its_edition_goes(corpus: Path, tmp_path: Path):
    assert run("build", "--sources", corpus, "--editions", tmp_path / "e").exit_code == 0
    gone = corpus / "styles" / "garrow_old_bailey.txt"
    gone.unlink()
    result = run("build", "--sources", corpus, "--editions", tmp_path / "e")
    assert result.exit_code == 0  # a notice, not a failure
    notices = [m for m in map(DIAGNOSTIC_LINE.match, result.stderr.splitlines()) if m and m["code"] == "TE911"]
    assert [(m["file"], m["severity"]) for m in notices] == [(str(gone), "warning")]
    assert str(tmp_path / "e" / "garrow_old_bailey.xml") in notices[0]["message"]
    assert (tmp_path / "e" / "garrow_old_bailey.xml").is_file()  # an editor's to remove, not ours
    (tmp_path / "e" / "garrow_old_bailey.xml").unlink()
    assert "TE911" not in run("build", "--sources", corpus, "--editions", tmp_path / "e").stderr


def test_a_failed_document_is_tried_again(tmp_path: Path):
    """Only good editions are recorded: a failing source fails on every build, with its exit code."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.txt").write_bytes(b"")
    shutil.copy(STYLES / "commons_debate.txt", tmp_path / "src")
    for _ in range(2):
        result = run("build", "--sources", tmp_path / "src", "--editions", tmp_path / "e")
        assert result.exit_code == 2 and "TE101" in result.stderr


# ---- Dask ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  dashboard_address=None) as local:
        yield local


def test_dask_gives_the_bytes_of_a_serial_run(cluster, corpus: Path, tmp_path: Path):
    """The library on a Dask client, and the command line on the scheduler's address, write the serial bytes."""
    from distributed import Client

    shutil.copytree(SCHEMA, tmp_path / "schema")
    assert run("build", "--sources", corpus, "--editions", tmp_path / "serial").exit_code == 0
    lines: list[str] = []
    with Client(cluster) as client:
        policy = Policy(out=tmp_path / "lib", hrefs=("../schema/tei_encoder.rng", "../schema/tei_encoder.sch"), validate=True)
        summary = run_batch([corpus], policy, scheduler=client, say=lines.append)
    assert summary.code == 0 and summary.validated == summary.done > 30
    result = run("build", "--sources", corpus, "--editions", tmp_path / "cli", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.stderr
    serial = files(tmp_path / "serial")
    assert files(tmp_path / "cli") == serial
    assert files(tmp_path / "lib") == {k: v for k, v in serial.items() if k != MANIFEST_NAME}


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"RECORD OF CONVERSATION\n\nThe talk began at noon.\n")
    pytest.importorskip("distributed")
    result = run("convert", tmp_path / "a.txt", "--out", tmp_path / "o", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2
    assert DIAGNOSTIC_LINE.match(result.stderr.splitlines()[0])["code"] == "TE110"  # type: ignore[index]
    assert run("convert", tmp_path / "a.txt", "--out", tmp_path / "o", "--scheduler", "nowhere").exit_code == 2


# ---- progress -----------------------------------------------------------------------------

_CONTROL = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b\][^\x07]*\x07|\r|\n|[^\x1b\r\n]+")


def screen_lines(raw: str) -> list[str]:
    """The lines a terminal shows at the end: a small emulator of what rich sends (CR, LF, erase line, cursor up)."""
    rows: list[list[str]] = [[]]
    row = col = 0
    for match in _CONTROL.finditer(raw):
        token = match.group()
        if token == "\n":
            row += 1
            col = 0  # the pseudo-terminal turns LF into CR LF
            if row == len(rows):
                rows.append([])
        elif token == "\r":
            col = 0
        elif match.group(2) == "K":  # erase the line
            rows[row] = []
        elif match.group(2) == "A":  # cursor up
            row = max(0, row - int(match.group(1) or 1))
        elif match.group(2) or token.startswith("\x1b"):
            continue  # colours, cursor shown or hidden
        else:
            line = rows[row]
            line[col:col + len(token)] = list(token)
            col += len(token)
    return [text for text in ("".join(r).rstrip() for r in rows) if text]


def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the command with standard error on a pseudo-terminal, as a user at a terminal would."""
    main_fd, worker_fd = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tei_encoder", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=worker_fd, env=dict(os.environ, COLUMNS="100", TERM="xterm"))
    os.close(worker_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_keeps_every_line_whole(corpus: Path, tmp_path: Path):
    """On a terminal a bar is drawn; every line a batch prints is still there, whole and in order."""
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    plain = run("convert", corpus, "--out", tmp_path / "a", "-j", "2")
    assert plain.exit_code == 2
    assert "\x1b" not in plain.stderr and "━" not in plain.stderr  # not a terminal: no bar
    code, raw = run_on_terminal(["convert", str(corpus), "--out", str(tmp_path / "b"), "-j", "2"], tmp_path)
    assert code == 2
    assert "\x1b[" in raw and "━" in raw  # the bar was drawn
    expected = [line.replace(str(tmp_path / "a"), str(tmp_path / "b")) for line in plain.stderr.splitlines()]
    assert screen_lines(raw) == expected
    assert any(DIAGNOSTIC_LINE.match(line) for line in expected)
    # --no-progress on a terminal: plain lines, no escape at all.
    code, raw = run_on_terminal(["convert", str(corpus), "--out", str(tmp_path / "c"), "--no-progress"], tmp_path)
    assert code == 2 and "\x1b" not in raw and "━" not in raw


# ---- start-up and chunks -------------------------------------------------------------------


def test_a_small_batch_is_encoded_here_whatever_the_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Below SERIAL_BELOW bytes no worker is started (it would cost more than it saves); above it, one is."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A short memorandum about the meeting of the council.\n", "utf-8")
    started: list[int] = []

    class Refused(batch.Serial):
        def __init__(self, jobs: int, policy: Policy | None = None):
            started.append(jobs)

    monkeypatch.setattr(batch, "Processes", Refused)
    monkeypatch.setattr(batch, "SERIAL_BELOW", 1_000_000)
    summary = run_batch([tmp_path / "in"], Policy(out=tmp_path / "out"), jobs=2, say=lambda line: None)
    assert summary.done == 1 and started == []
    monkeypatch.setattr(batch, "SERIAL_BELOW", 10)  # the one document is more than this: workers are worth it
    summary = run_batch([tmp_path / "in"], Policy(out=tmp_path / "out2"), jobs=2, say=lambda line: None)
    assert summary.done == 1 and started == [2]


def test_chunks_are_bounded_by_bytes_and_by_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Documents are grouped in order, up to CHUNK_BYTES of source or CHUNK_DOCS documents; unchunked, one each."""
    monkeypatch.setattr(batch, "CHUNK_BYTES", 100)
    monkeypatch.setattr(batch, "CHUNK_DOCS", 3)
    items = []
    for i, size in enumerate([10, 10, 10, 10, 120, 10, 60, 60, 5]):
        path = tmp_path / f"d{i}.txt"
        path.write_bytes(b"x" * size)
        items.append((str(path), f"e{i}"))
    grouped = [[int(target[1:]) for _, target in chunk] for chunk in batch.chunks(items, chunked=True)]
    assert grouped == [[0, 1, 2], [3, 4], [5, 6, 7], [8]]
    assert [len(c) for c in batch.chunks(items, chunked=False)] == [1] * len(items)
    assert [item for chunk in batch.chunks(items, chunked=True) for item in chunk] == items
