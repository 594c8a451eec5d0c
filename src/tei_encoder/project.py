"""A new edition project (`tei-encoder init`): folders, configuration, the schema and a customisation of it, pre-commit and CI."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from lxml import etree

from . import __version__
from .config import CONFIG_NAME
from .diagnostics import Diagnostic, InputError
from .io import SAFE_PARSER, write_atomically
from .packaged import SCHEMA_FILES, SCHEMA_IDENT, schema_file, schema_folder

TEI_NS = "http://www.tei-c.org/ns/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
_T = f"{{{TEI_NS}}}"

# Folders a project holds; empty ones get a .gitkeep so that git keeps them (never a README:
# a .md file in sources/ would be read as a transcript).
FOLDERS = ("sources", "editions", "schema")


def ident_for(name: str) -> str:
    """A schemaSpec ident (an XML name) from a project's name: "My letters" → "my_letters"."""
    ident = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not ident or not ident[0].isalpha():
        ident = "project_" + ident if ident else "project"
    return "project" if ident == SCHEMA_IDENT else ident


def customisation_odd(ident: str, title: str) -> bytes:
    """An ODD that starts from ours: chained to tei_encoder.odd with schemaSpec/@source, every module kept.

    Chaining brings in what our ODD kept of each module, as it changed it. Constraints that
    our schemaSpec holds directly (not inside a spec) belong to no module, so a chained ODD
    does not inherit them: they are copied here, so the customisation begins as strict as ours.
    """
    ours = etree.parse(str(schema_file(".odd")), SAFE_PARSER).getroot()
    spec = next(ours.iter(_T + "schemaSpec"))
    modules = [ref.get("key", "") for ref in spec.iter(_T + "moduleRef")]
    if any(el.get("mode", "add") == "add" and not el.get("module") for el in spec.iter(_T + "elementSpec")):
        modules.append(f"derived-module-{SCHEMA_IDENT}")  # elements ours adds, as odd2odd names their module
    constraints = [c for c in spec if c.tag == _T + "constraintSpec"]
    attributes = {k: spec.get(k) for k in ("start", "prefix", "docLang") if spec.get(k) is not None}

    root = etree.fromstring(_ODD_TEMPLATE.format(title=_text(title), ours=f"{SCHEMA_IDENT}.odd", ident=ident,
                                                 version=__version__).encode("utf-8"))
    schema_spec = next(root.iter(_T + "schemaSpec"))
    for key, value in attributes.items():
        schema_spec.set(key, value or "")
    schema_spec.text = "\n          "
    last: etree._Element | None = None
    for key in modules:
        last = etree.SubElement(schema_spec, _T + "moduleRef", key=key)
        last.tail = "\n          "
    comment = etree.Comment(f" Rules for the whole document, as {SCHEMA_IDENT}.odd states them ")
    comment.tail = "\n          "
    schema_spec.append(comment)
    for constraint in constraints:
        last = copy.deepcopy(constraint)
        last.tail = "\n          "
        schema_spec.append(last)
    if last is not None:
        last.tail = "\n        "
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ODD_TEMPLATE = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:sch="http://purl.oclc.org/dsdl/schematron" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{title}: the project's customisation of the tei-encoder schema</title>
      </titleStmt>
      <publicationStmt>
        <p>Made by tei-encoder {version} (tei-encoder init); the project's to change.</p>
      </publicationStmt>
      <sourceDesc>
        <p>Starts from {ours}, the schema tei-encoder's editions are made for.</p>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div>
        <head>What this customisation changes</head>
        <p>Nothing yet: it builds on {ours} (schemaSpec/@source) and keeps every module that
        schema uses, as that schema left it, with its rules for the whole document. Add specs
        below the module references to change it: an elementSpec in change mode to close a
        value list further, in delete mode to forbid an element, in add mode for an element of
        the project's own, each with a sentence saying why.</p>
        <p>Compile it with <code>tei-encoder schema compile schema/{ident}.odd -o schema --p5 p5subset.xml</code>
        (p5subset.xml comes with every TEI P5 release), then set <code>schema = "schema/{ident}"</code>
        in tei-encoder.toml so that the editions point at, and are validated with, the result.</p>
      </div>
      <div>
        <head>The specification</head>
        <schemaSpec ident="{ident}" source="{ours}"/>
      </div>
    </body>
  </text>
</TEI>"""


def _config(publisher: str) -> str:
    return f"""# The project's settings: `tei-encoder build` encodes sources/ into editions/ with them.
[edition]
publisher = {_toml_string(publisher)}   # who publishes the editions (publicationStmt/publisher)
licence = "The encoding is released under CC BY 4.0; the text belongs to its publisher."
# date = "2025-01-31"             # the editions' publication date (ISO), if the project gives one
# The schema the editions point at (<?xml-model?>) and are validated with: a path without
# extension, relative to this folder. schema/tei_encoder is the schema this version of
# tei-encoder ships, copied here so that the links work on any machine and in any XML editor.
schema = "schema/{SCHEMA_IDENT}"
"""


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_PRE_COMMIT = """# pre-commit (https://pre-commit.com): `pip install pre-commit && pre-commit install`.
# A commit that changes a transcript, the schema or the settings rebuilds the editions (the
# commit stops when an edition changed, to be added, or failed); one that changes an edition
# validates it.
repos:
  - repo: local
    hooks:
      - id: tei-encoder-build
        name: encode sources/ into editions/ (tei-encoder build)
        entry: tei-encoder build
        language: system
        pass_filenames: false
        files: ^(sources/|schema/|tei-encoder\\.toml$)
      - id: tei-encoder-validate
        name: validate the editions (tei-encoder validate)
        entry: tei-encoder validate
        language: system
        files: ^editions/.*\\.xml$
"""

_WORKFLOW = """# Encode sources/ into editions/, prove each round trip and validate, on every push.
name: build

on:
  push:
  pull_request:

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install tei-encoder
        run: python -m pip install -r requirements.txt
      - name: Build the editions
        if: hashFiles('sources/**/*.txt', 'sources/**/*.md') != ''
        run: tei-encoder build
      - name: The committed editions are the ones the sources give
        if: hashFiles('sources/**/*.txt', 'sources/**/*.md') != ''
        run: git diff --exit-code -- editions
      - uses: actions/upload-artifact@v4
        with:
          name: editions
          path: editions/
          if-no-files-found: ignore
"""


def _requirements() -> str:
    return (f"# tei-encoder, the version this project was made with. Where the package index does not\n"
            f"# carry it, name a wheel or a git URL instead (tei-encoder @ git+https://…).\n"
            f"tei-encoder=={__version__}\n")


_GITIGNORE = ".venv/\n__pycache__/\nsite/\n"


def _readme(name: str, ident: str) -> str:
    return f"""# {name}

TEI editions of the transcripts in `sources/`, made with tei-encoder.

```sh
pip install -r requirements.txt
tei-encoder build                      # sources/ → editions/, round trip proven, validated
tei-encoder validate editions/         # RELAX NG and Schematron, every error
tei-encoder schema compile schema/{ident}.odd -o schema --p5 p5subset.xml   # after editing the ODD
```

- `sources/`: the transcripts (`*.txt`, `*.md`), each with an optional `NAME.meta.toml`.
- `editions/`: the TEI editions, one per transcript.
- `schema/`: `tei_encoder.odd` and its compiled `.rng` and `.sch` (the schema of tei-encoder
  {__version__}), and `{ident}.odd`, the project's customisation of it.
- `tei-encoder.toml`: publisher, licence and the schema the editions point at.
"""


def project_files(name: str) -> dict[str, bytes]:
    """Every file of a new project, by path relative to its folder."""
    ident = ident_for(name)
    files = {
        CONFIG_NAME: _config(name),
        f"schema/{ident}.odd": customisation_odd(ident, name).decode("utf-8"),
        ".pre-commit-config.yaml": _PRE_COMMIT,
        ".github/workflows/build.yml": _WORKFLOW,
        "requirements.txt": _requirements(),
        ".gitignore": _GITIGNORE,
        "README.md": _readme(name, ident),
        "sources/.gitkeep": "",
        "editions/.gitkeep": "",
    }
    encoded = {path: text.encode("utf-8") for path, text in files.items()}
    folder = schema_folder()
    for filename in SCHEMA_FILES:  # the packaged schema, byte for byte
        encoded[f"schema/{filename}"] = (folder / filename).read_bytes()
    return dict(sorted(encoded.items()))


def init_project(folder: Path, name: str | None = None, force: bool = False) -> list[Path]:
    """Write a new project into `folder`; refuse a folder that holds anything unless `force`.

    With `force`, the project's own files are written over; nothing else in the folder is touched.
    """
    if folder.exists() and not folder.is_dir():
        raise InputError(Diagnostic("TE900", "is not a folder", str(folder)))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InputError(Diagnostic("TE910", "folder is not empty: give --force to write the project's files into it",
                                    str(folder)))
    title = name or folder.resolve().name or "project"
    written = []
    for relative, data in project_files(title).items():
        target = folder / relative
        write_atomically(target, data)
        written.append(target)
    return written
