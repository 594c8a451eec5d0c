"""ISO Schematron validation: the rules compiled to XSLT 3.0 and run by Saxon (saxonche).

`compile_schematron` turns an ISO Schematron schema (query bindings xslt, xslt2, xslt3) into
an XSLT 3.0 stylesheet of this module's own design:

- every active pattern becomes one mode, and each rule of the pattern a template rule of that
  mode whose priority falls with the rule's place, so that within a pattern a node is the
  context of the first matching rule only, as ISO Schematron requires;
- a pattern's templates are applied to the nodes its rule contexts can match, selected from
  the document node: the contexts themselves where they are wildcards (an XSLT pattern P
  matches the nodes of root//(P)), the names their last steps test otherwise, every node when
  the contexts tell nothing; unmatched nodes are skipped;
- schema-, phase- and pattern-level `let`s become global variables (a pattern-level `let`
  whose name another pattern also binds is evaluated inside each rule of its pattern, with the
  document node as context); rule-level `let`s become local variables, in order;
- abstract patterns are instantiated by substituting their `$param` names, abstract rules are
  copied into the rules that `extend` them, and `include` elements are resolved from local
  files only; quick fixes (sqf) are left out; xsl:key and xsl:function are kept;
- every failed `assert` and successful `report` writes one `f` element to a small XML report:
  its role, its message (text, `name` and `value-of` evaluated on the rule's context, so
  `current()` keeps its meaning) and the path of the node it is about, as
  `/Q{ns}TEI[1]/Q{ns}text[1]/@Q{}who`. A dynamic error in a test is reported as a finding
  instead of stopping the run.

`Schematron` compiles a schema once per process and schema content. A document without a
DOCTYPE goes to Saxon as it is; any other is parsed by lxml first (no DTD, no external
entity, no network) and handed over without its DOCTYPE; Saxon may not open any URI (no
doc(), no unparsed-text()). Every finding's path is mapped back to the line and column of the
node's start tag (or of the attribute, or of the text) in the source.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..diagnostics import Diagnostic, Severity

SCH = "http://purl.oclc.org/dsdl/schematron"
SCH15 = "http://www.ascc.net/xml/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
XS = "http://www.w3.org/2001/XMLSchema"
SQF = "http://www.schematron-quickfix.com/validator/process"
OWN = "urn:x-tei-encoder:schematron"  # the namespace of this compiler's helper functions

QUERY_BINDINGS = {"xslt", "xslt2", "xslt3", "xpath", "xpath2", "xpath3", "xpath31"}
_S = "{%s}" % SCH

# No DTD, no entity expansion, no network; large documents allowed. (collect_ids=False is not
# used to let duplicate xml:ids through: with it libxml2 reads the external DTD subset.)
_PARSER_OPTIONS = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True)
SAFE_PARSER = etree.XMLParser(**_PARSER_OPTIONS)
# Errors about xml:id values (a duplicate, a value that is not an NCName) are validity matters
# for the schemas to report, not a reason to refuse the document.
_ID_ERRORS = frozenset({"DTD_ID_REDEFINED", "DTD_XMLID_VALUE"})


def parse_document(data: bytes) -> etree._ElementTree:
    """Parse a document safely; raises etree.XMLSyntaxError when it is not well-formed."""
    etree.clear_error_log()  # lxml keeps earlier parses' errors in the log the exception carries
    try:
        return etree.ElementTree(etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS)))
    except etree.XMLSyntaxError as exc:
        if not exc.error_log or any(e.type_name not in _ID_ERRORS for e in exc.error_log):
            raise
    return etree.ElementTree(etree.fromstring(data, etree.XMLParser(recover=True, **_PARSER_OPTIONS)))


_SCHEMA_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, remove_blank_text=False)

# Roles that make a finding a warning or information rather than an error.
WARNING_ROLES = frozenset({"warning", "warn"})
INFO_ROLES = frozenset({"information", "info"})


class SchematronError(Exception):
    """The schema cannot be read or compiled; carries a TE539 diagnostic."""

    def __init__(self, message: str, file: str = "-", line: int | None = None):
        self.diagnostic = Diagnostic("TE539", message, file, line)
        super().__init__(self.diagnostic.format())


def role_severity(role: str | None) -> Severity:
    """A finding's severity from its role: warning/warn, information/info, anything else an error."""
    r = (role or "").strip().lower()
    if r in WARNING_ROLES:
        return Severity.WARNING
    if r in INFO_ROLES:
        return Severity.INFO
    return Severity.ERROR


# --------------------------------------------------------------------------------------------
# Reading the schema: includes, abstract patterns, abstract rules, phases
# --------------------------------------------------------------------------------------------


@dataclass
class Compiled:
    """The stylesheet made from a schema, and what compiling noticed on the way."""

    xslt: str
    warnings: list[Diagnostic] = field(default_factory=list)
    patterns: int = 0
    rules: int = 0


def _localise(root: etree._Element) -> None:
    """Schematron 1.5 elements read as ISO ones (the two vocabularies agree on what is used here)."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{%s}" % SCH15):
            el.tag = _S + etree.QName(el).localname


def _read_schema(sch: bytes | Path | str, name: str) -> tuple[etree._Element, Path | None]:
    base: Path | None = None
    if isinstance(sch, (str, Path)):
        base = Path(sch)
        try:
            data = base.read_bytes()
        except OSError as exc:
            raise SchematronError(f"cannot read the schema: {exc.strerror or exc}", str(base)) from None
    else:
        data = sch
    try:
        root = etree.fromstring(data, _SCHEMA_PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise SchematronError(f"the schema is not well-formed XML: {exc.msg}", name, line) from None
    _localise(root)
    if root.tag != _S + "schema":
        raise SchematronError(f"not an ISO Schematron schema: the root element is {root.tag}", name)
    return root, base


def _resolve_includes(root: etree._Element, base: Path | None, name: str, depth: int = 0) -> None:
    """Replace every sch:include by the element it points to (local files only)."""
    for inc in list(root.iter(_S + "include")):
        href = inc.get("href", "")
        target, _, frag = href.partition("#")
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not target.startswith("file:"):
            raise SchematronError(f"include of {href!r}: only local files are read", name, inc.sourceline)
        if base is None:
            raise SchematronError(f"include of {href!r}: the schema was given as bytes, with no folder", name, inc.sourceline)
        if depth > 20:
            raise SchematronError(f"include of {href!r}: includes nested too deep", name, inc.sourceline)
        path = (base.parent / target.removeprefix("file:")).resolve() if target else base
        try:
            included = etree.fromstring(path.read_bytes(), _SCHEMA_PARSER)
        except (OSError, etree.XMLSyntaxError) as exc:
            raise SchematronError(f"include of {href!r} cannot be read: {exc}", name, inc.sourceline) from None
        _localise(included)
        if frag:
            found = included.xpath("//*[@id=$i or @xml:id=$i]", i=frag)
            if not found:
                raise SchematronError(f"include of {href!r}: no element with id {frag!r}", name, inc.sourceline)
            included = found[0]
        _resolve_includes(included, path, name, depth + 1)
        parent = inc.getparent()
        if included.tag == _S + "schema":  # a whole schema: its patterns and lets take the include's place
            parts = [c for c in included if c.tag != _S + "title"]
        else:
            parts = [included]
        idx = parent.index(inc)
        tail = inc.tail
        parent.remove(inc)
        for offset, part in enumerate(parts):
            parent.insert(idx + offset, part)
        if parts:
            parts[-1].tail = tail


_NAME_CHAR = r"[\w.\-\u00B7\u0300-\u036F\u203F-\u2040]"


def _substitute(text: str, params: dict[str, str]) -> str:
    """Textual substitution of abstract-pattern parameters: `$name` not followed by a name character."""
    if not params:
        return text
    names = "|".join(re.escape(p) for p in sorted(params, key=len, reverse=True))
    # One pass: a value that itself holds `$name` is not substituted again.
    return re.sub(r"\$(" + names + r")(?!" + _NAME_CHAR + ")", lambda m: params[m.group(1)], text)


def _instantiate(root: etree._Element, name: str, warnings: list[Diagnostic]) -> None:
    """Replace every `pattern is-a` by a copy of its abstract pattern with the params substituted."""
    abstract = {p.get("id"): p for p in root.iter(_S + "pattern") if p.get("abstract") == "true"}
    missing: dict[str, int] = {}
    for inst in list(root.iter(_S + "pattern")):
        isa = inst.get("is-a")
        if not isa:
            continue
        template = abstract.get(isa)
        if template is None:
            missing[isa] = missing.get(isa, 0) + 1
            inst.getparent().remove(inst)
            continue
        params = {p.get("name", ""): p.get("value", "") for p in inst.iter(_S + "param")}
        copy = etree.fromstring(etree.tostring(template))
        copy.attrib.pop("abstract", None)
        copy.attrib.pop("id", None)
        if inst.get("id"):
            copy.set("id", inst.get("id"))
        else:
            copy.set("id", f"{isa}({', '.join(f'{k}={v}' for k, v in params.items())})")
        for el in copy.iter():
            if isinstance(el.tag, str):
                for k, v in el.attrib.items():
                    if "$" in v and k not in ("id",):
                        el.set(k, _substitute(v, params))
        copy.tail = inst.tail
        inst.getparent().replace(inst, copy)
    for p in abstract.values():
        if p.getparent() is not None:
            p.getparent().remove(p)
    for isa, count in missing.items():
        warnings.append(
            Diagnostic(
                "TE538",
                f"{count} pattern(s) are instances (is-a) of the abstract pattern {isa!r}, which the schema does not define: "
                "they are left out",
                name,
                severity=Severity.WARNING,
            )
        )


def _expand_extends(root: etree._Element, name: str) -> None:
    """Copy the content of abstract rules into the rules that extend them, then drop the abstract rules."""
    abstract_rules = {r.get("id"): r for r in root.iter(_S + "rule") if r.get("abstract") == "true" and r.get("id")}

    def expand(rule: etree._Element, seen: tuple[str, ...]) -> None:
        for ext in list(rule.iterchildren(_S + "extends")):
            rid = ext.get("rule")
            if ext.get("href"):
                raise SchematronError("extends with @href is not supported", name, ext.sourceline)
            source = abstract_rules.get(rid)
            if source is None:
                raise SchematronError(f"extends refers to no abstract rule {rid!r}", name, ext.sourceline)
            if rid in seen:
                raise SchematronError(f"abstract rule {rid!r} extends itself", name, ext.sourceline)
            copy = etree.fromstring(etree.tostring(source))
            expand(copy, (*seen, rid))
            idx = rule.index(ext)
            rule.remove(ext)
            for offset, child in enumerate(c for c in copy if c.tag in (_S + "let", _S + "assert", _S + "report")):
                rule.insert(idx + offset, child)

    for rule in list(root.iter(_S + "rule")):
        if rule.get("abstract") != "true":
            expand(rule, ())
    for rule in abstract_rules.values():
        rule.getparent().remove(rule)


def _active_patterns(root: etree._Element, phase: str | None, name: str) -> tuple[list[etree._Element], list[etree._Element]]:
    """The patterns the phase activates (all for #ALL), and the phase's lets."""
    patterns = [p for p in root.iterchildren(_S + "pattern")]
    chosen = phase or root.get("defaultPhase") or "#ALL"
    if chosen == "#ALL":
        return patterns, []
    phases = {p.get("id"): p for p in root.iterchildren(_S + "phase")}
    ph = phases.get(chosen)
    if ph is None:
        raise SchematronError(f"no phase {chosen!r} in the schema", name)
    wanted = {a.get("pattern") for a in ph.iterchildren(_S + "active")}
    return [p for p in patterns if p.get("id") in wanted], list(ph.iterchildren(_S + "let"))


# --------------------------------------------------------------------------------------------
# Writing the stylesheet
# --------------------------------------------------------------------------------------------

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


def compile_schematron(sch: bytes | Path | str, phase: str | None = None, name: str | None = None) -> str:
    """The XSLT 3.0 stylesheet for an ISO Schematron schema (a path or its bytes)."""
    return compile_schematron_full(sch, phase, name).xslt


def compile_schematron_full(sch: bytes | Path | str, phase: str | None = None, name: str | None = None) -> Compiled:
    """compile_schematron, with the warnings and counts."""
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
                    _assertion(tpl, child, rule, pid, own, diagnostics, label)
    return Compiled(etree.tostring(sheet, encoding="unicode"), warnings, len(patterns), rule_total)


def _split_top(text: str, sep: str) -> list[str]:
    """Split an XPath expression at `sep` where it is outside brackets, braces and string literals."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _strip_predicates(step: str) -> str:
    """A step without its predicates (the bracketed parts at the top level)."""
    out = []
    depth = 0
    quote = ""
    for ch in step:
        if quote:
            if ch == quote:
                quote = ""
            if depth == 0:
                out.append(ch)
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
            continue
        elif ch == "]":
            depth -= 1
            continue
        if depth == 0:
            out.append(ch)
    return "".join(out).strip()


_NCNAME = r"[^\W\d][\w.\-]*"
_NAME_TEST = re.compile(
    rf"^(?:(?P<attr>@|attribute::)|(?:child::|descendant::|self::))?"
    rf"(?P<name>\*|{_NCNAME}:\*|\*:{_NCNAME}|{_NCNAME}(?::{_NCNAME})?|Q\{{[^{{}}]*\}}{_NCNAME})$"
)
_KIND_TEST = re.compile(r"^(?:child::|self::)?(?P<kind>text|comment|processing-instruction)\(\s*\)$")


def _candidates(contexts: list[str]) -> str | None:
    """An expression selecting every node that some of these XSLT patterns could match, or None.

    Each alternative of each pattern is judged by its last step: a name test (element or
    attribute) or a text, comment or processing-instruction test gives the nodes to visit;
    anything else (node(), a function call, a parenthesised union, a variable) gives None,
    and the pattern's mode then walks the whole document.
    """
    steps: set[str] = set()
    root = False
    for context in contexts:
        for alternative in _split_top(context, "|"):
            alternative = alternative.strip()
            if alternative == "/":
                root = True
                continue
            last = _strip_predicates(_split_top(alternative, "/")[-1])
            m = _NAME_TEST.match(last)
            if m:
                steps.add(("@" if m.group("attr") else "") + m.group("name"))
                continue
            m = _KIND_TEST.match(last)
            if m:
                steps.add(m.group("kind") + "()")
                continue
            if last.startswith("(") and last.endswith(")") and len(_split_top(last, ",")) == 1:
                inner = _candidates([last[1:-1]])  # a parenthesised union: its alternatives' last steps
                if inner is not None and "/ " not in inner and not inner.endswith("/)") and inner != "/":
                    steps.update(part.strip().removeprefix("//") for part in inner.strip("()").split(" | "))
                    continue
            return None
    if "*" in steps:
        steps = {s for s in steps if s.startswith("@") or s.endswith("()")} | {"*"}
    if "@*" in steps:
        steps = {s for s in steps if not s.startswith("@")} | {"@*"}
    if not steps:
        return "/" if root else None
    parts = (["/"] if root else []) + ["//" + step for step in sorted(steps)]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


_EVERY_NODE = "(/ | //node() | //@*)"
_KIND_TESTS = {
    "text", "node", "comment", "processing-instruction", "element", "attribute",
    "document-node", "schema-element", "schema-attribute", "namespace-node",
}  # fmt: skip
_LEADING_CALL = re.compile(r"^(?:Q\{[^}]*\})?([^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?)\s*\(")


def _selection(contexts: list[str]) -> str | None:
    """An expression selecting exactly the nodes these XSLT patterns match, when there is a safe one.

    A relative pattern P matches the nodes of root//(P), which for a path is root//P; an absolute
    one (starting with /) the nodes it selects. Patterns that use current() (the matched node in a pattern, the root in an
    expression), or that start with a variable, a function call, a parenthesis or a dot, give None.
    """
    absolute: list[str] = []
    relative: list[str] = []
    for context in contexts:
        if "current(" in context.replace(" ", ""):
            return None
        for alternative in _split_top(context, "|"):
            alternative = alternative.strip()
            if alternative.startswith("/"):
                absolute.append(alternative)
                continue
            call = _LEADING_CALL.match(alternative)
            if not alternative or alternative[0] in "$(." or (call and call.group(1) not in _KIND_TESTS):
                return None
            relative.append(alternative)
    parts = [*absolute, *("//" + r for r in relative)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def _assertion(
    tpl: etree._Element,
    node: etree._Element,
    rule: etree._Element,
    pid: str,
    own: str,
    diagnostics: dict[str, etree._Element],
    label: str,
) -> None:
    test = node.get("test")
    if test is None:
        raise SchematronError(f"an {etree.QName(node).localname} in pattern {pid} has no test", label, node.sourceline)
    kind = etree.QName(node).localname
    role = node.get("role") or rule.get("role") or ""
    subject = node.get("subject") or rule.get("subject")
    where = f"{own}:path(({subject})[1] treat as node())" if subject else f"{own}:path(.)"
    attempt = _xsl(tpl, "try")
    cond = _xsl(attempt, "if", test=f"not(({test}))" if kind == "assert" else test)
    out = etree.SubElement(cond, "f")
    out.set("kind", kind)
    out.set("role", role)
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


# --------------------------------------------------------------------------------------------
# Running it
# --------------------------------------------------------------------------------------------

_lock = threading.Lock()
_processor = None
_executables: dict[str, Any] = {}  # compiled stylesheets (saxonche PyXsltExecutable), by content


def _saxon() -> Any:
    """The process's Saxon processor: HE, no licence, no external resources fetched."""
    global _processor
    if _processor is None:
        from saxonche import PySaxonProcessor

        proc = PySaxonProcessor(license=False)
        # No URI scheme is allowed for doc(), unparsed-text() and the like: a rule cannot read a
        # file or reach the network.
        proc.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "")
        _processor = proc
    return _processor


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed assert or successful report, before it becomes a diagnostic."""

    kind: str  # assert, report, or error (a test that could not be evaluated)
    role: str
    message: str
    pattern: str
    path: str
    line: int | None = None
    col: int | None = None

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.kind == "error" else role_severity(self.role)

    @property
    def code(self) -> str:
        return {Severity.ERROR: "TE530", Severity.WARNING: "TE531", Severity.INFO: "TE532"}[self.severity]


class Schematron:
    """An ISO Schematron schema compiled for Saxon, ready to validate documents."""

    def __init__(self, sch: bytes | Path | str, phase: str | None = None, name: str | None = None):
        self.name = name or (str(sch) if isinstance(sch, (str, Path)) else "-")
        compiled = compile_schematron_full(sch, phase, self.name)
        self.xslt = compiled.xslt
        self.warnings = compiled.warnings
        self.patterns = compiled.patterns
        self.rules = compiled.rules
        key = hashlib.sha256(self.xslt.encode()).hexdigest()
        with _lock:
            executable = _executables.get(key)
            if executable is None:
                proc = _saxon()
                try:
                    executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=self.xslt)
                except Exception as exc:  # saxonche raises PySaxonApiError with Saxon's message
                    raise SchematronError(f"the rules cannot be compiled: {_first_lines(str(exc))}", self.name) from None
                _executables[key] = executable
        self._executable = executable

    @classmethod
    def from_file(cls, path: Path | str, phase: str | None = None) -> Schematron:
        return cls(Path(path), phase)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "-", phase: str | None = None) -> Schematron:
        return cls(data, phase, name)

    # -- findings ------------------------------------------------------------------------

    def _run(self, text: str) -> list[Finding]:
        """Saxon parses the document text and runs the rules: the findings, without lines."""
        proc = _saxon()
        with _lock:
            doc = proc.parse_xml(xml_text=text)
            out = self._executable.transform_to_string(xdm_node=doc)
        report = etree.fromstring(out.encode("utf-8"), SAFE_PARSER)
        found = []
        for f in report:
            parts = [f.text or ""]
            for d in f:
                parts.append(" ")
                parts.append("".join(d.itertext()))
                parts.append(d.tail or "")
            message = " ".join("".join(parts).split())
            found.append(Finding(f.get("kind", ""), f.get("role", ""), message, f.get("pattern", ""), f.get("path", "")))
        return found

    def findings_tree(self, tree: etree._ElementTree) -> list[Finding]:
        """Raw findings for a document parsed by parse_document, without lines."""
        _expand_internal_entities(tree)
        return self._run(_serialise(tree.getroot()))

    def check(self, data: bytes, name: str = "-") -> tuple[list[Finding], list[Diagnostic]]:
        """Findings with their lines, or the diagnostic that the document cannot be checked.

        A document without a DOCTYPE goes to Saxon as it is (nothing in it can point outside
        it); any other, or one Saxon refuses, is parsed by lxml first and handed over without
        its DOCTYPE. lxml parses the document in any case when there are findings to place.
        """
        found: list[Finding] | None = None
        text = _plain_text(data)
        if text is not None:
            try:
                found = self._run(text)
            except Exception:  # not well-formed, say: the careful path below tells why
                found = None
        tree = None
        if found is None:
            try:
                tree = parse_document(data)
            except etree.XMLSyntaxError as exc:
                line, col = exc.position if exc.position else (None, None)
                msg = re.sub(r", line \d+, column \d+$", "", exc.msg or "syntax error")
                return [], [Diagnostic("TE500", f"not well-formed XML: {msg}", name, line, col)]
            try:
                found = self.findings_tree(tree)
            except _CannotCheck as exc:
                return [], [Diagnostic("TE501", str(exc), name, exc.line)]
            except Exception as exc:  # a dynamic error outside the tests (in a global let, say)
                return [], [Diagnostic("TE533", f"the rules failed on this document: {_first_lines(str(exc))}", name, 1)]
        if found:
            if tree is None:
                try:
                    tree = parse_document(data)
                except etree.XMLSyntaxError:
                    return found, []
            locator = _Locator(data, tree)
            found = [_with_place(f, locator) for f in found]
        return found, []

    def validate_bytes(self, data: bytes, name: str = "-") -> list[Diagnostic]:
        """Every finding as a diagnostic, in document order."""
        found, problems = self.check(data, name)
        if problems:
            return problems
        out = [Diagnostic(f.code, f.message, name, f.line, f.col, f.severity) for f in found]
        return sorted(out, key=lambda d: (d.line or 0, d.col or 0))

    def validate_file(self, path: Path | str) -> list[Diagnostic]:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [Diagnostic("TE100", f"cannot read: {exc.strerror or exc}", str(path))]
        return self.validate_bytes(data, str(path))


_ENCODING_DECL = re.compile(rb"""\A<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_PROLOG = re.compile(r"\A(?:<\?xml\s.*?\?>)?(?:\s+|<!--.*?-->|<\?.*?\?>)*<(?P<bang>!)?", re.S)


def _plain_text(data: bytes) -> str | None:
    """The document's text when it is in an ASCII-compatible encoding and has no DOCTYPE, else None."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        return None
    else:
        declared = _ENCODING_DECL.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    m = _PROLOG.match(text)
    if m is None or m.group("bang"):
        return None
    return text


class _CannotCheck(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def _expand_internal_entities(tree: etree._ElementTree) -> None:
    """Replace references to text-only entities of the internal subset by their text.

    References to external entities, or to entities holding markup, are refused: nothing is
    read from outside the document.
    """
    refs = [n for n in tree.getroot().iter() if isinstance(n, etree._Entity)]
    if not refs:
        return
    dtd = tree.docinfo.internalDTD
    known = {e.name: e for e in dtd.iterentities()} if dtd is not None else {}
    for ref in refs:
        name = ref.text[1:-1] if ref.text else ""
        entity = known.get(name)
        content = entity.content if entity is not None and not entity.system_url else None
        if content is None or "<" in content or "&" in content:
            raise _CannotCheck(
                f"the entity reference &{name}; is not expanded (only text entities of the internal subset are)", ref.sourceline
            )
        parent = ref.getparent()
        text = content + (ref.tail or "")
        previous = ref.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(ref)


def _first_lines(text: str, n: int = 3) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return " ".join(lines[:n])


def _serialise(root: etree._Element) -> str:
    """The document as text for Saxon: its top-level comments and PIs and its root, no DOCTYPE."""
    before = []
    sib = root.getprevious()
    while sib is not None:
        before.append(etree.tostring(sib, encoding="unicode", with_tail=False))
        sib = sib.getprevious()
    after = []
    sib = root.getnext()
    while sib is not None:
        after.append(etree.tostring(sib, encoding="unicode", with_tail=False))
        sib = sib.getnext()
    return "".join(reversed(before)) + etree.tostring(root, encoding="unicode", with_tail=False) + "".join(after)


# --------------------------------------------------------------------------------------------
# From a path back to a line and column
# --------------------------------------------------------------------------------------------

# The markup of a well-formed document, in order: comments, CDATA, PIs, the DOCTYPE, end tags,
# and start tags (name and attributes captured).
_MARKUP = re.compile(
    r"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!DOCTYPE(?:[^\[>]|\[.*?\])*>|/[^>]*>"
    r"|(?P<name>[^\s/>!?]+)(?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>)",
    re.S,
)
_STEP = re.compile(
    r"/(?:Q\{(?P<ns>[^}]*)\}(?P<local>[^\[/]+)\[(?P<n>\d+)\]|@Q\{(?P<ans>[^}]*)\}(?P<alocal>[^/]+)|(?P<kind>text|comment|processing-instruction)\(\)\[(?P<k>\d+)\])"
)


class _Locator:
    """Lines and columns of elements and attributes, read from the source text."""

    def __init__(self, data: bytes, tree: etree._ElementTree):
        self.tree = tree
        self.data = data
        self._starts: list[tuple[int, str, int, int]] | None = None  # (offset, attrs, attrs_offset, end)
        self._ends: list[int] = []  # where each element's end tag ends
        self._others: list[int] = []
        self._other_order: dict[etree._Element, int] = {}
        self._order: dict[etree._Element, int] | None = None
        self._text: str | None = None
        self._line_starts: list[int] | None = None

    def _scan(self) -> None:
        enc = (self.tree.docinfo.encoding or "utf-8").lower()
        try:
            text = self.data.decode("utf-8-sig" if enc in ("utf-8", "utf8") else enc)
        except (LookupError, UnicodeDecodeError):
            text = self.data.decode("utf-8", "replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        starts: list[tuple[int, str, int, int]] = []
        ends: list[int] = []
        others: list[int] = []  # comments and processing instructions
        open_: list[int] = []
        for m in _MARKUP.finditer(text):
            if m.group("name"):
                starts.append((m.start(), m.group("attrs") or "", m.start("attrs"), m.end()))
                ends.append(m.end())
                if not m.group().endswith("/>"):
                    open_.append(len(starts) - 1)
            elif m.group().startswith("</") and open_:
                ends[open_.pop()] = m.end()
            elif m.group().startswith(("<!--", "<?")) and not re.match(r"<\?xml\s", m.group()):
                others.append(m.start())
        self._starts, self._ends, self._others = starts, ends, others
        root = self.tree.getroot()
        kinds = (etree.Comment, etree.ProcessingInstruction)
        nodes = [*reversed(list(root.itersiblings(preceding=True))), *root.iter(*kinds), *root.itersiblings()]
        self._other_order = {n: i for i, n in enumerate(n for n in nodes if n.tag in kinds)}
        self._order = {el: i for i, el in enumerate(e for e in self.tree.getroot().iter() if isinstance(e.tag, str))}

    def _line_col(self, offset: int) -> tuple[int, int]:
        assert self._line_starts is not None
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def element_place(self, el: etree._Element, attr: str | None = None) -> tuple[int | None, int | None]:
        if self._starts is None:
            self._scan()
        assert self._order is not None and self._starts is not None
        i = self._order.get(el)
        if i is None or i >= len(self._starts) or len(self._starts) != len(self._order):
            return el.sourceline, None
        start, attrs, attrs_at, _end = self._starts[i]
        if attr is not None:
            qname = _attribute_qname(el, attr)
            m = re.search(r"\s(" + re.escape(qname) + r")\s*=", attrs) if qname else None
            if m:
                return self._line_col(attrs_at + m.start(1))
        return self._line_col(start)

    def resolve(self, path: str) -> tuple[etree._Element | None, str | None, str | None]:
        """The element a path leads to, the attribute (Clark name) or the kind of other node it ends on."""
        root = self.tree.getroot()
        el: etree._Element | None = None
        attr = other = None
        pos = 0
        for m in _STEP.finditer(path):
            if m.start() != pos:
                return el, None, None
            pos = m.end()
            if m.group("local") is not None:
                tag = "{%s}%s" % (m.group("ns"), m.group("local")) if m.group("ns") else m.group("local")
                n = int(m.group("n"))
                if el is None:
                    if root.tag != tag or n != 1:
                        return None, None, None
                    el = root
                else:
                    same = [c for c in el if c.tag == tag]
                    if n > len(same):
                        return el, None, None
                    el = same[n - 1]
            elif m.group("alocal") is not None:
                attr = "{%s}%s" % (m.group("ans"), m.group("alocal")) if m.group("ans") else m.group("alocal")
            else:
                other = f"{m.group('kind')}:{m.group('k')}"
        if pos != len(path):
            return el, None, None
        return el, attr, other

    def place(self, path: str) -> tuple[int | None, int | None]:
        el, attr, other = self.resolve(path)
        if other and not other.startswith("text:"):
            return self.other_place(el, other)
        if el is None:
            return (1, None) if path == "/" else (None, None)
        if other:
            return self.text_place(el, int(other.split(":")[1]))
        return self.element_place(el, attr)

    def other_place(self, parent: etree._Element | None, other: str) -> tuple[int | None, int | None]:
        """Line and column of a comment or processing instruction (a top-level one when parent is None)."""
        kind, _, k = other.partition(":")
        wanted = etree.Comment if kind == "comment" else etree.ProcessingInstruction
        if parent is None:
            root = self.tree.getroot()
            pool = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
        else:
            pool = list(parent)
        same = [n for n in pool if n.tag is wanted]
        if int(k) > len(same):
            return (None, None) if parent is None else self.element_place(parent)
        if self._starts is None:
            self._scan()
        i = self._other_order.get(same[int(k) - 1])
        if i is None or len(self._others) != len(self._other_order):
            return (None, None) if parent is None else self.element_place(parent)
        return self._line_col(self._others[i])

    def text_place(self, parent: etree._Element, n: int) -> tuple[int | None, int | None]:
        """Line and column of the first non-blank character of the parent's n-th text node.

        A text node starts where its parent's start tag or the element before it ends.
        """
        segments: list[tuple[str, etree._Element, bool]] = []  # (text, the node it follows, inside it?)
        if parent.text:
            segments.append((parent.text, parent, True))
        for c in parent:
            if c.tail:
                segments.append((c.tail, c, False))
        fallback = self.element_place(parent)[0], None
        if n > len(segments):
            return fallback
        text, after, inside = segments[n - 1]
        if self._starts is None or not isinstance(after.tag, str) or len(self._starts) != len(self._order or ()):
            return fallback
        i = (self._order or {}).get(after)
        if i is None:
            return fallback
        offset = self._starts[i][3] if inside else self._ends[i]
        lead = len(text) - len(text.lstrip())
        return self._line_col(offset + lead)


def _attribute_qname(el: etree._Element, clark: str) -> str | None:
    if not clark.startswith("{"):
        return clark
    ns, local = clark[1:].split("}", 1)
    if ns == "http://www.w3.org/XML/1998/namespace":
        return "xml:" + local
    for prefix, uri in (el.nsmap or {}).items():
        if uri == ns and prefix:
            return f"{prefix}:{local}"
    return None


def _with_place(f: Finding, locator: _Locator) -> Finding:
    line, col = locator.place(f.path)
    return Finding(f.kind, f.role, f.message, f.pattern, f.path, line, col)
