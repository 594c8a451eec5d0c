"""Publishing editions to TEI Publisher: validate, lint the ODD, upload it and the editions, verify, report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, Severity
from .client import Publisher, PublisherError, document_id
from .lint import default_odd, lint_odd
from .pi import odd_named, with_odd

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class DocumentResult:
    """What happened to one edition."""

    path: str
    doc_id: str
    status: str  # published, would publish, invalid, unreadable, failed, not sent, pruned, would prune
    detail: str = ""


@dataclass
class PublishReport:
    """The outcome of one publication, per document and as a whole."""

    target: str
    collection: str
    odd: str
    version: str | None = None
    odd_status: str = "not sent"
    documents: list[DocumentResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    usage_error: bool = False

    @property
    def exit_code(self) -> int:
        if self.usage_error or any(d.status == "unreadable" for d in self.documents):
            return EXIT_USAGE
        if any(d.level >= Severity.ERROR for d in self.diagnostics) or \
                any(d.status in ("invalid", "failed", "not sent") for d in self.documents):
            return EXIT_FAILED
        return EXIT_OK

    @property
    def published(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "published"]

    def lines(self) -> list[str]:
        """The report as printed: one line per document, then the totals."""
        out = [f"TEI Publisher {self.version or '?'} at {self.target}, collection {self.collection}",
               f"  ODD {self.odd}: {self.odd_status}"]
        width = max((len(d.doc_id) for d in self.documents), default=0)
        for d in self.documents:
            out.append(f"  {d.doc_id.ljust(width)}  {d.status}" + (f": {d.detail}" if d.detail else ""))
        counts: dict[str, int] = {}
        for d in self.documents:
            counts[d.status] = counts.get(d.status, 0) + 1
        out.append(", ".join(f"{n} {status}" for status, n in counts.items()) or "no documents")
        return out


def _say(report: PublishReport, code: str, message: str, file: str = "-") -> None:
    report.diagnostics.append(Diagnostic(code, message, file))


def _validate(paths: list[Path], report: PublishReport, schema: Path | None) -> list[tuple[Path, bytes]]:
    """The editions that are valid against the project's schema, read; the others reported."""
    from ..validate.runner import validate_all
    from ..validate.schemas import SchemaPair, companion_sch

    explicit = SchemaPair(schema, companion_sch(schema)) if schema else None
    ready = []
    for path, outcome in zip(paths, validate_all(paths, explicit), strict=True):
        doc_id = document_id(report.collection, path.name)
        report.diagnostics.extend(outcome.diagnostics)
        if outcome.unreadable:
            report.documents.append(DocumentResult(str(path), doc_id, "unreadable", "cannot be read or has no schema"))
        elif not outcome.valid:
            report.documents.append(DocumentResult(str(path), doc_id, "invalid",
                                                   f"{len(outcome.errors)} validation errors: not sent"))
        else:
            ready.append((path, path.read_bytes()))
    return ready


def _same_document(sent: bytes, stored: bytes, odd: str) -> str | None:
    """Why the stored copy is not the one sent (None when it is): the ODD named, then the content."""
    if odd_named(stored) != odd:
        return f'the stored copy does not name the ODD with <?teipublisher odd="{odd}"?>'

    def canonical(data: bytes) -> bytes:
        root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True))
        return etree.tostring(root, method="c14n")

    try:
        if canonical(sent) != canonical(stored):
            return "the stored content differs from the edition sent"
    except etree.XMLSyntaxError as exc:
        return f"the stored copy is not well-formed: {exc}"
    return None


def publish(
    editions: list[Path],
    url: str,
    collection: str,
    *,
    user: str | None = None,
    password: str | None = None,
    odd: Path | None = None,
    dry_run: bool = False,
    prune: bool = False,
    create_collection: bool = True,
    schema: Path | None = None,
    client_factory: Callable[[], Publisher] | None = None,
) -> PublishReport:
    """Publish editions to a TEI Publisher instance; never leaves it half-published without saying so."""
    odd = odd or default_odd()
    collection = collection.strip("/")
    report = PublishReport(url, collection, odd.name)
    missing = [p for p in editions if not p.is_file()]
    for path in missing:
        report.documents.append(DocumentResult(str(path), document_id(collection, path.name), "unreadable", "no such file"))
    ready = _validate([p for p in editions if p.is_file()], report, schema)

    found = lint_odd(odd)
    report.diagnostics.extend(found)
    if any(d.level >= Severity.ERROR for d in found):
        report.odd_status = "refused by the lint: nothing sent"
        for path, _ in ready:
            report.documents.append(DocumentResult(str(path), document_id(collection, path.name), "not sent", "the ODD has errors"))
        return report
    copies = [(path, with_odd(data, odd.name)) for path, data in ready]
    if dry_run:
        report.odd_status = "linted; would upload and recompile"
        for path, _ in copies:
            report.documents.append(DocumentResult(str(path), document_id(collection, path.name), "would publish",
                                                   f'with <?teipublisher odd="{odd.name}"?>'))
        if prune:
            report.diagnostics.append(Diagnostic("TE716", "--prune with --dry-run: the collection is not read, nothing pruned",
                                                 url, severity=Severity.INFO))
        return report

    client = client_factory() if client_factory else Publisher(url, user, password)
    try:
        _send(client, report, odd, copies, prune, create_collection)
    except PublisherError as exc:
        _say(report, exc.code, str(exc), url)
        if exc.code == "TE711":
            report.usage_error = True
    finally:
        client.close()
    done = {d.path for d in report.documents}
    for path, _ in copies:
        if str(path) not in done:
            report.documents.append(DocumentResult(str(path), document_id(collection, path.name), "not sent"))
    sent = report.published
    if sent and len(sent) < len(copies):
        _say(report, "TE716", f"publication incomplete: {len(sent)} of {len(copies)} editions are on the server "
                              f"({', '.join(d.doc_id for d in sent)}); the others are not", url)
    return report


def _send(client: Publisher, report: PublishReport, odd: Path, copies: list[tuple[Path, bytes]],
          prune: bool, create: bool) -> None:
    collection = report.collection
    report.version = client.connect()

    # The ODD first: a document naming an ODD the server lacks renders silently with the default.
    client.upload(collection, [(odd.name, odd.read_bytes())])
    errors = client.recompile(odd.name)
    if errors:
        report.odd_status = "uploaded but does not compile: no edition sent"
        for error in errors:
            _say(report, "TE712", error, odd.name)
        return
    if odd.name not in client.odds():
        report.odd_status = "uploaded and compiled but not listed by the server: no edition sent"
        _say(report, "TE712", "the server does not list the ODD after compiling it", odd.name)
        return
    report.odd_status = "uploaded and compiled"

    present = client.collection(collection)
    if present is None:
        if not (create and client.create_collection(collection)):
            _say(report, "TE715", f"collection {collection!r} does not exist and the server did not create it", report.target)
            return
        present = []

    for path, data in copies:
        doc_id = document_id(collection, path.name)
        try:
            if client.major >= 10:
                client.put(doc_id, data)
            else:
                client.upload(collection, [(path.name, data)])
            stored = client.fetch(doc_id)
            problem = "not found after upload" if stored is None else _same_document(data, stored, odd.name)
        except PublisherError as exc:
            report.documents.append(DocumentResult(str(path), doc_id, "failed", str(exc)))
            _say(report, exc.code, str(exc), str(path))
            if exc.code == "TE711":
                raise
            continue
        if problem:
            report.documents.append(DocumentResult(str(path), doc_id, "failed", problem))
            _say(report, "TE714", problem, str(path))
        else:
            report.documents.append(DocumentResult(str(path), doc_id, "published", "verified"))

    if prune:
        keep = {path.name for path, _ in copies}
        for name in present:
            if name.endswith(".xml") and name not in keep:
                doc_id = document_id(collection, name)
                try:
                    client.delete(doc_id)
                    report.documents.append(DocumentResult(doc_id, doc_id, "pruned"))
                except PublisherError as exc:
                    report.documents.append(DocumentResult(doc_id, doc_id, "failed", f"not pruned: {exc}"))
