"""Schematron benchmark: milliseconds per document for our schema's rules and for tei_all's.

Warm: the rules compiled once, then the median (and best) of several validations of the same
document, parsing, Saxon's run and the mapping of findings to lines included. With setup: a
fresh interpreter that imports the package, compiles the rules and validates the document
once, timed from the outside.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEI = ROOT.parent / "shared" / "tei"
OUR_SCHEMA = ROOT / "schema" / "tei_encoder.sch"
TEI_ALL = TEI / "reference" / "tei_all.sch"

# Recorded, not measured here (../shared/tei/README.md): SchXslt run by saxonche on tei_all's rules.
REFERENCE_MS = {"1 KB": 4.0, "40 KB": 17.0, "500 KB": 75.0, "4.4 MB": 545.0}
TARGET_EDITION_MS = 20.0  # our schema's rules, per edition, warm

# Documents of the sizes the reference was measured on (conformance documents).
SIZED = {
    "1 KB": TEI / "conformance" / "valid" / "transcript_base.xml",
    "40 KB": TEI / "conformance" / "stylesheets-test" / "test.xml",
    "500 KB": TEI / "conformance" / "stylesheets-test" / "test14.xml",
    "4.4 MB": TEI / "conformance" / "valid" / "transcript_large.xml",
}

COLD_SCRIPT = """
import sys, time
t = time.perf_counter()
from tei_encoder.validate.schematron import Schematron
s = Schematron.from_file(sys.argv[1])
compiled = time.perf_counter()
s.validate_file(sys.argv[2])
done = time.perf_counter()
print(compiled - t, done - compiled)
"""


def warm(schema, path: Path, runs: int) -> tuple[float, float, int]:
    """(median ms, best ms, findings) over `runs` validations after one untimed run."""
    data = path.read_bytes()
    found = len(schema.validate_bytes(data, path.name))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        schema.validate_bytes(data, path.name)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), found


def cold(sch: Path, doc: Path) -> tuple[float, float, float]:
    """(whole process s, import + compile s, first validation ms) in a fresh interpreter."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", COLD_SCRIPT, str(sch), str(doc)], capture_output=True, text=True, check=True)
    total = time.perf_counter() - started
    setup, first = (float(x) for x in done.stdout.split())
    return total, setup, first * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="warm validations per document (default 20)")
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-interpreter measurements")
    args = parser.parse_args()

    from tei_encoder.validate.schematron import Schematron

    print(f"# Schematron, {platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    failed = False

    started = time.perf_counter()
    ours = Schematron.from_file(OUR_SCHEMA)
    print(
        f"\n## our rules ({OUR_SCHEMA.name}: {ours.patterns} patterns, {ours.rules} rules), compiled in {time.perf_counter() - started:.2f} s"
    )
    print(f"{'edition':<52} {'size':>8} {'median ms':>10} {'best ms':>8} {'findings':>9}")
    editions = sorted((ROOT / "editions").glob("*.xml"))
    for edition in editions:
        med, best, found = warm(ours, edition, args.runs)
        print(f"{edition.name:<52} {edition.stat().st_size / 1000:>6.1f}KB {med:>10.1f} {best:>8.1f} {found:>9}")
        failed |= med > TARGET_EDITION_MS
    if editions and not args.no_cold:
        total, setup, first = cold(OUR_SCHEMA, editions[0])
        print(
            f"with setup (fresh interpreter, {editions[0].name}): process {total:.2f} s, import + compile {setup:.2f} s, first run {first:.1f} ms"
        )
    print(f"target: {TARGET_EDITION_MS:.0f} ms per edition, warm")

    if not TEI_ALL.is_file():
        print(f"\n{TEI_ALL} not found (../shared is absent): tei_all's rules not measured")
        return 1 if failed else 0
    started = time.perf_counter()
    tei_all = Schematron.from_file(TEI_ALL)
    print(
        f"\n## tei_all's rules ({tei_all.patterns} patterns, {tei_all.rules} rules), compiled in {time.perf_counter() - started:.2f} s"
    )
    print(f"{'size':<8} {'document':<42} {'median ms':>10} {'best ms':>8} {'reference ms':>13} {'findings':>9}")
    for label, path in SIZED.items():
        if not path.is_file():
            continue
        runs = max(3, args.runs // 4) if path.stat().st_size > 1_000_000 else args.runs
        med, best, found = warm(tei_all, path, runs)
        name = f"{path.parent.name}/{path.name} ({path.stat().st_size / 1000:.0f} KB)"
        print(f"{label:<8} {name:<42} {med:>10.1f} {best:>8.1f} {REFERENCE_MS[label]:>13.0f} {found:>9}")
    if not args.no_cold:
        for label in ("1 KB", "500 KB"):
            total, setup, first = cold(TEI_ALL, SIZED[label])
            print(f"with setup ({label}): process {total:.2f} s, import + compile {setup:.2f} s, first run {first:.1f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
