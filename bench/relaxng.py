"""RELAX NG validation benchmark: our validator against jing on a batch of generated editions.

Generates N editions (default 1,000) by encoding variants of the transcripts in sources/
(paragraphs dropped and words shuffled, so no two are the same), then times, end to end
(a fresh process, schema load included), the validation of the whole batch with one command:
    ours   python3 -c '... load_schema(...).validate_file(...) for each file'
    jing   jing SCHEMA FILE...
Both must find every edition valid. Also reports tei_all's load time (cold, and from the
on-disk cache) and documents per second once the schema is loaded.

    python3 bench/relaxng.py [--count N] [--schema PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tei_encoder.api import encode_bytes  # noqa: E402

SCHEMA = ROOT / "schema" / "tei_encoder.rng"
TEI_ALL = ROOT.parent / "shared" / "tei" / "reference" / "tei_all.rng"

_RUN_OURS = """
import sys, time
from pathlib import Path
from tei_encoder.validate.relaxng import load_schema
cache = Path(sys.argv[2]) if sys.argv[2] else None
schema = load_schema(Path(sys.argv[1]), cache_dir=cache)
bad = 0
for name in sys.stdin.read().split("\\n"):
    if name:
        found = schema.validate_file(Path(name))
        bad += bool(found)
        for d in found[:3]:
            print(d)
sys.exit(1 if bad else 0)
"""


def variants(count: int, seed: int = 1) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    sources = sorted((ROOT / "sources").glob("*.txt"))
    texts = [(s.stem, s.read_text("utf-8")) for s in sources]
    out: list[tuple[str, bytes]] = []
    for i in range(count):
        stem, text = texts[i % len(texts)]
        paragraphs = text.split("\n\n")
        cut = len(paragraphs) // 2  # the heading, citation and summary stay as they are
        head, body = paragraphs[:cut], paragraphs[cut:]
        kept = [p for p in body if rng.random() > 0.2] or body[:1]
        varied = []
        for p in kept:
            words = p.split(" ")
            if len(words) > 6:  # swap two words, so every edition differs
                a, b = rng.randrange(len(words)), rng.randrange(len(words))
                words[a], words[b] = words[b], words[a]
            varied.append(" ".join(words))
        out.append((f"{stem}-{i:04d}", "\n\n".join(head + varied).encode()))
    return out


def generate(count: int, folder: Path) -> list[Path]:
    paths = []
    for name, data in variants(count):
        path = folder / f"{name}.xml"
        path.write_bytes(encode_bytes(data, f"{name}.txt").xml)
        paths.append(path)
    return paths


def timed(cmd: list[str], stdin: str | None = None, env: dict[str, str] | None = None) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall time, CPU time (user + system, of the command and its children) and the outcome."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--schema", type=Path, default=SCHEMA)
    ap.add_argument("--keep", type=Path, help="write the editions here and keep them")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="relaxng-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="relaxng-cache-"))
    try:
        started = time.perf_counter()
        paths = generate(args.count, folder)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {len(paths)} editions ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        listing = "\n".join(map(str, paths))
        env_python = [sys.executable, "-c", _RUN_OURS, str(args.schema)]
        ours_cold = timed([*env_python, ""], listing)
        timed([*env_python, str(cache)], "")  # fill the cache
        ours_warm = timed([*env_python, str(cache)], listing)
        runs = [("ours, no schema cache", ours_cold), ("ours, schema cache", ours_warm)]
        if shutil.which("jing"):
            env = {"JAVA_TOOL_OPTIONS": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1", **os.environ}
            runs.append(("jing", timed(["jing", str(args.schema), *map(str, paths)], env=env)))
        else:
            print("jing is not installed: no comparison")
        print(f"{'end to end, one process':28} {'wall s':>7} {'CPU s':>7}")
        for label, (wall, cpu, done) in runs:
            print(f"{label:28} {wall:7.2f} {cpu:7.2f}  {'all valid' if done.returncode == 0 else 'ERRORS'}")
            if done.returncode:
                print(done.stdout[:2000], done.stderr[-2000:])
        if len(runs) == 3:
            jing_wall, jing_cpu = runs[2][1][0], runs[2][1][1]
            for label, (wall, cpu, _) in runs[:2]:
                print(f"{label} / jing: wall {wall / jing_wall:.2f}, CPU {cpu / jing_cpu:.2f}")
        from tei_encoder.validate.relaxng import load_schema

        if TEI_ALL.is_file():
            t = time.perf_counter()
            load_schema(TEI_ALL)
            cold = time.perf_counter() - t
            load_schema(TEI_ALL, cache_dir=cache)
            t = time.perf_counter()
            load_schema(TEI_ALL, cache_dir=cache)
            print(f"tei_all load: {cold:.2f} s cold, {time.perf_counter() - t:.2f} s from the cache (same process, imports done)")
        schema = load_schema(args.schema)
        t = time.perf_counter()
        for p in paths:
            schema.validate_file(p)
        spent = time.perf_counter() - t
        print(f"loaded schema: {len(paths) / spent:.0f} documents/s ({size / spent / 1e6:.1f} MB/s)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
