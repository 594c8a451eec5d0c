"""Project configuration (`tei-encoder.toml`): who publishes the editions, and under what licence."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, InputError

CONFIG_NAME = "tei-encoder.toml"


@dataclass(frozen=True)
class ProjectConfig:
    """Edition-wide settings; none of them depends on when the encoder runs."""

    publisher: str = "tei-encoder"
    licence: str = "The encoding is released under CC BY 4.0; the text belongs to its publisher."
    date: str = ""  # the editions' publication date (ISO), if the project wants one
    # The schema editions point at with <?xml-model?>: a path without extension, relative to
    # the project folder, or a URL; "" for none.
    schema: str = "schema/tei_encoder"
    # The corpus register editions point at ("" for none), resolved against the project folder,
    # and the href they write for it, as seen from the editions' folder (default: relative to editions/).
    register: str = ""
    register_href: str = ""

    @classmethod
    def load(cls, folder: Path) -> ProjectConfig:
        """Read `tei-encoder.toml` from a folder's [edition] table, or use the defaults."""
        path = folder / CONFIG_NAME
        if not path.is_file():
            return cls()
        try:
            data = tomllib.loads(path.read_text("utf-8")).get("edition", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(Diagnostic("TE110", f"not valid TOML: {exc}", str(path))) from None
        unknown = set(data) - {"publisher", "licence", "date", "schema", "register", "register_href"}
        if unknown:
            raise InputError(Diagnostic("TE110", f"unknown key '{sorted(unknown)[0]}' in [edition]", str(path)))
        values = {k: str(v) for k, v in data.items()}
        if values.get("register"):
            register = folder / values["register"]
            values["register"] = str(register)
            values.setdefault("register_href", os.path.relpath(register, folder / "editions").replace(os.sep, "/"))
        return cls(**values)
