"""Errors in an ODD or the TEI source, carrying a diagnostic with file, line and column."""

from __future__ import annotations

from lxml import etree

from ..diagnostics import Diagnostic

# Set on a spec's part copied into another spec: "LINE FILE" where it was written.
ORIGIN = "{urn:x-tei-encoder:odd}origin"


class OddError(Exception):
    """An ODD that cannot be compiled; `diagnostic` says where and why."""

    def __init__(self, code: str, message: str, file: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(code, message, file, line or None, col or None)


class Locator:
    """Line and column of elements of one parsed file, for diagnostics."""

    def __init__(self, path: str, text: str | None) -> None:
        self.path = path
        self._lines = text.splitlines() if text is not None else []

    def at(self, code: str, message: str, el: etree._Element | None) -> Diagnostic:
        line, col = self.position(el)
        return Diagnostic(code, message, self.path, line or None, col or None)

    def error(self, code: str, message: str, el: etree._Element | None) -> OddError:
        line, col = self.position(el)
        return OddError(code, message, self.path, line, col)

    def position(self, el: etree._Element | None) -> tuple[int, int]:
        # lxml records the line of a start tag but not its column: find the tag on that line.
        if el is None or not el.sourceline:
            return 0, 0
        line = el.sourceline
        name = etree.QName(el).localname
        for number in (line, line - 1):
            if 0 < number <= len(self._lines):
                text = self._lines[number - 1]
                for prefix in ("", *[p + ":" for p in (el.prefix,) if p]):
                    col = text.find("<" + prefix + name)
                    if col >= 0:
                        return number, col + 1
        return line, 1


class SpecError(Exception):
    """A defect found in a spec while building the schema, placed once the spec's file is known."""

    def __init__(self, code: str, message: str, element: etree._Element) -> None:
        super().__init__(message)
        self.code = code
        self.element = element

    def located(self, fallback: str) -> OddError:
        """As an OddError at the element's file, line and column (its file read again for the column)."""
        path = self.element.getroottree().docinfo.URL or fallback
        origin = self.element.get(ORIGIN)
        if origin:
            line, _, written = origin.partition(" ")
            path = written or fallback
            self.element.sourceline = int(line)
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text: str | None = handle.read()
        except OSError:
            text = None
        return Locator(path, text).error(self.code, str(self), self.element)
