"""Corpus benchmark: `tei-encoder build` (with validation) on N synthetic documents at 1 and 2 jobs, against pandoc."""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import STYLES, split_source, synthesise  # noqa: E402  (the single-file benchmark's growers)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MB = 1_000_000

TARGET_MBPS = 10.0  # MB/s per core, end to end
TARGET_PANDOC = 15.0  # times faster than pandoc
TARGET_SPEEDUP = 1.8  # 2 jobs over 1 on 2 cores: near-linear
TARGET_MEMORY = 30.0  # peak memory / largest input

DEFAULT_N, QUICK_N = 10_000, 500
SEED = 12  # the same corpus on every run


@dataclass
class Template:
    """A real transcript the corpus is made from, in its house style."""

    path: Path
    text: str
    meta: bytes | None


def templates() -> list[Template]:
    """Every transcript of the devcorpus, the house-style samples and the project's sources."""
    found: list[Template] = []
    folders = [SHARED / "devcorpus", ROOT / "tests" / "styles", ROOT / "sources"]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".txt", ".md") and path.name != "README.md":
                meta = path.with_name(path.stem + ".meta.toml")
                found.append(Template(path, path.read_text("utf-8"), meta.read_bytes() if meta.is_file() else None))
    return found


def make_corpus(n: int, folder: Path) -> tuple[int, int]:
    """N documents: real transcripts as they are (small ones), and the two long house styles grown to
    sizes drawn from a log-normal distribution (median 20 kB, a long tail to 1 MB), as a real archive's are."""
    rng = random.Random(SEED)
    pool = templates()
    growable = [(t, STYLES[p], split_source(t.text, STYLES[p])) for t in pool
                for p in STYLES if t.path.name.startswith(p)]
    growable = [(t, s, parts) for t, s, parts in growable if parts is not None]
    total = largest = 0
    for i in range(n):
        if growable and rng.random() < 0.3:
            template, style, parts = rng.choice(growable)
            size = int(min(1 * MB, max(8_000, rng.lognormvariate(math.log(20_000), 1.0))))
            text = synthesise(parts, style, size)
        else:
            template = rng.choice(pool)
            text = template.text
        name = f"d{i:05d}-{template.path.stem}"
        data = text.encode("utf-8")
        sub = folder / f"{i // 1000:02d}"  # a thousand to a folder, as a real corpus is split
        sub.mkdir(parents=True, exist_ok=True)
        (sub / (name + template.path.suffix)).write_bytes(data)
        if template.meta is not None:
            (sub / (name + ".meta.toml")).write_bytes(template.meta)
        total += len(data)
        largest = max(largest, len(data))
    return total, largest


class TreeMemory:
    """Peak resident memory of a process and its descendants, sampled: the sum, and the largest one."""

    def __init__(self, pid: int):
        import psutil

        self.root = psutil.Process(pid)
        self.peak_sum = self.peak_one = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                rss = []
                for proc in procs:
                    try:
                        rss.append(proc.memory_info().rss)
                    except psutil.Error:
                        pass
                if rss:
                    self.peak_sum = max(self.peak_sum, sum(rss))
                    self.peak_one = max(self.peak_one, max(rss))
            except psutil.Error:
                pass
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Run:
    jobs: int
    seconds: float
    code: int
    peak_sum: int
    peak_one: int
    last_line: str


def build(project: Path, jobs: int, editions: str) -> Run:
    """One `tei-encoder build --force` from scratch, timed, with its memory watched."""
    cmd = [sys.executable, "-m", "tei_encoder", "build", "--sources", "sources", "--editions", editions,
           "--jobs", str(jobs), "--force", "--no-progress"]
    start = time.perf_counter()
    with open(project / f"build-{jobs}.log", "wb") as log:
        proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.DEVNULL, stderr=log)
        memory = TreeMemory(proc.pid)
        code = proc.wait()
        memory.stop()
    seconds = time.perf_counter() - start
    lines = (project / f"build-{jobs}.log").read_text("utf-8", "replace").splitlines()
    return Run(jobs, seconds, code, memory.peak_sum, memory.peak_one, lines[-1] if lines else "")


def find_pandoc(install: bool) -> tuple[str | None, str]:
    """pandoc on PATH, else Debian's installed with apt-get when we may; else why not."""
    found = shutil.which("pandoc")
    if found or not install:
        return found, "" if found else "pandoc not found and --no-install given"
    apt = shutil.which("apt-get")
    if apt is None:
        return None, "pandoc not found, and no apt-get to install it with"
    try:
        subprocess.run([apt, "install", "-y", "-q", "pandoc"], check=True, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"pandoc not found and could not be installed from Debian ({type(exc).__name__})"
    found = shutil.which("pandoc")
    return found, "" if found else "pandoc installed but not on PATH"


def pandoc_corpus(pandoc: str, sources: Path, out: Path) -> tuple[float, float]:
    """pandoc -t tei on every document, one process each as a build would run it; (wall time, process starts)."""
    out.mkdir()
    empty = out / "empty.txt"
    empty.write_text("")
    starts = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([pandoc, "-f", "commonmark", "-t", "tei", str(empty), "-o", os.devnull], check=True)
        starts.append(time.perf_counter() - t)
    files = sorted(p for p in sources.rglob("*") if p.suffix in (".txt", ".md"))
    start = time.perf_counter()
    for path in files:
        subprocess.run([pandoc, "-f", "commonmark", "-t", "tei", str(path), "-o", str(out / (path.stem + ".xml"))],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, min(starts) * len(files)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/corpus.py", description=__doc__)
    parser.add_argument("-n", type=int, default=None, help=f"documents (default {DEFAULT_N})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_N} documents, for a smoke run")
    parser.add_argument("--no-pandoc", action="store_true", help="do not run pandoc")
    parser.add_argument("--no-install", action="store_true", help="do not install Debian's pandoc when it is missing")
    parser.add_argument("--keep", type=Path, default=None, help="build the corpus in this folder and keep it")
    args = parser.parse_args(argv)
    n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="tei-corpus-") as tmp:
        project = args.keep or Path(tmp)
        project.mkdir(parents=True, exist_ok=True)
        shutil.copytree(ROOT / "schema", project / "schema", dirs_exist_ok=True)  # build validates with it
        sources = project / "sources"
        if sources.exists():
            shutil.rmtree(sources)
        total, largest = make_corpus(n, sources)
        print(f"corpus benchmark: {n} documents, {total / MB:.1f} MB, largest {largest / 1000:.0f} kB;"
              f" Python {platform.python_version()}, {cores} cores; MB = 10^6 bytes")
        runs = []
        for jobs in (1, 2):
            print(f"  build --jobs {jobs} ...", file=sys.stderr, flush=True)
            runs.append(build(project, jobs, f"editions-{jobs}"))
        same = _same_tree(project / "editions-1", project / "editions-2")

        pandoc_s = pandoc_start = None
        note = ""
        if args.no_pandoc:
            note = "pandoc not run (--no-pandoc)"
        else:
            pandoc, note = find_pandoc(not args.no_install)
            if pandoc:
                print("  pandoc ...", file=sys.stderr, flush=True)
                pandoc_s, pandoc_start = pandoc_corpus(pandoc, sources, project / "pandoc")
                version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
                note = f"{version}, `pandoc -f commonmark -t tei FILE -o OUT` per document"

    print(f"\n{'run':<14} {'time s':>8} {'docs/s':>8} {'MB/s':>6} {'MB/s/core':>9} {'peak MB (all)':>13}"
          f" {'peak MB (one)':>13}  exit, last line")
    for run in runs:
        mbps = total / MB / run.seconds
        print(f"{'build -j ' + str(run.jobs):<14} {run.seconds:8.1f} {n / run.seconds:8.0f} {mbps:6.2f} {mbps / run.jobs:9.2f}"
              f" {run.peak_sum / 2**20:13.0f} {run.peak_one / 2**20:13.0f}  {run.code}, {run.last_line}")
    if pandoc_s is not None and pandoc_start is not None:
        print(f"{'pandoc':<14} {pandoc_s:8.1f} {n / pandoc_s:8.0f} {total / MB / pandoc_s:6.2f}"
              f"  ({pandoc_start:.1f} s of it process starts)")
    print(f"\neditions at 1 and 2 jobs byte-identical: {'yes' if same else 'NO'}")
    one, two = runs
    mbps = total / MB / one.seconds
    print("\nTargets (end to end: encode, round trip, write, validate with RELAX NG and Schematron):")
    print(f"  {verdict(mbps >= TARGET_MBPS)}  >= {TARGET_MBPS:g} MB/s per core: {mbps:.2f} MB/s at 1 job,"
          f" {total / MB / two.seconds / 2:.2f} MB/s per job at 2")
    if pandoc_s is not None and pandoc_start is not None:
        ratio, net = pandoc_s / one.seconds, (pandoc_s - pandoc_start) / one.seconds
        print(f"  {verdict(ratio >= TARGET_PANDOC)}  >= {TARGET_PANDOC:g}x pandoc: {ratio:.2f}x"
              f" ({net:.2f}x against pandoc without its process starts)")
    else:
        print(f"  SKIP  >= {TARGET_PANDOC:g}x pandoc: {note}")
    speedup = one.seconds / two.seconds
    print(f"  {verdict(speedup >= TARGET_SPEEDUP)}  near-linear with jobs (>= {TARGET_SPEEDUP:g}x at 2 jobs): {speedup:.2f}x"
          f" on {cores} cores{' (the machine is shared: other loads count against it)' if cores <= 2 else ''}")
    worst = max(r.peak_one for r in runs)
    print(f"  {verdict(worst <= TARGET_MEMORY * largest)}  peak memory <= {TARGET_MEMORY:g}x the largest input:"
          f" largest process {worst / 2**20:.0f} MB = {worst / largest:.0f}x the {largest / 1000:.0f} kB input"
          f" (most of it the interpreter and its models; bench/convert.py measures it net of them);"
          f" all processes {max(r.peak_sum for r in runs) / 2**20:.0f} MB, flat in N (results are not kept)")
    print("  ----  no input below 1 MB/s: per-document speed is bench/convert.py's (bracket-dense inputs included)")
    return 0 if all(r.code in (0, 1) for r in runs) else 1


def _same_tree(a: Path, b: Path) -> bool:
    left = {p.relative_to(a): p for p in a.rglob("*") if p.is_file()}
    right = {p.relative_to(b): p for p in b.rglob("*") if p.is_file()}
    return left.keys() == right.keys() and all(left[k].read_bytes() == right[k].read_bytes() for k in left)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
