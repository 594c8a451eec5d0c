"""Keeping a simplified schema on disk.

The key is a hash of the schema file and of every file it includes or references (listed
in the cached entry itself and re-checked on load), of the package version and of the
source of this package, so an edited schema or a new validator never reads a stale entry.
The entry is a pickle of the Grammar (patterns are plain slotted objects; datatypes pickle
as their name, parameters and already translated regular expressions, since translating XML
Schema expressions is most of the time a cold load takes). Writing is atomic (a temporary
file renamed into place); an unreadable entry is ignored and rewritten. A pickle runs code
when loaded: the cache folder must be one only the user can write to.

tei_all.rng: 0.2 s to read and simplify, 0.02 s from the cache (imports excluded).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from ... import __version__ as _version
from .schema import Grammar, SchemaReader

_FORMAT = 1


def _source_digest() -> str:
    digest = hashlib.sha256(f"{_FORMAT}\0{_version}\0{sys.version_info[:2]}".encode())
    here = Path(__file__).parent
    for p in sorted(here.glob("*.py")):
        digest.update(p.read_bytes())
    return digest.hexdigest()


def _files_digest(files: list[str]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.encode() + b"\0")
        digest.update(hashlib.sha256(Path(f).read_bytes()).digest())
    return digest.hexdigest()


def _dumps(files: list[str], grammar: Grammar) -> bytes:
    """The cache entry. Element contents are pickled apart from the elements: otherwise pickle
    would recurse from element to content to element through the whole schema."""
    elements = grammar.builder.elements
    contents = [e.b for e in elements]
    for e in elements:
        e.b = None
    try:
        return pickle.dumps((files, _files_digest(files), grammar, contents), protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for e, c in zip(elements, contents, strict=True):
            e.b = c


def cached_grammar(path: Path, cache_dir: Path) -> Grammar:
    """The grammar of the schema at path, from cache_dir when an entry for this very schema is there."""
    main = os.path.abspath(path)
    key = hashlib.sha256((_source_digest() + _files_digest([main])).encode()).hexdigest()[:32]
    entry = cache_dir / f"{Path(main).stem}-{key}.pickle"
    if entry.is_file():
        try:
            with open(entry, "rb") as f:
                files, digest, grammar, contents = pickle.load(f)
            if _files_digest(files) == digest:
                for element, content in zip(grammar.builder.elements, contents, strict=True):
                    element.b = content
                return grammar
        except Exception:  # a damaged or foreign entry: read the schema again
            pass
    reader = SchemaReader()
    grammar = reader.read(main)
    files = list(dict.fromkeys(reader.files))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        payload = _dumps(files, grammar)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, entry)
    except (OSError, RecursionError, pickle.PicklingError):
        pass
    return grammar
