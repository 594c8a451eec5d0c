"""Conversion benchmark: throughput, pandoc comparison, peak memory and linearity of encode_bytes."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
MB = 1_000_000  # decimal megabytes: throughput figures are bytes of transcript per second / 1e6

DEFAULT_SIZES = (1.0, 5.0, 20.0, 50.0)
QUICK_SIZES = (0.2, 1.0)

TARGET_MBPS = 10.0  # MB/s on one core
TARGET_PANDOC = 15.0  # times faster than pandoc
TARGET_LINEAR = 1.5  # per-MB time of the largest input / per-MB time of the smallest
TARGET_MEMORY = 30.0  # peak RSS / input size, on the largest input

CHILD_FLAG = "--child"  # internal: run one measurement in a fresh interpreter
CHILD_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Style:
    """How to grow a source of one house style into a longer transcript of the same style."""

    profile: str
    # The first line of the part that is repeated: everything above it (heading, list of
    # those present, front matter, opener) is printed once, as in a real transcript.
    body_start: re.Pattern[str]
    # Blank lines put between two copies of the body. The NSA house style marks a page
    # boundary with a run of blank lines, so copies are separated by a page break.
    gap: int
    # Numbered sections must go up or the section rule reads them as a list in the text.
    renumber: bool


STYLES: dict[str, Style] = {
    "nsarchive-": Style(
        "nsarchive",
        re.compile(r"^(?:[A-Z]\.\s?)*[A-Z]{2,}(?: [A-Z]{2,})*(?:\.| [a-z])"),  # first speaker turn
        3,
        False,
    ),
    "wilson-": Style("wilson-center", re.compile(r"^1\.\s+\S"), 1, True),  # first numbered section
}

_SECTION_NUMBER = re.compile(r"^(\d{1,3})\.(?=\s)", re.MULTILINE)


@dataclass
class Parts:
    """A source cut into what is printed once and what may be repeated."""

    head: str
    body: str
    tail: str
    sections: int  # highest section number in the body (0 when there are none)


@dataclass
class Input:
    """One transcript to convert, on disk so both converters read the same bytes."""

    label: str
    profile: str
    path: Path
    size: int
    synthetic: bool
    detected: str = ""


@dataclass
class Measure:
    """What was measured for one input."""

    item: Input
    runs: int = 0
    best: float | None = None
    peak_kb: int = 0
    base_kb: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    pandoc_runs: int = 0
    pandoc_best: float | None = None
    pandoc_note: str = ""

    @property
    def mbps(self) -> float | None:
        return self.item.size / MB / self.best if self.best else None

    @property
    def s_per_mb(self) -> float | None:
        return self.best / (self.item.size / MB) if self.best else None

    @property
    def memory_ratio(self) -> float | None:
        return self.peak_kb * 1024 / self.item.size if self.peak_kb else None


def split_source(text: str, style: Style) -> Parts | None:
    """Cut a source into head, repeatable body and the closing chunk; None if it has no body."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if style.body_start.match(line)), None)
    if start is None:
        return None
    # The last chunk (the "[Source: …" note, or the signature block) closes the document and
    # must stay last: the closer and source-note rules only fire at the end.
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    while end > start and lines[end - 1].strip():
        end -= 1
    body_lines = lines[start:end]
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    if not body_lines:
        return None
    body = "\n".join(body_lines)
    numbers = [int(n) for n in _SECTION_NUMBER.findall(body)]
    return Parts("\n".join(lines[:start]), body, "\n".join(lines[end:]), max(numbers, default=0))


def synthesise(parts: Parts, style: Style, target: int) -> str:
    """A transcript of about `target` bytes: head once, the body repeated, the closing chunk once."""
    sep = "\n" * (style.gap + 1)
    per_copy = len((parts.body + sep).encode("utf-8"))
    fixed = len((parts.head + "\n" + sep + parts.tail).encode("utf-8"))
    copies = max(1, round((target - fixed) / per_copy))
    if style.renumber and parts.sections:
        # Carry the numbering on from copy to copy. Past 999 the section rule no longer sees a
        # section number, so later numbered paragraphs become plain paragraphs, as they would
        # in a real transcript that long.
        step = parts.sections
        bodies = [
            _SECTION_NUMBER.sub(lambda m, k=k: f"{int(m.group(1)) + k * step}.", parts.body) for k in range(copies)
        ]
    else:
        bodies = [parts.body] * copies
    return parts.head + "\n" + sep.join(bodies) + sep + parts.tail


# Translator insertions, omissions and notes of the kinds the NSA translations carry.
_INSERTIONS = ("[the]", "[Soviet]", "[illegible]", "[sic]", "[of the]", "[Cuban]", "[words missing]", "[?]")


def bracket_dense(text: str, every: int = 2) -> str:
    """The transcript with a bracketed insertion after every `every`-th word of its prose lines:
    about one bracket per 20 bytes, the worst case for the inline rules."""
    rng = random.Random(7)
    out = []
    for line in text.split("\n"):
        words = line.split(" ")
        if len(line) < 40:  # headings, labels, page numbers: left as they are
            out.append(line)
            continue
        out.append(" ".join(w + (" " + rng.choice(_INSERTIONS) if i % every == every - 1 else "") for i, w in enumerate(words)))
    return "\n".join(out)


def style_for(path: Path) -> Style | None:
    return next((s for prefix, s in STYLES.items() if path.name.startswith(prefix)), None)


def detected_profile(text: str) -> str:
    """The profile auto-detection would pick: the synthetic text must still look like its source."""
    from tei_encoder.profiles import detect_profile

    return detect_profile(text)[0].name


def build_inputs(sizes: list[float], workdir: Path) -> tuple[list[Input], list[str]]:
    """The real sources plus, for each house style, synthetic transcripts of the sizes asked."""
    inputs: list[Input] = []
    notes: list[str] = []
    for path in sorted(SOURCES.glob("*.txt")):
        style = style_for(path)
        text = path.read_text("utf-8")
        profile = style.profile if style else detected_profile(text)
        inputs.append(Input(f"{path.name.split('-')[0]} source", profile, path, path.stat().st_size, False, detected_profile(text)))
        parts = split_source(text, style) if style else None
        if parts is None:
            notes.append(f"{path.name}: no known house style to grow it from; measured as is only")
            continue
        for size in sizes:
            synthetic = synthesise(parts, style, int(size * MB))
            data = synthetic.encode("utf-8")
            out = workdir / f"{style.profile}-{size:g}MB.txt"
            out.write_bytes(data)
            inputs.append(Input(f"{style.profile} ~{size:g} MB", style.profile, out, len(data), True, detected_profile(synthetic)))
            if style.profile == "nsarchive":
                dense = bracket_dense(synthesise(parts, style, int(size * MB * 0.6)))
                out = workdir / f"{style.profile}-dense-{size:g}MB.txt"
                out.write_bytes(dense.encode("utf-8"))
                inputs.append(Input(f"bracket-dense ~{size:g} MB", style.profile, out, out.stat().st_size, True,
                                    detected_profile(dense)))
    return inputs, notes


def runs_for(size: int) -> int:
    """Best of several runs where a run is short enough for noise to matter; one run otherwise."""
    if size < 0.5 * MB:
        return 7
    if size < 2 * MB:
        return 3
    return 1


def measurement_cpu() -> int | None:
    """One CPU every measurement is pinned to, so both converters get the same single core."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    return max(os.sched_getaffinity(0))


def pin(cpu: int | None) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


# ---- the child: one measurement in a fresh interpreter ------------------------------------


def peak_rss_kb() -> int:
    """Peak resident set size of this process, in KiB."""
    # On Linux, ru_maxrss is not enough: exec keeps the high-water mark of the image it
    # replaces, which is the parent's, so a parent that once held a big corpus would inflate
    # every child's figure. VmHWM belongs to the current address space only.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


def child_main(argv: list[str]) -> int:
    """Convert one file `runs` times; print best time, peak RSS and element counts as JSON."""
    parser = argparse.ArgumentParser(prog=f"convert.py {CHILD_FLAG}")
    parser.add_argument("path", type=Path)
    parser.add_argument("profile")
    parser.add_argument("runs", type=int)
    parser.add_argument("--warm", type=Path)
    parser.add_argument("--cpu", type=int)
    args = parser.parse_args(argv)
    pin(args.cpu)
    from tei_encoder.api import encode_bytes

    if args.warm:
        # Load the profile, compile patterns and import lazily loaded modules first, so a
        # single timed run of a big input measures conversion, not start-up.
        encode_bytes(args.warm.read_bytes(), args.warm.name, args.profile)
    base_kb = peak_rss_kb()
    data = args.path.read_bytes()
    times: list[float] = []
    counts: dict[str, int] = {}
    for _ in range(args.runs):
        start = time.perf_counter()
        result = encode_bytes(data, args.path.name, args.profile)
        times.append(time.perf_counter() - start)
        counts = result.counts
        # Drop the edition before the next run, or two editions would count in the peak.
        del result
    peak_kb = peak_rss_kb()
    print(json.dumps({"times": times, "peak_kb": peak_kb, "base_kb": base_kb, "counts": counts}))
    return 0


def measure_encoder(m: Measure, warm: Path | None, cpu: int | None) -> None:
    """Run the child for one input: a fresh process per input keeps peaks apart."""
    m.runs = runs_for(m.item.size)
    cmd = [sys.executable, str(Path(__file__).resolve()), CHILD_FLAG, str(m.item.path), m.item.profile, str(m.runs)]
    if warm is not None:
        cmd += ["--warm", str(warm)]
    if cpu is not None:
        cmd += ["--cpu", str(cpu)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        m.error = f"timed out after {CHILD_TIMEOUT:.0f} s"
        return
    if proc.returncode != 0 or not proc.stdout.strip():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        m.error = f"conversion failed: {last}"
        return
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    m.best = min(report["times"])
    m.peak_kb = report["peak_kb"]
    m.base_kb = report["base_kb"]
    m.counts = report["counts"]


# ---- pandoc --------------------------------------------------------------------------------


def pandoc_once(pandoc: str, path: Path, cpu: int | None, timeout: float) -> float:
    """Wall time of one pandoc run reading the file and writing TEI to /dev/null."""
    cmd = [pandoc, "-f", "commonmark", "-t", "tei", str(path), "-o", os.devnull]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   preexec_fn=(lambda: pin(cpu)) if cpu is not None else None)
    return time.perf_counter() - start


def pandoc_version(pandoc: str) -> str:
    try:
        out = subprocess.run([pandoc, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown version"
    return out.splitlines()[0] if out else "unknown version"


# ---- report --------------------------------------------------------------------------------


def fmt(value: float | None, spec: str, missing: str = "-") -> str:
    return missing if value is None else format(value, spec)


def verdict(ok: bool | None) -> str:
    return "SKIP" if ok is None else ("PASS" if ok else "MISS")


def ratio(m: Measure) -> float | None:
    """tei-encoder throughput over pandoc throughput (pandoc time over tei-encoder time)."""
    if m.best is None or m.pandoc_best is None:
        return None
    return m.pandoc_best / m.best


def print_table(measures: list[Measure], with_pandoc: bool) -> None:
    head = f"{'input':<28} {'profile':<13} {'MB':>6} {'runs':>4} {'time s':>8} {'MB/s':>6} {'s/MB':>6} {'peak MB':>8} {'peak/in':>8}"
    if with_pandoc:
        head += f" {'pandoc s':>9} {'MB/s':>6} {'ratio':>7}"
    print(head)
    print("-" * len(head))
    for m in measures:
        row = (
            f"{m.item.label:<28} {m.item.profile:<13} {m.item.size / MB:>6.2f} {m.runs:>4} {fmt(m.best, '8.3f', 'error'):>8}"
            f" {fmt(m.mbps, '6.2f'):>6} {fmt(m.s_per_mb, '6.3f'):>6} {fmt(m.peak_kb / 1024 if m.peak_kb else None, '8.1f'):>8}"
            f" {fmt(m.memory_ratio, '7.1f'):>7}x"
        )
        if with_pandoc:
            r = ratio(m)
            pandoc_mbps = m.item.size / MB / m.pandoc_best if m.pandoc_best else None
            row += (
                f" {fmt(m.pandoc_best, '9.3f', m.pandoc_note or '-'):>9} {fmt(pandoc_mbps, '6.2f'):>6}"
                f" {fmt(r, '6.1f'):>6}{'x' if r is not None else ' '}"
            )
        print(row)
        if m.error:
            print(f"    ! {m.error}")


def by_profile(measures: list[Measure]) -> dict[str, list[Measure]]:
    groups: dict[str, list[Measure]] = {}
    for m in measures:
        if m.item.synthetic and m.best is not None:
            # One series per kind of input (a house style, or its bracket-dense variant), in size order.
            groups.setdefault(m.item.label.split(" ~")[0], []).append(m)
    for group in groups.values():
        group.sort(key=lambda m: m.item.size)
    return groups


def report(measures: list[Measure], with_pandoc: bool, pandoc_note: str) -> None:
    print()
    print_table(measures, with_pandoc)
    groups = by_profile(measures)

    print("\nLinearity (seconds per MB, smallest to largest synthetic input):")
    worst_linear: float | None = None
    for profile, group in groups.items():
        steps = ", ".join(f"{m.item.size / MB:.1f} MB {m.s_per_mb:.3f}" for m in group)
        if len(group) >= 2:
            lin = group[-1].s_per_mb / group[0].s_per_mb
            worst_linear = lin if worst_linear is None else max(worst_linear, lin)
            print(f"  {profile:<13} {steps}  -> largest/smallest {lin:.2f}x")
        else:
            print(f"  {profile:<13} {steps}  -> one size only, no ratio")

    print("\nStructure of the editions (elements per MB of input: the synthetic corpus keeps the shape):")
    for m in measures:
        if m.counts:
            per = {k: m.counts.get(k, 0) / (m.item.size / MB) for k in ("sp", "p", "pb", "div", "persName", "date")}
            cells = " ".join(f"{k} {v:7.0f}" for k, v in per.items())
            print(f"  {m.item.label:<28} {cells}  detected profile: {m.item.detected}")

    synth = [m for m in measures if m.item.synthetic and m.best is not None]
    slowest = min(synth, key=lambda m: m.mbps) if synth else None
    ratios = [(ratio(m), m) for m in synth if ratio(m) is not None]
    worst_ratio = min(ratios, key=lambda t: t[0]) if ratios else None
    largest = [group[-1] for group in groups.values()]
    worst_memory = max(largest, key=lambda m: m.memory_ratio) if largest else None

    print("\nTargets (synthetic corpus; the real sources are shown above for reference):")
    if slowest:
        print(f"  {verdict(slowest.mbps >= TARGET_MBPS)}  throughput >= {TARGET_MBPS:g} MB/s on one core:"
              f" slowest {slowest.mbps:.2f} MB/s ({slowest.item.label})")
    else:
        print(f"  SKIP  throughput >= {TARGET_MBPS:g} MB/s: nothing measured")
    if worst_ratio:
        r, m = worst_ratio
        print(f"  {verdict(r >= TARGET_PANDOC)}  >= {TARGET_PANDOC:g}x pandoc: lowest {r:.1f}x ({m.item.label};"
              f" {len(ratios)} sizes both ran)")
    else:
        print(f"  SKIP  >= {TARGET_PANDOC:g}x pandoc: {pandoc_note or 'no size where both ran'}")
    if worst_linear is not None:
        print(f"  {verdict(worst_linear <= TARGET_LINEAR)}  linear time (largest per-MB time within {TARGET_LINEAR:g}x"
              f" of smallest): worst {worst_linear:.2f}x")
    else:
        print("  SKIP  linear time: needs two sizes or more")
    if worst_memory:
        print(f"  {verdict(worst_memory.memory_ratio <= TARGET_MEMORY)}  peak memory <= {TARGET_MEMORY:g}x the largest input:"
              f" {worst_memory.memory_ratio:.1f}x ({worst_memory.item.label}, peak {worst_memory.peak_kb / 1024:.0f} MB;"
              f" {(worst_memory.peak_kb - worst_memory.base_kb) * 1024 / worst_memory.item.size:.1f}x without the"
              f" {worst_memory.base_kb / 1024:.0f} MB the interpreter held before reading the input)")
    else:
        print("  SKIP  peak memory: nothing measured")


# ---- main ----------------------------------------------------------------------------------


def positive(text: str) -> float:
    """A number above zero, for argparse."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0: {text!r}")
    return value


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/convert.py",
        description="Benchmark encode_bytes on the sources and on synthetic transcripts grown from them.",
    )
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--sizes", type=positive, nargs="+", metavar="MB",
                       help=f"synthetic input sizes in MB (default: {' '.join(f'{s:g}' for s in DEFAULT_SIZES)})")
    sizes.add_argument("--quick", action="store_true",
                       help=f"small sizes only ({' '.join(f'{s:g}' for s in QUICK_SIZES)} MB), for a smoke run")
    parser.add_argument("--no-pandoc", action="store_true", help="do not run pandoc")
    parser.add_argument("--pandoc-max-mb", type=positive, metavar="MB",
                        help="run pandoc only on inputs up to this size (default: all)")
    parser.add_argument("--pandoc-timeout", type=positive, default=600.0, metavar="S",
                        help="give up on a pandoc run after this many seconds, and on larger inputs (default: 600)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == [CHILD_FLAG]:
        return child_main(argv[1:])
    args = parse_args(argv)
    sizes = sorted(set(QUICK_SIZES if args.quick else (args.sizes or DEFAULT_SIZES)))
    cpu = measurement_cpu()

    import lxml

    print(f"tei-encoder conversion benchmark: Python {platform.python_version()}, lxml {lxml.__version__},"
          f" {'pinned to CPU ' + str(cpu) if cpu is not None else 'not pinned'}; MB = 10^6 bytes")

    pandoc = None if args.no_pandoc else shutil.which("pandoc")
    pandoc_note = ""
    if args.no_pandoc:
        pandoc_note = "pandoc not run (--no-pandoc)"
        print(pandoc_note)
    elif pandoc is None:
        pandoc_note = "pandoc not found on PATH: pandoc comparison skipped"
        print(pandoc_note)

    with tempfile.TemporaryDirectory(prefix="tei-bench-") as tmp:
        workdir = Path(tmp)
        inputs, notes = build_inputs(sizes, workdir)
        for note in notes:
            print(note)
        warm = {m.profile: m.path for m in inputs if not m.synthetic}

        startup = 0.0
        if pandoc:
            # Pandoc's process start is part of every pandoc run but not of an encode_bytes call,
            # which runs in an interpreter already started: take it off pandoc's times.
            empty = workdir / "empty.txt"
            empty.write_text("")
            startup = min(pandoc_once(pandoc, empty, cpu, args.pandoc_timeout) for _ in range(5))
            print(f"pandoc: {pandoc_version(pandoc)}; `pandoc -f commonmark -t tei FILE -o /dev/null`,"
                  f" process start {startup * 1000:.0f} ms subtracted from its times")
            if args.pandoc_max_mb:
                print(f"pandoc capped to inputs up to {args.pandoc_max_mb:g} MB (--pandoc-max-mb);"
                      " ratios are on the sizes both ran")

        measures: list[Measure] = []
        pandoc_gave_up: dict[str, float] = {}  # profile -> size at which pandoc timed out
        for item in inputs:
            m = Measure(item)
            print(f"  converting {item.label} ({item.size / MB:.2f} MB) ...", file=sys.stderr, flush=True)
            measure_encoder(m, warm.get(item.profile), cpu)
            if pandoc:
                too_big = args.pandoc_max_mb is not None and item.size > args.pandoc_max_mb * MB
                gave_up = item.profile in pandoc_gave_up and item.size >= pandoc_gave_up[item.profile]
                if too_big:
                    m.pandoc_note = "capped"
                elif gave_up:
                    m.pandoc_note = "skipped"
                else:
                    print(f"  pandoc on {item.label} ...", file=sys.stderr, flush=True)
                    m.pandoc_runs = runs_for(item.size)
                    try:
                        times = [pandoc_once(pandoc, item.path, cpu, args.pandoc_timeout) for _ in range(m.pandoc_runs)]
                        m.pandoc_best = max(min(times) - startup, 1e-6)
                    except subprocess.TimeoutExpired:
                        m.pandoc_note = "timeout"
                        pandoc_gave_up[item.profile] = item.size
                        print(f"pandoc gave up on {item.label} after {args.pandoc_timeout:g} s;"
                              " larger inputs of this profile skipped")
                    except (OSError, subprocess.CalledProcessError) as exc:
                        m.pandoc_note = "failed"
                        print(f"pandoc failed on {item.label}: {exc}")
            measures.append(m)

    report(measures, pandoc is not None, pandoc_note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
