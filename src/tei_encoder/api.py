"""Library entry points: encode a file or bytes, write editions safely, read an edition back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .config import ProjectConfig
from .convert import Result, convert
from .diagnostics import Diagnostic, InputError, Reporter

# Re-exported: the library's users find every file operation here too.
from .io import SAFE_PARSER as SAFE_PARSER
from .io import parse_edition as parse_edition
from .io import read_edition as read_edition
from .io import write_atomically as write_atomically
from .metadata import load_metadata
from .profiles import BUILTIN, Profile, load_profile
from .source import Source, read_source, source_from_bytes
from .tei.totext import edition_text, recorded_profile

if TYPE_CHECKING:
    from .batch import BatchSummary

TRANSCRIPT_SUFFIXES = (".txt", ".md")


def encode_bytes(
    data: bytes, name: str = "-", profile: str | None = None, config: ProjectConfig | None = None, repair_ocr: bool | None = None
) -> Result:
    """Encode a transcript given as bytes; raises InputError for unreadable input."""
    reporter = Reporter(name)
    source = source_from_bytes(data, name, reporter)
    return convert(source, reporter, profile, config, repair_ocr)


def encode_file(
    path: Path, profile: str | None = None, config: ProjectConfig | None = None, repair_ocr: bool | None = None
) -> tuple[Source, Result]:
    """Encode a transcript file; raises InputError for unreadable input."""
    reporter = Reporter(str(path))
    source = read_source(path, reporter)
    return source, convert(source, reporter, profile, config, repair_ocr, load_metadata(path))


def transcripts(paths: list[Path]) -> list[Path]:
    """Files named, plus transcripts found in folders named, in a stable order."""
    return list(iter_transcripts(paths))


def iter_transcripts(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, plus transcripts found in folders named, one at a time, in a stable order.

    A folder is walked depth first with each folder's entries sorted by name: the order of
    sorting all the paths, without holding them all (a corpus may have millions of files).
    """
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = folder / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):  # as rglob: a link to a folder is not entered
                yield from _walk(path)
            elif path.suffix in TRANSCRIPT_SUFFIXES and entry.is_file():
                yield path
        except OSError:
            continue


def encode_files(
    paths: list[Path], out: Path, profile: str | None = None, config: ProjectConfig | None = None, *,
    check: bool = True, repair_ocr: bool | None = None, fail_on: str = "error", jobs: int = 1, scheduler: str = "processes",
    say: Callable[[str], None] | None = None,
) -> BatchSummary:
    """Encode transcripts (files or folders) into OUT as `tei-encoder convert` does, byte for byte."""
    from .batch import Policy, run_batch, schema_hrefs_for

    config = config or ProjectConfig()
    policy = Policy(out=out, profile=profile, config=config, check=check, repair_ocr=repair_ocr, fail_on=fail_on,
                    hrefs=schema_hrefs_for(config, out))
    return run_batch(paths, policy, jobs=jobs, scheduler=scheduler, say=say or (lambda line: None))


def edition_profile(root: etree._Element, name: str, profile: Profile | str | None = None) -> Profile:
    """The profile to read an edition back with: the one given, or the built-in one it names.

    An edition names its profile but cannot carry it: a profile from a file must be given
    again, and a name read from an edition is never taken for a path to open.
    """
    if isinstance(profile, Profile):
        return profile
    if profile:
        return load_profile(profile)
    recorded = recorded_profile(root)
    if recorded not in BUILTIN:
        raise InputError(
            Diagnostic("TE110", f"made with profile '{recorded}', which is not built in: give it with --profile", name)
        )
    return load_profile(recorded)


@dataclass(frozen=True)
class RoundTrip:
    """Whether an edition gives its source back, and where the two first differ."""

    ok: bool
    detail: str = ""


def collapse(text: str) -> str:
    """A text with every run of white space made one space, as the round trip compares."""
    return " ".join(text.split())


def check_round_trip(source_text: str, edition: bytes, name: str = "-", profile: Profile | str | None = None) -> RoundTrip:
    """Compare a source with the text regenerated from its edition (made with `profile`)."""
    root = parse_edition(edition, name)
    back = collapse(edition_text(root, edition_profile(root, name, profile)))
    want = collapse(source_text)
    if back == want:
        return RoundTrip(True)
    i = next((k for k, (a, b) in enumerate(zip(want, back)) if a != b), min(len(want), len(back)))
    return RoundTrip(False, f"at character {i}: source has {want[i:i + 40]!r}, edition gives {back[i:i + 40]!r}")
