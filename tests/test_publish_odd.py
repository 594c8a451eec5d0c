"""The rendering ODD for TEI Publisher: its lint, its coverage of our editions, its shipped structure schema."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from lxml import etree

from tei_encoder.odd import compile_odd, load_p5
from tei_encoder.publish.lint import KNOWN_BEHAVIOURS, TEI_BEHAVIOURS, default_odd, lint_odd, structure_schema

ROOT = Path(__file__).resolve().parents[1]
P5 = ROOT.parent / "shared" / "tei" / "p5subset.xml"
TEI = "http://www.tei-c.org/ns/1.0"
# Elements of the text whose rendering by TEI Publisher's base ODD already shows what we encode.
LEFT_TO_BASE = {"p", "date", "label", "figure", "graphic", "figDesc", "desc", "pc", "name", "idno", "roleName",
                "forename", "surname", "title", "orig", "reg", "corr", "text", "TEI"}

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:pb="http://teipublisher.com/1.0"><teiHeader><fileDesc>'
        "<titleStmt><title>t</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>"
        "</fileDesc>{decl}</teiHeader>\n<text><body><schemaSpec ident=\"x\" start=\"TEI\" source=\"teipublisher.odd\">\n")
TAIL = "\n</schemaSpec></body></text></TEI>"


def lint(specs: str, decl: str = "", tmp: Path | None = None) -> list[tuple[str, int | None]]:
    data = (HEAD.format(decl=decl) + specs + TAIL).encode()
    return [(d.code, d.line) for d in lint_odd(Path("test.odd"), data)]


def test_project_odd_is_clean():
    assert [str(d) for d in lint_odd(default_odd())] == []


def test_odd_has_a_model_for_every_element_of_the_editions_text():
    odd = etree.parse(str(default_odd()))
    changed = set(odd.xpath("//t:elementSpec/@ident", namespaces={"t": TEI}))
    used: set[str] = set()
    for path in [*sorted((ROOT / "editions").glob("*.xml"))]:
        text = etree.parse(str(path)).find(f"{{{TEI}}}text")
        used |= {etree.QName(e).localname for e in text.iter() if isinstance(e.tag, str)}
    for golden in sorted((ROOT / "tests" / "rules").glob("*.txt")):
        for name in __import__("re").findall(r"<([a-zA-Z]+)[\s/>]", golden.read_text(encoding="utf-8")):
            used.add(name)
    used -= {"teiHeader", "fileDesc", "titleStmt", "sourceDesc", "publicationStmt", "profileDesc", "particDesc"}
    missing = sorted(n for n in used if n not in changed and n not in LEFT_TO_BASE and n[0].islower()
                     and n not in {"https", "http"})
    assert missing == [] or set(missing) <= _header_only(), missing


def _header_only() -> set[str]:
    """Header elements that reach the page only through the header facts' models."""
    return {"abstract", "affiliation", "altIdentifier", "appInfo", "application", "availability", "catDesc",
            "category", "classDecl", "correction", "country", "editorialDecl", "encodingDesc", "funder",
            "interpretation", "langUsage", "language", "listPerson", "locus", "msContents", "msDesc", "msItem",
            "normalization", "notesStmt", "occupation", "publisher", "repository", "resp", "segmentation",
            "settlement", "taxonomy", "textLang", "xenoData", "creation"}


def test_unknown_behaviour_is_found_and_declared_one_accepted():
    specs = '<elementSpec ident="sp" mode="change"><model behaviour="timeline"/></elementSpec>'
    assert ("TE701", 3) in lint(specs)
    declared = '<encodingDesc><tagsDecl><pb:behaviour ident="timeline"><pb:param name="content"/></pb:behaviour></tagsDecl></encodingDesc>'
    assert lint(specs, declared) == []


@pytest.mark.parametrize("expression", ["@ana = ", "foo:bar(.)", "$undefined", "string(@n) = 1", "ancestor::sp["])
def test_predicates_that_do_not_compile_are_found(expression: str):
    specs = f'<elementSpec ident="sp" mode="change"><model behaviour="block" predicate="{expression}"/></elementSpec>'
    assert lint(specs) == [("TE702", 3)]


@pytest.mark.parametrize("expression", ["let $x := @who return tokenize($x)", "$parameters?mode = 'x'", "ancestor::TEI//person[@xml:id = 'a']",
                                        "'[' || (desc, @reason)[1] || ']'", "<span>{.}</span>"])
def test_expressions_that_compile_pass(expression: str):
    specs = ('<elementSpec ident="sp" mode="change"><model behaviour="inline">'
             f'<param name="content" value={quoteattr(expression)}/></model></elementSpec>')
    assert [str(d) for d in lint_odd(Path("test.odd"), (HEAD.format(decl="") + specs + TAIL).encode())] == []


def test_parameter_that_does_not_compile_is_found():
    specs = '<elementSpec ident="sp" mode="change"><model behaviour="inline"><param name="content" value="node(("/></model></elementSpec>'
    assert lint(specs) == [("TE702", 3)]


def test_structure_errors_are_found_with_their_lines():
    specs = '<elementSpec ident="sp" mode="change">\n<model behaviour="inline"/>\n<bogus/></elementSpec>'
    assert ("TE510", 5) in lint(specs)


def test_replace_mode_and_missing_model_are_found():
    assert ("TE703", 3) in lint('<elementSpec ident="sp" mode="replace"><model behaviour="block"/></elementSpec>')
    assert ("TE703", 3) in lint('<elementSpec ident="sp" mode="change"/>')


def test_known_behaviours_are_the_tei_list():
    source = etree.parse(str(P5))
    listed = set(source.xpath('//t:elementSpec[@ident="model"]//t:attDef[@ident="behaviour"]//t:valItem/@ident',
                              namespaces={"t": TEI}))
    assert listed == set(TEI_BEHAVIOURS)
    assert TEI_BEHAVIOURS < KNOWN_BEHAVIOURS


def test_shipped_structure_schema_is_compiled_from_its_odd():
    compiled = compile_odd(ROOT / "src" / "tei_encoder" / "publish" / "odd-structure.odd", load_p5(P5))
    assert compiled.rng == structure_schema().read_bytes(), "recompile: tei-encoder schema compile " \
        "src/tei_encoder/publish/odd-structure.odd -o src/tei_encoder/publish/schema/"
