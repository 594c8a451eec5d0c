"""Linting a rendering ODD before upload: TEI structure, behaviours, and every expression compiled."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from ..validate.relaxng import load_schema

TEI_NS = "http://www.tei-c.org/ns/1.0"
PB_NS = "http://teipublisher.com/1.0"
T = "{%s}" % TEI_NS

# The behaviours of the TEI processing model (the values TEI P5 lists for model/@behaviour)
# and those TEI Publisher adds. Anything else must be declared in tagsDecl as pb:behaviour.
TEI_BEHAVIOURS = frozenset(
    "alternate anchor block body break cell cit document figure glyph graphic heading index inline "
    "link list listItem metadata note omit paragraph row section table text title".split()
)
PUBLISHER_BEHAVIOURS = frozenset({"pass-through", "webcomponent"})
KNOWN_BEHAVIOURS = TEI_BEHAVIOURS | PUBLISHER_BEHAVIOURS

# TEI Publisher evaluates predicates and parameters as XQuery with the TEI namespace as the
# default element namespace; $parameters holds the parameters of the view.
_PROLOG = (
    f'declare default element namespace "{TEI_NS}";\n'
    "declare variable $parameters as map(*) external := map {};\n"
)
_STATIC = re.compile(r"\b(XPST\d{4}|XQST\d{4}|XPTY0004|XPTY0019|XPTY0020)\b")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def structure_schema() -> Path:
    """The compiled TEI rules for an ODD document (RELAX NG), shipped with the package."""
    return Path(str(resources.files("tei_encoder.publish") / "schema" / "tei_encoder_odds.rng"))


def default_odd() -> Path:
    """The project's rendering ODD for TEI Publisher."""
    return Path(str(resources.files("tei_encoder.publish") / "tei-encoder-publisher.odd"))


def lint_odd(odd: Path, data: bytes | None = None) -> list[Diagnostic]:
    """Every problem found in a rendering ODD; errors mean it must not be uploaded."""
    name = str(odd)
    if data is None:
        try:
            data = Path(odd).read_bytes()
        except OSError as exc:
            return [Diagnostic("TE601", f"cannot read ODD: {exc.strerror or exc}", name)]
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        return [Diagnostic("TE601", f"ODD is not well-formed XML: {exc.msg}", name, line, col)]
    found = structure(root, name)
    found += specifications(root, name)
    found += behaviours(root, name)
    found += expressions(root, name)
    return sorted(found, key=lambda d: (d.line or 0, d.col or 0, d.code))


def structure(root: etree._Element, name: str) -> list[Diagnostic]:
    """The ODD against the TEI's own rules, TEI Publisher's extension elements set aside."""
    copy = etree.fromstring(etree.tostring(root), _PARSER)
    for extension in copy.xpath("//pb:*[not(ancestor::pb:*)]", namespaces={"pb": PB_NS}):
        # A comment with as many line breaks keeps the line numbers of what follows.
        breaks = etree.tostring(extension, with_tail=False).count(b"\n")
        stand_in = etree.Comment("\n" * breaks or " ")
        stand_in.tail = extension.tail
        extension.getparent().replace(extension, stand_in)
    # The root element starts on the line it started on, so every line number stays the file's.
    body = b"\n" * ((root.sourceline or 1) - 1) + etree.tostring(copy, encoding="UTF-8", xml_declaration=False)
    return load_schema(structure_schema()).validate_bytes(body, name)


def _line(element: etree._Element) -> int | None:
    return element.sourceline


def specifications(root: etree._Element, name: str) -> list[Diagnostic]:
    """A project ODD chains to TEI Publisher's and changes elements with processing models only."""
    found: list[Diagnostic] = []
    spec = root.find(f".//{T}schemaSpec")
    if spec is None:
        return [Diagnostic("TE609", "the ODD holds no schemaSpec", name, 1, 1)]
    if spec.get("source") != "teipublisher.odd":
        found.append(Diagnostic("TE704", 'schemaSpec should chain to the base with source="teipublisher.odd"; '
                                         "elements without a model here will have none", name, _line(spec)))
    seen: set[str] = set()
    for element_spec in spec.iter(f"{T}elementSpec"):
        ident = element_spec.get("ident", "")
        if element_spec.get("mode") != "change":
            found.append(Diagnostic("TE703", f'elementSpec "{ident}" must have mode="change" '
                                             "(anything else replaces or drops the base's definition)", name,
                                    _line(element_spec)))
        if element_spec.find(f"{T}model") is None and element_spec.find(f"{T}modelSequence") is None \
                and element_spec.find(f"{T}modelGrp") is None:
            found.append(Diagnostic("TE703", f'elementSpec "{ident}" holds no model', name, _line(element_spec)))
        if ident in seen:
            found.append(Diagnostic("TE703", f'elementSpec "{ident}" is changed twice', name, _line(element_spec)))
        seen.add(ident)
    return found


def declared_behaviours(root: etree._Element) -> set[str]:
    """Behaviours the ODD declares itself (pb:behaviour in tagsDecl)."""
    declared = root.xpath("//t:tagsDecl/pb:behaviour", namespaces={"t": TEI_NS, "pb": PB_NS})
    return {value for b in declared for value in (b.get("ident"), b.get("{http://www.w3.org/XML/1998/namespace}id")) if value}


def behaviours(root: etree._Element, name: str) -> list[Diagnostic]:
    """Every model's behaviour is one TEI Publisher knows or one the ODD declares."""
    allowed = KNOWN_BEHAVIOURS | declared_behaviours(root)
    found = []
    for model in root.iter(f"{T}model"):
        behaviour = model.get("behaviour")
        if behaviour is not None and behaviour not in allowed:
            found.append(Diagnostic("TE701", f'unknown behaviour "{behaviour}": use one of the processing model\'s '
                                             "or declare it with pb:behaviour in tagsDecl", name, _line(model)))
    return found


def _expressions(root: etree._Element) -> list[tuple[etree._Element, str, str, str]]:
    """(element, what, expression, the element name it applies to) for every predicate and parameter."""
    found = []
    ns = {"t": TEI_NS, "pb": PB_NS}
    for node in root.xpath("//t:model[@predicate] | //t:param[@value] | //pb:set-param[@value]", namespaces=ns):
        spec = next(node.iterancestors(f"{T}elementSpec"), None)
        target = spec.get("ident", "TEI") if spec is not None else "TEI"
        if node.tag == f"{T}model":
            found.append((node, "predicate", node.get("predicate", ""), target))
        else:
            found.append((node, f'parameter "{node.get("name", "")}"', node.get("value", ""), target))
    return found


def expressions(root: etree._Element, name: str) -> list[Diagnostic]:
    """Every @predicate and parameter value compiled as XQuery 3.1 by Saxon, with an element of its kind as context."""
    from ..validate.schematron.engine import _saxon

    processor = _saxon()
    query = processor.new_xquery_processor()
    contexts: dict[str, object] = {}
    found = []
    for node, what, expression, target in _expressions(root):
        if not expression.strip():
            found.append(Diagnostic("TE702", f"{what} is empty", name, _line(node)))
            continue
        if target not in contexts:
            stub = f'<TEI xmlns="{TEI_NS}"><teiHeader/><text><body><{target}/></body></text></TEI>'
            document = processor.parse_xml(xml_text=stub)
            contexts[target] = document.children[0].children[1].children[0].children[0]
        problem = _compile_error(query, contexts[target], expression)
        if problem:
            found.append(Diagnostic("TE702", f"{what} {expression!r} does not compile: {problem}", name, _line(node)))
    return found


def _compile_error(query: object, context: object, expression: str) -> str | None:
    """Saxon's static error for the expression, or None (a dynamic error on a stub element is not the ODD's)."""
    try:
        query.set_context(xdm_item=context)  # type: ignore[attr-defined]
        query.set_query_content(_PROLOG + "(\n" + expression + "\n)")  # type: ignore[attr-defined]
        query.run_query_to_value()  # type: ignore[attr-defined]
    except Exception as exc:  # saxonche raises PySaxonApiError carrying Saxon's message
        message = " ".join(str(exc).split())
        code = _STATIC.search(message)
        if code or "Static error" in message or "Syntax error" in message:
            return re.sub(r"^.*?(?=\b(?:XPST|XQST|XPTY)\d{4}\b)", "", message) if code else message
    return None
