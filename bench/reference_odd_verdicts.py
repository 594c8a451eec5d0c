"""jing on each feature ODD (tests/odd/*/) compiled by us and by a TEI Stylesheets checkout, as a Markdown table."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
FEATURES_DIR = ROOT / "tests" / "odd"
DEFAULT_P5 = ROOT.parent / "shared" / "tei" / "p5subset.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"
# One line of jing's output: FILE:LINE:COL: SEVERITY: MESSAGE.
JING_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|fatal|warning): (?P<message>.*)$")
# Where tei:RELEASE sources are looked for: the Stylesheets' defaultTEIServer, pointed at a local folder.
VAULT_LAYOUT = "{release}/xml/tei/odd/p5subset.xml"


class ReferenceError(Exception):
    """The Stylesheets could not make a schema of an ODD."""


@dataclass(frozen=True)
class Verdict:
    """jing's word on one document: valid, invalid with its first message, or a refused schema."""

    valid: bool
    message: str = ""
    schema_error: bool = False

    def cell(self, width: int = 90) -> str:
        if self.schema_error:
            return f"schema error: {_short(self.message, width)}"
        return "valid" if self.valid else f"invalid: {_short(self.message, width)}"


def _short(text: str, width: int) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def expectations(folder: Path) -> dict[str, Any]:
    path = folder / "expect.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def documents(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for kind in ("pass", "fail") for p in sorted((folder / kind).glob("*.xml"))]


def schema_spec(odd: Path) -> etree._Element:
    root = etree.parse(str(odd), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    spec = next(root.iter(TEI + "schemaSpec"), None)
    if spec is None:
        raise ReferenceError(f"{odd}: no schemaSpec")
    return spec


def is_customisation(spec: etree._Element) -> bool:
    """An ODD that still refers to its source (moduleRef, specGrpRef, or @source): not a compiled one."""
    return bool(spec.get("source")) or any(
        child.tag in (TEI + "moduleRef", TEI + "specGrpRef") for child in spec.iter()
    )


class Stylesheets:
    """odd2odd then odd2relax of a TEI Stylesheets checkout, run in process by saxonche."""

    def __init__(self, directory: Path, p5: Path, vault: Path) -> None:
        try:
            from saxonche import PySaxonProcessor
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise SystemExit(f"saxonche is needed to run the TEI Stylesheets ({e})") from e
        for name in ("odd2odd.xsl", "odd2relax.xsl"):
            if not (directory / "odds" / name).is_file():
                raise SystemExit(f"{directory}/odds/{name} not found: --stylesheets must be a TEI Stylesheets checkout")
        self.p5 = p5.resolve()
        self.vault = vault
        self.processor = PySaxonProcessor(license=False)
        self.version = self.processor.version
        xslt = self.processor.new_xslt30_processor()
        self.odd2odd = xslt.compile_stylesheet(stylesheet_file=str(directory / "odds" / "odd2odd.xsl"))
        self.odd2relax = xslt.compile_stylesheet(stylesheet_file=str(directory / "odds" / "odd2relax.xsl"))
        # Why: odd2odd reads the TEI source from defaultSource, and a tei:RELEASE @source from
        # defaultTEIServer + RELEASE/xml/tei/odd/p5subset.xml; both stay on this machine.
        self.odd2odd.set_parameter("defaultSource", self.processor.make_string_value(self.p5.as_uri()))
        self.odd2odd.set_parameter("defaultTEIServer", self.processor.make_string_value(vault.resolve().as_uri() + "/"))

    def link_release(self, release: str) -> None:
        """Make tei:RELEASE resolve to the TEI source given (whatever release that is)."""
        target = self.vault / VAULT_LAYOUT.format(release=release)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(self.p5)

    def odd_to_odd(self, odd: Path, out: Path) -> Path:
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.odd2odd.transform_to_file(source_file=str(odd), output_file=str(out))
        except Exception as e:  # saxonche raises its own error types, all of them a failed run
            raise ReferenceError(f"odd2odd: {_short(str(e), 200)}") from e
        return out

    def odd_to_relax(self, compiled: Path, out: Path) -> Path:
        try:
            self.odd2relax.transform_to_file(source_file=str(compiled), output_file=str(out))
        except Exception as e:  # as above
            raise ReferenceError(f"odd2relax: {_short(str(e), 200)}") from e
        if not out.is_file() or out.stat().st_size == 0:
            raise ReferenceError("odd2relax wrote nothing")
        return out


def stage(odd: Path, odd_path: Sequence[Path], sheets: Stylesheets, work: Path) -> Path:
    """The ODD to give odd2odd: itself, or a copy beside its parent already compiled.

    odd2odd reads schemaSpec/@source as a compiled ODD, so a parent that is a customisation is
    compiled first (to any depth) and written where the child's @source points, next to a copy
    of the child; a parent found through the ODD path is put beside the child the same way.
    tei:RELEASE is pointed at the TEI source given.
    """
    spec = schema_spec(odd)
    source = spec.get("source", "")
    if source.startswith("tei:"):
        sheets.link_release(source[4:])
        return odd
    if not source or re.match(r"^[a-z][a-z0-9+.-]*:", source) or source.startswith("/"):
        return odd
    candidates = [odd.parent / source, *(folder / source for folder in odd_path)]
    parent = next((c for c in candidates if c.is_file()), None)
    if parent is None:
        raise ReferenceError(f"@source {source!r} not found beside the ODD or in the ODD path")
    copy_dir = work / f"{len(list(work.glob('*')))}-{odd.stem}"
    parent_out = copy_dir / source
    if is_customisation(schema_spec(parent)):
        staged = stage(parent, [parent.parent, *odd_path], sheets, work)
        sheets.odd_to_odd(staged, parent_out)
    else:
        parent_out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(parent, parent_out)
    child = copy_dir / odd.name
    shutil.copyfile(odd, child)
    return child


def jing_verdict(jing: str, rng: Path, document: Path) -> Verdict:
    run = subprocess.run([jing, str(rng), str(document)], capture_output=True, text=True, check=False)
    lines = [m for m in map(JING_LINE.match, run.stdout.splitlines()) if m]
    for m in lines:
        if Path(m["file"]).resolve() == rng.resolve():
            return Verdict(False, m["message"], schema_error=True)
    if run.returncode == 0:
        return Verdict(True)
    first = lines[0]["message"] if lines else (run.stdout + run.stderr).strip()
    return Verdict(False, first)


def compile_ours(folder: Path, p5: Path, out: Path) -> Path:
    """OUT/IDENT.rng from `tei-encoder schema compile`, with the folder's expect.json options."""
    given = expectations(folder).get("options", {})
    args = [sys.executable, "-m", "tei_encoder", "schema", "compile", str(folder / "schema.odd"), "-o", str(out),
            "--p5", str(p5)]
    for sub in given.get("odd_path", []):
        args += ["--odd-path", str(folder / sub)]
    if "any_element_require" in given:
        args += ["--any-element-require", given["any_element_require"]]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    rngs = sorted(out.glob("*.rng"))
    if run.returncode != 0 or not rngs:
        raise ReferenceError(f"tei-encoder: {_short(run.stderr or run.stdout, 200)}")
    return rngs[0]


def compile_reference(folder: Path, sheets: Stylesheets, out: Path) -> Path:
    given = expectations(folder).get("options", {})
    odd_path = [folder / sub for sub in given.get("odd_path", [])]
    staged = stage(folder / "schema.odd", odd_path, sheets, out / "staged")
    compiled = sheets.odd_to_odd(staged, out / "schema.compiled.odd")
    return sheets.odd_to_relax(compiled, out / "schema.rng")


def expected_cell(folder: Path, document: str) -> str:
    expect = expectations(folder)
    name = Path(document).name
    cell = "valid" if document.startswith("pass/") else f"invalid: {_short(expect.get('fail', {}).get(name, ''), 90)}"
    if document in expect.get("xfail", {}):
        cell += " (xfail)"
    return cell


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("features", nargs="*", help="feature folders of tests/odd (default: all)")
    parser.add_argument("--stylesheets", type=Path, required=True, help="a TEI Stylesheets checkout (odds/, common/)")
    parser.add_argument("--jing", default="jing", help="the jing command (default: jing)")
    parser.add_argument("--p5", type=Path, default=DEFAULT_P5, help="the TEI source, p5subset.xml")
    parser.add_argument("--keep", type=Path, help="keep both schemas of every folder here")
    args = parser.parse_args(argv)
    if shutil.which(args.jing) is None:
        print(f"jing not found ({args.jing})", file=sys.stderr)
        return 2
    if not args.p5.is_file():
        print(f"TEI source not found at {args.p5}", file=sys.stderr)
        return 2
    names = args.features or sorted(p.name for p in FEATURES_DIR.iterdir() if (p / "schema.odd").is_file())
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        sheets = Stylesheets(args.stylesheets, args.p5, work / "vault")
        rows: list[tuple[str, str, str, Verdict | str, Verdict | str]] = []
        for name in names:
            folder = FEATURES_DIR / name
            schemas: list[Path | str] = []
            for side, make in (("ours", lambda o: compile_ours(folder, args.p5, o)),
                               ("reference", lambda o: compile_reference(folder, sheets, o))):
                try:
                    schemas.append(make(work / name / side))
                except ReferenceError as e:
                    schemas.append(f"no schema: {e}")
            docs = documents(folder)

            def verdict(schema: Path | str, doc: str) -> Verdict | str:
                return schema if isinstance(schema, str) else jing_verdict(args.jing, schema, folder / doc)

            with ThreadPoolExecutor(2) as pool:
                ours = list(pool.map(lambda d: verdict(schemas[0], d), docs))
                ref = list(pool.map(lambda d: verdict(schemas[1], d), docs))
            rows += [(name, d, expected_cell(folder, d), o, r) for d, o, r in zip(docs, ours, ref, strict=True)]
        print_table(rows, sheets.version)
    return 0


def print_table(rows: list[tuple[str, str, str, Verdict | str, Verdict | str]], saxon: str) -> None:
    def cell(v: Verdict | str) -> str:
        return v if isinstance(v, str) else v.cell()

    def valid(v: Verdict | str) -> bool | None:
        return None if isinstance(v, str) or v.schema_error else v.valid

    print(f"jing on each feature ODD's documents, compiled by tei-encoder and by the TEI Stylesheets ({saxon}).\n")
    print("| folder | document | expected | jing on ours | jing on reference |")
    print("|---|---|---|---|---|")
    for name, doc, expected, ours, ref in rows:
        print(f"| {name} | {doc} | {expected} | {cell(ours)} | {cell(ref)} |")
    total = len(rows)
    wanted = [r[1].startswith("pass/") for r in rows]
    ours_ok = sum(valid(r[3]) == w for r, w in zip(rows, wanted, strict=True))
    ref_ok = sum(valid(r[4]) == w for r, w in zip(rows, wanted, strict=True))
    same = sum(valid(r[3]) is not None and valid(r[3]) == valid(r[4]) for r in rows)
    print(f"\n{total} documents: ours as expected {ours_ok}, reference as expected {ref_ok}, "
          f"same verdict (valid or not) {same}.")


if __name__ == "__main__":
    sys.exit(main())
