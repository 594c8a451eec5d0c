"""The <?teipublisher odd="…"?> instruction: added to the copy that is uploaded, read back to verify."""

from __future__ import annotations

import re

# TEI Publisher reads the instruction's pseudo-attributes with double quotes only.
_ANY = re.compile(rb"<\?teipublisher(?:\s[^?]*)?\?>[ \t]*\r?\n?")
_ODD = re.compile(rb'<\?teipublisher\s(?:[^?]*\s)?odd="([^"]*)"[^?]*\?>')
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?xml\s[^?]*\?>|<\?[^?]*\?>|<!--.*?-->)", re.S)


def with_odd(data: bytes, odd: str) -> bytes:
    """The document with one teipublisher instruction naming `odd`, placed before the root element.

    Any instruction it had is replaced; every other byte stays as it was."""
    if '"' in odd or "?>" in odd:
        raise ValueError(f"an ODD name cannot hold a double quote or '?>': {odd!r}")
    data = _ANY.sub(b"", data)
    end = 0
    while (match := _PROLOG_ITEM.match(data, end)) is not None:
        end = match.end()
    instruction = b'<?teipublisher odd="' + odd.encode("utf-8") + b'"?>'
    newline = b"\n" if end else b""
    return data[:end] + newline + instruction + (b"" if end else b"\n") + data[end:]


def odd_named(data: bytes) -> str | None:
    """The ODD a document's teipublisher instruction names, read as TEI Publisher reads it (double quotes)."""
    match = _ODD.search(data[:8192])
    return match.group(1).decode("utf-8", "replace") if match else None
