"""Encoding many transcripts: one policy per document, run serially, over processes or on Dask."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any, Protocol

from .config import ProjectConfig
from .diagnostics import Diagnostic, InputError, Severity
from .encode import encode_file
from .incremental import Manifest, Stamp, source_stamp
from .io import write_atomically
from .roundtrip import check_round_trip
from .transcripts import iter_transcripts
from .validate.schemas import SchemaPair

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# A worker costs about 0.4 s of start-up (imports, schemas, the language model): about what
# encoding 0.5 MB costs. Below this many bytes a batch is done sooner in this process.
SERIAL_BELOW = 1_000_000
# Documents go to a worker in chunks of up to this many bytes or documents: one message and one
# wake-up per chunk rather than per document, while a chunk stays small enough to balance load.
CHUNK_BYTES, CHUNK_DOCS = 256_000, 16
# Imported once in the process that forks the workers, so no worker imports them again.
_WORKER_MODULES = ["tei_encoder.batch", "tei_encoder.validate.runner", "tei_encoder.validate.relaxng",
                   "tei_encoder.validate.schematron.engine", "tei_encoder.transforms.language", "lingua", "saxonche"]
LOCAL = "processes"  # the default scheduler: a pool of processes on this machine
DASK = "dask"  # a Dask cluster started on this machine; an address (tcp://…) joins a running one


@dataclass(frozen=True)
class Policy:
    """What every document of a batch is held to, and where its edition goes."""

    out: Path
    profile: str | None = None
    config: ProjectConfig = field(default_factory=ProjectConfig)
    check: bool = True
    repair_ocr: bool | None = None
    fail_on: str = "error"
    hrefs: tuple[str, str] | None = None  # the schema the editions point at with <?xml-model?>
    validate: bool = False  # validate each edition once written (build)
    schema: SchemaPair | None = None  # validate with this schema rather than the one each edition names
    root: str = field(default_factory=os.getcwd)  # where relative paths are read from, on every worker

    @property
    def threshold(self) -> Severity:
        return Severity.WARNING if self.fail_on == "warning" else Severity.ERROR


@dataclass
class Outcome:
    """What became of one document: the lines to print, in order, and the exit code it earns."""

    path: str
    target: str
    code: int = EXIT_OK
    written: bool = False
    profile: str = ""
    lines: list[str] = field(default_factory=list)
    validated: bool = False
    valid: bool = True
    errors: int = 0  # validation errors

    def say(self, diagnostic: Diagnostic) -> None:
        self.lines.append(diagnostic.format())

    def input_error(self, diagnostic: Diagnostic) -> Outcome:
        self.say(diagnostic)
        self.code = EXIT_USAGE
        return self

    def failure(self, diagnostic: Diagnostic | None = None) -> Outcome:
        if diagnostic is not None:
            self.say(diagnostic)
        self.code = max(self.code, EXIT_FAILED)
        return self


def internal(exc: BaseException, path: Path | str) -> Diagnostic:
    """An unexpected error, said in one line."""
    return Diagnostic("TE999", f"internal error, please report: {type(exc).__name__}: {exc}", str(path))


def encode_one(path: str, target: str, policy: Policy) -> Outcome:
    """Encode one transcript under the policy, write its edition atomically, validate it if asked.

    Runs wherever the scheduler puts it, so it returns only lines and counts, never the edition:
    what a batch holds in memory does not grow with the size or number of its documents.
    """
    _enter(policy.root)
    outcome = Outcome(path, target)
    try:
        # The edition as the library gives it for these options, schema link included.
        source, result = encode_file(Path(path), policy.profile, policy.config, policy.repair_ocr, hrefs=policy.hrefs)
        trip = check_round_trip(source.text, result.xml, path, policy.profile) if policy.check else None
    except InputError as exc:
        return outcome.input_error(exc.diagnostic)
    except RecursionError:
        return outcome.failure(Diagnostic("TE999", "document too deeply nested to encode", path))
    except Exception as exc:  # one bad document must not stop a run over thousands
        return outcome.failure(internal(exc, path))
    for diagnostic in result.reporter.items:
        if diagnostic.level >= Severity.WARNING:
            outcome.say(diagnostic)
    if trip is not None and not trip.ok:
        return outcome.failure(Diagnostic("TE901", f"text regenerated from the edition differs {trip.detail}", path))
    worst = result.reporter.max_level()
    if worst is not None and worst >= policy.threshold:
        # A failed document is not written, and an edition from an earlier run is kept.
        outcome.failure()
        outcome.lines.append(f"{path}: not written (--fail-on {policy.threshold})")
        return outcome
    edition = result.xml
    try:
        write_atomically(Path(target), edition)
    except InputError as exc:
        return outcome.input_error(exc.diagnostic)
    outcome.written, outcome.profile = True, result.profile
    repaired = f", {result.repairs} OCR repairs" if result.repairs else ""
    outcome.lines.append(f"{path} -> {target} (profile {result.profile}: {result.profile_reason}{repaired})")
    del source, result  # only the edition's bytes are kept, for validation
    if policy.validate:
        _validate(outcome, policy, edition)
    return outcome


def encode_chunk(items: list[tuple[str, str]], policy: Policy) -> list[Outcome]:
    """Several documents in one task, one after the other: what a worker is sent at a time."""
    return [encode_one(path, target, policy) for path, target in items]


def _validate(outcome: Outcome, policy: Policy, edition: bytes) -> None:
    from .validate.runner import validate_one

    try:
        # The bytes just written are validated as they are, not read back from the disk.
        found = validate_one(Path(outcome.target), policy.schema, data=edition)
    except Exception as exc:  # a schema our engines cannot load: one line, the document failed
        given = getattr(exc, "diagnostic", None)
        outcome.failure(given if isinstance(given, Diagnostic) else internal(exc, outcome.target))
        outcome.validated, outcome.valid, outcome.errors = True, False, 1
        return
    for diagnostic in found.diagnostics:
        outcome.say(diagnostic)
    outcome.validated, outcome.valid, outcome.errors = True, found.valid, len(found.errors)
    if not found.valid:
        outcome.failure()


def _enter(root: str) -> None:
    """Read relative paths from the folder the batch was started in, also on a remote worker."""
    if root and os.getcwd() != root:
        os.chdir(root)


# ---- schedulers ---------------------------------------------------------------------------


Chunk = list[tuple[str, str]]  # (transcript, edition) pairs sent to a worker together


class Pending(Protocol):
    def result(self) -> list[Outcome]: ...


class Scheduler(Protocol):
    width: int  # how many chunks it works on at once
    chunked: bool  # whether documents go in chunks (else one at a time)

    def submit(self, chunk: Chunk, policy: Policy) -> Pending: ...

    def close(self) -> None: ...


@dataclass
class _Done:
    value: list[Outcome]

    def result(self) -> list[Outcome]:
        return self.value


class Serial:
    """Every document in this process, one after the other."""

    width = 1
    chunked = False  # nothing to save, and each document's lines are shown as soon as it is done

    def submit(self, chunk: Chunk, policy: Policy) -> Pending:
        return _Done(encode_chunk(chunk, policy))

    def close(self) -> None:
        pass


def _start_worker(policy: Policy) -> None:
    """Load once per worker what every document needs: the schemas it is validated with.

    The modules are already imported (in the process the workers are forked from); a schema
    that cannot be loaded is left for the first document to report.
    """
    _enter(policy.root)
    if not policy.validate:
        return
    from .validate.runner import preload
    from .validate.schemas import default_pair

    try:
        preload(policy.schema or default_pair())
    except Exception:  # noqa: S110  (reported per document, in order, by validation itself)
        pass


class Processes:
    """A pool of worker processes on this machine, started once for the batch."""

    chunked = True

    def __init__(self, jobs: int, policy: Policy | None = None):
        # forkserver: workers do not inherit this process's threads (the progress display's)
        # mid-operation, as a plain fork would; spawn where there is no forkserver.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(_WORKER_MODULES)
        start: dict[str, Any] = {"initializer": _start_worker, "initargs": (policy,)} if policy is not None else {}
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, **start)
        self.width = jobs

    def submit(self, chunk: Chunk, policy: Policy) -> Future[list[Outcome]]:
        return self.pool.submit(encode_chunk, chunk, policy)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Dask:
    """A Dask cluster: started here (`dask`) or joined at an address (tcp://host:port).

    The workers read the sources and write the editions themselves, so they must see the same
    files at the same paths as this machine (a shared file system); only lines come back.
    """

    chunked = True  # one task per chunk: the scheduler's overhead per task is in milliseconds

    def __init__(self, address: str, jobs: int, client: Any = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError(Diagnostic(
                "TE110", "the Dask scheduler needs dask.distributed: pip install 'tei-encoder[dask]'", "--scheduler")) from None
        self.cluster = None
        if client is not None:
            self.client = client
        elif address == DASK:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout="30s")
            except Exception as exc:
                raise InputError(Diagnostic("TE110", f"no Dask scheduler reached: {type(exc).__name__}: {exc}", address)) from None
        self.owned = client is None
        threads = sum(self.client.nthreads().values()) or 1
        self.width = max(jobs, threads)

    def submit(self, chunk: Chunk, policy: Policy) -> Pending:
        return self.client.submit(encode_chunk, chunk, policy, pure=False)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.owned:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


def scheduler_for(scheduler: str | Any, jobs: int, policy: Policy | None = None) -> Scheduler:
    """The scheduler named: `processes` (serial when jobs is 1), `dask`, an address, or a dask Client."""
    if not isinstance(scheduler, str):
        return Dask("client", jobs, client=scheduler)
    if scheduler == LOCAL:
        return Serial() if jobs <= 1 else Processes(jobs, policy)
    if scheduler == DASK or "://" in scheduler:
        return Dask(scheduler, jobs)
    raise InputError(Diagnostic("TE110", f"unknown scheduler (give {LOCAL}, {DASK} or an address such as tcp://host:8786)",
                                scheduler))


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # unreadable: encoding says why


def chunks(items: Iterable[tuple[str, str]], chunked: bool) -> Iterator[Chunk]:
    """Consecutive documents grouped up to CHUNK_BYTES of source or CHUNK_DOCS documents (one each when not chunked)."""
    chunk: Chunk = []
    size = 0
    for item in items:
        chunk.append(item)
        size += _size(item[0]) if chunked else 0
        if not chunked or size >= CHUNK_BYTES or len(chunk) >= CHUNK_DOCS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def in_order(items: Iterable[tuple[str, str]], policy: Policy, scheduler: Scheduler) -> Iterator[tuple[str, str, Outcome]]:
    """Outcomes in the order of the items, with a bounded number in flight.

    Printing in input order makes the lines the same whatever the number of jobs, and the
    window (a few chunks per worker) keeps memory flat however many documents there are.
    """
    window: deque[tuple[Chunk, Pending]] = deque()
    limit = max(1, scheduler.width) * (2 if scheduler.chunked else 4)
    for chunk in chunks(items, scheduler.chunked):
        window.append((chunk, scheduler.submit(chunk, policy)))
        if len(window) >= limit:
            yield from _collect(*window.popleft())
    while window:
        yield from _collect(*window.popleft())


def _collect(chunk: Chunk, pending: Pending) -> Iterator[tuple[str, str, Outcome]]:
    try:
        outcomes = pending.result()
    except Exception as exc:  # a worker that died, or a task the cluster lost: its whole chunk failed
        outcomes = [Outcome(path, target).failure(internal(exc, path)) for path, target in chunk]
    for (path, target), outcome in zip(chunk, outcomes):
        yield path, target, outcome


# ---- a run --------------------------------------------------------------------------------


@dataclass
class BatchSummary:
    """Counts over a batch and its exit code: the worst seen."""

    code: int = EXIT_OK
    done: int = 0
    failed: int = 0
    unchanged: int = 0
    validated: int = 0
    unvalidated: int = 0  # written, but no schema to validate with
    errors: int = 0
    deleted: int = 0

    def count(self, outcome: Outcome) -> None:
        self.code = max(self.code, outcome.code)
        if outcome.written:
            self.done += 1
        if outcome.code != EXIT_OK:
            self.failed += 1
        if outcome.validated:
            self.validated += 1
            self.errors += outcome.errors
        elif outcome.written:
            self.unvalidated += 1

    def input_error(self) -> None:
        self.failed += 1
        self.code = EXIT_USAGE

    def line(self) -> str:
        unchanged = f", {self.unchanged} unchanged" if self.unchanged else ""
        return f"{self.done} encoded{unchanged}, {self.failed} failed"


class Display(Protocol):
    """Where a batch's lines go, and how its progress is shown."""

    def say(self, line: str) -> None: ...

    def advance(self) -> None: ...


@dataclass
class Lines:
    """Lines only: to a callback (standard error for the command line)."""

    sink: Callable[[str], None]

    def say(self, line: str) -> None:
        self.sink(line)

    def advance(self) -> None:
        pass


def run_batch(
    paths: list[Path],
    policy: Policy,
    *,
    jobs: int = 1,
    scheduler: str | Any = LOCAL,
    manifest: Manifest | None = None,
    force: bool = False,
    say: Callable[[str], None] | None = None,
    display: Display | None = None,
) -> BatchSummary:
    """Encode every transcript of PATHS (files or folders) into policy.out.

    With a manifest, an edition whose inputs (source, metadata, profile, tool, settings) are
    those it was made from is left as it is, unless `force`.
    """
    shown: Display = display or Lines(say or (lambda line: print(line, file=sys.stderr)))
    if policy.validate and policy.schema is None and policy.hrefs is None:
        # Editions that name no schema are validated with the default one: found once here, not
        # once per edition (it reads the project's configuration).
        from .validate.schemas import default_pair

        policy = replace(policy, schema=default_pair())
    summary = BatchSummary()
    stamps: dict[str, Stamp] = {}  # for the documents in flight only
    found_any = False

    def items() -> Iterator[tuple[str, str]]:
        nonlocal found_any
        claimed: dict[str, str] = {}  # edition → the transcript it is made from
        for path in iter_transcripts(paths):
            found_any = True
            target = policy.out / (path.stem + ".xml")
            if str(target) in claimed:
                shown.say(Diagnostic("TE900", f"{target} is already the edition of {claimed[str(target)]}; rename one of them",
                                     str(path)).format())
                summary.input_error()
                shown.advance()
                continue
            claimed[str(target)] = str(path)
            if manifest is not None:
                try:
                    stamp = source_stamp(path)
                except OSError:
                    stamp = None  # unreadable: encoding says why
                if stamp is not None:
                    if not force and manifest.fresh(target, stamp):
                        summary.unchanged += 1
                        shown.advance()
                        continue
                    stamps[str(target)] = stamp
            yield str(path), str(target)
        if manifest is not None:
            for source, edition in manifest.deleted(set(claimed)):
                shown.say(Diagnostic("TE911", f"source deleted; its edition {edition} is left as it was", source).format())
                summary.deleted += 1

    stream: Iterator[tuple[str, str]] = items()
    if scheduler == LOCAL and jobs > 1:
        head, stream, small = _peek(stream, SERIAL_BELOW)
        if small:
            jobs = 1  # workers would take longer to start than the batch takes here
        stream = chain(head, stream)
    runner = scheduler_for(scheduler, jobs, policy)
    try:
        for _path, target, outcome in in_order(stream, policy, runner):
            for line in outcome.lines:
                shown.say(line)
            summary.count(outcome)
            stamp = stamps.pop(target, None)
            if manifest is not None:
                if stamp is not None and outcome.code == EXIT_OK and outcome.written:
                    manifest.record(Path(target), stamp, outcome.profile)
                elif outcome.code != EXIT_OK:
                    manifest.forget(Path(target))  # a failed document is tried again next time
            shown.advance()
    finally:
        runner.close()
        if manifest is not None:
            manifest.save()
    if not found_any:
        shown.say(Diagnostic("TE100", "no transcripts found (*.txt, *.md)", " ".join(map(str, paths)) or ".").format())
        summary.input_error()
    return summary


def _peek(items: Iterator[tuple[str, str]], limit: int) -> tuple[list[tuple[str, str]], Iterator[tuple[str, str]], bool]:
    """The first documents of a batch, up to `limit` bytes of source; the rest; whether that was all of them."""
    head: list[tuple[str, str]] = []
    size = 0
    for item in items:
        head.append(item)
        size += _size(item[0])
        if size >= limit:
            return head, items, False
    return head, items, True


def count_transcripts(paths: list[Path]) -> int:
    """How many transcripts a batch will see, counted without holding their names."""
    return sum(1 for _ in iter_transcripts(paths))

