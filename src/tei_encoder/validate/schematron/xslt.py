"""Writing the XSLT 3.0 stylesheet: global and local variables, one mode per pattern, assertions and their messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...diagnostics import Diagnostic
from .findings import ROLE_MODES
from .names import _S, OWN, QUERY_BINDINGS, SQF, XS, XSL
from .schema import SchematronError, _active_patterns, _expand_extends, _instantiate, _read_schema, _resolve_includes
from .selection import _EVERY_NODE, _candidates, _selection


@dataclass
class Compiled:
    """The stylesheet made from a schema, and what compiling noticed on the way."""

    xslt: str
    warnings: list[Diagnostic] = field(default_factory=list)
    patterns: int = 0
    rules: int = 0


_X = "{%s}" % XSL


def _xsl(parent: etree._Element, local: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _X + local)
    for k, v in attrs.items():
        el.set(k.rstrip("_").replace("_", "-"), v)
    return el


def _variable(parent: etree._Element, let: etree._Element, at_root: bool = False) -> None:
    """One let as an xsl:variable; its content (when it has no @value) as a temporary tree."""
    var = _xsl(parent, "variable", name=let.get("name", ""))
    value = let.get("value")
    if at_root:
        var.set("as", "item()*")
        each = _xsl(var, "for-each", select="root(.)")
        if value is not None:
            _xsl(each, "sequence", select=value)
        else:
            for child in let:
                each.append(etree.fromstring(etree.tostring(child, with_tail=False)))
        return
    if value is not None:
        var.set("select", value)
    else:
        for child in let:
            var.append(etree.fromstring(etree.tostring(child, with_tail=False)))


def _message(parent: etree._Element, node: etree._Element) -> None:
    """The text of an assert, report or diagnostic, with name and value-of evaluated."""
    if node.text:
        _xsl(parent, "text").text = node.text
    for child in node:
        if not isinstance(child.tag, str):
            pass
        elif child.tag == _S + "name":
            _xsl(parent, "value-of", select=f"name({child.get('path') or '.'})")
        elif child.tag == _S + "value-of":
            _xsl(parent, "value-of", select=child.get("select", "''"))
        elif child.tag.startswith("{%s}" % SQF):
            pass
        else:  # emph, dir, span, foreign markup: their text
            _message(parent, child)
        if child.tail:
            _xsl(parent, "text").text = child.tail


def compile_schematron(sch: bytes | Path | str, phase: str | None = None, name: str | None = None, roles: str = "own") -> str:
    """The XSLT 3.0 stylesheet for an ISO Schematron schema (a path or its bytes)."""
    return compile_schematron_full(sch, phase, name, roles).xslt


def compile_schematron_full(
    sch: bytes | Path | str, phase: str | None = None, name: str | None = None, roles: str = "own"
) -> Compiled:
    """compile_schematron, with the warnings and counts; `roles` is "own" or "inherit" (see findings.ROLE_MODES)."""
    if roles not in ROLE_MODES:
        raise ValueError(f"roles must be one of {ROLE_MODES}, not {roles!r}")
    label = name or (str(sch) if isinstance(sch, (str, Path)) else "-")
    root, base = _read_schema(sch, label)
    binding = (root.get("queryBinding") or "xslt").strip().lower()
    if binding not in QUERY_BINDINGS:
        raise SchematronError(f"query binding {binding!r} is not supported (only XSLT/XPath bindings)", label)
    warnings: list[Diagnostic] = []
    _resolve_includes(root, base, label)
    _instantiate(root, label, warnings)
    _expand_extends(root, label)
    patterns, phase_lets = _active_patterns(root, phase, label)

    namespaces: dict[str, str] = {}
    for ns in root.iter(_S + "ns"):
        prefix, uri = ns.get("prefix", ""), ns.get("uri", "")
        if prefix in namespaces and namespaces[prefix] != uri:
            raise SchematronError(f"prefix {prefix!r} is declared for two namespaces", label, ns.sourceline)
        namespaces[prefix] = uri
    if namespaces.get("xsl", XSL) != XSL:
        raise SchematronError("the prefix 'xsl' is declared for a namespace other than XSLT's", label)
    own = "tesch"
    while own in namespaces:
        own += "x"
    nsmap = {"xsl": XSL, "xs": XS, **namespaces, own: OWN}
    nsmap.setdefault("err", "http://www.w3.org/2005/xqt-errors")
    if nsmap["err"] != "http://www.w3.org/2005/xqt-errors":
        raise SchematronError("the prefix 'err' is declared for a namespace other than XPath errors'", label)
    sheet = etree.Element(_X + "stylesheet", nsmap=nsmap)
    sheet.set("version", "3.0")
    sheet.set("exclude-result-prefixes", "#all")
    _xsl(sheet, "output", method="xml", indent="no", encoding="UTF-8")

    # Foreign XSLT declarations the schema carries (keys, functions), wherever they sit.
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in (_X + "key", _X + "function", _X + "import-schema"):
            if el.getparent() is not None and el.getparent().tag in (_S + "schema", _S + "pattern"):
                sheet.append(etree.fromstring(etree.tostring(el, with_tail=False)))

    # Global variables: the schema's lets, the phase's, and pattern lets whose name is bound once.
    global_names: set[str] = set()
    for let in [*root.iterchildren(_S + "let"), *phase_lets]:
        _variable(sheet, let)
        global_names.add(let.get("name", ""))
    pattern_let_count: dict[str, int] = {}
    for p in patterns:
        for let in p.iterchildren(_S + "let"):
            pattern_let_count[let.get("name", "")] = pattern_let_count.get(let.get("name", ""), 0) + 1
    for p in patterns:
        for let in p.iterchildren(_S + "let"):
            n = let.get("name", "")
            if pattern_let_count[n] == 1 and n not in global_names:
                _variable(sheet, let)
                global_names.add(n)

    diagnostics = {d.get("id"): d for d in root.iter(_S + "diagnostic") if d.get("id")}

    # The path of a node, to find it again in the source.
    fn = _xsl(sheet, "function", name=f"{own}:path", as_="xs:string")
    _xsl(fn, "param", name="n", as_="node()")
    _xsl(
        fn,
        "sequence",
        select=(
            "if ($n instance of document-node()) then '/' else string-join(("
            "for $a in $n/ancestor-or-self::* return concat('/Q{', namespace-uri($a), '}', local-name($a), '[', "
            "count($a/preceding-sibling::*[node-name(.) eq node-name($a)]) + 1, ']'), "
            "if ($n instance of attribute()) then concat('/@Q{', namespace-uri($n), '}', local-name($n)) "
            "else if ($n instance of element()) then () "
            "else if ($n instance of text()) then concat('/text()[', count($n/preceding-sibling::text()) + 1, ']') "
            "else if ($n instance of comment()) then concat('/comment()[', count($n/preceding-sibling::comment()) + 1, ']') "
            "else if ($n instance of processing-instruction()) then "
            "concat('/processing-instruction()[', count($n/preceding-sibling::processing-instruction()) + 1, ']') "
            "else ()), '')"
        ),
    )

    main = _xsl(sheet, "template", match="/")
    report = etree.SubElement(main, "report")
    rule_total = 0
    for k, pattern in enumerate(patterns):
        mode = f"{own}:p{k}"
        rules = [r for r in pattern.iterchildren(_S + "rule") if r.get("abstract") != "true"]
        if not rules:
            continue
        # The nodes the pattern's rules are tried on: those its contexts select from the root
        # when that can be said (an XSLT pattern P matches the nodes of root//(P)); failing
        # that, or should that selection raise an error, the nodes its contexts' last steps
        # name; failing that, every node.
        contexts = [r.get("context") or "" for r in rules]
        coarse = _candidates(contexts) or _EVERY_NODE
        precise = _selection(contexts)
        _xsl(sheet, "mode", name=mode, on_no_match="deep-skip")
        # The exact selection pays where the last steps are wildcards (tei:*[@when], @*, text()).
        if precise and ("*" in coarse or "()" in coarse):
            attempt = _xsl(report, "try")
            _xsl(attempt, "apply-templates", select=precise, mode=mode)
            _xsl(_xsl(attempt, "catch"), "apply-templates", select=coarse, mode=mode)
        else:
            _xsl(report, "apply-templates", select=coarse, mode=mode)
        local_lets = [
            let
            for let in pattern.iterchildren(_S + "let")
            if pattern_let_count[let.get("name", "")] > 1 or let.get("name", "") not in global_names
        ]
        pid = pattern.get("id") or f"#{k + 1}"
        for j, rule in enumerate(rules):
            context = rule.get("context")
            if not context:
                raise SchematronError(f"a rule of pattern {pid} has no context", label, rule.sourceline)
            rule_total += 1
            tpl = _xsl(sheet, "template", match=context, mode=mode, priority=str(len(rules) - j))
            for let in local_lets:
                _variable(tpl, let, at_root=True)
            for child in rule:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == _S + "let":
                    _variable(tpl, child)
                elif child.tag in (_S + "assert", _S + "report"):
                    _assertion(tpl, child, rule, pid, own, diagnostics, label, roles)
    return Compiled(etree.tostring(sheet, encoding="unicode"), warnings, len(patterns), rule_total)


def _assertion(
    tpl: etree._Element,
    node: etree._Element,
    rule: etree._Element,
    pid: str,
    own: str,
    diagnostics: dict[str, etree._Element],
    label: str,
    roles: str = "own",
) -> None:
    test = node.get("test")
    if test is None:
        raise SchematronError(f"an {etree.QName(node).localname} in pattern {pid} has no test", label, node.sourceline)
    kind = etree.QName(node).localname
    pattern = rule.getparent()
    outer = [(where, el.get("role") or "") for where, el in (("rule", rule), ("pattern", pattern)) if el is not None]
    outer = [(where, value) for where, value in outer if value]
    role, role_from, unapplied = node.get("role") or "", etree.QName(node).localname, ""
    if not role:
        role_from = ""
        if outer and roles == "inherit":
            role_from, role = outer[0]
        elif outer:
            unapplied = f"{outer[0][0]}'s role {outer[0][1]!r}"
    subject = node.get("subject") or rule.get("subject")
    where = f"{own}:path(({subject})[1] treat as node())" if subject else f"{own}:path(.)"
    attempt = _xsl(tpl, "try")
    cond = _xsl(attempt, "if", test=f"not(({test}))" if kind == "assert" else test)
    out = etree.SubElement(cond, "f")
    out.set("kind", kind)
    out.set("role", role)
    if role_from:
        out.set("role-from", role_from)
    if unapplied:
        out.set("unapplied", unapplied)
        out.set("unapplied-from", outer[0][0])
        out.set("unapplied-role", outer[0][1])
    out.set("pattern", pid)
    if node.get("id"):
        out.set("id", node.get("id"))
    _xsl(out, "attribute", name="path", select=where)
    _message(out, node)
    for ref in (node.get("diagnostics") or "").split():
        diag = diagnostics.get(ref)
        if diag is None:
            raise SchematronError(f"diagnostics refers to no diagnostic {ref!r}", label, node.sourceline)
        extra = etree.SubElement(out, "diagnostic")
        _message(extra, diag)
    catch = _xsl(attempt, "catch")
    err = etree.SubElement(catch, "f")
    err.set("kind", "error")
    err.set("role", "error")
    err.set("pattern", pid)
    _xsl(err, "attribute", name="path", select=f"{own}:path(.)")
    _xsl(
        err,
        "value-of",
        select=f"concat('the {kind} test ', {_xpath_string(test)}, ' could not be evaluated: ', $err:description)",
    )


def _xpath_string(text: str) -> str:
    """A string literal for XPath (quotes doubled), itself quoted for an XPath string."""
    short = " ".join(text.split())
    if len(short) > 80:
        short = short[:77] + "..."
    return "'" + short.replace("'", "''") + "'"
