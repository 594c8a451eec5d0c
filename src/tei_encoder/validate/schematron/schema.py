"""Reading the schema: includes, abstract patterns, abstract rules, phases."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ...diagnostics import Diagnostic, Severity
from .names import _S, SCH15

_SCHEMA_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, remove_blank_text=False)


class SchematronError(Exception):
    """The schema cannot be read or compiled; carries a TE539 diagnostic."""

    def __init__(self, message: str, file: str = "-", line: int | None = None):
        self.diagnostic = Diagnostic("TE539", message, file, line)
        super().__init__(self.diagnostic.format())


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
