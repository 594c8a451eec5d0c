"""Validating documents with our RELAX NG and Schematron engines, one result per document."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, InputError, Severity
from .schemas import SchemaPair, resolve


@dataclass
class Outcome:
    """What validation found in one document."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level >= Severity.ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors


class Engines:
    """Loaded schemas, each loaded once per process."""

    def __init__(self) -> None:
        self._rng: dict[Path, object] = {}
        self._sch: dict[tuple[Path, str], object] = {}

    def rng(self, path: Path):  # type: ignore[no-untyped-def]
        from .relaxng import load_schema

        key = path.resolve()
        if key not in self._rng:
            self._rng[key] = load_schema(key, cache_dir=_cache_dir())
        return self._rng[key]

    def sch(self, path: Path, roles: str = "own"):  # type: ignore[no-untyped-def]
        from .schematron import Schematron

        key = (path.resolve(), roles)
        if key not in self._sch:
            self._sch[key] = Schematron.from_file(key[0], roles=roles)
        return self._sch[key]


def _cache_dir() -> Path | None:
    """Where loaded schemas are cached: $TEI_ENCODER_CACHE, else the user's cache folder."""
    env = os.environ.get("TEI_ENCODER_CACHE")
    if env == "":
        return None
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tei-encoder"
    return base


_ENGINES = Engines()


def validate_one(document: Path, explicit: SchemaPair | None, schematron: bool = True, roles: str = "own",
                 data: bytes | None = None) -> Outcome:
    """Every diagnostic for one document; an unreadable document or schema is an outcome too.

    `data`: the document's bytes when the caller holds them (an edition just written), so the
    file is not read again; `document` still names it and places relative schema paths."""
    outcome = Outcome(str(document))
    try:
        pair = resolve(document, explicit, data)
        if pair.note is not None:
            outcome.diagnostics.append(pair.note)
        rng = _ENGINES.rng(pair.rng)
        if data is None:
            outcome.diagnostics.extend(rng.validate_file(document))
        else:
            outcome.diagnostics.extend(rng.validate_bytes(data, str(document), path=document))
        well_formed = not any(d.code in ("TE500", "TE501") for d in outcome.diagnostics)
        if schematron and pair.sch is not None and well_formed:
            sch = _ENGINES.sch(pair.sch, roles)
            found = sch.validate_file(document) if data is None else sch.validate_bytes(data, str(document))
            outcome.diagnostics.extend(found)
    except InputError as exc:
        outcome.diagnostics.append(exc.diagnostic)
        outcome.unreadable = True
    if any(d.code in ("TE100", "TE500", "TE501") for d in outcome.diagnostics):
        outcome.unreadable = True
    outcome.diagnostics.sort(key=lambda d: (d.line or 0, d.col or 0))
    return outcome


def _validate_task(args: tuple[Path, SchemaPair | None, bool, str]) -> Outcome:
    return validate_one(*args)


def validate_all(
    documents: list[Path], explicit: SchemaPair | None, jobs: int = 1, schematron: bool = True, roles: str = "own"
) -> list[Outcome]:
    """Outcomes in the order of `documents`; `jobs` > 1 spreads them over processes; `roles`: see Schematron."""
    if jobs <= 1 or len(documents) < 2 * jobs:
        return [validate_one(d, explicit, schematron, roles) for d in documents]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, len(documents) // (jobs * 4))
        return list(pool.map(_validate_task, [(d, explicit, schematron, roles) for d in documents], chunksize=chunk))


def documents_in(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The XML files named, folders searched for *.xml; missing paths as diagnostics."""
    found: list[Path] = []
    missing: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.xml") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(Diagnostic("TE100", "no such file or folder", str(path)))
    return found, missing


def preload(pair: SchemaPair, schematron: bool = True, roles: str = "own") -> None:
    """Load a schema pair now, so a schema that cannot be loaded is reported before any document."""
    _ENGINES.rng(pair.rng)
    if schematron and pair.sch is not None:
        _ENGINES.sch(pair.sch, roles)
