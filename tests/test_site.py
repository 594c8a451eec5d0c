"""The static web edition, read as files: faithful text, every mark, links, register, determinism."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree, html

from tei_encoder.api import edition_profile, read_edition
from tei_encoder.cli import main
from tei_encoder.site.build import MARKER
from tei_encoder.tei.totext import edition_text

from .site_seed import MARKS, TEI, build_seed_site, tei_marks

GOLDEN = Path(__file__).resolve().parent / "site" / "many_marks.html"
UPDATE = os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out, report, editions = build_seed_site(tmp_path_factory.mktemp("site"), search=False)
    assert not report.diagnostics
    return out, editions


def page(out: Path, edition: Path) -> html.HtmlElement:
    name = "many-marks" if edition.name == "many-marks.xml" else edition.stem
    return html.parse(str(out / "editions" / f"{name}.html")).getroot()


def collapse(text: str) -> str:
    return " ".join(text.split())


def tei_body_text(edition: Path) -> str:
    """Every word of the edition's text, as the source has it (a regularised reading is no word of it)."""
    root = etree.parse(str(edition)).getroot()
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if etree.QName(node).localname in ("reg", "corr"):
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")

    for body in root.iter(f"{{{TEI}}}body"):
        walk(body)
    return collapse("".join(parts))


def shown_text(element: html.HtmlElement) -> str:
    """The text a page shows of the edition, without the labels the page adds (class gen)."""
    copy = html.fromstring(html.tostring(element))
    for generated in copy.xpath(".//*[contains(concat(' ', @class, ' '), ' gen ')]"):
        generated.drop_tree()
    return collapse(copy.text_content())


def test_every_word_of_the_text_is_on_the_page(built: tuple[Path, list[Path]]) -> None:
    out, editions = built
    for edition in editions:
        text = page(out, edition).xpath("//div[@class='edition-text']")[0]
        assert shown_text(text) == tei_body_text(edition), edition.name


def test_every_turn_and_mark_has_its_element(built: tuple[Path, list[Path]]) -> None:
    out, editions = built
    for edition in editions:
        doc = page(out, edition)
        want = tei_marks(edition)
        for name in (*MARKS, "sp", "pb", "note"):
            found = doc.xpath(f"//div[@class='edition-text']//*[contains(concat(' ', @class, ' '), ' tei-{name} ')]")
            assert len(found) == want[name], (edition.name, name)
        for turn in doc.xpath("//*[contains(concat(' ', @class, ' '), ' tei-sp ')]"):
            speaker = turn.xpath("./*[contains(concat(' ', @class, ' '), ' tei-speaker ')]")
            assert speaker and collapse(speaker[0].text_content()), (edition.name, turn.get("id"))


def test_reported_speech_is_named_from_the_participants(built: tuple[Path, list[Path]]) -> None:
    out, editions = built
    nsarchive = next(e for e in editions if e.name.startswith("nsarchive"))
    doc = page(out, nsarchive)
    label = doc.get_element_by_id("sp-5").xpath("./*[contains(@class, 'speaker-from-register')]")[0]
    assert collapse(label.text_content()) == "Raul Castro (reported)"
    assert label.xpath("./a/@href") == ["../persons.html#castro-raul"]
    many = page(out, next(e for e in editions if e.name == "many-marks.xml"))
    assert not many.xpath("//div[@class='edition-text']//*[contains(@class, 'speaker-from-register')]")  # direct turns
    assert collapse(many.get_element_by_id("sp-2").xpath("./div[contains(@class,'tei-speaker')]")[0].text_content()) == "MS. PETROVA:"


def test_header_facts_and_downloads(built: tuple[Path, list[Path]]) -> None:
    out, editions = built
    wilson = next(e for e in editions if e.name.startswith("wilson"))
    doc = page(out, wilson)
    facts = {collapse(dt.text_content()): collapse(dt.getnext().text_content()) for dt in doc.xpath("//dl[@class='facts']/dt")}
    assert facts["Date"] == "28 April 1961"
    assert facts["Archive"] == "Archive of Foreign Policy of the Russian Federation"
    assert facts["Citation"].startswith('"From the Journal of S.M. Kudryavtsev')
    assert facts["Translated by"] == "Gary Goldberg"
    assert facts["Source"] == "https://wilson-center-digital-archive.dvincitest.com/document/188144"
    assert (out / "tei" / wilson.name).read_bytes() == wilson.read_bytes()
    root = read_edition(wilson)
    assert (out / "text" / f"{wilson.stem}.txt").read_text("utf-8") == edition_text(root, edition_profile(root, wilson.name))
    # The TEI download still finds the schema its <?xml-model?> names.
    assert (out / "schema" / "tei_encoder.rng").is_file()


def test_links_are_relative_and_resolve(built: tuple[Path, list[Path]]) -> None:
    out, _ = built
    checked = 0
    for path in sorted(out.rglob("*.html")):
        doc = html.parse(str(path)).getroot()
        for element, attribute, link, _pos in doc.iterlinks():
            parts = urlsplit(link)
            if "source-url" in (element.get("class") or "") or parts.scheme == "data":
                continue  # the source's own address, outside the site; an inline (empty) icon
            assert not parts.scheme and not parts.netloc and not parts.path.startswith("/"), (path, link)
            target = (path.parent / parts.path).resolve() if parts.path else path
            if "pagefind" in parts.path:
                continue  # written by Pagefind; not built in this fixture
            assert target.is_file(), (path, link)
            if parts.fragment and target.suffix == ".html":
                ids = html.parse(str(target)).getroot().xpath("//@id")
                assert parts.fragment in ids, (path, link)
            checked += 1
    assert checked > 200


def test_register_links_every_turn_and_mention(built: tuple[Path, list[Path]]) -> None:
    out, editions = built
    register = html.parse(str(out / "persons.html")).getroot()
    links = set(register.xpath("//a[contains(@class, 'register-link')]/@href"))
    for edition in editions:
        doc = page(out, edition)
        name = "many-marks" if edition.name == "many-marks.xml" else edition.stem
        root = etree.parse(str(edition)).getroot()
        turns = [sp.get("{http://www.w3.org/XML/1998/namespace}id") for sp in root.iter(f"{{{TEI}}}sp") if sp.get("who")]
        mentions = doc.xpath("//a[contains(@class, 'tei-persName')]/@id")
        assert len(mentions) == len(root.xpath("//t:text//t:persName[starts-with(@ref, '#')]", namespaces={"t": TEI}))
        for anchor in turns + mentions:
            assert f"editions/{name}.html#{anchor}" in links, (name, anchor)
    assert register.get_element_by_id("castro-raul") is not None


def test_index_facets_and_citation(built: tuple[Path, list[Path]]) -> None:
    out, editions = built
    index = html.parse(str(out / "index.html")).getroot()
    items = index.xpath("//li[@class='edition-item']")
    assert len(items) == len(editions)
    assert [i.get("data-year") for i in items] == ["1960", "1961", "1962"]  # in date order
    facets = {f.get("data-facet"): [collapse(label.text_content()) for label in f.xpath(".//label")]
              for f in index.xpath("//fieldset")}
    assert set(facets) == {"year", "archive", "participants", "language", "profile"}
    assert "State Archive of the Russian Federation (1)" in facets["archive"]
    assert "plain (1)" in facets["profile"] and "English (3)" in facets["language"]
    cff = yaml.safe_load((out / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["title"] == "Seed editions"
    assert [r["title"][:20] for r in cff["references"]] == [
        "RECORD OF CONVERSATI", "From the Journal of ", "Record of a Conversa"]
    assert cff["references"][1]["translators"] == [{"given-names": "Gary", "family-names": "Goldberg"}]


def test_many_marks_golden(built: tuple[Path, list[Path]]) -> None:
    out, editions = built
    doc = page(out, editions[-1])
    got = html.tostring(doc.xpath("//div[@class='edition-text']")[0], encoding="unicode")
    if UPDATE:
        GOLDEN.write_text(got, "utf-8")
    assert got == GOLDEN.read_text("utf-8")


def test_same_editions_same_bytes(tmp_path: Path) -> None:
    first, _, _ = build_seed_site(tmp_path, search=True, name="one")
    second, _, _ = build_seed_site(tmp_path, search=True, name="two")

    def ours(site: Path) -> list[Path]:
        return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file() and p.relative_to(site).parts[0] != "pagefind")

    files = ours(first)
    assert files == ours(second) and len(files) > 10
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
    # Pagefind's own index is not byte-stable (its filter chunks change order and names), but it is there
    # whole: the same files apart from the content hashes in their names.
    def index_kinds(site: Path) -> list[str]:
        return sorted(re.sub(r"_[0-9a-f]{7,}", "_", str(p.relative_to(site))) for p in (site / "pagefind").rglob("*") if p.is_file())

    assert index_kinds(first) == index_kinds(second)
    assert "pagefind/pagefind-entry.json" in index_kinds(first)


def test_cli_builds_and_refuses_a_foreign_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    editions = Path(__file__).resolve().parent.parent / "editions"
    out = tmp_path / "out"
    done = runner.invoke(main, ["site", str(editions), "-o", str(out), "--no-search"])
    assert done.exit_code == 0, done.output
    assert (out / MARKER).is_file() and len(list((out / "editions").glob("*.html"))) == 2
    (out / "editions" / "stale.html").write_text("old")
    assert runner.invoke(main, ["site", str(editions), "-o", str(out), "--no-search"]).exit_code == 0
    assert not (out / "editions" / "stale.html").exists()  # a rebuild replaces the whole site
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    refused = runner.invoke(main, ["site", str(editions), "-o", str(foreign)])
    assert refused.exit_code == 2 and "not made by this command" in refused.output
    assert (foreign / "notes.txt").read_text() == "keep me"
    bad = tmp_path / "bad.xml"
    bad.write_text("<html/>")
    mixed = runner.invoke(main, ["site", str(bad), str(editions / "wilson-1961-04-28-kudryavtsev-fidel-castro.xml"),
                                 "-o", str(tmp_path / "mixed"), "--no-search"])
    assert mixed.exit_code == 1 and re.search(r"bad\.xml.*not a TEI edition", mixed.output)
