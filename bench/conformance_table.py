"""Conformance table of the ODD compiler: jing verdicts and Schematron rules per ODD, as Markdown."""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]  # tests.odd_conformance, and the working tree's compiler

from tests.odd_conformance import (  # noqa: E402 - needs the path above
    CONFORMANCE,
    ODD_DIR,
    P5SUBSET,
    REFERENCE,
    VERDICTS_TSV,
    JingError,
    JingOutcome,
    conformance_documents,
    jing_outcomes,
    load_jing_table,
    odd_names,
    schematron_rules,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("odds", nargs="*", metavar="ODD", help="ODD names (default: every ODD in ../shared/tei/odd)")
    parser.add_argument("--reference", action="store_true", help="use reference/NAME.rng and .sch instead of compiling")
    parser.add_argument(
        "--expected",
        choices=("jing", "tsv"),
        help="what verdicts to agree with: verdicts.tsv (default; one jing run per document and schema), "
        "or jing run now under reference/NAME.rng",
    )
    parser.add_argument("--list", action="store_true", help="list the disagreeing documents under the table")
    args = parser.parse_args(argv)
    expected_from = args.expected or "tsv"
    if not VERDICTS_TSV.is_file():
        print(f"TEI conformance data not found at {VERDICTS_TSV.parent}", file=sys.stderr)
        return 0
    compile_odd: Callable[[Path, Path], Any] | None = None
    if not args.reference:
        try:
            compile_odd = importlib.import_module("tei_encoder.odd").compile_odd
        except (ImportError, AttributeError) as e:
            print(f"the ODD compiler cannot be used ({e}); try --reference", file=sys.stderr)
            return 0

    documents = conformance_documents(CONFORMANCE)
    table = load_jing_table(VERDICTS_TSV)
    names = args.odds or odd_names(ODD_DIR)
    mode = "reference RNG and Schematron" if args.reference else "compiled by tei_encoder.odd"
    print(
        f"ODDs {mode}; verdicts compared with {'verdicts.tsv' if expected_from == 'tsv' else 'jing under reference/NAME.rng'}.\n"
    )
    print("| ODD | documents | agree | disagree | schematron rules ref/ours/common | compile s | jing s |")
    print("|---|---:|---:|---:|---|---:|---:|")
    listed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="conformance-table-") as scratch:
        for name in names:
            row, disagreeing = _row(name, compile_odd, documents, table, expected_from, Path(scratch))
            print(row, flush=True)
            listed += [f"- {name}: {line}" for line in disagreeing]
    if args.list and listed:
        print("\nDisagreements:\n" + "\n".join(listed))
    return 0


def _row(
    name: str,
    compile_odd: Callable[[Path, Path], Any] | None,
    documents: list[Path],
    table: dict[tuple[str, str], tuple[bool, int]],
    expected_from: str,
    scratch: Path,
) -> tuple[str, list[str]]:
    """One table row, and a line per disagreeing document."""
    ref_rng, ref_sch = REFERENCE / f"{name}.rng", REFERENCE / f"{name}.sch"
    compile_seconds = "-"
    if compile_odd is None:
        rng, sch = ref_rng, ref_sch.read_bytes()
    else:
        started = time.perf_counter()
        try:
            out = compile_odd(ODD_DIR / f"{name}.odd", P5SUBSET)
        except Exception as e:  # a failure is a row of the table, not the end of it
            return f"| {name} | {len(documents)} | - | - | compile failed: {type(e).__name__}: {_cell(str(e))} | - | - |", []
        compile_seconds = f"{time.perf_counter() - started:.2f}"
        rng = scratch / f"{name}.rng"
        rng.write_bytes(out.rng)
        sch = out.sch
    jing_seconds = 0.0
    try:
        ours = jing_outcomes(rng, documents, CONFORMANCE)
        jing_seconds += ours.seconds
        if expected_from == "tsv":
            expected = {doc: table.get((doc, name), (None, 0))[0] for doc in ours.outcomes}
            detail: dict[str, JingOutcome] = {}
        elif compile_odd is None:
            expected, detail = {doc: o.valid for doc, o in ours.outcomes.items()}, ours.outcomes
        else:
            reference = jing_outcomes(ref_rng, documents, CONFORMANCE)
            jing_seconds += reference.seconds
            expected, detail = {doc: o.valid for doc, o in reference.outcomes.items()}, reference.outcomes
    except JingError as e:
        return f"| {name} | {len(documents)} | - | - | jing failed: {_cell(str(e))} | {compile_seconds} | - |", []
    disagreeing = []
    for doc, o in ours.outcomes.items():
        if expected.get(doc) != o.valid:
            want = "valid" if expected.get(doc) else "invalid"
            why = (o.first(1) or (detail[doc].first(1) if doc in detail else []) or [""])[0]
            disagreeing.append(f"{doc}: expected {want}, ours {'valid' if o.valid else 'invalid'}  {why}")
    agree = len(ours.outcomes) - len(disagreeing)
    ref_rules = schematron_rules(ref_sch)
    our_rules = schematron_rules(sch) if sch.strip() else set()
    rules = f"{len(ref_rules)}/{len(our_rules)}/{len(ref_rules & our_rules)}"
    row = f"| {name} | {len(ours.outcomes)} | {agree} | {len(disagreeing)} | {rules} | {compile_seconds} | {jing_seconds:.1f} |"
    return row, disagreeing


def _cell(text: str) -> str:
    return text.splitlines()[0].replace("|", "\\|")[:120] if text else ""


if __name__ == "__main__":
    sys.exit(main())
