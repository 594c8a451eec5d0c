"""Pointing an edition at its schema with <?xml-model?> processing instructions."""

from __future__ import annotations

import os
from pathlib import Path

from ..config import ProjectConfig

RNG_TYPE = "http://relaxng.org/ns/structure/1.0"
SCH_TYPE = "http://purl.oclc.org/dsdl/schematron"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def schema_hrefs(schema: str, out: Path, project: Path) -> tuple[str, str] | None:
    """Hrefs of the RELAX NG and Schematron schema, relative to the output folder.

    `schema` is a URL or a path without extension, relative to the project folder; None when
    it is a path whose .rng does not exist (no link is better than a broken one).
    """
    if not schema:
        return None
    if "://" in schema:
        return schema + ".rng", schema + ".sch"
    base = project / schema
    if not base.with_suffix(".rng").is_file():
        return None
    relative = Path(os.path.relpath(base, out.resolve())).as_posix()
    return relative + ".rng", relative + ".sch"


def schema_hrefs_for(config: ProjectConfig, out: Path) -> tuple[str, str] | None:
    """The <?xml-model?> targets of editions written to OUT under this project's configuration."""
    return schema_hrefs(config.schema, out, Path.cwd())


def link_schema(xml: bytes, rng: str, sch: str) -> bytes:
    """The edition with xml-model instructions for both schemas after its XML declaration."""
    models = (
        f'<?xml-model href="{_escape(rng)}" type="application/xml" schematypens="{RNG_TYPE}"?>\n'
        f'<?xml-model href="{_escape(sch)}" type="application/xml" schematypens="{SCH_TYPE}"?>\n'
    ).encode("utf-8")
    if xml.startswith(_DECLARATION):
        return _DECLARATION + models + xml[len(_DECLARATION):]
    return models + xml


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
