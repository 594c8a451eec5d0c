"""Build the static site: pages, downloads, register, CITATION.cff, then Pagefind's index."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from lxml import etree
from markupsafe import Markup

from ..api import edition_profile, read_edition
from ..diagnostics import Diagnostic, InputError
from ..tei.totext import edition_text
from ..tei.xml import TEI_NS, XML_LANG
from .citation import citation_cff
from .facts import Facts, read_facts
from .register import build_register
from .render import Rendered, render_text

MARKER = ".tei-encoder-site"  # says a folder is a site this command made, so a rebuild may replace it
_SAFE_IDENT = re.compile(r"[^A-Za-z0-9._-]+")
_XML_MODEL = re.compile(rb'<\?xml-model\s[^?]*?href="([^"]+)"')
FACETS = (("year", "Year"), ("archive", "Archive"), ("participants", "Participants"),
          ("language", "Language"), ("profile", "Profile"))


@dataclass
class SiteEdition:
    """One edition as the site shows it."""

    source: Path
    data: bytes
    facts: Facts
    rendered: Rendered
    text: str | None
    lang: str = "en"

    @property
    def turns(self) -> int:
        return self.rendered.turns

    @property
    def facet_values(self) -> dict[str, list[str]]:
        facts = self.facts
        return {
            "year": [facts.year] if facts.year else [],
            "archive": [facts.archive] if facts.archive else [],
            "participants": [p.name for p in facts.persons],
            "language": facts.languages,
            "profile": [facts.profile],
        }


@dataclass
class SiteReport:
    """What was built, what was left out and why, and how the search index went."""

    out: Path
    editions: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    search: str = ""
    search_ok: bool = False


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tei_encoder.site", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def load_edition(path: Path) -> SiteEdition:
    """Read and render one edition; raises InputError when it cannot be read."""
    root = read_edition(path)
    data = path.read_bytes()
    if etree.QName(root).namespace != TEI_NS or etree.QName(root).localname not in ("TEI", "teiCorpus"):
        raise InputError(Diagnostic("TE100", "not a TEI edition (root is not TEI or teiCorpus)", str(path)))
    ident = _SAFE_IDENT.sub("-", path.stem).strip("-") or "edition"
    facts = read_facts(root, ident)
    rendered = render_text(root, {p.ident: p for p in facts.persons}, "../persons.html")
    try:
        text: str | None = edition_text(root, edition_profile(root, str(path)))
    except InputError:
        text = None  # made with a profile from a file: the page says there is no plain-text download
    body_lang = root.find(f".//{{{TEI_NS}}}text")
    lang = body_lang.get(XML_LANG, "en") if body_lang is not None else "en"
    return SiteEdition(path, data, facts, rendered, text, lang)


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


def _schemas(edition: SiteEdition, staging: Path) -> None:
    """Copy the schemas an edition's <?xml-model?> names by relative path, so the TEI download validates."""
    for href in _XML_MODEL.findall(edition.data[:2000]):
        relative = href.decode("utf-8", "replace")
        if "://" in relative or relative.startswith("/"):
            continue
        inside = posixpath.normpath(posixpath.join("tei", relative))
        source = (edition.source.parent / relative).resolve()
        if inside.startswith("..") or not source.is_file():
            continue
        _write(staging / inside, source.read_bytes())


def _facets(editions: list[SiteEdition]) -> list[dict[str, object]]:
    facets: list[dict[str, object]] = []
    for key, label in FACETS:
        counts: dict[str, int] = {}
        for edition in editions:
            for value in edition.facet_values[key]:
                counts[value] = counts.get(value, 0) + 1
        order = sorted(counts.items(), key=lambda kv: kv[0].casefold())
        if key == "participants":  # the people met most often first
            order.sort(key=lambda kv: -kv[1])
        facets.append({"key": key, "label": label, "options": order})
    return facets


def render_site(editions: list[SiteEdition], staging: Path, title: str, publisher: str) -> None:
    """Write every page and file of the site (all but the search index) into a folder."""
    env = _environment()
    common = {"site_title": title, "publisher": publisher}
    for edition in editions:
        body = Markup(etree.tostring(edition.rendered.html, method="html", encoding="unicode"))
        page = env.get_template("edition.html").render(
            root="../", page="edition", facts=edition.facts, body=body, has_text=edition.text is not None,
            lang=edition.lang, **common)
        _write(staging / "editions" / f"{edition.facts.ident}.html", page)
        _write(staging / "tei" / f"{edition.facts.ident}.xml", edition.data)
        _schemas(edition, staging)
        if edition.text is not None:
            _write(staging / "text" / f"{edition.facts.ident}.txt", edition.text)
    _write(staging / "index.html", env.get_template("index.html").render(
        root="", page="index", editions=editions, facets=_facets(editions), **common))
    register = build_register([(e.facts, e.rendered.mentions) for e in editions])
    _write(staging / "persons.html", env.get_template("persons.html").render(
        root="", page="persons", persons=register, **common))
    _write(staging / "search.html", env.get_template("search.html").render(root="", page="search", **common))
    for asset in resources.files("tei_encoder.site").joinpath("static").iterdir():
        if asset.name.endswith((".css", ".js")):
            _write(staging / "assets" / asset.name, asset.read_bytes())
    _write(staging / "CITATION.cff", citation_cff(title, publisher, [e.facts for e in editions]))
    _write(staging / ".nojekyll", "")  # GitHub Pages: serve every file as it is
    _write(staging / MARKER, "made by tei-encoder site; rebuilt as a whole\n")


def run_pagefind(site: Path) -> tuple[bool, str]:
    """Index the site for offline full-text search with Pagefind (the PyPI package's own binary)."""
    try:
        done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)],
                              capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"Pagefind could not run: {exc}"
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return False, f"Pagefind failed ({done.returncode}): {tail[0]}"
    indexed = re.search(r"Indexed (\d+) pages?", done.stdout)
    return True, f"Pagefind indexed {indexed.group(1) if indexed else '?'} pages"


def _replace(out: Path, staging: Path) -> None:
    """Put the new site where the old one was, only if the old one is a site we made (or empty)."""
    if out.exists():
        if out.is_dir() and ((out / MARKER).is_file() or not any(out.iterdir())):
            shutil.rmtree(out)
        else:
            raise InputError(Diagnostic("TE900", f"output folder holds files not made by this command (no {MARKER}); "
                                                 "give an empty or new folder", str(out)))
    staging.rename(out)


def build_site(paths: list[Path], out: Path, title: str = "Editions", publisher: str = "tei-encoder",
               search: bool = True) -> SiteReport:
    """Build the site for editions (files or folders of *.xml) into out, replacing an earlier build."""
    report = SiteReport(out)
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.xml")) if path.is_dir() else [path]
    editions: list[SiteEdition] = []
    idents: dict[str, Path] = {}
    for path in files:
        try:
            edition = load_edition(path)
        except InputError as exc:
            report.diagnostics.append(exc.diagnostic)
            continue
        if edition.facts.ident in idents:
            report.diagnostics.append(Diagnostic(
                "TE900", f"same page name as {idents[edition.facts.ident]}: rename one of them", str(path)))
            continue
        idents[edition.facts.ident] = path
        editions.append(edition)
    editions.sort(key=lambda e: e.facts.sort_key)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        render_site(editions, staging, title, publisher)
        if search:
            report.search_ok, report.search = run_pagefind(staging)
        else:
            report.search = "search index not built (--no-search)"
        staging.chmod(0o755)
        _replace(out, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.editions = [e.facts.ident for e in editions]
    return report
