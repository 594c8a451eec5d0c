"""The TEI P5 source (p5subset.xml), indexed by spec kind and ident, found and loaded once."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from .errors import OddError
from .names import PARSER, SPEC_KINDS, T

ENV_VAR = "TEI_P5_SOURCE"


@dataclass
class P5Source:
    """Every spec of the TEI source, by kind ("elementSpec", …) and ident."""

    path: Path
    version: str
    specs: dict[str, dict[str, etree._Element]] = field(default_factory=dict)
    modules: dict[str, list[etree._Element]] = field(default_factory=dict)
    # Warnings from compiling it, when it is another ODD's customised result.
    warnings: list[Diagnostic] = field(default_factory=list)

    def module_of(self, kind: str, ident: str) -> str | None:
        spec = self.specs[kind].get(ident)
        return spec.get("module") if spec is not None else None


_CACHE: dict[tuple[str, int, int], P5Source] = {}


def find_p5(explicit: str | os.PathLike[str] | None, start: Path) -> Path:
    """The TEI source: the given path, then $TEI_P5_SOURCE, then ../shared/tei/p5subset.xml."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise OddError("TE606", f"TEI source {path} not found", str(path))
        return path
    env = os.environ.get(ENV_VAR)
    if env:
        if Path(env).is_file():
            return Path(env)
        raise OddError("TE606", f"${ENV_VAR} names {env}, which does not exist", env)
    tried = []
    for folder in [start, *start.parents]:
        candidate = folder / "shared" / "tei" / "p5subset.xml"
        tried.append(candidate)
        if candidate.is_file():
            return candidate
    raise OddError(
        "TE606",
        f"no TEI source: pass --p5 PATH or set ${ENV_VAR} (looked for ../shared/tei/p5subset.xml "
        "beside the project); p5subset.xml comes with every TEI P5 release",
        str(start),
    )


def load_p5(path: Path) -> P5Source:
    """Parse and index p5subset.xml; parsed once per process per file version."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    try:
        tree = etree.parse(str(path), PARSER)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise OddError("TE601", f"TEI source cannot be read: {exc}", str(path)) from None
    source = index_source(tree.getroot(), path)
    # A few sources at most (a chain may name another release): keep the latest ones.
    while len(_CACHE) >= 4:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[key] = source
    return source


def index_source(root: etree._Element, path: Path, anonymous_module: str = "") -> P5Source:
    """Every spec of a TEI source or compiled ODD, by kind and ident, and by module.

    A spec without @module (one a compiled ODD added) belongs to `anonymous_module`, as the
    TEI's odd2odd puts it in "derived-module-IDENT".
    """
    edition = root.find(f"{T}teiHeader/{T}fileDesc/{T}editionStmt")
    version = " ".join("".join(edition.itertext()).split()) if edition is not None else ""
    source = P5Source(path=path, version=version, specs={kind: {} for kind in SPEC_KINDS})
    for kind in SPEC_KINDS:
        table = source.specs[kind]
        for spec in root.iter(T + kind):
            table[spec.get("ident", "")] = spec
    for module in root.iter(T + "moduleSpec"):
        source.modules[module.get("ident", "")] = []
    for kind in SPEC_KINDS:
        for spec in source.specs[kind].values():
            source.modules.setdefault(spec.get("module") or anonymous_module, []).append(spec)
    return source


def release_of(source: P5Source) -> str:
    """The release number a TEI source states ("4.10.0a" of "P5 Version 4.10.0a. Last updated …")."""
    m = re.search(r"[Vv]ersion\s+(\S+?)\.?(?:\s|$)", source.version)
    return m.group(1) if m else ""
