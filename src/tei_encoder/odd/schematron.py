"""Extracting an ISO Schematron schema from the constraints of a schema's specs."""

from __future__ import annotations

import copy

from lxml import etree

from .attributes import member_of
from .customise import Selection
from .names import SCH_NS, SPEC_KINDS, TEI_NS, S, T, local

ISO = "{%s}" % SCH_NS
# Prefixes the TEI's constraints use without declaring them.
IMPLICIT = {
    "tei": TEI_NS,
    "xs": "http://www.w3.org/2001/XMLSchema",
    "rng": "http://relaxng.org/ns/structure/1.0",
    "rna": "http://relaxng.org/ns/compatibility/annotations/1.0",
    "sch": SCH_NS,
    "sch1x": "http://www.ascc.net/xml/schematron",
}


def build_schematron(selection: Selection, order: dict[str, dict[str, int]]) -> etree._Element:
    """Every Schematron constraint of the schema's specs, plus deprecation and parameter checks."""
    root = etree.Element(ISO + "schema", nsmap={None: SCH_NS}, queryBinding="xslt2")
    title = etree.SubElement(root, ISO + "title")
    title.text = f"Schematron constraints of {selection.ident}"
    declared: dict[str, str] = {}
    patterns: list[etree._Element] = []
    used = _classes_in_use(selection)
    for kind in SPEC_KINDS:
        table = selection.specs[kind]
        ranked = sorted(table, key=lambda i: order[kind].get(i, len(order[kind])))
        for ident in ranked:
            spec = table[ident]
            if kind == "classSpec" and ident not in used:
                # A class no element belongs to constrains nothing; the reference leaves it out.
                continue
            for constraint_spec in _constraint_specs(spec):
                patterns.extend(_patterns(constraint_spec, kind, ident, spec, selection.ident, declared))
    for constraint_spec in selection.constraints:
        if constraint_spec.get("scheme", "schematron") in ("schematron", "isoschematron"):
            patterns.extend(
                _patterns(constraint_spec, "schemaSpec", selection.ident, selection.schema_spec,
                          selection.ident, declared)
            )
    for ident in sorted(selection.elements, key=lambda i: order["elementSpec"].get(i, 0)):
        spec = selection.elements[ident]
        until = spec.get("validUntil")
        if until:
            patterns.append(_deprecation(ident, spec, until))
    patterns.extend(_parameter_lists(selection))
    for prefix, uri in sorted({**IMPLICIT, **declared}.items()):
        etree.SubElement(root, ISO + "ns", prefix=prefix, uri=uri)
    root.extend(patterns)
    return root


def _classes_in_use(selection: Selection) -> set[str]:
    """Classes that some element of the schema belongs to, directly or through other classes."""
    used: set[str] = set()
    todo = [key for spec in selection.elements.values() for key in member_of(spec)]
    while todo:
        key = todo.pop()
        if key in used or key not in selection.classes:
            continue
        used.add(key)
        todo.extend(member_of(selection.classes[key]))
    return used


def _constraint_specs(spec: etree._Element) -> list[etree._Element]:
    found = [c for c in spec.findall(T + "constraintSpec")]
    attlist = spec.find(T + "attList")
    if attlist is not None:
        for attdef in attlist.iter(T + "attDef"):
            if attdef.get("mode") != "delete":
                found.extend(attdef.findall(T + "constraintSpec"))
    return [c for c in found if c.get("scheme", "schematron") in ("schematron", "isoschematron")]


def _context_for(kind: str, ident: str, spec: etree._Element, constraint_spec: etree._Element) -> str:
    """The rule context for bare asserts: the element, or the attribute they sit on."""
    parent = constraint_spec.getparent()
    prefix = "tei:" if spec.get("ns", TEI_NS) == TEI_NS else "*:"
    subject = f"{prefix}{ident}" if kind == "elementSpec" else "tei:*"
    if parent is not None and local(parent) == "attDef":
        return f"{subject}/@{parent.get('ident')}"
    return subject


def _patterns(
    constraint_spec: etree._Element, kind: str, ident: str, spec: etree._Element, schema: str,
    declared: dict[str, str],
) -> list[etree._Element]:
    patterns: list[etree._Element] = []
    constraint = constraint_spec.find(T + "constraint")
    if constraint is None:
        return patterns
    pattern_id = f"{schema}-{ident}-{constraint_spec.get('ident', '')}"
    bare: list[etree._Element] = []
    for node in constraint:
        name = local(node)
        if not isinstance(node.tag, str) or not node.tag.startswith(S):
            continue
        if name == "ns":
            declared[node.get("prefix", "")] = node.get("uri", "")
        elif name == "pattern":
            patterns.append(copy.deepcopy(node))
        elif name == "rule":
            pattern = etree.Element(ISO + "pattern", id=f"{pattern_id}-{len(patterns) + 1}")
            pattern.append(copy.deepcopy(node))
            patterns.append(pattern)
        elif name in ("assert", "report", "let"):
            bare.append(node)
    if bare:
        pattern = etree.Element(ISO + "pattern", id=f"{pattern_id}-{len(patterns) + 1}")
        rule = etree.SubElement(pattern, ISO + "rule", context=_context_for(kind, ident, spec, constraint_spec))
        rule.extend(copy.deepcopy(b) for b in bare)
        patterns.append(pattern)
    return patterns


def _deprecation(ident: str, spec: etree._Element, until: str) -> etree._Element:
    prefix = "tei:" if spec.get("ns", TEI_NS) == TEI_NS else "*:"
    pattern = etree.Element(ISO + "pattern", id=f"deprecated-{ident}")
    rule = etree.SubElement(pattern, ISO + "rule", context=f"{prefix}{ident}")
    report = etree.SubElement(rule, ISO + "report", test="true()", role="nonfatal")
    report.text = f"The {ident} element is deprecated and will be removed from the TEI on {until}."
    return pattern


def _parameter_lists(selection: Selection) -> list[etree._Element]:
    """The processing model's behaviours each accept only their own parameters."""
    model = selection.elements.get("model")
    if model is None:
        return []
    patterns = []
    for attdef in model.iter(T + "attDef"):
        if attdef.get("ident") != "behaviour":
            continue
        for item in attdef.iter(T + "valItem"):
            params = [p.get("ident", "") for p in item.iter(T + "paramSpec")]
            if not params:
                continue
            behaviour = item.get("ident", "")
            pattern = etree.Element(ISO + "pattern", id=f"processing-model-{behaviour}-parameters")
            rule = etree.SubElement(
                pattern, ISO + "rule", context=f"tei:param[parent::tei:model/@behaviour='{behaviour}']"
            )
            test = " or ".join(f"@name='{p}'" for p in params)
            check = etree.SubElement(rule, ISO + "assert", test=test, role="error")
            check.text = f"parameter not allowed for behaviour {behaviour}; allowed: {', '.join(params)}"
            patterns.append(pattern)
    return patterns
