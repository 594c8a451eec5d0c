"""The ODD compiler against the TEI Stylesheets: jing verdicts on the conformance documents, and Schematron rules."""

from __future__ import annotations

import importlib
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import SHARED
from .odd_conformance import (
    JingRun,
    JingSchemaError,
    conformance_documents,
    jing_outcomes,
    load_jing_table,
    odd_names,
    run_key,
    schematron_instances,
    schematron_rules,
    verdicts_tsv_problems,
)

TEI = SHARED / "tei"
ODD_DIR = TEI / "odd"
REFERENCE = TEI / "reference"
CONFORMANCE = TEI / "conformance"
VERDICTS = CONFORMANCE / "verdicts.tsv"
if not VERDICTS.is_file():
    pytest.skip(f"TEI conformance data not found at {TEI} (../shared is absent)", allow_module_level=True)

ODDS = odd_names(ODD_DIR)
# The reference schemas checked against verdicts.tsv on every run; TEI_CONFORMANCE_ALL=1 checks
# all of them (about 3 s each). The compiler tests check every schema they use anyway.
SANITY = ODDS if os.environ.get("TEI_CONFORMANCE_ALL") else [s for s in ("modes-test", "tei_bare", "tei_lite") if s in ODDS]
SHOWN = 20  # missing or extra Schematron pairs shown on failure, each

@pytest.fixture(scope="module")
def documents() -> list[Path]:
    return conformance_documents(CONFORMANCE)


@pytest.fixture(scope="module")
def table() -> dict[tuple[str, str], tuple[bool, int]]:
    return load_jing_table(VERDICTS)


@pytest.fixture(scope="module")
def reference(jing: str, documents: list[Path], request: pytest.FixtureRequest) -> Callable[..., JingRun]:
    """jing over every document with reference/NAME.rng, once per schema in this module.

    Outside the sanity test (live=True) a run stored in pytest's cache serves while the schema,
    documents, jing and odd_conformance.py are unchanged: the compiler tests then cost one jing
    run per schema, ours. `pytest --cache-clear` forgets it.
    """
    runs: dict[str, JingRun] = {}
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider

    def run(schema: str, *, live: bool = False) -> JingRun:
        if schema in runs and not (live and runs[schema].stored):
            return runs[schema]
        rng = REFERENCE / f"{schema}.rng"
        slot = f"tei_encoder/odd_conformance/{schema}"
        key = run_key(rng, documents, jing=jing)
        stored = cache.get(slot, None) if cache is not None and not live else None
        if stored is not None and stored.get("key") == key:
            runs[schema] = JingRun.from_json(stored["run"])
        else:
            runs[schema] = jing_outcomes(rng, documents, CONFORMANCE, jing=jing)
            if cache is not None:
                cache.set(slot, {"key": key, "run": runs[schema].to_json()})
        return runs[schema]

    return run


@pytest.fixture(scope="module")
def compiled() -> Callable[[str], Any]:
    """compile_odd(odd/NAME.odd, p5subset.xml), once per ODD in this module (a failure too)."""
    try:
        module = importlib.import_module("tei_encoder.odd")
    except ModuleNotFoundError as e:
        if e.name not in ("tei_encoder", "tei_encoder.odd"):
            raise  # a module the compiler imports is missing: a real failure
        pytest.skip(f"the ODD compiler cannot be imported yet ({e})")
    compile_odd = getattr(module, "compile_odd", None)
    if compile_odd is None:
        pytest.skip("tei_encoder.odd does not define compile_odd yet")
    done: dict[str, Any] = {}

    def get(schema: str) -> Any:
        if schema not in done:
            try:
                done[schema] = compile_odd(ODD_DIR / f"{schema}.odd", TEI / "p5subset.xml")
            except Exception as e:  # kept, so that the other tests of this ODD report it without recompiling
                done[schema] = e
        if isinstance(done[schema], Exception):
            raise done[schema]
        return done[schema]

    return get


def test_verdicts_cover_every_document_and_schema(documents: list[Path], table: dict[tuple[str, str], tuple[bool, int]]) -> None:
    """verdicts.tsv has one row per conformance document and ODD, and no other."""
    wanted = {(d.relative_to(CONFORMANCE).as_posix(), s) for d in documents for s in ODDS}
    assert set(table) == wanted, f"missing: {sorted(wanted - set(table))[:10]}; extra: {sorted(set(table) - wanted)[:10]}"


@pytest.mark.parametrize("schema", SANITY)
def test_reference_rng_reproduces_verdicts_tsv(
    schema: str, reference: Callable[..., JingRun], table: dict[tuple[str, str], tuple[bool, int]]
) -> None:
    """The reference RNG through jing_outcomes gives verdicts.tsv's verdict and error count on every
    row: this proves the harness (batched jing processes, a new one after each fatal error, XIncluding
    documents alone) reads jing as one run per document does."""
    run = reference(schema, live=True)
    problems = verdicts_tsv_problems(run.verdicts(), table, schema, detail=run.outcomes)
    assert not problems, f"{schema}: {len(problems)} disagreement(s) with verdicts.tsv:\n" + "\n".join(problems)


@pytest.mark.parametrize("schema", ODDS)
def test_compiled_rng_verdicts(
    schema: str,
    compiled: Callable[[str], Any],
    table: dict[tuple[str, str], tuple[bool, int]],
    documents: list[Path],
    jing: str,
    tmp_path: Path,
) -> None:
    """Under our compiled RNG, jing finds every conformance document valid exactly where verdicts.tsv
    says it is under the reference RNG (error counts may differ: the grammars are shaped differently)."""
    out = compiled(schema)
    rng = tmp_path / f"{schema}.rng"
    rng.write_bytes(out.rng)
    try:
        ours = jing_outcomes(rng, documents, CONFORMANCE, jing=jing)
    except JingSchemaError as e:
        pytest.fail(f"{schema}: jing rejects the compiled RNG (written to {rng}):\n{e}", pytrace=False)
    problems = verdicts_tsv_problems(ours.verdicts(), table, schema, counts=False, detail=ours.outcomes)
    if problems:
        pytest.fail(
            f"{schema}: {len(problems)} of {len(documents)} documents get another verdict than verdicts.tsv records "
            f"under reference/{schema}.rng (compiled RNG at {rng}):\n" + "\n".join(problems),
            pytrace=False,
        )


@pytest.mark.parametrize("schema", ODDS)
def test_compiled_schematron_rules(schema: str, compiled: Callable[[str], Any]) -> None:
    """Our Schematron has the reference's (rule context, test) pairs, no more and no fewer."""
    ours_sch: bytes = compiled(schema).sch
    ours = schematron_rules(ours_sch) if ours_sch.strip() else set()
    ref = schematron_rules(REFERENCE / f"{schema}.sch")
    missing, extra = sorted(ref - ours), sorted(ours - ref)
    lines = [f"{schema}: {len(ref)} reference pairs, {len(ours)} ours, {len(ref & ours)} common"]
    lines += [f"  missing ({len(missing)}):"] + [f"    {c}  ||  {t}" for c, t in missing[:SHOWN]]
    lines += [f"  extra ({len(extra)}):"] + [f"    {c}  ||  {t}" for c, t in extra[:SHOWN]]
    if missing or extra:
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.mark.parametrize("schema", ODDS)
def test_compiled_schematron_pattern_instances(schema: str, compiled: Callable[[str], Any]) -> None:
    """Our Schematron instantiates the same abstract patterns with the same parameters (tei_jtei's is-a)."""
    ours_sch: bytes = compiled(schema).sch
    ours = Counter(schematron_instances(ours_sch) if ours_sch.strip() else [])
    ref = Counter(schematron_instances(REFERENCE / f"{schema}.sch"))
    missing, extra = sorted((ref - ours).elements()), sorted((ours - ref).elements())
    if missing or extra:
        pytest.fail(f"{schema}: missing is-a {missing[:SHOWN]}; extra is-a {extra[:SHOWN]}", pytrace=False)
