"""Saxon compiling the stylesheet once and running it on documents: the `Schematron` class."""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import Any

from lxml import etree

from ...diagnostics import Diagnostic
from .document import SAFE_PARSER, _CannotCheck, _expand_internal_entities, _plain_text, _serialise, parse_document
from .findings import Finding
from .locate import _Locator, _with_place
from .schema import SchematronError
from .xslt import compile_schematron_full

_lock = threading.Lock()
_processor = None
_executables: dict[str, Any] = {}  # compiled stylesheets (saxonche PyXsltExecutable), by content


def _saxon() -> Any:
    """The process's Saxon processor: HE, no licence, no external resources fetched."""
    global _processor
    if _processor is None:
        from saxonche import PySaxonProcessor

        proc = PySaxonProcessor(license=False)
        # No URI scheme is allowed for doc(), unparsed-text() and the like: a rule cannot read a
        # file or reach the network.
        proc.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "")
        _processor = proc
    return _processor


class Schematron:
    """An ISO Schematron schema compiled for Saxon, ready to validate documents."""

    def __init__(self, sch: bytes | Path | str, phase: str | None = None, name: str | None = None, roles: str = "own"):
        """`roles`: "own" (an assertion's role is its own, as ISO Schematron and SchXslt have it) or
        "inherit" (an assertion without a role takes its rule's, else its pattern's)."""
        self.name = name or (str(sch) if isinstance(sch, (str, Path)) else "-")
        self.roles = roles
        compiled = compile_schematron_full(sch, phase, self.name, roles)
        self.xslt = compiled.xslt
        self.warnings = compiled.warnings
        self.patterns = compiled.patterns
        self.rules = compiled.rules
        key = hashlib.sha256(self.xslt.encode()).hexdigest()
        with _lock:
            executable = _executables.get(key)
            if executable is None:
                proc = _saxon()
                try:
                    executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=self.xslt)
                except Exception as exc:  # saxonche raises PySaxonApiError with Saxon's message
                    raise SchematronError(f"the rules cannot be compiled: {_first_lines(str(exc))}", self.name) from None
                _executables[key] = executable
        self._executable = executable

    @classmethod
    def from_file(cls, path: Path | str, phase: str | None = None, roles: str = "own") -> Schematron:
        return cls(Path(path), phase, roles=roles)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "-", phase: str | None = None, roles: str = "own") -> Schematron:
        return cls(data, phase, name, roles)

    # -- findings ------------------------------------------------------------------------

    def _run(self, text: str) -> list[Finding]:
        """Saxon parses the document text and runs the rules: the findings, without lines."""
        proc = _saxon()
        with _lock:
            doc = proc.parse_xml(xml_text=text)
            out = self._executable.transform_to_string(xdm_node=doc)
        report = etree.fromstring(out.encode("utf-8"), SAFE_PARSER)
        found = []
        for f in report:
            parts = [f.text or ""]
            for d in f:
                parts.append(" ")
                parts.append("".join(d.itertext()))
                parts.append(d.tail or "")
            message = " ".join("".join(parts).split())
            found.append(Finding(f.get("kind", ""), f.get("role", ""), message, f.get("pattern", ""), f.get("path", ""),
                                 role_from=f.get("role-from", ""), unapplied=f.get("unapplied", ""),
                                 unapplied_from=f.get("unapplied-from", ""), unapplied_role=f.get("unapplied-role", "")))
        return found

    def findings_tree(self, tree: etree._ElementTree) -> list[Finding]:
        """Raw findings for a document parsed by parse_document, without lines."""
        _expand_internal_entities(tree)
        return self._run(_serialise(tree.getroot()))

    def check(self, data: bytes, name: str = "-") -> tuple[list[Finding], list[Diagnostic]]:
        """Findings with their lines, or the diagnostic that the document cannot be checked.

        A document without a DOCTYPE goes to Saxon as it is (nothing in it can point outside
        it); any other, or one Saxon refuses, is parsed by lxml first and handed over without
        its DOCTYPE. lxml parses the document in any case when there are findings to place.
        """
        found: list[Finding] | None = None
        text = _plain_text(data)
        if text is not None:
            try:
                found = self._run(text)
            except Exception:  # not well-formed, say: the careful path below tells why
                found = None
        tree = None
        if found is None:
            try:
                tree = parse_document(data)
            except etree.XMLSyntaxError as exc:
                line, col = exc.position if exc.position else (None, None)
                msg = re.sub(r", line \d+, column \d+$", "", exc.msg or "syntax error")
                return [], [Diagnostic("TE500", f"not well-formed XML: {msg}", name, line, col)]
            try:
                found = self.findings_tree(tree)
            except _CannotCheck as exc:
                return [], [Diagnostic("TE501", str(exc), name, exc.line)]
            except Exception as exc:  # a dynamic error outside the tests (in a global let, say)
                return [], [Diagnostic("TE533", f"the rules failed on this document: {_first_lines(str(exc))}", name, 1)]
        if found:
            if tree is None:
                try:
                    tree = parse_document(data)
                except etree.XMLSyntaxError:
                    return found, []
            locator = _Locator(data, tree)
            found = [_with_place(f, locator) for f in found]
        return found, []

    def validate_bytes(self, data: bytes, name: str = "-") -> list[Diagnostic]:
        """Every finding as a diagnostic, in document order."""
        found, problems = self.check(data, name)
        if problems:
            return problems
        out = [Diagnostic(f.code, f.text(), name, f.line, f.col, f.severity, f.details) for f in found]
        return sorted(out, key=lambda d: (d.line or 0, d.col or 0))

    def validate_file(self, path: Path | str) -> list[Diagnostic]:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [Diagnostic("TE100", f"cannot read: {exc.strerror or exc}", str(path))]
        return self.validate_bytes(data, str(path))


def _first_lines(text: str, n: int = 3) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return " ".join(lines[:n])
