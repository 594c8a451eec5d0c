"""Reading a transcript: decoding, normalising line ends, offsets to line:col."""

from __future__ import annotations

import bisect
import re
import stat
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from .diagnostics import Diagnostic, InputError, Reporter

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
# Form feed is not allowed in XML, but in a transcript it is a page boundary: it becomes a
# run of blank lines in the normalised text and a <pb/> in the edition.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The bytes cp1252 leaves undefined: text holding them is not cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# A form feed becomes a line of its own: a blank line that the page-break pass reads as a
# page boundary whatever the profile's blank-line convention.
PAGE_BREAK_LINES = "\n\f\n"
_GROWTH = len(PAGE_BREAK_LINES) - 1  # characters a form feed adds to the normalised text
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Decoding with surrogateescape: bytes that are not UTF-8 become U+DC80-U+DCFF.
_ESCAPED = re.compile("[\udc80-\udcff]")
_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")
_DECODED_NON_ASCII = re.compile("[\x80-\udc7f\udd00-\U0010ffff]")


@dataclass
class Source:
    """A transcript held in memory as normalised text with a map back to its lines."""

    name: str
    text: str
    encoding: str = "utf-8"
    line_starts: list[int] = field(default_factory=list)
    # Offsets in `text` where a form feed of the file was expanded into PAGE_BREAK_LINES:
    # positions are reported in the file's own lines, where a form feed ends no line.
    form_feeds: list[int] = field(default_factory=list)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) in the file of a character offset of `text`."""
        if not self.line_starts:  # made on the first diagnostic: most documents need none
            self.line_starts = _line_starts(self.text, self.form_feeds)
        offset = self.file_offset(offset)
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def file_offset(self, offset: int) -> int:
        """The offset in the file's text (line ends normalised) of an offset in `text`."""
        if not self.form_feeds:
            return offset
        before = bisect.bisect_right(self.form_feeds, offset) - 1
        if before < 0:
            return offset
        start = self.form_feeds[before]
        if offset < start + len(PAGE_BREAK_LINES):
            return start - before * _GROWTH  # inside an expansion: the form feed itself
        return offset - (before + 1) * _GROWTH


def _line_starts(text: str, form_feeds: list[int]) -> list[int]:
    """Offsets (in the file's text) where its lines start; form feeds end no line."""
    if not form_feeds:
        return list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
    starts = [0]
    find = text.find
    pos = find("\n")
    k = 0  # form feeds whose expansion ends at or before pos
    while pos != -1:
        while k < len(form_feeds) and form_feeds[k] + len(PAGE_BREAK_LINES) <= pos:
            k += 1
        inside = k < len(form_feeds) and form_feeds[k] <= pos
        if not inside:
            starts.append(pos + 1 - k * _GROWTH)
        pos = find("\n", pos + 1)
    return starts


def decode(data: bytes, name: str, reporter: Reporter) -> tuple[str, str]:
    """Decode bytes as UTF-8, or as cp1252/Latin-1 with a warning; return (text, encoding)."""
    if not data:
        raise InputError(Diagnostic("TE101", "file is empty: nothing to encode", name))
    if data.startswith(_UTF16_BOMS):
        raise InputError(Diagnostic("TE103", "text is UTF-16; convert it to UTF-8", name, 1, 1))
    if b"\x00" in data:
        line, col = _byte_position(data, data.index(b"\x00"))
        raise InputError(Diagnostic("TE102", "file is binary (NUL byte): not a transcript", name, line, col))
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
    escaped = data.decode("utf-8", "surrogateescape")
    stray = _unescape("".join(_ESCAPED.findall(escaped)))
    high = {b for b in stray if 0x80 <= b <= 0x9F}
    line, col = _text_position(data[:bad].decode("utf-8"))
    if high & _CP1252_UNDEFINED:
        raise InputError(
            Diagnostic("TE103", "text is neither UTF-8 nor cp1252/Latin-1; convert it to UTF-8", name, line, col)
        )
    encoding = "cp1252" if high else "latin-1"
    if _DECODED_NON_ASCII.search(escaped):
        # Mostly UTF-8 with a few bytes from another encoding (text pasted from elsewhere):
        # reading everything as cp1252 would garble every UTF-8 character, so only the
        # bytes that are not UTF-8 are read as cp1252.
        text = _ESCAPED_RUN.sub(lambda m: _unescape(m.group()).decode(encoding), escaped)
        reporter.emit(
            "TE104",
            f"not all UTF-8 (first bad byte 0x{data[bad]:02X}); {len(stray)} byte(s) decoded as {encoding}",
            line,
            col,
        )
        return text, "utf-8+" + encoding
    reporter.emit("TE104", f"not UTF-8 (first bad byte 0x{data[bad]:02X}); decoded as {encoding}", line, col)
    return data.decode(encoding), encoding


def _unescape(escaped: str) -> bytes:
    """The bytes that decoding with surrogateescape turned into U+DC80-U+DCFF."""
    return escaped.encode("utf-8", "surrogateescape")


def _text_position(before: str) -> tuple[int, int]:
    """1-based line and column just after `before`, counting CRLF, CR and LF as line ends."""
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _byte_position(data: bytes, index: int) -> tuple[int, int]:
    return _text_position(data[:index].decode("utf-8", "replace"))


def _normalise(text: str, name: str, reporter: Reporter) -> tuple[str, list[int]]:
    """Normalised text and the offsets where form feeds were expanded into blank lines."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        reporter.emit("TE107", "CR or CRLF line ends read as LF", 1, 1)
    # Checked before form feeds are expanded, so that line:col are the file's own.
    bad = _FORBIDDEN.search(text)
    if bad:
        line, col = _text_position(text[: bad.start()])
        raise InputError(
            Diagnostic(
                "TE105",
                f"character U+{ord(bad.group()):04X} cannot appear in XML; remove it from the transcript",
                name,
                line,
                col,
            )
        )
    form_feeds: list[int] = []
    if "\f" in text:
        parts = text.split("\f")
        at = 0
        for part in parts[:-1]:
            at += len(part)
            form_feeds.append(at)
            at += len(PAGE_BREAK_LINES)
        text = PAGE_BREAK_LINES.join(parts)
    return text, form_feeds


def read_source(path: Path, reporter: Reporter, display: str | None = None) -> Source:
    """Read and normalise a transcript file, raising InputError with a one-line reason."""
    name = display or str(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise InputError(Diagnostic("TE100", "is a folder, not a transcript", name))
        if not stat.S_ISREG(mode):
            # A pipe or a device would block or never end: only regular files are read.
            raise InputError(Diagnostic("TE100", "not a regular file", name))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Diagnostic("TE100", "no such file", name)) from None
    except PermissionError:
        raise InputError(Diagnostic("TE100", "permission denied", name)) from None
    except IsADirectoryError:
        raise InputError(Diagnostic("TE100", "is a folder, not a transcript", name)) from None
    except OSError as exc:
        raise InputError(Diagnostic("TE100", f"cannot read: {exc.strerror or exc}", name)) from None
    return source_from_bytes(data, name, reporter)


def source_from_bytes(data: bytes, name: str, reporter: Reporter) -> Source:
    """Build a Source from raw bytes (decode, then normalise)."""
    text, encoding = decode(data, name, reporter)
    text, form_feeds = _normalise(text, name, reporter)
    if not text.strip():
        raise InputError(Diagnostic("TE101", "file holds only white space: nothing to encode", name))
    return Source(name, text, encoding, form_feeds=form_feeds)
