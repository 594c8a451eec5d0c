"""Finding transcripts: files named, and those in folders named, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

TRANSCRIPT_SUFFIXES = (".txt", ".md")


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
