"""Diagnostics: one table of codes, one format `file:line:col: severity[CODE] message`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """How bad a diagnostic is; the CLI decides which level fails a run."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


# Every code the project emits, with its default severity and a short title.
# TE1xx: reading the input; TE2xx: block structure; TE3xx: inline markup;
# TE4xx: header facts; TE5xx: validation (TE53x: Schematron); TE6xx: ODD; TE9xx: writing and checking
# output, and internal errors.
CODES: dict[str, tuple[Severity, str]] = {
    "TE100": (Severity.ERROR, "file cannot be read"),
    "TE101": (Severity.ERROR, "file is empty"),
    "TE102": (Severity.ERROR, "file is binary"),
    "TE103": (Severity.ERROR, "text cannot be decoded"),
    "TE104": (Severity.WARNING, "encoding assumed"),
    "TE105": (Severity.ERROR, "character not allowed in XML"),
    "TE106": (Severity.INFO, "byte order mark removed"),
    "TE107": (Severity.INFO, "line ends normalised"),
    "TE110": (Severity.ERROR, "profile error"),
    "TE201": (Severity.WARNING, "no document heading found"),
    "TE202": (Severity.INFO, "page break inferred inside a sentence"),
    "TE301": (Severity.WARNING, "unclosed bracket"),
    "TE302": (Severity.WARNING, "closing bracket without an opening one"),
    "TE303": (Severity.WARNING, "nested brackets"),
    "TE304": (Severity.WARNING, "[sic] marker with no word before it"),
    "TE401": (Severity.WARNING, "date not understood"),
    "TE402": (Severity.WARNING, "archival citation not parsed"),
    "TE421": (Severity.WARNING, "the catalogue's date differs from the text's"),
    "TE440": (Severity.INFO, "language not identified with confidence"),
    "TE500": (Severity.ERROR, "document not well-formed"),
    "TE501": (Severity.ERROR, "DTD or entity refused"),
    "TE502": (Severity.ERROR, "XInclude failed"),
    "TE510": (Severity.ERROR, "element not allowed here"),
    "TE511": (Severity.ERROR, "element incomplete"),
    "TE512": (Severity.ERROR, "attribute not allowed"),
    "TE513": (Severity.ERROR, "missing required attribute"),
    "TE514": (Severity.ERROR, "invalid attribute value"),
    "TE515": (Severity.ERROR, "text not allowed or invalid content"),
    "TE516": (Severity.ERROR, "duplicate ID"),
    "TE517": (Severity.ERROR, "IDREF to a missing ID"),
    "TE518": (Severity.ERROR, "root element not allowed"),
    "TE520": (Severity.ERROR, "RELAX NG schema cannot be read or is invalid"),
    "TE521": (Severity.WARNING, "schema named by the document not found; the packaged one used"),
    "TE530": (Severity.ERROR, "Schematron assertion failed"),
    "TE531": (Severity.WARNING, "Schematron warning"),
    "TE532": (Severity.INFO, "Schematron information"),
    "TE533": (Severity.ERROR, "document cannot be checked against the Schematron rules"),
    "TE538": (Severity.WARNING, "Schematron schema problem"),
    "TE539": (Severity.ERROR, "Schematron schema cannot be compiled"),
    "TE601": (Severity.ERROR, "ODD cannot be read"),
    "TE602": (Severity.ERROR, "unknown module"),
    "TE603": (Severity.ERROR, "unknown or deleted spec referred to"),
    "TE604": (Severity.ERROR, "bad mode"),
    "TE605": (Severity.WARNING, "change to a spec the schema does not include"),
    "TE606": (Severity.ERROR, "TEI source not found"),
    "TE607": (Severity.WARNING, "unknown name in include or except"),
    "TE608": (Severity.WARNING, "spec is past its validUntil date"),
    "TE609": (Severity.ERROR, "no schemaSpec"),
    "TE610": (Severity.ERROR, "unsupported ODD feature"),
    "TE611": (Severity.WARNING, "specGrpRef to a specGrp the ODD does not hold"),
    "TE612": (Severity.ERROR, "schemaSpec/@source cannot be resolved"),
    "TE613": (Severity.ERROR, "schemaSpec/@source makes a cycle"),
    "TE614": (Severity.ERROR, "attRef cannot be resolved"),
    "TE701": (Severity.ERROR, "rendering ODD: unknown behaviour"),
    "TE702": (Severity.ERROR, "rendering ODD: predicate or parameter does not compile"),
    "TE703": (Severity.ERROR, "rendering ODD: element specification TEI Publisher cannot use"),
    "TE704": (Severity.WARNING, "rendering ODD: not chained to TEI Publisher's base ODD"),
    "TE710": (Severity.ERROR, "publishing server cannot be reached or answered an error"),
    "TE711": (Severity.ERROR, "publishing server refused the credentials"),
    "TE712": (Severity.ERROR, "rendering ODD does not compile on the server"),
    "TE713": (Severity.ERROR, "document not published"),
    "TE714": (Severity.ERROR, "published document differs from the one sent"),
    "TE715": (Severity.ERROR, "collection does not exist and cannot be created"),
    "TE716": (Severity.WARNING, "publication incomplete"),
    "TE900": (Severity.ERROR, "output cannot be written"),
    "TE901": (Severity.ERROR, "edition does not round-trip"),
    "TE902": (Severity.ERROR, "edition is not valid"),
    "TE910": (Severity.ERROR, "project folder is not empty"),
    "TE911": (Severity.WARNING, "source of an edition deleted"),
    "TE999": (Severity.ERROR, "internal error"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One message about one place in one file."""

    code: str
    message: str
    file: str = "-"
    line: int | None = None
    col: int | None = None
    severity: Severity | None = None
    # Facts a machine-readable report gives besides the message, as (name, value) pairs: a
    # Schematron finding's governing role and where it comes from, say.
    details: tuple[tuple[str, str], ...] = ()

    @property
    def level(self) -> Severity:
        return self.severity if self.severity is not None else CODES[self.code][0]

    def format(self) -> str:
        """One line, whatever the file name or message hold."""
        where = _one_line(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.level}[{self.code}] {_one_line(self.message)}"

    __str__ = format


def _one_line(text: str) -> str:
    """Line breaks and other control characters shown as escapes, so a diagnostic stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


# The printed form, for tools (and tests) that read diagnostics back.
DIAGNOSTIC_LINE = re.compile(
    r"^(?P<file>.+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?P<severity>error|warning|info)\[(?P<code>TE\d{3})\] (?P<message>.+)$"
)


class InputError(Exception):
    """A document could not be read or converted; carries the one diagnostic to print."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass
class Reporter:
    """Collects diagnostics for one document, in the order they were found."""

    file: str = "-"
    items: list[Diagnostic] = field(default_factory=list)

    def emit(self, code: str, message: str, line: int | None = None, col: int | None = None) -> None:
        self.items.append(Diagnostic(code, message, self.file, line, col))

    def max_level(self) -> Severity | None:
        return max((d.level for d in self.items), default=None)

    def count(self, level: Severity) -> int:
        return sum(1 for d in self.items if d.level == level)
