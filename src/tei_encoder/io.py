"""Files in and out without the encoder: atomic writes, and the safe parser for editions and other user XML."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic, InputError

# Editions come from users too: never load a DTD, expand an entity or touch the network.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True)

# lxml ends its messages with the position that the diagnostic already gives.
_POSITION_SUFFIX = re.compile(r", line \d+, column \d+$")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(Diagnostic("TE900", f"cannot write here: {exc.strerror or exc}", str(path))) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(Diagnostic("TE900", f"cannot write: {exc.strerror or exc}", str(path))) from None
    except BaseException:  # interrupted: leave neither a temporary file nor a half edition
        Path(tmp).unlink(missing_ok=True)
        raise


def read_edition(path: Path) -> etree._Element:
    """Parse an edition safely; raises InputError with file:line:col when it is not XML."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Diagnostic("TE100", f"cannot read: {exc.strerror or exc}", str(path))) from None
    return parse_edition(data, str(path))


def parse_edition(data: bytes, name: str) -> etree._Element:
    """Parse edition bytes safely."""
    try:
        return etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        message = _POSITION_SUFFIX.sub("", exc.msg or "syntax error")
        raise InputError(Diagnostic("TE100", f"not well-formed XML: {message}", name, line, col)) from None
