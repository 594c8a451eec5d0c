"""Incremental builds: a manifest of content hashes says which editions are already current."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__
from .catalogue import catalogue_row
from .diagnostics import Diagnostic, InputError
from .infer import INFERRED
from .metadata import metadata_path
from .profiles import BUILTIN

MANIFEST_NAME = ".tei-encoder-cache.json"
FORMAT = 1


@dataclass(frozen=True)
class Stamp:
    """What one edition is made from: its source and its metadata file, by content."""

    source: str
    source_sha256: str
    meta_sha256: str | None


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def source_stamp(path: Path) -> Stamp:
    """The content hashes of a transcript and of its metadata: its NAME.meta.toml and its row of
    catalogue.csv (None when it has neither)."""
    meta = metadata_path(path)
    parts = [file_sha256(meta)] if meta.is_file() else []
    try:
        row: object = catalogue_row(path)
    except InputError:
        row = "unreadable"  # the encoding reports it; the edition is made again until it reads
    if row is not None:
        parts.append(hashlib.sha256(repr(row).encode("utf-8")).hexdigest())
    if not parts:
        return Stamp(str(path), file_sha256(path), None)
    digest = parts[0] if len(parts) == 1 and meta.is_file() else hashlib.sha256("|".join(parts).encode()).hexdigest()
    return Stamp(str(path), file_sha256(path), digest)


@cache
def tool_identity() -> str:
    """The version, with a hash of the package's files: a changed rule is a changed tool."""
    package = Path(__file__).resolve().parent
    hasher = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            hasher.update(path.relative_to(package).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes())
    return f"{__version__}+{hasher.hexdigest()[:16]}"


def _builtin_text(name: str) -> str:
    return resources.files("tei_encoder.profiles").joinpath(f"{name}.toml").read_text("utf-8")


@cache
def _detection_digest() -> str:
    """Every built-in profile's [detect] table: what auto-detection chooses among."""
    tables = {name: tomllib.loads(_builtin_text(name)).get("detect", {}) for name in BUILTIN}
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def _profile_digest(name_or_path: str) -> str:
    """A profile's text with that of the built-in profile it starts from (its `base`)."""
    if name_or_path in BUILTIN:
        text = _builtin_text(name_or_path)
    else:
        try:
            text = Path(name_or_path).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return "unreadable"
    try:
        base = str(tomllib.loads(text).get("base", ""))
    except tomllib.TOMLDecodeError:
        base = ""
    base_text = _builtin_text(base) if base in BUILTIN and base != name_or_path else ""
    return hashlib.sha256(text.encode() + b"\0" + base_text.encode()).hexdigest()


def profile_digest(given: str | None, used: str) -> str:
    """What an edition's profile was made of: the profile given, or the one detected and how.

    A profile given (built-in or file) counts alone; a detected one counts with the detection
    patterns of every built-in profile, which decided the choice.
    """
    if given:
        return _profile_digest(given)
    name = used.removesuffix(INFERRED)
    own = _profile_digest(name) if name in BUILTIN else "unknown:" + used
    return hashlib.sha256(f"{_detection_digest()}\0{own}".encode()).hexdigest()


def settings_digest(settings: dict[str, Any]) -> str:
    """A hash of everything else an edition's bytes depend on (configuration, options, schema)."""
    def plain(value: Any) -> Any:
        if hasattr(value, "__dataclass_fields__"):
            return plain(asdict(value))
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, Path):
            return file_sha256(value) if value.is_file() else str(value)
        return value

    return hashlib.sha256(json.dumps(plain(settings), sort_keys=True).encode()).hexdigest()


class Manifest:
    """`editions/.tei-encoder-cache.json`: for each edition, the hashes of what it was made from.

    Only an edition written and found good is recorded, so a failed document is tried again
    on every build. When the tool or the settings change, every edition is stale.
    """

    def __init__(self, folder: Path, settings: str, profile: str | None):
        self.path = folder / MANIFEST_NAME
        self.header = {"format": FORMAT, "tool": tool_identity(), "settings": settings}
        self.profile = profile
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        self._digests: dict[str, str] = {}  # per run: a profile file edited between runs is seen
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return  # no manifest, or a damaged one: everything is rebuilt
        if isinstance(data, dict) and all(data.get(k) == v for k, v in self.header.items()):
            entries = data.get("editions")
            self.entries = entries if isinstance(entries, dict) else {}
        else:
            self.changed = True

    def fresh(self, target: Path, stamp: Stamp) -> bool:
        entry = self.entries.get(target.name)
        return (
            entry is not None
            and entry.get("source") == stamp.source
            and entry.get("source_sha256") == stamp.source_sha256
            and entry.get("meta_sha256") == stamp.meta_sha256
            and entry.get("profile_sha256") == self.profile_digest(str(entry.get("profile", "")))
            and target.is_file()
        )

    def profile_digest(self, used: str) -> str:
        if used not in self._digests:
            self._digests[used] = profile_digest(self.profile, used)
        return self._digests[used]

    def record(self, target: Path, stamp: Stamp, used_profile: str) -> None:
        self.entries[target.name] = {
            "source": stamp.source,
            "source_sha256": stamp.source_sha256,
            "meta_sha256": stamp.meta_sha256,
            "profile": used_profile,
            "profile_sha256": self.profile_digest(used_profile),
        }
        self.changed = True

    def forget(self, target: Path) -> None:
        if self.entries.pop(target.name, None) is not None:
            self.changed = True

    def deleted(self, seen: set[str]) -> list[tuple[str, str]]:
        """(source, edition) of editions whose source is gone, in name order.

        An edition stays reported until it is removed or its source comes back; the entry of
        one already removed is dropped.
        """
        folder = self.path.parent
        gone: list[tuple[str, str]] = []
        for name in sorted(self.entries):
            edition = folder / name
            source = str(self.entries[name].get("source", ""))
            if str(edition) in seen or Path(source).exists():
                continue
            if edition.is_file():
                gone.append((source, str(edition)))
            else:
                del self.entries[name]
                self.changed = True
        return gone

    def save(self) -> None:
        """Write the manifest atomically (sorted: the same build gives the same file)."""
        if not self.changed:
            return
        from .io import write_atomically

        data = dict(self.header, editions={k: self.entries[k] for k in sorted(self.entries)})
        try:
            write_atomically(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        except InputError as exc:
            raise InputError(Diagnostic("TE900", f"build manifest cannot be written: {exc.diagnostic.message}",
                                        str(self.path))) from None
        self.changed = False
