"""The project's schema as it ships inside the package (ODD, RELAX NG, Schematron), found through importlib.resources."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SCHEMA_IDENT = "tei_encoder"
SCHEMA_FILES = (f"{SCHEMA_IDENT}.odd", f"{SCHEMA_IDENT}.rng", f"{SCHEMA_IDENT}.sch")


def schema_folder() -> Path:
    """The folder holding the packaged schema files.

    The package is installed as files (a wheel unpacked, or an editable install), so the
    resource is a real folder: the validators read it by path, and it is never copied.
    """
    folder = resources.files("tei_encoder").joinpath("schema")
    path = Path(str(folder))
    if not (path / SCHEMA_FILES[1]).is_file():
        raise FileNotFoundError(f"the package's schema is missing from {path}: reinstall tei-encoder")
    return path


def schema_file(suffix: str) -> Path:
    """One packaged schema file by suffix: ".odd", ".rng" or ".sch"."""
    return schema_folder() / f"{SCHEMA_IDENT}{suffix}"
