"""Which schema validates a document: --schema, its <?xml-model?>, the project's, else the one in the package."""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import ProjectConfig
from ..diagnostics import Diagnostic, InputError
from ..io import write_atomically
from ..packaged import SCHEMA_IDENT, schema_file
from ..tei.schema_link import RNG_TYPE, SCH_TYPE

PROJECT_RNG = Path("schema") / f"{SCHEMA_IDENT}.rng"

_MODEL = re.compile(rb"<\?xml-model\s+([^?]*)\?>")
_PSEUDO = re.compile(rb'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_PROLOG_BYTES = 8192  # the instructions stand before the root element, at the top


@dataclass(frozen=True)
class SchemaPair:
    """A RELAX NG schema and, when there is one, its Schematron."""

    rng: Path
    sch: Path | None
    # Said once per document when the schema is not the one the document asked for.
    note: Diagnostic | None = None

    def describe(self) -> str:
        return str(self.rng) + (f" + {self.sch}" if self.sch else "")


def models_of(document: Path, data: bytes | None = None) -> SchemaPair | None:
    """The RELAX NG and Schematron named by a document's xml-model instructions (read from `data`
    when given, else from the file), if any."""
    if data is not None:
        head = data[:_PROLOG_BYTES]
    else:
        try:
            with document.open("rb") as handle:
                head = handle.read(_PROLOG_BYTES)
        except OSError:
            return None
    rng = sch = None
    for match in _MODEL.finditer(head):
        pseudo = {m.group(1): _unescape((m.group(2) or m.group(3) or b"").decode("utf-8", "replace"))
                  for m in _PSEUDO.finditer(match.group(1))}
        href = pseudo.get(b"href")  # type: ignore[call-overload]
        kind = pseudo.get(b"schematypens")  # type: ignore[call-overload]
        if not href or "://" in href:
            continue  # a remote schema is never fetched
        target = (document.parent / href).resolve()
        if kind == RNG_TYPE or (kind is None and href.endswith(".rng")):
            rng = target
        elif kind == SCH_TYPE or (kind is None and href.endswith(".sch")):
            sch = target
    if rng is None:
        return None
    return SchemaPair(rng, sch)


def _unescape(value: str) -> str:
    """Pseudo-attribute values use XML's predefined entities (&quot; in an href)."""
    for entity, char in (("&quot;", '"'), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        value = value.replace(entity, char)
    return value


def companion_sch(rng: Path) -> Path | None:
    sch = rng.with_suffix(".sch")
    return sch if sch.is_file() else None


def compile_odd_schema(
    odd: Path, p5: Path | None, odd_path: tuple[Path, ...] = (), any_element_require: str = "honour"
) -> SchemaPair:
    """An ODD compiled on the fly (its @source chain through `odd_path`) into a folder keyed by
    what it compiled to: a changed parent ODD gives another folder, never a stale schema."""
    from ..odd import OddError, compile_odd, find_p5, load_p5

    try:
        source = load_p5(find_p5(p5, Path.cwd().resolve()))
        compiled = compile_odd(odd, source, odd_path=odd_path,
                               any_element_require="ignore" if any_element_require == "ignore" else "honour")
        digest = hashlib.sha256(compiled.rng + b"\0" + compiled.sch).hexdigest()[:16]
    except OddError as exc:
        raise InputError(exc.diagnostic) from None
    except OSError as exc:
        raise InputError(Diagnostic("TE601", f"cannot read ODD: {exc.strerror or exc}", str(odd))) from None
    folder = Path(tempfile.gettempdir()) / "tei-encoder-odd" / digest
    rng, sch = folder / f"{compiled.ident}.rng", folder / f"{compiled.ident}.sch"
    # Processes validating side by side may compile the same ODD: never show one a half file.
    write_atomically(rng, compiled.rng)
    write_atomically(sch, compiled.sch)
    return SchemaPair(rng, sch)


def packaged_pair() -> SchemaPair:
    """The project's schema as shipped in the package: valid in any folder."""
    return SchemaPair(schema_file(".rng"), schema_file(".sch"))


def project_pair(folder: Path | None = None) -> SchemaPair | None:
    """The schema of the project in `folder` (default: here): `schema` in tei-encoder.toml, if it exists."""
    folder = folder or Path.cwd()
    try:
        name = ProjectConfig.load(folder).schema
    except InputError:
        name = ProjectConfig.schema  # the configuration's errors are the encoder's to report
    if not name or "://" in name:
        return None
    rng = (folder / name).with_suffix(".rng")
    return SchemaPair(rng, companion_sch(rng)) if rng.is_file() else None


def default_pair() -> SchemaPair:
    """The schema for a document that names none: the project's here, else the packaged one."""
    return project_pair() or packaged_pair()


def resolve(document: Path, explicit: SchemaPair | None, data: bytes | None = None) -> SchemaPair:
    """The schema for one document (its bytes in `data`, if held); raises InputError when the one it names cannot be had."""
    if explicit is not None:
        return explicit
    named = models_of(document, data)
    if named is None:
        return default_pair()
    if named.rng.is_file():
        return SchemaPair(named.rng, named.sch if named.sch and named.sch.is_file() else None)
    if named.rng.name == f"{SCHEMA_IDENT}.rng":
        # An edition moved out of its project still names our schema: the package has it.
        packaged = packaged_pair()
        note = Diagnostic("TE521", f"schema named by xml-model not found: {named.rng}; validated with the "
                          f"packaged {SCHEMA_IDENT} schema instead", str(document), 1, 1)
        return SchemaPair(packaged.rng, packaged.sch, note)
    raise InputError(Diagnostic("TE520", f"schema named by xml-model not found: {named.rng}", str(document), 1, 1))
