"""ISO Schematron validation: the reference engine's verdicts, our schema's rules, and the compiler's features."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from tei_encoder.diagnostics import CODES, Severity
from tei_encoder.validate.schematron import (
    Schematron,
    SchematronError,
    _candidates,
    _selection,
    compile_schematron,
    role_severity,
)

from .conftest import EDITIONS, ROOT, SHARED

FIXTURES = Path(__file__).resolve().parent / "schematron"
OUR_SCHEMA = ROOT / "schema" / "tei_encoder.sch"
REFERENCE = SHARED / "tei" / "reference"
CONFORMANCE = SHARED / "tei" / "conformance"
VERDICTS = CONFORMANCE / "schematron-verdicts.tsv"
BASE_EDITION = EDITIONS / "nsarchive-1960-07-18-khrushchev-raul-castro.xml"


def _verdicts() -> list[dict[str, str]]:
    if not VERDICTS.is_file():
        return []
    with VERDICTS.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


VERDICT_ROWS = _verdicts()
VERDICT_SCHEMAS = sorted({r["schema"] for r in VERDICT_ROWS}) or ["(no verdicts)"]


def _counts(schema: Schematron, data: bytes, name: str) -> tuple[int, int]:
    """(errors, warnings) as the reference counts them: warning and information roles are not errors."""
    found, problems = schema.check(data, name)
    assert not problems, problems
    errors = sum(1 for f in found if f.severity is Severity.ERROR)
    return errors, len(found) - errors


# --------------------------------------------------------------------------------------------
# Agreement with the reference engine
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("schema_name", VERDICT_SCHEMAS)
def test_agrees_with_reference_verdicts(schema_name: str) -> None:
    if not VERDICT_ROWS:
        pytest.skip(f"no Schematron verdicts at {VERDICTS} (../shared is absent)")
    schema = Schematron.from_file(REFERENCE / f"{schema_name}.sch")
    assert not schema.warnings
    rows = [r for r in VERDICT_ROWS if r["schema"] == schema_name]
    disagree = []
    checked = 0
    for row in rows:
        data = (CONFORMANCE / row["document"]).read_bytes()
        if row["status"] != "ok":  # the reference engine could not read it: neither can we
            assert row["status"] == "not well-formed"
            assert [d.code for d in schema.validate_bytes(data, row["document"])] == ["TE500"]
            continue
        checked += 1
        ours = _counts(schema, data, row["document"])
        theirs = (int(row["sch_errors"]), int(row["sch_warnings"]))
        valid = row["sch_valid"] == "true"
        if ours != theirs or valid != (ours[0] == 0):
            disagree.append((row["document"], ours, theirs))
    assert checked >= 100
    assert disagree == []


@pytest.mark.parametrize("schema_name", ["tei_jtei", "tei_simplePrint"])
def test_schemas_with_undefined_abstract_pattern_compile(schema_name: str) -> None:
    """The reference engine refuses these two (their is-a points to no abstract pattern); we leave those instances out."""
    path = REFERENCE / f"{schema_name}.sch"
    if not path.is_file():
        pytest.skip(f"{path} not found (../shared is absent)")
    schema = Schematron.from_file(path)
    assert [w.code for w in schema.warnings] == ["TE538"]
    assert "'declarable'" in schema.warnings[0].message
    found = schema.validate_file(CONFORMANCE / "tei-p5-test" / "detest.xml")
    assert found and all(d.code in ("TE530", "TE531", "TE532") for d in found)
    assert all(d.line for d in found)


# --------------------------------------------------------------------------------------------
# Our own schema
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ours() -> Schematron:
    return Schematron.from_file(OUR_SCHEMA)


EDITION_FILES = sorted(EDITIONS.glob("*.xml"))


@pytest.mark.parametrize("edition", EDITION_FILES, ids=[p.stem for p in EDITION_FILES])
def test_committed_editions_have_no_errors(ours: Schematron, edition: Path) -> None:
    errors = [d for d in ours.validate_file(edition) if d.level is Severity.ERROR]
    assert errors == []


def _line_col(text: str, marker: str) -> tuple[int, int]:
    at = text.index(marker)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


BROKEN = {
    # name: (replace this, by this, [(code, message part, marker of the place)])
    "dangling-who": (
        'who="#mas-martin-luis"',
        'who="#nobody"',
        [
            ("TE530", 'sp/@who "#nobody" must point to a person in this file', '<sp who="#nobody"'),
            ("TE530", "A pointer does not resolve to an xml:id of this file: @who #nobody.", '<sp who="#nobody"'),
        ],
    ),
    "sp-without-who": (
        '<sp who="#mas-martin-luis" ',
        "<sp ",
        [("TE530", "Every sp names its speaker in @who.", '<sp ana="#reported" xml:id="sp-3"')],
    ),
    "impossible-date": (
        '<date when="1960-07-09">',
        '<date when="1961-02-30">',
        [("TE530", "Not a real date: @when=1961-02-30.", '<date when="1961-02-30">')],
    ),
    "range-backwards": (
        '<date when="1960-07-09">',
        '<date from="1960-07-09" to="1960-07-01">',
        [("TE530", "The range ends (@to 1960-07-01) before it begins (@from 1960-07-09).", '<date from="1960-07-09"')],
    ),
    "missing-creation-date": (
        '<creation>\n        <date when="1960-07-18">July 18, 1960</date>\n      </creation>\n',
        "",
        [("TE531", "The header gives no creation date (profileDesc/creation/date)", "<teiHeader>")],
    ),
    "creation-date-without-value": (
        '<creation>\n        <date when="1960-07-18">',
        "<creation>\n        <date>",
        [("TE530", "The creation date must give its value in @when", "<date>July 18, 1960")],
    ),
    "turn-category-unknown": (
        'ana="#reported" xml:id="sp-3"',
        'ana="#aside" xml:id="sp-3"',
        [
            (
                "TE530",
                'sp/@ana must point to exactly one category of the turn-types taxonomy (#direct or #reported); it is "#aside"',
                '<sp who="#mas-martin-luis" ana="#aside"',
            ),
            (
                "TE530",
                "A pointer does not resolve to an xml:id of this file: @ana #aside.",
                '<sp who="#mas-martin-luis" ana="#aside"',
            ),
        ],
    ),
    "taxonomy-not-closed": (
        '<category xml:id="reported">',
        '<category xml:id="aside"><catDesc>x</catDesc></category>\n          <category xml:id="reported">',
        [
            (
                "TE530",
                "The turn-types taxonomy holds exactly the categories direct and reported.",
                '<taxonomy xml:id="turn-types">',
            )
        ],
    ),
    "intervention-without-resp": (
        '<supplied reason="clarification" resp="#translator">',
        '<supplied reason="clarification">',
        [
            (
                "TE530",
                "A supplied is an editorial intervention and must say whose it is in @resp.",
                '<supplied reason="clarification">',
            )
        ],
    ),
    "resp-to-a-speech": (
        '<supplied reason="clarification" resp="#translator">',
        '<supplied reason="clarification" resp="#sp-1">',
        [
            (
                "TE530",
                '@resp "#sp-1" must point to a respStmt, a person or an org.',
                '<supplied reason="clarification" resp="#sp-1">',
            )
        ],
    ),
    "persName-to-a-respStmt": (
        '<persName ref="#mas-martin-luis">MAS MARTIN</persName>',
        '<persName ref="#translator">MAS MARTIN</persName>',
        [("TE530", 'persName/@ref "#translator" must point to a person.', '<persName ref="#translator">MAS')],
    ),
    "archival-idno-outside-msIdentifier": (
        "<speaker/>",
        '<speaker/><idno type="fond">5</idno>',
        [
            (
                "TE530",
                'An idno of type "fond" is a level of an archival citation and belongs in msIdentifier.',
                '<idno type="fond">5',
            )
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_edition_gives_the_expected_finding(ours: Schematron, case: str) -> None:
    original = BASE_EDITION.read_text(encoding="utf-8")
    old, new, expected = BROKEN[case]
    assert old in original, f"the base edition no longer holds {old!r}"
    broken = original.replace(old, new, 1)
    base = Counter((d.code, d.message) for d in ours.validate_bytes(original.encode(), "base.xml"))
    found = []
    for d in ours.validate_bytes(broken.encode(), "broken.xml"):
        if base[(d.code, d.message)]:
            base[(d.code, d.message)] -= 1
        else:
            found.append(d)
    assert len(found) == len(expected), [str(d) for d in found]
    for d, (code, message, marker) in zip(sorted(found, key=lambda d: d.message), sorted(expected, key=lambda e: e[1])):
        assert d.code == code
        assert message in d.message
        assert (d.line, d.col) == _line_col(broken, marker)
        assert d.file == "broken.xml"


def test_our_schema_runs_on_editions_quickly_enough_to_use(ours: Schematron) -> None:
    """Not a timing assertion: every edition is checked and the findings carry lines."""
    for edition in EDITION_FILES:
        for d in ours.validate_file(edition):
            assert d.line is not None and d.code in ("TE530", "TE531", "TE532")


# --------------------------------------------------------------------------------------------
# Compiler features on small schemas (tests/schematron/)
# --------------------------------------------------------------------------------------------


def _findings(sch: str, roles: str = "own") -> list[tuple[int | None, int | None, str, str]]:
    schema = Schematron.from_file(FIXTURES / sch, roles=roles)
    found, problems = schema.check((FIXTURES / "doc.xml").read_bytes(), "doc.xml")
    assert problems == []
    return sorted((f.line, f.col, f.severity.name, f.message) for f in found)


def test_abstract_patterns_and_rules() -> None:
    schema = Schematron.from_file(FIXTURES / "abstract.sch")
    assert [w.code for w in schema.warnings] == ["TE538"] and "'nowhere'" in schema.warnings[0].message
    assert _findings("abstract.sch") == [
        (3, 3, "ERROR", "A list holds at most 2 of its children here, not 3."),
        (6, 5, "ERROR", "An item numbered 0."),
        (11, 3, "ERROR", "A table holds at most 1 of its children here, not 2."),
    ]


def test_lets_at_every_level() -> None:
    assert _findings("lets.sch") == [
        (3, 3, "ERROR", "The document has 2 lists."),
        (3, 3, "ERROR", "The document has 4 items."),
        (4, 5, "ERROR", "An important item is longer than 3 characters (in doc)."),
        (15, 3, "ERROR", "The document has 2 lists."),
        (15, 3, "ERROR", "The document has 4 items."),
        (15, 22, "ERROR", "Item 9: twice plus one is 19."),
    ]


def test_roles_give_severities() -> None:
    on_first_item = [(sev, msg) for line, col, sev, msg in _findings("roles.sch") if (line, col) == (4, 5)]
    assert sorted(on_first_item) == sorted(
        [
            ("ERROR", "no role"),
            ("ERROR", "error"),
            ("ERROR", "ERROR"),
            ("ERROR", "fatal"),
            ("ERROR", "nonfatal"),
            ("WARNING", "warning"),
            ("WARNING", "warn"),
            ("INFO", "info"),
            ("INFO", "information"),
            ("ERROR", "first rule"),
        ]
    )
    assert role_severity(" Warning ") is Severity.WARNING
    assert role_severity(None) is Severity.ERROR


@pytest.mark.parametrize(("roles", "inherited"), [("own", "ERROR"), ("inherit", "WARNING")])
def test_rule_role_first_rule_and_node_kinds(roles: str, inherited: str) -> None:
    """A rule's role reaches its assertions only with roles="inherit"; an assertion's own role always wins."""
    found = [f for f in _findings("roles.sch", roles) if f[3] not in {"no role", "error", "ERROR", "fatal", "nonfatal"}]
    found = [f for f in found if f[3] not in {"warning", "warn", "info", "information"}]
    assert found == sorted([
        (1, None, "ERROR", "no list at the root"),  # context "/"
        (3, 3, "ERROR", "own role"),
        (3, 3, inherited, "from the rule"),  # the rule's role: ISO Schematron and SchXslt leave it on the rule
        (4, 5, "ERROR", "first rule"),  # the item with n=1 fires the first rule only
        (5, 5, "ERROR", "second rule"),
        (5, 11, "ERROR", "attribute n is 2"),  # an attribute context: the attribute's place
        (6, 5, "ERROR", "second rule"),
        (7, 7, "ERROR", "text flagged"),  # a text node: its first non-blank character
        (9, 5, "ERROR", "a comment"),  # walked through the whole document
        (15, 3, "ERROR", "own role"),
        (15, 3, inherited, "from the rule"),
        (15, 22, "ERROR", "second rule"),
    ])


ROLE_SCHEMA = b"""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="t" uri="urn:test"/>
  <pattern id="p" role="information">
    <rule context="t:list" role="warning">
      <assert test="false()">bare in a warning rule</assert>
      <assert test="false()" role="error">error in a warning rule</assert>
    </rule>
  </pattern>
  <pattern id="q" role="information">
    <rule context="t:list">
      <assert test="false()">bare in an information pattern</assert>
    </rule>
  </pattern>
</schema>"""


@pytest.mark.parametrize("roles", ["own", "inherit"])
def test_governing_role_is_reported(roles: str) -> None:
    """Each finding says which role governs it and where that role comes from (assert, rule or pattern)."""
    schema = Schematron.from_bytes(ROLE_SCHEMA, "roles.sch", roles=roles)
    found = {f.message: f for f in schema.check((FIXTURES / "doc.xml").read_bytes(), "doc.xml")[0] if f.line == 3}
    bare, own, pattern = (found["bare in a warning rule"], found["error in a warning rule"],
                          found["bare in an information pattern"])
    assert (own.role, own.role_from, own.severity) == ("error", "assert", Severity.ERROR)
    if roles == "own":
        assert (bare.role, bare.role_from, bare.severity) == ("", "", Severity.ERROR)
        assert (pattern.role, pattern.role_from, pattern.severity) == ("", "", Severity.ERROR)
        assert bare.text().endswith("[no role of its own; its rule's role 'warning' is not applied (ISO Schematron)]")
        assert pattern.unapplied == "pattern's role 'information'"
    else:
        assert (bare.role, bare.role_from, bare.severity) == ("warning", "rule", Severity.WARNING)  # the rule before the pattern
        assert (pattern.role, pattern.role_from, pattern.severity) == ("information", "pattern", Severity.INFO)
        assert bare.text() == "bare in a warning rule [role 'warning' from its rule]"
    assert own.text() == "error in a warning rule"


def test_unknown_role_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        Schematron.from_bytes(ROLE_SCHEMA, "roles.sch", roles="rule")


def test_messages_value_of_name_diagnostics_and_dynamic_errors() -> None:
    assert _findings("valueof.sch") == [
        (3, 3, "ERROR", "The list 1 has an item with its own number: 1 2 0."),  # current() is the rule's context
        (6, 5, "ERROR", "The reference of item (zz) points nowhere; the parent is list. Known ids: a."),
        (11, 3, "ERROR", 'the assert test xs:integer(@n) gt 0 could not be evaluated: Cannot convert string "x" to an integer'),
        (15, 3, "ERROR", "The list 9 has an item with its own number: 9."),
    ]


def test_quick_fixes_are_not_compiled() -> None:
    xslt = compile_schematron(FIXTURES / "valueof.sch")
    assert "<sqf:" not in xslt and "Drop the reference" not in xslt
    assert "xsl:key" in xslt


def test_candidate_nodes_of_a_pattern() -> None:
    assert _candidates(["tei:sp", "tei:l//tei:p"]) == "(//tei:p | //tei:sp)"
    assert _candidates(["tei:*[@when]", "tei:sp"]) == "(//tei:* | //tei:sp)"
    assert _candidates(["*[@when]", "tei:sp"]) == "//*"
    assert _candidates(["@*[self::attribute(ref)][x/y]"]) == "//@*"
    assert _candidates(["(a | b)[@n]"]) == "(//a | //b)"
    assert _candidates(["x[. = '|/']/y", "text()[1]"]) == "(//text() | //y)"
    assert _candidates(["/"]) == "/"
    assert _candidates(["/", "a"]) == "(/ | //a)"
    assert _candidates(["node()"]) is None
    assert _candidates(["id('a')"]) is None


def test_exact_selection_of_a_pattern() -> None:
    assert _selection(["tei:*[@when]", "/x | tei:a//tei:b"]) == "(/x | //tei:*[@when] | //tei:a//tei:b)"
    assert _selection(["text()[normalize-space()]"]) == "//text()[normalize-space()]"
    assert _selection(["tei:a[@n = current()/@m]"]) is None
    assert _selection(["$nodes//tei:a"]) is None
    assert _selection(["id('x')"]) is None
    assert _selection(["(tei:a | tei:b)[1]"]) is None


# --------------------------------------------------------------------------------------------
# Schemas that cannot be compiled, documents that cannot be checked, safety
# --------------------------------------------------------------------------------------------

ISO = 'xmlns="http://purl.oclc.org/dsdl/schematron"'


def _schema(body: str, binding: str = "xslt2") -> bytes:
    return f'<schema {ISO} queryBinding="{binding}"><ns prefix="t" uri="urn:test"/>{body}</schema>'.encode()


@pytest.mark.parametrize(
    "data, part",
    [
        (b"<schema", "not well-formed"),
        (b"<other/>", "not an ISO Schematron schema"),
        (_schema("", binding="exslt"), "query binding"),
        (_schema('<pattern><rule context="t:a["><assert test="1">x</assert></rule></pattern>'), "cannot be compiled"),
        (_schema('<pattern><rule context="t:a"><assert test="1 +">x</assert></rule></pattern>'), "cannot be compiled"),
        (_schema('<pattern><rule><assert test="1">x</assert></rule></pattern>'), "no context"),
        (_schema('<include href="http://example.org/x.sch"/>'), "only local files"),
        (_schema('<pattern><rule context="t:a"><extends rule="nope"/></rule></pattern>'), "no abstract rule"),
    ],
)
def test_schema_errors_are_te539(data: bytes, part: str) -> None:
    with pytest.raises(SchematronError) as caught:
        Schematron.from_bytes(data, "bad.sch")
    assert caught.value.diagnostic.code == "TE539"
    assert part in caught.value.diagnostic.message


def test_codes_are_in_the_table() -> None:
    for code in ("TE500", "TE501", "TE530", "TE531", "TE532", "TE533", "TE538", "TE539"):
        assert code in CODES
    assert CODES["TE531"][0] is Severity.WARNING and CODES["TE532"][0] is Severity.INFO


def test_include_and_phases(tmp_path: Path) -> None:
    (tmp_path / "part.sch").write_text(
        f'<pattern {ISO} id="p2"><rule context="t:a"><report test="@n">included</report></rule></pattern>'
    )
    (tmp_path / "main.sch").write_text(
        f'<schema {ISO} queryBinding="xslt2" defaultPhase="second"><ns prefix="t" uri="urn:test"/>'
        '<phase id="first"><active pattern="p1"/></phase><phase id="second"><active pattern="p2"/></phase>'
        '<pattern id="p1"><rule context="t:a"><report test="@n">own</report></rule></pattern>'
        '<include href="part.sch"/></schema>'
    )
    doc = b'<a xmlns="urn:test" n="1"/>'
    msgs = lambda s: [d.message for d in s.validate_bytes(doc)]  # noqa: E731
    assert msgs(Schematron.from_file(tmp_path / "main.sch")) == ["included"]
    assert msgs(Schematron.from_file(tmp_path / "main.sch", phase="first")) == ["own"]
    assert sorted(msgs(Schematron.from_file(tmp_path / "main.sch", phase="#ALL"))) == ["included", "own"]


def test_documents_that_cannot_be_checked() -> None:
    schema = Schematron.from_bytes(_schema('<pattern><rule context="t:a"><report test="1">x</report></rule></pattern>'))
    [bad] = schema.validate_bytes(b"<a>\n<b></a>", "bad.xml")
    assert (bad.code, bad.file, bad.line) == ("TE500", "bad.xml", 2)
    [missing] = schema.validate_file(Path("/nonexistent/file.xml"))
    assert missing.code == "TE100"
    # Duplicate or malformed xml:id values are for the schemas to judge, not a reason to refuse.
    assert [d.message for d in schema.validate_bytes(b'<a xmlns="urn:test"><b xml:id="x"/><b xml:id="x"/></a>')] == ["x"]


def test_no_dtd_no_entities_no_files_no_network(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    schema = Schematron.from_bytes(
        _schema(
            '<pattern><rule context="t:a">'
            f'<report test="true()"><value-of select="unparsed-text-available(\'{secret.as_uri()}\')"/>'
            " <value-of select=\"unparsed-text-available('http://localhost:9/x')\"/>"
            f' <value-of select="doc-available(\'{secret.as_uri()}\')"/> [<value-of select="."/>]</report>'
            "</rule></pattern>"
        )
    )
    doc = (f'<!DOCTYPE a [<!ENTITY ext SYSTEM "{secret.as_uri()}"><!ENTITY lol "lol">]>\n<a xmlns="urn:test">&ext;</a>').encode()
    found = schema.validate_bytes(doc, "evil.xml")
    assert "SECRET" not in " ".join(d.message for d in found)
    assert [d.code for d in found] == ["TE501"]
    assert found[0].line == 2 and "&ext;" in found[0].message
    internal = schema.validate_bytes(b'<!DOCTYPE a [<!ENTITY e "text">]>\n<a xmlns="urn:test">1 &e; 2</a>')
    assert [d.message for d in internal] == ["false false false [1 text 2]"]
    plain = schema.validate_bytes(f'<!DOCTYPE a SYSTEM "{secret.as_uri()}">\n<a xmlns="urn:test">text</a>'.encode())
    assert [d.message for d in plain] == ["false false false [text]"]
    assert plain[0].line == 2


def _places(data: bytes, early: bool) -> list[tuple[int | None, int | None]]:
    from lxml import etree

    from tei_encoder.validate.schematron.document import parse_document
    from tei_encoder.validate.schematron.locate import _Locator

    tree = parse_document(data)
    places = []
    for el in tree.getroot().iter(etree.Element):
        locator = _Locator(data, tree)
        if not early:
            locator._scan()  # the full scan, as for any element before the shortcut
        places.append(locator.element_place(el))
        places.append(locator.element_place(el, "{http://www.w3.org/XML/1998/namespace}id"))
    return places


@pytest.mark.parametrize(
    "data",
    [
        # Comments, PIs, a start tag over several lines, an attribute on its second line, CDATA
        # holding markup, and a name with a prefix: the shortcut must place every element
        # where the full scan does.
        b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="x.rng"?>\n<!-- <fake> -->\n'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="urn:x">\n  <teiHeader\n     xml:id="h">'
        b"<![CDATA[<notatag>]]><x:y/>\n<?pi <z>?><p>a<hi>b</hi></p></teiHeader>\n<text><body><p\n"
        b'xml:id="p1">t</p></body></text></TEI>\n',
        b'\xef\xbb\xbf<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>\xc3\xa9</p><p/></body></text></TEI>',
    ],
)
def test_early_place_is_the_full_scans(data: bytes) -> None:
    assert _places(data, early=True) == _places(data, early=False)


def test_early_place_on_committed_editions() -> None:
    for path in sorted(EDITIONS.glob("*.xml"))[:3]:
        data = path.read_bytes()
        assert _places(data, early=True) == _places(data, early=False), path.name
