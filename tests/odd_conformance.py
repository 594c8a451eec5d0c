"""Support for the ODD compiler's conformance tests: verdict tables, batched jing runs and Schematron rule sets."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
import xml.parsers.expat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TEI = ROOT.parent / "shared" / "tei"
P5SUBSET = TEI / "p5subset.xml"
ODD_DIR = TEI / "odd"
REFERENCE = TEI / "reference"
CONFORMANCE = TEI / "conformance"
VERDICTS_TSV = CONFORMANCE / "verdicts.tsv"

SCHEMATRON_NAMESPACES = ("http://purl.oclc.org/dsdl/schematron", "http://www.ascc.net/xml/schematron")
XINCLUDE = "http://www.w3.org/2001/XInclude"

# One line of jing's output: "FILE:LINE:COL: SEVERITY: TEXT". FILE is the absolute form of the
# argument (or of an XIncluded file); jing omits FILE and position for some fatals, such as
# "fatal: file not found: ...". The file part is matched lazily: messages may contain ": error: ".
_MESSAGE = re.compile(r"^(?:(?P<file>.*?):(?:(?P<line>\d+):(?P<col>\d+):)? )?(?P<severity>error|fatal|warning): (?P<text>.*)$")
_XML_SPACE = re.compile(r"[ \t\r\n]+")
# jing's runs are short: the JVM's client compiler and serial collector halve its CPU time here
# (tei_ms over the documents: 3.3 s of CPU instead of 6-8 s). Only when the caller set nothing.
JAVA_TOOL_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
# Far below ARG_MAX (2 MB on Linux) and the 128 KB limit on one argument: a chunk costs a JVM start.
_ARGUMENT_BUDGET = 100_000


class JingError(RuntimeError):
    """jing produced output this module cannot account for (a crash, a missing JVM, a usage error)."""


class JingSchemaError(JingError):
    """jing rejected the schema itself, so no document was validated."""


@dataclass
class JingMessage:
    """One message of jing, as printed."""

    file: str  # as jing printed it; "" when the message named no file
    line: int
    col: int
    severity: str  # "error", "fatal" or "warning"
    text: str

    def describe(self, document: Path | None = None) -> str:
        """line:col: severity: text, with the file named only when it is not the document (XInclude)."""
        where = f"{self.line}:{self.col}: " if self.line else ""
        if self.file and (document is None or not _same_file(self.file, document)):
            where = f"{self.file}:{where}"
        return f"{where}{self.severity}: {self.text}"


@dataclass
class JingOutcome:
    """What jing said about one document."""

    document: str  # relative to the conformance root, with "/"
    path: Path
    messages: list[JingMessage] = field(default_factory=list)
    omitted: int = 0  # errors counted but not kept (a stored run keeps the first few)

    @property
    def errors(self) -> int:
        # jing's exit status counts errors and fatals, not warnings (a failed XInclude warns, then is fatal).
        return sum(1 for m in self.messages if m.severity != "warning") + self.omitted

    @property
    def valid(self) -> bool:
        return self.errors == 0

    @property
    def fatal(self) -> bool:
        return any(m.severity == "fatal" for m in self.messages)

    def first(self, count: int = 2) -> list[str]:
        return [m.describe(self.path) for m in self.messages if m.severity != "warning"][:count]


@dataclass
class JingRun:
    """The outcome of every document under one schema, and what it cost."""

    schema: Path
    outcomes: dict[str, JingOutcome]
    runs: int  # jing processes started: one, plus one after each fatal error before the last document
    seconds: float
    stored: bool = False  # read back from to_json's summary rather than run

    def verdicts(self) -> dict[str, tuple[bool, int]]:
        return {doc: (o.valid, o.errors) for doc, o in self.outcomes.items()}

    def to_json(self, keep: int = 4) -> dict[str, Any]:
        """A JSON-able summary: per document its first `keep` messages, every fatal, and the error count."""
        documents: dict[str, Any] = {}
        for doc, o in self.outcomes.items():
            kept = [m for i, m in enumerate(o.messages) if i < keep or m.severity == "fatal"]
            dropped = sum(1 for m in o.messages if m.severity != "warning") - sum(1 for m in kept if m.severity != "warning")
            documents[doc] = {
                "path": str(o.path),
                "omitted": o.omitted + dropped,
                "messages": [[m.file, m.line, m.col, m.severity, m.text] for m in kept],
            }
        return {"schema": str(self.schema), "runs": self.runs, "seconds": self.seconds, "documents": documents}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JingRun:
        outcomes = {
            doc: JingOutcome(doc, Path(d["path"]), [JingMessage(*m) for m in d["messages"]], d["omitted"])
            for doc, d in data["documents"].items()
        }
        return cls(Path(data["schema"]), outcomes, data["runs"], data["seconds"], stored=True)


# ---------------------------------------------------------------- the shared test data


def odd_names(odd_dir: Path = ODD_DIR) -> list[str]:
    """Stems of the ODDs, which are also the schema names of verdicts.tsv and reference/."""
    return sorted(p.stem for p in odd_dir.glob("*.odd"))


def conformance_documents(root: Path = CONFORMANCE) -> list[Path]:
    return sorted(root.rglob("*.xml"))


def load_jing_table(path: Path = VERDICTS_TSV) -> dict[tuple[str, str], tuple[bool, int]]:
    """verdicts.tsv as {(document, schema): (jing_valid, jing_errors)}, in the file's row order."""
    table: dict[tuple[str, str], tuple[bool, int]] = {}
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    at = {name: header.index(name) for name in ("document", "schema", "jing_valid", "jing_errors")}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        valid = cells[at["jing_valid"]]
        if valid not in ("true", "false"):
            raise ValueError(f"{path}:{number}: jing_valid is {valid!r}, not true or false")
        table[cells[at["document"]], cells[at["schema"]]] = (valid == "true", int(cells[at["jing_errors"]]))
    return table


def load_verdicts(path: Path = VERDICTS_TSV) -> dict[tuple[str, str], bool]:
    """verdicts.tsv as {(document, schema): jing_valid}."""
    return {key: valid for key, (valid, _) in load_jing_table(path).items()}


# ---------------------------------------------------------------- jing


def jing_verdicts(rng: Path, docs: Sequence[Path], root: Path, *, jing: str = "jing") -> dict[str, tuple[bool, int]]:
    """(valid, number of errors) per document path relative to root, from as few jing runs as possible."""
    return jing_outcomes(rng, docs, root, jing=jing).verdicts()


def jing_outcomes(rng: Path, docs: Sequence[Path], root: Path, *, jing: str = "jing", timeout: float = 900) -> JingRun:
    """Validate docs against rng, attributing every message of jing to the document it concerns.

    jing validates its arguments in order and prints nothing for a valid document, but it stops
    at the first fatal error (a document that is not well-formed, a failed XInclude) and silently
    skips every later argument, so "no output" only means valid for documents jing reached: the
    rest get a fresh run, and documents foreseen to be fatal go last. Errors inside an
    XIncluded file are printed under that file's name, so messages are attributed by position,
    with included documents placed before their includers.
    """
    memo_key = (os.path.abspath(rng), Path(rng).stat().st_mtime_ns, tuple(os.path.abspath(d) for d in docs), os.path.abspath(root))
    if memo_key in _RUNS:  # test modules of one run share jing's verdicts on a schema
        return _RUNS[memo_key]
    _RUNS[memo_key] = run = _jing_outcomes(rng, docs, root, jing=jing, timeout=timeout)
    return run


_RUNS: dict[tuple[object, ...], JingRun] = {}


def _jing_outcomes(rng: Path, docs: Sequence[Path], root: Path, *, jing: str, timeout: float) -> JingRun:
    started = time.perf_counter()
    executable = shutil.which(jing)
    if executable is None:
        raise FileNotFoundError(f"{jing} is not installed (Debian package jing)")
    root = Path(os.path.abspath(root))
    schema = Path(os.path.abspath(rng))
    paths = list(dict.fromkeys(Path(os.path.abspath(d)) for d in docs))
    for p in paths:
        if not p.is_file():
            raise FileNotFoundError(p)  # jing would print a fatal without a file name and stop
    # Documents that will probably stop jing go last, so that the restart after each fatal error
    # (which _validate_span does for any fatal, foreseen or not) re-runs only them. Running them in
    # processes of their own beside the main one saved no time on two cores and cost more CPU.
    included = {target for p in paths for target in _xincluded(p)}  # must stay before their includers
    # A document that XIncludes others runs alone: jing may print the errors of its included
    # content, under the included file's name, before any under its own, and in a shared run
    # they would be charged to the included file.
    includers = [p for p in sorted(paths) if _xincluded(p)]
    risky = [p for p in sorted(paths) if p not in included and p not in includers and _may_stop_jing(p)]
    order = _includes_first([p for p in paths if p not in risky and p not in includers]) + risky
    position = {_key(str(p)): i for i, p in enumerate(order)}
    outcomes = {i: JingOutcome(p.relative_to(root).as_posix(), p) for i, p in enumerate(order)}
    runs = 0
    for span in _chunks(order, 0, len(order)):
        messages, count = _validate_span(executable, schema, order, span, position, timeout)
        runs += count
        for i, found in messages.items():
            outcomes[i].messages.extend(found)
    for includer in includers:
        alone = JingOutcome(includer.relative_to(root).as_posix(), includer)
        messages, count = _validate_span(executable, schema, [includer], (0, 1), {_key(str(includer)): 0}, timeout)
        runs += count
        alone.messages.extend(m for found in messages.values() for m in found)
        outcomes[len(outcomes)] = alone
    by_document = {o.document: o for o in outcomes.values()}
    return JingRun(schema, dict(sorted(by_document.items())), runs, time.perf_counter() - started)


def run_key(rng: Path, docs: Sequence[Path], *, jing: str = "jing") -> str:
    """What a stored JingRun depends on: the schema, the documents, jing, and this module."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for p in (Path(shutil.which(jing) or jing), Path(rng), *sorted(Path(d) for d in docs)):
        stat = p.stat()
        digest.update(f"{os.path.abspath(p)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _validate_span(
    executable: str, schema: Path, order: list[Path], span: tuple[int, int], position: Mapping[str, int], timeout: float
) -> tuple[dict[int, list[JingMessage]], int]:
    """Messages for order[start:end], restarting after each fatal error; and how many runs it took."""
    start, end = span
    found: dict[int, list[JingMessage]] = {}
    runs = 0
    while start < end:
        messages, fatal_at = _run_jing(executable, schema, order, start, end, position, timeout)
        runs += 1
        for i, msgs in messages.items():
            found.setdefault(i, []).extend(msgs)
        start = end if fatal_at is None else fatal_at + 1
    return found, runs


def _run_jing(
    executable: str,
    schema: Path,
    order: list[Path],
    start: int,
    end: int,
    position: Mapping[str, int],
    timeout: float,
) -> tuple[dict[int, list[JingMessage]], int | None]:
    """One jing process over order[start:end]: messages by position, and where a fatal error stopped it."""
    done = subprocess.run(
        [executable, str(schema), *map(str, order[start:end])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
        env={"JAVA_TOOL_OPTIONS": JAVA_TOOL_OPTIONS, **os.environ},
    )
    found: dict[int, list[JingMessage]] = {}
    on_schema: list[str] = []
    stray: list[str] = []
    last: JingMessage | None = None
    current = start  # jing reports documents in argument order; a valid one prints nothing
    fatal_at: int | None = None
    for raw in done.stdout.splitlines():
        m = _MESSAGE.match(raw)
        if m is None:
            if last is not None:
                last.text += "\n" + raw  # a message that spans lines
            elif raw.strip():
                stray.append(raw)
            continue
        file = m["file"] or ""
        if file and _key(file) == _key(str(schema)):
            on_schema.append(raw)
            last = None
            continue
        at = position.get(_key(file)) if file else _named_in(m["text"], position)
        # A later document of this run means jing moved on; an earlier one or an unknown file is
        # content XIncluded into the current document.
        if at is not None and current < at < end:
            current = at
        last = JingMessage(file, int(m["line"] or 0), int(m["col"] or 0), m["severity"], m["text"])
        found.setdefault(current, []).append(last)
        if last.severity == "fatal":
            fatal_at = current
            break  # jing validates nothing after a fatal error
    if on_schema:
        raise JingSchemaError(f"jing rejected {schema}:\n" + "\n".join(on_schema[:20]))
    counted = sum(1 for msgs in found.values() for msg in msgs if msg.severity != "warning")
    if (done.returncode == 0) != (counted == 0) or stray:
        # The exit status and the parsed messages must tell the same story, or something else happened.
        stderr = [line for line in done.stderr.splitlines() if "Unable to locate" not in line and "JAVA_TOOL_OPTIONS" not in line]
        raise JingError(
            f"jing exited with {done.returncode} after {counted} parsed error(s) over {end - start} document(s)\n"
            + "\n".join([*stray[:10], *done.stdout.splitlines()[:5], *stderr[-10:]])
        )
    return found, fatal_at


def _chunks(order: list[Path], start: int, end: int) -> list[tuple[int, int]]:
    """Split order[start:end] into spans whose command lines stay within the argument budget."""
    spans: list[tuple[int, int]] = []
    while start < end:
        stop, used = start, 0
        while stop < end and (stop == start or used + len(str(order[stop])) + 1 <= _ARGUMENT_BUDGET):
            used += len(str(order[stop])) + 1
            stop += 1
        spans.append((start, stop))
        start = stop
    return spans


def _key(file: str) -> str:
    if file.startswith("file:"):
        file = urllib.request.url2pathname(urllib.parse.urlparse(file).path)
    return os.path.normpath(file)


def _same_file(file: str, document: Path) -> bool:
    return _key(file) == _key(os.path.abspath(document))


def _named_in(text: str, position: Mapping[str, int]) -> int | None:
    # Fatals without a location ("fatal: file not found: PATH (...)") name the document in the text.
    for path, at in position.items():
        if path in text:
            return at
    return None


def _includes_first(paths: list[Path]) -> list[Path]:
    """paths sorted, except that a document XIncluded by another comes before it."""
    wanted = set(paths)
    order: list[Path] = []
    placed: set[Path] = set()

    def place(p: Path, seen: frozenset[Path]) -> None:
        if p in placed or p in seen:  # a cycle is jing's to report; order it as found
            return
        for target in sorted(_xincluded(p)):
            if target in wanted:
                place(target, seen | {p})
        placed.add(p)
        order.append(p)

    for p in sorted(paths):
        place(p, frozenset())
    return order


def _xincluded(doc: Path) -> set[Path]:
    return {Path(os.path.normpath(doc.parent / href)) for href in _xinclude_hrefs(doc, with_fallback=True)}


def _xinclude_hrefs(doc: Path, *, with_fallback: bool) -> list[str]:
    """Local hrefs of the XIncludes in doc (those with an xi:fallback only if with_fallback)."""
    data = doc.read_bytes()
    if XINCLUDE.encode() not in data:
        return []
    # recover: a document that is not well-formed may still include others before it breaks.
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    tree = etree.fromstring(data, parser, base_url=str(doc))
    if tree is None:
        return []
    hrefs: list[str] = []
    for include in tree.iter(f"{{{XINCLUDE}}}include"):
        href = include.get("href") or ""
        if not href or "://" in href:
            continue
        if with_fallback or include.find(f"{{{XINCLUDE}}}fallback") is None:
            hrefs.append(urllib.parse.unquote(href))
    return hrefs


def _may_stop_jing(doc: Path) -> bool:
    """Whether jing will probably hit a fatal error in doc: not well-formed, or an XInclude without
    fallback whose target is missing. Only a scheduling hint: a wrong guess costs time, not results."""
    stat = doc.stat()
    return _may_stop_jing_cached(str(doc), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _may_stop_jing_cached(doc: str, mtime_ns: int, size: int) -> bool:
    # expat checks well-formedness only; libxml2 would also reject xml:id values, which jing accepts.
    parser = xml.parsers.expat.ParserCreate()
    try:
        with open(doc, "rb") as f:
            parser.ParseFile(f)
    except xml.parsers.expat.ExpatError:
        return True
    return any(not (Path(doc).parent / href).is_file() for href in _xinclude_hrefs(Path(doc), with_fallback=False))


def verdicts_tsv_problems(
    verdicts: Mapping[str, tuple[bool, int]],
    table: Mapping[tuple[str, str], tuple[bool, int]],
    schema: str,
    *,
    counts: bool = True,
    detail: Mapping[str, JingOutcome] | None = None,
) -> list[str]:
    """Every row of verdicts.tsv for `schema` against verdicts {document: (valid, errors)}.

    verdicts.tsv holds one jing run per document and schema, so every row is a checked verdict.
    With counts=False only valid/invalid is compared (another validator counts errors its own
    way); `detail` adds the first messages of a disagreeing document. Returns readable lines.
    """
    rows = [doc for doc, s in table if s == schema]
    problems = [f"{doc}: in verdicts.tsv but not among the documents" for doc in rows if doc not in verdicts]
    problems += [f"{doc}: among the documents but not in verdicts.tsv" for doc in verdicts if (doc, schema) not in table]
    for doc in rows:
        if doc not in verdicts:
            continue
        want, got = table[doc, schema], verdicts[doc]
        if (want if counts else want[0]) != (got if counts else got[0]):
            shown = f"; {' | '.join(detail[doc].first())}" if detail and doc in detail else ""
            wanted = _verdict(*want) if counts else ("valid" if want[0] else "invalid")
            found = _verdict(*got) if counts else ("valid" if got[0] else "invalid")
            problems.append(f"{doc}: verdicts.tsv {wanted}, now {found}{shown}")
    return problems


def _verdict(valid: bool, errors: int) -> str:
    return "valid" if valid else f"invalid ({errors} error{'s' if errors != 1 else ''})"


# ---------------------------------------------------------------- Schematron


def normalise_space(text: str) -> str:
    """Collapse runs of XML whitespace to one space and strip (other Unicode spaces are content)."""
    return _XML_SPACE.sub(" ", text).strip(" ")


def _schematron_root(sch: bytes | str | os.PathLike[str]) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    if isinstance(sch, bytes):
        return etree.fromstring(sch, parser)
    return etree.parse(os.fspath(sch), parser).getroot()


def _sch(local: str) -> list[str]:
    return [f"{{{ns}}}{local}" for ns in SCHEMATRON_NAMESPACES]


def schematron_rules(sch: bytes | str | os.PathLike[str]) -> set[tuple[str, str]]:
    """(rule context, assert/report test) pairs, whitespace-normalised; abstract patterns' rules as written."""
    pairs: set[tuple[str, str]] = set()
    for rule in _schematron_root(sch).iter(*_sch("rule")):
        context = normalise_space(rule.get("context", ""))
        for check in rule.iterchildren(*_sch("assert"), *_sch("report")):
            pairs.add((context, normalise_space(check.get("test", ""))))
    return pairs


def schematron_instances(sch: bytes | str | os.PathLike[str]) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every is-a pattern as (abstract pattern id, sorted (param name, value) pairs), sorted; repeats kept."""
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for pattern in _schematron_root(sch).iter(*_sch("pattern")):
        is_a = pattern.get("is-a")
        if is_a is None:
            continue
        params = tuple(
            sorted((p.get("name", ""), normalise_space(p.get("value", ""))) for p in pattern.iterchildren(*_sch("param")))
        )
        found.append((is_a, params))
    return sorted(found)


def schematron_abstract_patterns(sch: bytes | str | os.PathLike[str]) -> set[str]:
    """Ids of the abstract patterns a Schematron file defines (an is-a without one cannot be instantiated)."""
    return {p.get("id", "") for p in _schematron_root(sch).iter(*_sch("pattern")) if p.get("abstract") == "true"}
