"""ODD chaining: the source a schemaSpec builds on (@source), resolved as the TEI's odd2odd resolves it.

A schemaSpec without @source builds on the TEI source given to the compiler (p5subset.xml).
With @source it builds on:

- `tei:RELEASE` (or `tei:current`): that TEI release, which must be the source given, or a
  `RELEASE/p5subset.xml` or `p5subset-RELEASE.xml` in an --odd-path folder;
- a local ODD customisation (a path relative to the ODD, or found in an --odd-path folder):
  compiled first, on its own source, and its customised specs are the source of this one, so
  a module brings in only what the parent kept, as the parent changed it;
- a compiled ODD (odd2odd's output, or any file whose specs are complete): its specs as they are.

Anything that cannot be resolved is an error, never a silent fall back on the TEI source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from .customise import Selection, select
from .errors import Locator, OddError
from .names import PARSER, SPEC_KINDS, T, local
from .p5source import P5Source, index_source, load_p5, release_of

# Children of a schemaSpec that make it a customisation to compile, not a compiled ODD.
_REFERENCES = {"moduleRef", "elementRef", "classRef", "macroRef", "dataRef", "specGrpRef"}
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def read_odd(path: Path) -> tuple[etree._ElementTree, Locator]:
    """An ODD file parsed, with a locator for its diagnostics (TE601 when it cannot be read)."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise OddError("TE601", f"cannot read ODD: {exc.strerror or exc}", str(path)) from None
    try:
        tree = etree.ElementTree(etree.fromstring(text, PARSER, base_url=str(path)))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        raise OddError("TE601", f"ODD is not well-formed XML: {exc.msg}", str(path), line, col) from None
    return tree, Locator(str(path), text.decode("utf-8", "replace"))


def schema_spec_of(tree: etree._ElementTree, path: Path) -> etree._Element:
    spec = next(tree.getroot().iter(T + "schemaSpec"), None)
    if spec is None:
        raise OddError("TE609", "the ODD holds no schemaSpec", str(path), 1, 1)
    return spec


def customise(
    path: Path, p5: P5Source, odd_path: Sequence[Path], chain: tuple[Path, ...] = ()
) -> tuple[Selection, P5Source]:
    """The schemaSpec of an ODD file applied to the source it builds on; that source too."""
    tree, loc = read_odd(path)
    spec = schema_spec_of(tree, path)
    base = source_of(spec, path, p5, odd_path, (*chain, path.resolve()), loc)
    return select(spec, base, loc), base


def source_of(
    spec: etree._Element, odd: Path, p5: P5Source, odd_path: Sequence[Path], chain: tuple[Path, ...], loc: Locator
) -> P5Source:
    """The source a schemaSpec builds on: the TEI source, a release, or the specs of another ODD."""
    value = (spec.get("source") or "").strip()
    if not value:
        return p5
    if value.startswith("tei:"):
        return _release(value[4:], p5, odd_path, spec, loc)
    if _URI_SCHEME.match(value) and not value.startswith("file:"):
        raise loc.error("TE612", f'schemaSpec/@source "{value}": only local files and TEI release names '
                        '("tei:4.10.2") are resolved, nothing is fetched', spec)
    found = _find(value.removeprefix("file:"), odd.parent, odd_path)
    if found is None:
        where = ", ".join(str(p) for p in [odd.parent, *odd_path])
        raise loc.error("TE612", f'schemaSpec/@source "{value}" not found (looked in {where})', spec)
    if found.resolve() in chain:
        cycle = " → ".join(p.name for p in [*chain[chain.index(found.resolve()):], found.resolve()])
        raise loc.error("TE613", f"schemaSpec/@source makes a cycle: {cycle}", spec)
    return _source_from_file(found, p5, odd_path, chain)


def _find(name: str, folder: Path, odd_path: Sequence[Path]) -> Path | None:
    candidate = Path(name)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    for base in [folder, *odd_path]:
        if (base / candidate).is_file():
            return base / candidate
    return None


def _source_from_file(path: Path, p5: P5Source, odd_path: Sequence[Path], chain: tuple[Path, ...]) -> P5Source:
    """The specs another ODD makes available: compiled first when it is a customisation."""
    tree, loc = read_odd(path)
    spec = next(tree.getroot().iter(T + "schemaSpec"), None)
    if spec is not None and _is_customisation(spec):
        base = source_of(spec, path, p5, odd_path, (*chain, path.resolve()), loc)
        return _as_source(select(spec, base, loc), path, base, spec.get("module", ""))
    ident = spec.get("ident", "") if spec is not None else ""
    module = (spec.get("module", "") if spec is not None else "") or derived_module(ident)
    source = index_source(tree.getroot(), path, module)
    _alias_legacy_module(source, module, ident)
    if not any(source.specs[kind] for kind in SPEC_KINDS):
        raise OddError("TE612", "schemaSpec/@source names a file with no specs (neither an ODD nor a TEI source)",
                       str(path), 1, 1)
    return source


def _is_customisation(spec: etree._Element) -> bool:
    """A schemaSpec that refers to modules or specs elsewhere, or changes them: not yet compiled."""
    if spec.get("source"):
        return True
    for child in spec.iter():
        name = local(child)
        if name in _REFERENCES:
            return True
        if name in SPEC_KINDS and child.get("mode") in ("change", "replace", "delete"):
            return True
    return False


def derived_module(ident: str) -> str:
    """The module odd2odd gives the specs a customisation adds without @module (schemaSpec IDENT)."""
    return f"derived-module-{ident}"


def _alias_legacy_module(source: P5Source, module: str, ident: str) -> None:
    # Why: earlier versions named that module "module-from-IDENT", and `tei-encoder init` wrote
    # such moduleRefs into customisations; they keep working (the TEI Stylesheets know only
    # "derived-module-IDENT", so a schema they make of such an ODD lacks those elements).
    if module in source.modules:
        source.modules.setdefault(f"module-from-{ident}", source.modules[module])


def _as_source(selection: Selection, path: Path, base: P5Source, module: str = "") -> P5Source:
    """A compiled customisation as the source of another: its specs by kind and by module."""
    anonymous = module or derived_module(selection.ident)
    source = P5Source(path=path, version=base.version, specs={kind: dict(selection.specs[kind]) for kind in SPEC_KINDS})
    for name in base.modules:
        source.modules[name] = []
    for kind in SPEC_KINDS:
        for spec in source.specs[kind].values():
            source.modules.setdefault(spec.get("module") or anonymous, []).append(spec)
    _alias_legacy_module(source, anonymous, selection.ident)
    # The parent's own modules stay known even when it kept nothing of them: referring to
    # one then brings in nothing, which is what the parent left.
    source.warnings = [*base.warnings, *selection.warnings]
    return source


def _release(name: str, p5: P5Source, odd_path: Sequence[Path], spec: etree._Element, loc: Locator) -> P5Source:
    given = release_of(p5)
    if name in ("current", "latest") or (name and name == given):
        return p5
    for folder in odd_path:
        for candidate in (folder / name / "p5subset.xml", folder / f"p5subset-{name}.xml"):
            if candidate.is_file():
                found = load_p5(candidate)
                if release_of(found) not in (name, ""):
                    raise loc.error("TE612", f'{candidate} is TEI release {release_of(found)}, not "{name}"', spec)
                return found
    raise loc.error(
        "TE612",
        f'schemaSpec/@source names TEI release "{name}", but the TEI source given ({p5.path.name}) is release '
        f'{given or "unknown"}: pass that release\'s p5subset.xml with --p5, or put it in an --odd-path folder '
        f"as {name}/p5subset.xml",
        spec,
    )
