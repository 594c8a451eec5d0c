"""ODD compiler benchmark: compile time per ODD against the TEI Stylesheets' recorded times."""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEI = ROOT.parent / "shared" / "tei"

# Recorded, not measured here: ../shared/tei/README.md, fastest runs of odd2odd + odd2relax +
# Schematron extraction with the TEI Stylesheets on Java (Saxon-HE 9.9), and in-process
# through SaxonC (saxonche) where recorded.
JAVA_SECONDS = {
    "tei_bare": 6.3, "tei_lite": 7.9, "tei_speech": 8.9, "tei_all": 11.5, "modes-test": 7.6,
    "tei_minimal": 10.2, "tei_drama": 14.2, "tei_ms": 15.8, "tei_corpus": 15.3, "tei_jtei": 13.5,
    "tei_simplePrint": 15.2,
}
SAXONC_SECONDS = {"tei_bare": 1.1, "tei_all": 3.9}

TARGET_SECONDS = 0.6  # tei_all, end to end
TARGET_JAVA = 20.0
TARGET_SAXONC = 6.0
# A child ODD built on a parent (schemaSpec/@source): both compiled, end to end.
CHAINED = ROOT / "tests" / "odd" / "chain_relative" / "schema.odd"
TARGET_CHAINED = 1.0

COLD_SCRIPT = """
import sys, time
t = time.perf_counter()
from pathlib import Path
from tei_encoder.odd import compile_odd, load_p5
compiled = compile_odd(Path(sys.argv[1]), load_p5(Path(sys.argv[2])))
Path(sys.argv[3], compiled.ident + '.rng').write_bytes(compiled.rng)
Path(sys.argv[3], compiled.ident + '.sch').write_bytes(compiled.sch)
print(time.perf_counter() - t)
"""


def cold(odd: Path, p5: Path, out: Path) -> tuple[float, float]:
    """A fresh interpreter: (wall time of the whole process, time inside it from import to written files)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", COLD_SCRIPT, str(odd), str(p5), str(out)],
        capture_output=True, text=True, check=True,
    )
    return time.perf_counter() - started, float(done.stdout.strip())


def warm(odd: Path, p5: Path, runs: int) -> float:
    """Best of `runs` compilations in this process, the TEI source already parsed."""
    from tei_encoder.odd import compile_odd, load_p5

    source = load_p5(p5)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        compile_odd(odd, source)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the fastest counts")
    parser.add_argument("--odd", action="append", help="only these ODDs (name without .odd)")
    args = parser.parse_args()
    p5 = TEI / "p5subset.xml"
    if not p5.is_file():
        print(f"skipped: {p5} not found (the benchmark compiles the TEI's own ODDs)")
        return 0
    names = args.odd or sorted(JAVA_SECONDS)
    print(f"python {platform.python_version()} on {platform.machine()}; best of {args.runs} runs")
    print("cold: a fresh process (interpreter start, import, parse p5subset.xml, compile, write);")
    print("warm: compile only, the TEI source already loaded. Java and SaxonC: recorded figures.\n")
    print("| ODD | cold s | in-process s | warm s | Java s (recorded) | × Java | SaxonC s (recorded) | × SaxonC |")
    print("|---|---|---|---|---|---|---|---|")
    verdict = True
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            odd = TEI / "odd" / f"{name}.odd"
            wall, inside = min(cold(odd, p5, Path(tmp)) for _ in range(args.runs))
            hot = warm(odd, p5, args.runs)
            java = JAVA_SECONDS.get(name)
            saxonc = SAXONC_SECONDS.get(name)
            java_ratio = f"{java / wall:.0f}×" if java else "–"
            saxonc_ratio = f"{saxonc / wall:.1f}×" if saxonc else "–"
            print(f"| {name} | {wall:.2f} | {inside:.2f} | {hot:.3f} | {java or '–'} | {java_ratio} "
                  f"| {saxonc or '–'} | {saxonc_ratio} |")
            if name == "tei_all":
                ok = wall <= TARGET_SECONDS and java and java / wall >= TARGET_JAVA and saxonc and saxonc / wall >= TARGET_SAXONC
                verdict = bool(ok)
                print(f"\ntei_all target: ≤ {TARGET_SECONDS} s cold, ≥ {TARGET_JAVA:.0f}× Java, ≥ {TARGET_SAXONC:.0f}× SaxonC: "
                      f"{'PASS' if ok else 'MISS'} ({wall:.2f} s)\n", flush=True)
        if CHAINED.is_file():
            wall, inside = min(cold(CHAINED, p5, Path(tmp)) for _ in range(args.runs))
            hot = warm(CHAINED, p5, args.runs)
            ok = wall <= TARGET_CHAINED
            verdict = verdict and ok
            print(f"\nchained pair ({CHAINED.relative_to(ROOT)} on parent/base.odd): {wall:.2f} s cold, "
                  f"{inside:.2f} s in-process, {hot:.3f} s warm; target ≤ {TARGET_CHAINED} s cold: "
                  f"{'PASS' if ok else 'MISS'}")
    print("targets", "met" if verdict else "missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
