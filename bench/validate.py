"""Validation benchmark: our RELAX NG validator against jing, schema load and documents per second."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEI_ALL = SHARED / "tei" / "reference" / "tei_all.rng"
OURS = ROOT / "schema" / "tei_encoder.rng"

TARGET_LOAD = 1.0  # seconds, tei_all, our validator
BATCH = 1000


def transcripts() -> list[Path]:
    found = sorted((ROOT / "sources").glob("*.txt"))
    corpus = SHARED / "devcorpus"
    if corpus.is_dir():
        found += sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))
    return found


def make_batch(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` editions of transcripts reshuffled from the real ones: same styles, other texts."""
    from tei_encoder.api import encode_bytes
    from tei_encoder.tei.schema_link import link_schema

    existing = sorted(folder.glob("*.xml"))
    if len(existing) == count:
        return existing
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    texts = [p.read_text("utf-8", "replace") for p in transcripts()]
    made: list[Path] = []
    href = os.path.relpath(OURS.with_suffix(""), folder)
    while len(made) < count:
        text = rng.choice(texts)
        blocks = text.split("\n\n")
        head, rest = blocks[:3], blocks[3:]
        rng.shuffle(rest)
        variant = "\n\n".join(head + rest[: max(1, int(len(rest) * rng.uniform(0.3, 1.0)))])
        try:
            result = encode_bytes(variant.encode("utf-8"), f"gen-{len(made):04d}.txt")
        except Exception:
            continue
        path = folder / f"gen-{len(made):04d}.xml"
        path.write_bytes(link_schema(result.xml, href + ".rng", href + ".sch"))
        made.append(path)
    return made


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - started, done.stdout + done.stderr


def ours_cli(schema: Path, files: list[Path], cache: str) -> tuple[float, str]:
    env = {**os.environ, "TEI_ENCODER_CACHE": cache}
    return timed([sys.executable, "-m", "tei_encoder", "validate", "--no-schematron", "--schema", str(schema),
                  *map(str, files)], env)


def jing_cli(schema: Path, files: list[Path]) -> tuple[float, str]:
    return timed(["jing", str(schema), *map(str, files)])


def load_times(schema: Path) -> tuple[float, float]:
    """Our load time without a disk cache and with a warm one (fresh process each)."""
    from tei_encoder.validate.relaxng import load_schema

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        load_schema(schema, cache_dir=None)
        cold = time.perf_counter() - started
        load_schema(schema, cache_dir=Path(cache))  # fills the cache
        code = ("import sys,time;from pathlib import Path;from tei_encoder.validate.relaxng import load_schema;"
                "t=time.perf_counter();load_schema(Path(sys.argv[1]),cache_dir=Path(sys.argv[2]));"
                "print(time.perf_counter()-t)")
        done = subprocess.run([sys.executable, "-c", code, str(schema), cache], capture_output=True, text=True, check=True)
        cached = float(done.stdout.strip())
    return cold, cached


def warm_rate(schema: Path, files: list[Path]) -> float:
    """Documents per second in-process, schema loaded."""
    from tei_encoder.validate.relaxng import load_schema

    validator = load_schema(schema, cache_dir=None)
    started = time.perf_counter()
    for path in files:
        validator.validate_file(path)
    return len(files) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=BATCH, help="generated editions in the batch")
    args = parser.parse_args()
    if shutil.which("jing") is None:
        print("skipped: jing is not installed (the peer this benchmark measures against)")
        return 0
    batch = make_batch(Path(tempfile.gettempdir()) / f"tei-encoder-bench-{args.batch}", args.batch)
    editions = sorted((ROOT / "editions").glob("*.xml"))
    schemas = [("tei_encoder", OURS)] + ([("tei_all", TEI_ALL)] if TEI_ALL.is_file() else [])
    print(f"{len(editions)} committed editions; a batch of {len(batch)} generated editions "
          f"({sum(p.stat().st_size for p in batch) / 1e6:.1f} MB). RELAX NG only on both sides.\n")
    print("| schema | our load s (no cache / cached) | jing: JVM + load s | editions: ours s / jing s | "
          f"batch of {len(batch)}: ours s / jing s | ratio (jing ÷ ours) | warm docs/s ours / jing |")
    print("|---|---|---|---|---|---|---|")
    verdicts = []
    for name, schema in schemas:
        cold, cached = load_times(schema)
        jing_one, _ = jing_cli(schema, editions[:1])
        ours_ed, _ = ours_cli(schema, editions, "")
        jing_ed, _ = jing_cli(schema, editions)
        with tempfile.TemporaryDirectory() as cache:
            ours_cli(schema, editions[:1], cache)  # a user's second run: the schema is cached
            ours_batch, _ = ours_cli(schema, batch, cache)
        jing_batch, _ = jing_cli(schema, batch)
        jing_warm = (len(batch) - 1) / max(jing_batch - jing_one, 1e-6)
        ours_warm = warm_rate(schema, batch[:200])
        ratio = jing_batch / ours_batch
        print(f"| {name} | {cold:.2f} / {cached:.2f} | {jing_one:.2f} | {ours_ed:.2f} / {jing_ed:.2f} | "
              f"{ours_batch:.2f} / {jing_batch:.2f} | {ratio:.2f}× | {ours_warm:.0f} / {jing_warm:.0f} |", flush=True)
        verdicts.append((name, ratio > 1.0, cold if name == "tei_all" else None))
    for name, faster, cold in verdicts:
        print(f"{name}: batch {'faster' if faster else 'SLOWER'} than jing end to end")
        if cold is not None:
            print(f"tei_all load {cold:.2f} s: {'PASS' if cold <= TARGET_LOAD else 'MISS'} (target ≤ {TARGET_LOAD} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
