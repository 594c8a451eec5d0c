"""The command line: thin over the library; maps results to exit codes 0, 1 and 2."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from . import __version__
from .api import edition_profile, read_edition, transcripts, write_atomically
from .batch import LOCAL, BatchSummary, Policy, count_transcripts, internal, run_batch
from .config import CONFIG_NAME, ProjectConfig
from .diagnostics import Diagnostic, InputError, Severity
from .incremental import Manifest, settings_digest
from .infer import SAMPLE_FILES, infer, pick, read_samples
from .odd import OddError, compile_odd, find_p5, load_p5
from .profiles import BUILTIN, Profile, load_profile
from .progress import FEW, Bar, wanted
from .tei.schema_link import schema_hrefs_for
from .tei.totext import edition_text
from .transforms.persons import slug
from .writers.tei import linked

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _say(diagnostic: Diagnostic) -> None:
    click.echo(diagnostic.format(), err=True)


_internal = internal


def _load_profile(name_or_path: str) -> Profile:
    """A profile, or one line saying why it cannot be had (raised as InputError)."""
    try:
        return load_profile(name_or_path)
    except InputError:
        raise
    except Exception as exc:  # a profile file is user input: no traceback for any defect in it
        raise InputError(Diagnostic("TE110", f"profile cannot be read: {type(exc).__name__}: {exc}", name_or_path)) from None


def _load_config() -> ProjectConfig:
    try:
        return ProjectConfig.load(Path.cwd())
    except InputError:
        raise
    except Exception as exc:
        raise InputError(Diagnostic("TE110", f"configuration cannot be read: {type(exc).__name__}: {exc}", CONFIG_NAME)) from None


def _check_out(out: Path) -> None:
    """Refuse at once an output folder that cannot be made or written, instead of once per document."""
    probe = out
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        what = "is not a folder" if probe == out else f"cannot be made: {probe} is not a folder"
        raise InputError(Diagnostic("TE900", f"output folder {what}", str(out)))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(Diagnostic("TE900", "output folder cannot be written: permission denied", str(out)))


def _batch(paths: list[Path], policy: Policy, jobs: int, scheduler: str, progress: bool | None,
           manifest: Manifest | None = None, force: bool = False) -> BatchSummary:
    """Run a batch, with a progress bar on a terminal; the lines are the same with or without it."""
    total = count_transcripts(paths) if progress is not False and (progress or sys.stderr.isatty()) else 0
    if wanted(progress, total):
        with Bar(total) as bar:
            return run_batch(paths, policy, jobs=jobs, scheduler=scheduler, manifest=manifest, force=force, display=bar)
    return run_batch(paths, policy, jobs=jobs, scheduler=scheduler, manifest=manifest, force=force,
                     say=lambda line: click.echo(line, err=True))


def _batch_options(command: Callable[..., None]) -> Callable[..., None]:
    """--jobs, --scheduler and --progress, shared by convert and build."""
    for option in reversed([
        click.option("--jobs", "-j", default=1, type=click.IntRange(1, 1024), show_default=True,
                     help="Documents encoded at once: worker processes, or Dask tasks."),
        click.option("--scheduler", default=LOCAL, show_default=True, metavar="processes|dask|ADDRESS",
                     help="Where the jobs run: processes on this machine, a Dask cluster started here, or a running "
                          "Dask scheduler's address (tcp://host:8786; its workers must see the same files)."),
        click.option("--progress/--no-progress", default=None,
                     help=f"A progress bar on standard error (default: on a terminal, for more than {FEW} documents)."),
    ]):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tei-encoder")
def main() -> None:
    """Encode plain-text transcripts of archival documents as TEI P5 editions.

    Exit codes: 0 all went well; 1 a document failed (conversion, round trip or
    validation); 2 usage or input error (missing, unreadable, binary or
    undecodable file; output that cannot be written).
    """


_profile_help = f"House style: a built-in name ({', '.join(BUILTIN)}) or a TOML file. Default: detected per file."


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", required=True, type=click.Path(path_type=Path), help="Folder for the editions.")
@click.option("--profile", "-p", default=None, help=_profile_help)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="Lowest diagnostic level that makes a document count as failed.")
@click.option("--check/--no-check", default=True, show_default=True, help="Prove the round trip before writing.")
@click.option("--repair-ocr/--no-repair-ocr", default=None,
              help="Repair OCR damage (run-together words, '|' and 'l' for 'I') as choice/orig/reg. Default: the profile's [ocr] repair.")
@click.option("--validate/--no-validate", "validate_out", default=True, show_default=True,
              help="Validate the editions written (RELAX NG and Schematron), as build does.")
@_batch_options
def convert(paths: tuple[Path, ...], out: Path, profile: str | None, fail_on: str, check: bool, repair_ocr: bool | None,
            validate_out: bool, jobs: int, scheduler: str, progress: bool | None) -> None:
    """Encode transcripts (files or folders) to OUT/<source stem>.xml."""
    try:
        if profile:
            _load_profile(profile)
        config = _load_config()
        _check_out(out)
        policy = Policy(out=out, profile=profile, config=config, check=check, repair_ocr=repair_ocr, fail_on=fail_on,
                        hrefs=schema_hrefs_for(config, out), validate=validate_out)
        summary = _batch(list(paths), policy, jobs, scheduler, progress)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    if validate_out:
        click.echo(f"validated {summary.validated} editions (RELAX NG and Schematron): {summary.errors} errors", err=True)
    click.echo(summary.line(), err=True)
    sys.exit(summary.code)


@main.command()
@click.option("--sources", default=Path("sources"), type=click.Path(path_type=Path), show_default=True)
@click.option("--editions", default=Path("editions"), type=click.Path(path_type=Path), show_default=True)
@click.option("--schema", default=None, type=click.Path(path_type=Path),
              help="RELAX NG schema to validate with, and the .sch beside it "
                   "(default: the schema each edition names, else the project's, else the packaged one).")
@click.option("--profile", "-p", default=None, help=_profile_help)
@click.option("--force", is_flag=True, help="Encode every source again, even those whose edition is current.")
@_batch_options
def build(sources: Path, editions: Path, schema: Path | None, profile: str | None, force: bool, jobs: int, scheduler: str,
          progress: bool | None) -> None:
    """Encode everything in sources/ into editions/, prove the round trip, and validate.

    Only editions whose source, metadata file, profile, settings or tool changed are made again
    (EDITIONS/.tei-encoder-cache.json holds what each was made from); --force makes them all.
    """
    from .validate.runner import preload
    from .validate.schemas import SchemaPair, companion_sch, default_pair

    if not sources.is_dir():
        _say(Diagnostic("TE100", "no such folder", str(sources)))
        sys.exit(EXIT_USAGE)
    try:
        if profile:
            _load_profile(profile)
        config = _load_config()
        _check_out(editions)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    explicit = SchemaPair(schema, companion_sch(schema)) if schema else None
    hrefs = schema_hrefs_for(config, editions)
    linked = hrefs is not None and "://" not in hrefs[0]  # a remote schema is never fetched
    if explicit is not None:
        try:  # a schema that cannot be loaded is said once, not once per edition
            preload(explicit)
        except Exception as exc:
            found = getattr(exc, "diagnostic", None)
            _say(found if isinstance(found, Diagnostic) else _internal(exc, schema or "schema"))
            sys.exit(EXIT_USAGE)
    # Always validated: with --schema, else each edition's own, else the project's or the packaged schema.
    policy = Policy(out=editions, profile=profile, config=config, hrefs=hrefs, validate=True, schema=explicit)
    used = explicit or default_pair()
    # normpath: the editions folder may not exist yet, so "editions/../schema" cannot be left to the system.
    linked_files = [Path(os.path.normpath(editions / h)) for h in hrefs] if linked and hrefs else []
    settings = settings_digest({"config": config, "check": policy.check, "repair_ocr": policy.repair_ocr,
                                "fail_on": policy.fail_on, "hrefs": hrefs, "validate": True, "schema": used,
                                "linked": linked_files})
    try:
        summary = _batch([sources], policy, jobs, scheduler, progress, Manifest(editions, settings, profile), force)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    click.echo(f"validated {summary.validated} editions (RELAX NG and Schematron): {summary.errors} errors", err=True)
    click.echo(summary.line(), err=True)
    sys.exit(summary.code)


@main.command()
@click.argument("edition", type=click.Path(path_type=Path))
@click.option("--profile", "-p", default=None, help="Profile to read the header with (default: the one the edition names).")
def text(edition: Path, profile: str | None) -> None:
    """Print the plain text regenerated from an edition (the way back to the source)."""
    try:
        root = read_edition(edition)
        chosen = edition_profile(root, str(edition), _load_profile(profile) if profile else None)
        regenerated = edition_text(root, chosen)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    except RecursionError:
        _say(Diagnostic("TE999", "edition too deeply nested to read back", str(edition)))
        sys.exit(EXIT_FAILED)
    except Exception as exc:
        _say(_internal(exc, edition))
        sys.exit(EXIT_FAILED)
    click.echo(regenerated, nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--schema", "schema_path", default=None, type=click.Path(path_type=Path),
              help="RELAX NG schema (.rng; a .sch beside it is used too) or ODD (.odd, compiled on the fly). "
                   "Default: each document's <?xml-model?>, else the project's schema (tei-encoder.toml), "
                   "else the one in the package.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option("--jobs", "-j", default=1, type=click.IntRange(1, 64), show_default=True, help="Processes to validate with.")
@click.option("--p5", default=None, type=click.Path(path_type=Path), help="TEI source for compiling an ODD given as --schema.")
@click.option("--no-schematron", is_flag=True, help="RELAX NG only.")
@click.option("--schematron-roles", "roles", type=click.Choice(["own", "inherit"]), default="own", show_default=True,
              help="An assert or report without a role: 'own' keeps it an error, as ISO Schematron and SchXslt do; "
                   "'inherit' gives it its rule's role, else its pattern's.")
@click.option("--odd-path", "odd_path", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="For an ODD given as --schema: where its schemaSpec/@source is looked for; repeatable.")
@click.option("--any-element-require", "any_element_require", type=click.Choice(["honour", "ignore"]),
              default="honour", show_default=True, help="For an ODD given as --schema: anyElement/@require, as schema compile.")
def validate(paths: tuple[Path, ...], schema_path: Path | None, fmt: str, jobs: int, p5: Path | None, no_schematron: bool,
             roles: str, odd_path: tuple[Path, ...], any_element_require: str) -> None:
    """Validate documents against RELAX NG and Schematron; report every error.

    Exit 0 when every document is valid (warnings allowed), 1 when any is invalid, 2 for a
    usage error or an unreadable document or schema.
    """
    from .validate.report import as_json, as_junit, as_text
    from .validate.runner import documents_in, validate_all
    from .validate.schemas import SchemaPair, companion_sch, compile_odd_schema

    documents, missing = documents_in(list(paths))
    for diagnostic in missing:
        _say(diagnostic)
    explicit = None
    if schema_path is not None:
        if not schema_path.is_file():
            _say(Diagnostic("TE520", "schema not found", str(schema_path)))
            sys.exit(EXIT_USAGE)
        try:
            explicit = (compile_odd_schema(schema_path, p5, odd_path, any_element_require) if schema_path.suffix == ".odd"
                        else SchemaPair(schema_path, companion_sch(schema_path)))
        except InputError as exc:
            _say(exc.diagnostic)
            sys.exit(EXIT_USAGE)
    if not documents:
        if not missing:
            _say(Diagnostic("TE100", "no XML documents found", " ".join(map(str, paths))))
        sys.exit(EXIT_USAGE)
    try:
        outcomes = validate_all(documents, explicit, jobs, schematron=not no_schematron, roles=roles)
    except Exception as exc:  # a schema our engines cannot load is reported, never a traceback
        found = getattr(exc, "diagnostic", None)
        _say(found if isinstance(found, Diagnostic) else _internal(exc, schema_path or "."))
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        click.echo(as_json(outcomes), nl=False)
    elif fmt == "junit":
        click.echo(as_junit(outcomes), nl=False)
    else:
        click.echo(as_text(outcomes), nl=False)
    invalid = sum(1 for o in outcomes if not o.valid)
    click.echo(f"{len(outcomes)} documents: {len(outcomes) - invalid} valid, {invalid} invalid", err=True)
    if missing or any(o.unreadable for o in outcomes):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FAILED if invalid else EXIT_OK)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The project's name: its README, publisher and schema ident (default: the folder's name).")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (the project's own files are replaced).")
def init(folder: Path, name: str | None, force: bool) -> None:
    """Make a new edition project in FOLDER: sources/, editions/, tei-encoder.toml, the schema and a
    customisation ODD of it, a pre-commit configuration and a CI workflow that runs build.

    Exit 0 when made, 2 when FOLDER is not empty (without --force) or cannot be written.
    """
    from .project import init_project

    try:
        written = init_project(folder, name, force)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    for path in written:
        click.echo(f"{path}", err=True)
    click.echo(f"{folder}: a new project; put transcripts in {folder / 'sources'} and run tei-encoder build there", err=True)


@main.group()
def schema() -> None:
    """Compile ODD customisations of TEI into RELAX NG and Schematron."""


@schema.command("compile")
@click.argument("odd", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", default=Path("."), type=click.Path(path_type=Path), show_default=True,
              help="Folder for IDENT.rng and IDENT.sch (IDENT: the schemaSpec's @ident).")
@click.option("--p5", default=None, type=click.Path(path_type=Path),
              help="The TEI P5 source, p5subset.xml (default: $TEI_P5_SOURCE, then ../shared/tei/p5subset.xml).")
@click.option("--odd-path", "odd_path", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="A folder where schemaSpec/@source (another ODD, or RELEASE/p5subset.xml for tei:RELEASE) is "
                   "looked for after the ODD's own folder; repeatable.")
@click.option("--any-element-require", "any_element_require", type=click.Choice(["honour", "ignore"]),
              default="honour", show_default=True,
              help="anyElement/@require: honour it as the Guidelines define it, or ignore it as the TEI Stylesheets do.")
def compile_schema(odd: Path, out: Path, p5: Path | None, odd_path: tuple[Path, ...], any_element_require: str) -> None:
    """Compile an ODD into OUT/IDENT.rng (RELAX NG) and OUT/IDENT.sch (ISO Schematron)."""
    started = time.perf_counter()
    try:
        _check_out(out)
        source = load_p5(find_p5(p5, Path.cwd().resolve()))
        compiled = compile_odd(odd, source, odd_path=odd_path,
                               any_element_require="ignore" if any_element_require == "ignore" else "honour")
    except OddError as exc:
        _say(exc.diagnostic)
        # An ODD or TEI source that cannot be read is an input error; a defective ODD failed.
        sys.exit(EXIT_USAGE if exc.diagnostic.code in ("TE601", "TE606") else EXIT_FAILED)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        _say(_internal(exc, odd))
        sys.exit(EXIT_FAILED)
    for diagnostic in compiled.diagnostics:
        _say(diagnostic)
    targets = [out / f"{compiled.ident}.rng", out / f"{compiled.ident}.sch"]
    try:
        write_atomically(targets[0], compiled.rng)
        write_atomically(targets[1], compiled.sch)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    elapsed = time.perf_counter() - started
    click.echo(f"{odd} -> {targets[0]}, {targets[1]} ({elapsed:.2f} s)", err=True)


@main.command()
def profiles() -> None:
    """List the built-in profiles."""
    for name in BUILTIN:
        profile = load_profile(name)
        click.echo(f"{name:16} {profile.top['description']}")


@main.group()
def profile() -> None:
    """Work with profiles: infer one from a corpus."""


@profile.command("infer")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", default=None, type=click.Path(path_type=Path),
              help="Write the profile to this file (default: standard output).")
@click.option("--name", default=None, help="The profile's name (default: the folder's or file's name).")
@click.option("--sample", default=SAMPLE_FILES, show_default=True, type=click.IntRange(1, 10_000),
              help="How many transcripts to read, spread evenly over the corpus.")
def infer_profile(paths: tuple[Path, ...], out: Path | None, name: str | None, sample: int) -> None:
    """Read a sample of PATHS (files or folders) and write a profile of the house style it shows."""
    files = transcripts(list(paths))
    if not files:
        _say(Diagnostic("TE100", "no transcripts found (*.txt, *.md)", " ".join(map(str, paths))))
        sys.exit(EXIT_USAGE)
    samples, skipped = read_samples(pick(files, sample))
    for line in skipped:
        click.echo(line, err=True)
    if not samples:
        sys.exit(EXIT_USAGE)
    first = paths[0].resolve()
    inference = infer(samples, name or slug(first.stem if first.is_file() else first.name).lower() or "inferred", of=len(files))
    text = inference.profile_text()
    inference.profile()  # what is written must load as a profile
    if out is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomically(out, text.encode("utf-8"))
        except InputError as exc:
            _say(exc.diagnostic)
            sys.exit(EXIT_USAGE)
        click.echo(f"{out}: profile '{inference.name}' from {len(samples)} of {len(files)} transcripts; {inference.summary()}", err=True)


@main.command()
@click.argument("editions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "url", required=True, help="TEI Publisher's address, e.g. http://localhost:8080/exist/apps/tei-publisher.")
@click.option("--collection", required=True, help="Collection below the data root to publish into.")
@click.option("--user", default=None, help="User to log in as (a member of group tei).")
@click.option("--password-env", default=None, metavar="VAR", help="Environment variable holding the password.")
@click.option("--odd", default=None, type=click.Path(path_type=Path),
              help="Rendering ODD to upload (default: the project's tei-encoder-publisher.odd).")
@click.option("--dry-run", is_flag=True, help="Validate and lint, say what would be sent; contact no server.")
@click.option("--prune", is_flag=True, help="Delete documents of the collection that are not among EDITIONS.")
@click.option("--no-create", is_flag=True, help="Fail rather than create a missing collection.")
@click.option("--schema", default=None, type=click.Path(path_type=Path),
              help="RELAX NG schema to validate with (default: each edition's, else the project's, else the packaged one).")
def publish(editions: tuple[Path, ...], url: str, collection: str, user: str | None, password_env: str | None,
            odd: Path | None, dry_run: bool, prune: bool, no_create: bool, schema: Path | None) -> None:
    """Publish editions to TEI Publisher with the project's rendering ODD; one report line per document.

    Exit 0 when every edition is published and verified, 1 when any is invalid or failed, 2 for a
    usage error (a missing file, a missing password variable, refused credentials).
    """
    from .publish import publish as run_publish

    password = None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            _say(Diagnostic("TE110", f"environment variable {password_env} is not set", "--password-env"))
            sys.exit(EXIT_USAGE)
    if odd is not None and not odd.is_file():
        _say(Diagnostic("TE100", "no such file", str(odd)))
        sys.exit(EXIT_USAGE)
    report = run_publish(list(editions), url, collection, user=user, password=password, odd=odd,
                         dry_run=dry_run, prune=prune, create_collection=not no_create, schema=schema)
    for diagnostic in report.diagnostics:
        _say(diagnostic)
    for line in report.lines():
        click.echo(line)
    sys.exit(report.exit_code)


@main.command()
@click.argument("editions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", required=True, type=click.Path(path_type=Path), help="Folder for the site (replaced as a whole).")
@click.option("--title", default="Editions", show_default=True, help="The site's title.")
@click.option("--search/--no-search", default=True, show_default=True, help="Build Pagefind's full-text search index.")
def site(editions: tuple[Path, ...], out: Path, title: str, search: bool) -> None:
    """Build a static web edition of EDITIONS (files or folders of *.xml) in OUT."""
    from .site import build_site

    try:
        config = _load_config()
        _check_out(out)
        report = build_site(list(editions), out, title=title, publisher=config.publisher, search=search)
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    for diagnostic in report.diagnostics:
        _say(diagnostic)
    click.echo(f"{out}: {len(report.editions)} edition pages, {len(report.diagnostics)} left out; {report.search}", err=True)
    if report.diagnostics and not report.editions:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FAILED if report.diagnostics or (search and not report.search_ok) else EXIT_OK)


@main.group()
def register() -> None:
    """The corpus register (register.xml): persons, places and organisations across the editions."""


def _register_editions(paths: tuple[Path, ...]) -> list[Path]:
    from .validate.runner import documents_in

    documents, missing = documents_in(list(paths))
    for diagnostic in missing:
        _say(diagnostic)
    if missing or not documents:
        if not missing:
            _say(Diagnostic("TE100", "no XML documents found", " ".join(map(str, paths))))
        sys.exit(EXIT_USAGE)
    return documents


@register.command("build")
@click.argument("editions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", default=Path("register.xml"), type=click.Path(path_type=Path), show_default=True,
              help="The register file: rebuilt over itself when it exists (editors' entries and ids are kept).")
def register_build(editions: tuple[Path, ...], out: Path) -> None:
    """Build or update the register from EDITIONS (files or folders of *.xml)."""
    from .corpus.register import build as build_register
    from .corpus.register import register_bytes

    documents = [d for d in _register_editions(editions) if d.resolve() != out.resolve()]
    try:
        config = _load_config()
        built = build_register(documents, out)
        write_atomically(out, linked(register_bytes(built), schema_hrefs_for(config, out.parent)))
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    counts = ", ".join(f"{len(built.entries[k])} {k}s" for k in built.entries)
    new = sum(1 for e in built.all() if e.new)
    click.echo(f"{out}: {counts} ({new} new) from {len(documents)} editions; "
               f"{len(built.unresolved)} unresolved (see: tei-encoder register suggest)", err=True)


@register.command("suggest")
@click.argument("editions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--register", "register_path", default=Path("register.xml"), type=click.Path(path_type=Path),
              show_default=True, help="The register to compare with (need not exist yet).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def register_suggest(editions: tuple[Path, ...], register_path: Path, fmt: str) -> None:
    """List names the register cannot resolve and entries that may be one, ranked, with the evidence."""
    import json

    from .corpus.register import build as build_register
    from .corpus.suggest import suggestions

    documents = [d for d in _register_editions(editions) if d.resolve() != register_path.resolve()]
    try:
        found = suggestions(build_register(documents, register_path))
    except InputError as exc:
        _say(exc.diagnostic)
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps([s.as_dict() for s in found], ensure_ascii=False, indent=2))
    else:
        for s in found:
            click.echo(f"{s.score:5.1f}  {s.kind:14} {s.subject}  → {', '.join(s.candidates)}")
            for line in s.evidence:
                click.echo(f"       {line}")
    click.echo(f"{len(found)} suggestions", err=True)


@main.command()
@click.argument("editions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--validate/--no-validate", "check", default=True, show_default=True,
              help="Validate each edition (the schema it names, else the project's) for its status.")
@click.option("--corpus-file", "corpus_path", default=None, type=click.Path(path_type=Path),
              help="Also write a teiCorpus here that includes every edition (XInclude).")
@click.option("--title", default="Corpus", show_default=True, help="The corpus file's title.")
@click.option("--schema", default=None, type=click.Path(path_type=Path),
              help="RELAX NG schema to validate with, and the .sch beside it (default: each edition's, else the project's).")
def report(editions: tuple[Path, ...], fmt: str, check: bool, corpus_path: Path | None, title: str,
           schema: Path | None) -> None:
    """Figures per edition and for the corpus: turns per speaker, names, dates, interventions,
    warnings and validation status. Exit 1 when an edition is invalid."""
    from .corpus.report import as_csv, as_json, as_text, corpus_file, edition_report

    documents = [d for d in _register_editions(editions) if corpus_path is None or d.resolve() != corpus_path.resolve()]
    reports = []
    for path in documents:
        try:
            reports.append(edition_report(path))
        except InputError as exc:
            _say(exc.diagnostic)
            sys.exit(EXIT_USAGE)
    if check:
        from .validate.runner import validate_all
        from .validate.schemas import SchemaPair, companion_sch

        try:
            outcomes = validate_all(documents, SchemaPair(schema, companion_sch(schema)) if schema else None)
        except Exception as exc:
            found = getattr(exc, "diagnostic", None)
            _say(found if isinstance(found, Diagnostic) else _internal(exc, "schema"))
            sys.exit(EXIT_USAGE)
        for item, outcome in zip(reports, outcomes):
            item.valid = outcome.valid
            item.errors = [d.format() for d in outcome.errors]
            item.warnings = [d.format() for d in outcome.diagnostics if d.level < Severity.ERROR]
    if corpus_path is not None:
        try:
            write_atomically(corpus_path, corpus_file(documents, corpus_path, title))
        except InputError as exc:
            _say(exc.diagnostic)
            sys.exit(EXIT_USAGE)
        click.echo(f"{corpus_path}: teiCorpus including {len(documents)} editions", err=True)
    click.echo({"json": as_json, "csv": as_csv}.get(fmt, as_text)(reports), nl=False)
    sys.exit(EXIT_FAILED if any(r.valid is False for r in reports) else EXIT_OK)


if __name__ == "__main__":
    main()
