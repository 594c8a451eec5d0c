"""A project anywhere: the packaged schema, `tei-encoder init`, and build and validate in a new folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
import yaml
from lxml import etree

import tei_encoder
from tei_encoder import __version__
from tei_encoder.api import collapse
from tei_encoder.packaged import SCHEMA_FILES, schema_folder
from tei_encoder.project import ident_for, project_files

from .conftest import ROOT, SHARED, SOURCES

P5 = SHARED / "tei" / "p5subset.xml"
SCH_NS = "{http://purl.oclc.org/dsdl/schematron}"
BIN = Path(sys.executable).parent
needs_p5 = pytest.mark.skipif(not P5.is_file(), reason=f"TEI source not found at {P5} (../shared is absent)")

Cli = Callable[..., subprocess.CompletedProcess[str]]


# ---- the packaged schema ---------------------------------------------------------------------


def test_package_schema_is_the_project_schema():
    """schema/ is the source of truth; the package ships a copy that must be the same bytes."""
    packaged = ROOT / "src" / "tei_encoder" / "schema"
    for name in SCHEMA_FILES:
        assert (packaged / name).read_bytes() == (ROOT / "schema" / name).read_bytes(), (
            f"src/tei_encoder/schema/{name} differs from schema/{name}: run `make schema`")


def test_schema_resolves_inside_the_package():
    folder = schema_folder()
    assert folder == Path(str(resources.files("tei_encoder").joinpath("schema")))
    assert folder.is_relative_to(Path(tei_encoder.__file__).parent)
    assert folder != ROOT / "schema"
    assert all((folder / name).is_file() for name in SCHEMA_FILES)


def test_validation_does_not_import_the_encoder():
    """Validating needs the validators, the safe parser and the schema, never the conversion pipeline."""
    script = (
        "import sys\n"
        "import tei_encoder.validate.runner, tei_encoder.validate.schemas, tei_encoder.validate.report\n"
        "import tei_encoder.validate.relaxng, tei_encoder.validate.schematron\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('tei_encoder'))))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert "tei_encoder.io" in loaded and "tei_encoder.validate.runner" in loaded
    encoder = [m for m in loaded if re.match(r"tei_encoder\.(api|convert|blocks|inlines|profiles|transforms|infer|source)\b", m)]
    assert not encoder, encoder


@pytest.fixture(scope="session")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel and unpacked: the package as pip would install it, apart from the repository."""
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools leaves build/ behind in the tree it builds, and a stale one
    # could put files in the wheel that the sources no longer have.
    tree = out / "tree"
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(tree)],
                           capture_output=True, text=True)
    wheels = list(out.glob("tei_encoder-*.whl"))
    if built.returncode != 0 or not wheels:
        pytest.skip(f"the wheel cannot be built here: {built.stderr.strip().splitlines()[-1:]}")
    site = out / "site"
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        for name in SCHEMA_FILES:
            assert f"tei_encoder/schema/{name}" in names, f"the wheel lacks tei_encoder/schema/{name}"
        wheel.extractall(site)
    return site


def _runner(kind: str, unpacked: Path | None) -> Cli:
    env = dict(os.environ)
    env.pop("TEI_P5_SOURCE", None)
    if kind == "wheel":
        assert unpacked is not None
        env["PYTHONPATH"] = str(unpacked)
        command = [sys.executable, "-m", "tei_encoder"]
    else:
        command = [str(BIN / "tei-encoder")]

    def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([*command, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    run.env = env  # type: ignore[attr-defined]
    return run


@pytest.fixture(params=["installed", "wheel"])
def cli(request: pytest.FixtureRequest) -> Cli:
    """The command as installed (its console script), and from the unpacked wheel."""
    if request.param == "installed" and not (BIN / "tei-encoder").is_file():
        pytest.skip("the tei-encoder script is not installed beside this Python")
    return _runner(request.param, request.getfixturevalue("unpacked") if request.param == "wheel" else None)


def test_wheel_runs_from_its_own_files(unpacked: Path, tmp_path: Path):
    run = _runner("wheel", unpacked)
    probe = subprocess.run(
        [sys.executable, "-c", "import tei_encoder.packaged as p; print(p.schema_folder())"],
        cwd=tmp_path, env=run.env, capture_output=True, text=True, check=True)  # type: ignore[attr-defined]
    assert Path(probe.stdout.strip()) == unpacked / "tei_encoder" / "schema"


# ---- init, then build and validate there --------------------------------------------------------


def test_init_build_validate_in_a_new_folder(cli: Cli, tmp_path: Path):
    project = tmp_path / "letters"
    made = cli("init", project, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for relative in ("sources", "editions", "tei-encoder.toml", "schema/tei_encoder.rng", "schema/tei_encoder.sch",
                     "schema/letters.odd", ".pre-commit-config.yaml", ".github/workflows/build.yml"):
        assert (project / relative).exists(), relative
    transcripts = sorted(SOURCES.glob("*.txt"))
    for path in transcripts:
        shutil.copy(path, project / "sources" / path.name)

    built = cli("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert f"validated {len(transcripts)} editions (RELAX NG and Schematron): 0 errors" in built.stderr
    for path in transcripts:
        edition = project / "editions" / (path.stem + ".xml")
        assert b'<?xml-model href="../schema/tei_encoder.rng"' in edition.read_bytes()[:400]
        assert b"<publisher>letters</publisher>" in edition.read_bytes()
        back = cli("text", edition, cwd=project)
        assert back.returncode == 0 and collapse(back.stdout) == collapse(path.read_text("utf-8"))

    checked = cli("validate", "editions", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{len(transcripts)} documents: {len(transcripts)} valid, 0 invalid" in checked.stderr

    # The schema is really applied: an edition broken by hand is reported there.
    edition = project / "editions" / (transcripts[0].stem + ".xml")
    edition.write_bytes(edition.read_bytes().replace(b"<body>", b"<body><nonsense/>", 1))
    broken = cli("validate", "editions", cwd=project)
    assert broken.returncode == 1 and "error[TE510]" in broken.stdout, broken.stdout


def test_convert_and_validate_outside_any_project(cli: Cli, tmp_path: Path):
    """No project, no schema/ folder: the editions name no schema and the packaged one validates them."""
    source = sorted(SOURCES.glob("*.txt"))[0]
    shutil.copy(source, tmp_path / source.name)
    converted = cli("convert", source.name, "--out", "out", cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert "validated 1 editions (RELAX NG and Schematron): 0 errors" in converted.stderr
    edition = tmp_path / "out" / (source.stem + ".xml")
    assert b"xml-model" not in edition.read_bytes()
    checked = cli("validate", "out", cwd=tmp_path)
    assert checked.returncode == 0 and "TE520" not in checked.stdout, checked.stdout


@needs_p5
def test_customisation_compiles_and_starts_as_strict_as_ours(tmp_path: Path):
    run = _runner("installed", None)
    project = tmp_path / "My Letters"
    assert run("init", project, cwd=tmp_path).returncode == 0
    compiled = run("schema", "compile", "schema/my_letters.odd", "-o", "schema", "--p5", P5, cwd=project)
    assert compiled.returncode == 0, compiled.stderr
    ours = etree.parse(str(project / "schema" / "tei_encoder.sch")).getroot()
    theirs = etree.parse(str(project / "schema" / "my_letters.sch")).getroot()

    def patterns(root: etree._Element, ident: str) -> list[str]:
        return sorted((p.get("id") or p.get("is-a") or "").replace(ident, "IDENT") for p in root.iter(SCH_NS + "pattern"))

    assert patterns(theirs, "my_letters") == patterns(ours, "tei_encoder")
    for path in sorted(SOURCES.glob("*.txt")):
        shutil.copy(path, project / "sources" / path.name)
    assert run("build", cwd=project).returncode == 0
    valid = run("validate", "editions", "--schema", "schema/my_letters.rng", cwd=project)
    assert valid.returncode == 0, valid.stdout
    edition = sorted((project / "editions").glob("*.xml"))[0]
    edition.write_bytes(re.sub(rb' who="#[^"]+"', b' who="#nobody"', edition.read_bytes(), count=1))
    broken = run("validate", edition, "--schema", "schema/my_letters.rng", cwd=project)
    assert broken.returncode == 1 and "error[TE530]" in broken.stdout, broken.stdout


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    run = _runner("installed", None)
    project = tmp_path / "p"
    project.mkdir()
    (project / "notes.txt").write_text("mine", "utf-8")
    refused = run("init", project, cwd=tmp_path)
    assert refused.returncode == 2 and re.search(r"p: error\[TE910\]", refused.stderr), refused.stderr
    assert sorted(p.name for p in project.iterdir()) == ["notes.txt"]
    forced = run("init", project, "--force", cwd=tmp_path)
    assert forced.returncode == 0 and (project / "tei-encoder.toml").is_file()
    assert (project / "notes.txt").read_text("utf-8") == "mine"
    a_file = tmp_path / "file"
    a_file.write_text("x", "utf-8")
    assert run("init", a_file, cwd=tmp_path).returncode == 2
    assert run("init", tmp_path / "empty", cwd=tmp_path).returncode == 0  # a folder yet to be made


def test_init_is_deterministic_and_named():
    assert project_files("Letters") == project_files("Letters")
    assert ident_for("My letters 1950") == "my_letters_1950"
    assert ident_for("1950") == "project_1950" and ident_for("tei_encoder") == "project" and ident_for("!!") == "project"


def test_pre_commit_configuration_and_hooks(tmp_path: Path):
    files = project_files("letters")
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_bytes(files[".pre-commit-config.yaml"])
    hooks = yaml.safe_load(config.read_text("utf-8"))["repos"][0]["hooks"]
    assert [h["entry"] for h in hooks] == ["tei-encoder build", "tei-encoder validate"]
    assert re.search(hooks[0]["files"], "sources/a.txt") and not re.search(hooks[0]["files"], "editions/a.xml")
    assert re.search(hooks[1]["files"], "editions/a.xml") and not re.search(hooks[1]["files"], "sources/a.txt")
    tool = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
    if tool is None:
        pytest.skip("pre-commit is not installed")
    assert subprocess.run([tool, "validate-config", str(config)], capture_output=True).returncode == 0
    assert subprocess.run([tool, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True).returncode == 0


def test_ci_workflow_installs_and_builds(tmp_path: Path):
    files = project_files("letters")
    workflow = tmp_path / "build.yml"
    workflow.write_bytes(files[".github/workflows/build.yml"])
    steps = yaml.safe_load(workflow.read_text("utf-8"))["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert runs.index("python -m pip install -r requirements.txt") < runs.index("tei-encoder build")
    assert f"tei-encoder=={__version__}" in files["requirements.txt"].decode()
    tool = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema is not installed")
    checked = subprocess.run([tool, "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
