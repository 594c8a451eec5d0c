"""Reading a transcript: decoding, normalising line ends, offsets to line:col."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, InputError, Reporter

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
# Form feed is not allowed in XML, but in a transcript it is a page boundary: it becomes a
# run of blank lines in the normalised text and a <pb/> in the edition.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The bytes cp1252 leaves undefined: text holding them is not cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
PAGE_BREAK_LINES = "\n\n\n\n"


@dataclass
class Source:
    """A transcript held in memory as normalised text with a map back to its lines."""

    name: str
    text: str
    encoding: str = "utf-8"
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.line_starts:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self.line_starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a character offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1


def decode(data: bytes, name: str, reporter: Reporter) -> tuple[str, str]:
    """Decode bytes as UTF-8, or as cp1252/Latin-1 with a warning; return (text, encoding)."""
    if not data.strip():
        raise InputError(Diagnostic("TE101", "file is empty: nothing to encode", name))
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(Diagnostic("TE102", "file is binary (NUL byte): not a transcript", name, line))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        reporter.emit("TE106", "UTF-8 byte order mark removed", 1, 1)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
    # Not UTF-8. Bytes 0x80-0x9F are C1 controls in Latin-1 but letters and punctuation in
    # cp1252, so text that has them and none of cp1252's undefined bytes is cp1252; text
    # without them reads the same either way.
    high = {b for b in data if 0x80 <= b <= 0x9F}
    line, col = _byte_position(data, bad)
    if high & _CP1252_UNDEFINED:
        raise InputError(
            Diagnostic("TE103", "text is neither UTF-8 nor cp1252/Latin-1; convert it to UTF-8", name, line, col)
        )
    encoding = "cp1252" if high else "latin-1"
    reporter.emit(
        "TE104",
        f"not UTF-8 (first bad byte 0x{data[bad]:02X}); decoded as {encoding}",
        line,
        col,
    )
    return data.decode(encoding), encoding


def _byte_position(data: bytes, index: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, index) + 1
    return data.count(b"\n", 0, index) + 1, index - line_start + 1


def normalise(text: str, name: str, reporter: Reporter) -> str:
    """Normalise line ends and form feeds; refuse characters XML cannot hold."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        reporter.emit("TE107", "CR or CRLF line ends read as LF", 1, 1)
    if "\f" in text:
        text = text.replace("\f", PAGE_BREAK_LINES)
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise InputError(
            Diagnostic(
                "TE105",
                f"character U+{ord(bad.group()):04X} cannot appear in XML; remove it from the transcript",
                name,
                line,
                col,
            )
        )
    return text


def read_source(path: Path, reporter: Reporter, display: str | None = None) -> Source:
    """Read and normalise a transcript file, raising InputError with a one-line reason."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(Diagnostic("TE100", "is a folder, not a transcript", name)) from None
    except FileNotFoundError:
        raise InputError(Diagnostic("TE100", "no such file", name)) from None
    except PermissionError:
        raise InputError(Diagnostic("TE100", "permission denied", name)) from None
    except OSError as exc:
        raise InputError(Diagnostic("TE100", f"cannot read: {exc.strerror or exc}", name)) from None
    return source_from_bytes(data, name, reporter)


def source_from_bytes(data: bytes, name: str, reporter: Reporter) -> Source:
    """Build a Source from raw bytes (decode, then normalise)."""
    text, encoding = decode(data, name, reporter)
    text = normalise(text, name, reporter)
    if not text.strip():
        raise InputError(Diagnostic("TE101", "file holds only white space: nothing to encode", name))
    return Source(name, text, encoding)
