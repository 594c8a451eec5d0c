"""Encoding one transcript, given as bytes or as a file (its metadata and catalogue row read beside it)."""

from __future__ import annotations

from pathlib import Path

from .config import ProjectConfig
from .convert import Result, convert
from .diagnostics import Reporter
from .metadata import load_metadata
from .source import Source, read_source, source_from_bytes


def encode_bytes(
    data: bytes, name: str = "-", profile: str | None = None, config: ProjectConfig | None = None, repair_ocr: bool | None = None,
    *, hrefs: tuple[str, str] | None = None,
) -> Result:
    """Encode a transcript given as bytes; raises InputError for unreadable input.

    `hrefs`: the (rng, sch) schema the edition points at, as `schema_hrefs_for(config, out)` gives
    them for editions written to OUT; the edition's bytes are then those `convert` writes there.
    """
    reporter = Reporter(name)
    source = source_from_bytes(data, name, reporter)
    return convert(source, reporter, profile, config, repair_ocr, hrefs=hrefs)


def encode_file(
    path: Path, profile: str | None = None, config: ProjectConfig | None = None, repair_ocr: bool | None = None,
    *, hrefs: tuple[str, str] | None = None,
) -> tuple[Source, Result]:
    """Encode a transcript file; raises InputError for unreadable input. `hrefs` as for encode_bytes."""
    reporter = Reporter(str(path))
    source = read_source(path, reporter)
    return source, convert(source, reporter, profile, config, repair_ocr, load_metadata(path), hrefs)
