"""Applying a schemaSpec to the TEI source: which specs the schema holds, after every mode."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field

from lxml import etree

from ..diagnostics import Diagnostic
from .errors import ORIGIN, Locator
from .names import SPEC_KINDS, XML_NS, T, local, tokens
from .p5source import P5Source

MODES = {"add", "replace", "change", "delete"}


@dataclass
class Selection:
    """The specs of one schema, by kind and ident, with the schemaSpec's settings."""

    ident: str
    start: list[str]
    prefix: str
    default_exceptions: list[str]
    exceptions_nsmap: dict[str | None, str]
    specs: dict[str, dict[str, etree._Element]]
    deleted: dict[str, set[str]]
    schema_spec: etree._Element
    constraints: list[etree._Element] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def elements(self) -> dict[str, etree._Element]:
        return self.specs["elementSpec"]

    @property
    def classes(self) -> dict[str, etree._Element]:
        return self.specs["classSpec"]


def select(schema_spec: etree._Element, p5: P5Source, loc: Locator) -> Selection:
    """Resolve moduleRef/elementRef/specGrpRef and apply every spec's mode, as odd2odd does."""
    ids = {el.get(f"{{{XML_NS}}}id"): el for el in schema_spec.getroottree().iter(T + "specGrp")}
    specs: dict[str, dict[str, etree._Element]] = {kind: {} for kind in SPEC_KINDS}
    deleted: dict[str, set[str]] = {kind: set() for kind in SPEC_KINDS}
    changes: list[etree._Element] = []
    constraints: list[etree._Element] = []
    warnings: list[Diagnostic] = []

    def include(container: etree._Element, seen: tuple[str, ...]) -> None:
        for child in container:
            name = local(child)
            if name == "moduleRef":
                add_module(child)
            elif name == "elementRef":
                key = child.get("key", "")
                spec = p5.specs["elementSpec"].get(key)
                if spec is None:
                    raise loc.error("TE603", f'elementRef to "{key}", which the TEI source does not define', child)
                specs["elementSpec"][key] = spec
            elif name in ("classRef", "macroRef", "dataRef"):
                add_single(child, {"classRef": "classSpec", "macroRef": "macroSpec", "dataRef": "dataSpec"}[name])
            elif name == "specGrpRef":
                target = (child.get("target") or "").lstrip("#")
                group = ids.get(target)
                if group is None:
                    # The TEI's own processor skips such a reference; so do we, with a warning.
                    warnings.append(loc.at("TE611", f'specGrpRef to "#{target}", which this ODD does not hold', child))
                    continue
                if target in seen:
                    raise loc.error("TE603", f'specGrp "#{target}" refers to itself', child)
                include(group, (*seen, target))
            elif name == "specGrp":
                include(child, seen)
            elif name == "constraintSpec":
                constraints.append(child)
            elif name in SPEC_KINDS:
                mode = child.get("mode", "add")
                if mode not in MODES:
                    raise loc.error("TE604", f'{name} "{child.get("ident")}" has mode "{mode}"; '
                                    "expected add, replace, change or delete", child)
                changes.append(child)

    def add_single(ref: etree._Element, kind: str) -> None:
        """A class, macro or datatype brought in by itself, a class perhaps with some of its attributes."""
        key = ref.get("key", "")
        spec = p5.specs[kind].get(key)
        if spec is None:
            raise loc.error("TE603", f'{local(ref)} to "{key}", which the TEI source does not define', ref)
        wanted = set(tokens(ref.get("include")))
        unwanted = set(tokens(ref.get("except"))) | set(tokens(ref.get("exclude")))
        if kind == "classSpec" and (wanted or unwanted):
            spec = copy.deepcopy(spec)
            for attdef in list(spec.iter(T + "attDef")):
                ident = attdef.get("ident")
                if (wanted and ident not in wanted) or ident in unwanted:
                    parent = attdef.getparent()
                    assert parent is not None
                    parent.remove(attdef)
        specs[kind][key] = spec

    def add_module(ref: etree._Element) -> None:
        key = ref.get("key")
        if not key:
            if ref.get("url"):
                raise loc.error("TE610", "moduleRef/@url (an external RELAX NG schema) is not supported", ref)
            raise loc.error("TE602", "moduleRef without @key", ref)
        members = p5.modules.get(key)
        if members is None:
            raise loc.error("TE602", f'unknown module "{key}"', ref)
        wanted = set(tokens(ref.get("include")))
        unwanted = set(tokens(ref.get("except")))
        known = {s.get("ident") for s in members if local(s) == "elementSpec"}
        for name in sorted((wanted | unwanted) - known):
            warnings.append(loc.at("TE607", f'module "{key}" has no element "{name}"', ref))
        for spec in members:
            kind = local(spec)
            ident = spec.get("ident", "")
            if kind == "elementSpec" and ((wanted and ident not in wanted) or ident in unwanted):
                continue
            specs[kind][ident] = spec

    include(schema_spec, ())
    for change in changes:
        apply_change(change, specs, deleted, p5, loc, warnings)
    expire(specs, loc, warnings)
    start = tokens(schema_spec.get("start")) or [
        name for name in ("TEI", "teiCorpus") if name in specs["elementSpec"]
    ]
    exceptions = schema_spec.get("defaultExceptions")
    return Selection(
        ident=schema_spec.get("ident", "schema"),
        start=start,
        prefix=schema_spec.get("prefix", ""),
        default_exceptions=tokens(exceptions) if exceptions is not None
        else ["http://www.tei-c.org/ns/1.0", "teix:egXML"],
        exceptions_nsmap=dict(schema_spec.nsmap) if exceptions is not None
        else {"teix": "http://www.tei-c.org/ns/Examples"},
        specs=specs,
        deleted=deleted,
        schema_spec=schema_spec,
        constraints=constraints,
        warnings=warnings,
    )


def apply_change(
    custom: etree._Element,
    specs: dict[str, dict[str, etree._Element]],
    deleted: dict[str, set[str]],
    p5: P5Source,
    loc: Locator,
    warnings: list[Diagnostic],
) -> None:
    kind = local(custom)
    ident = custom.get("ident", "")
    mode = custom.get("mode", "add")
    table = specs[kind]
    if mode == "delete":
        table.pop(ident, None)
        deleted[kind].add(ident)
        return
    if mode == "change":
        original = table.get(ident)
        if original is None:
            if ident in deleted[kind] or ident not in p5.specs[kind]:
                warnings.append(loc.at("TE605", f'{kind} "{ident}" is changed but the schema does not include it', custom))
            else:
                warnings.append(loc.at("TE605", f'{kind} "{ident}" is changed but no module brings it in', custom))
            return
        table[ident] = merge_spec(original, custom)
        return
    # add, or replace: the ODD's own definition stands, in the module it names or the original's.
    spec = custom
    if not spec.get("module") and ident in p5.specs[kind]:
        spec = copy.deepcopy(custom)
        spec.set("module", p5.specs[kind][ident].get("module", ""))
    table[ident] = spec
    deleted[kind].discard(ident)


def merge_spec(original: etree._Element, custom: etree._Element) -> etree._Element:
    """A spec in change mode: the original with the customisation's parts merged in."""
    merged = copy.deepcopy(original)
    for name, value in custom.attrib.items():
        if name not in ("mode",):
            merged.set(name, value)
    for part in custom:
        name = local(part)
        if name == "attList":
            merge_attlist(merged, part)
        elif name == "classes":
            merge_classes(merged, part)
        elif name == "constraintSpec":
            merge_keyed(merged, part, "constraintSpec")
        elif name in ("content", "valList", "datatype"):
            replace_child(merged, part)
        elif name:
            # Documentation (gloss, desc, remarks, exemplum) does not change what is valid.
            continue
    return merged


def replace_child(parent: etree._Element, part: etree._Element) -> None:
    old = parent.find(part.tag)
    new = copy.deepcopy(part)
    if old is not None:
        parent.replace(old, new)
    else:
        parent.append(new)


def merge_classes(spec: etree._Element, part: etree._Element) -> None:
    # <classes> defaults to mode="replace": memberships not repeated are dropped.
    replacing = part.get("mode", "replace") == "replace"
    classes = spec.find(T + "classes")
    if classes is None or replacing:
        if classes is not None:
            spec.remove(classes)
        classes = etree.SubElement(spec, T + "classes")
        if replacing:
            for member in part:
                if local(member) == "memberOf" and member.get("mode") != "delete":
                    classes.append(copy.deepcopy(member))
            return
    for member in part:
        if local(member) != "memberOf":
            continue
        key = member.get("key")
        existing = [m for m in classes if local(m) == "memberOf" and m.get("key") == key]
        for old in existing:
            classes.remove(old)
        if member.get("mode") != "delete":
            classes.append(copy.deepcopy(member))


def merge_keyed(spec: etree._Element, part: etree._Element, name: str) -> None:
    ident = part.get("ident")
    for old in spec.findall(T + name):
        if old.get("ident") == ident:
            spec.remove(old)
    if part.get("mode") != "delete":
        spec.append(copy.deepcopy(part))


def all_attdefs(attlist: etree._Element) -> list[etree._Element]:
    return [d for d in attlist.iter(T + "attDef")]


def merge_attlist(spec: etree._Element, part: etree._Element) -> None:
    attlist = spec.find(T + "attList")
    if attlist is None:
        attlist = etree.SubElement(spec, T + "attList")
    own = {d.get("ident"): d for d in all_attdefs(attlist)}
    for ref in part.iter(T + "attRef"):
        # An attRef added in change mode joins the attList; it is resolved when attributes are
        # flattened, and where it was written is kept for a diagnostic.
        clone = copy.deepcopy(ref)
        clone.set(ORIGIN, f"{ref.sourceline or 0} {ref.getroottree().docinfo.URL or ''}")
        attlist.append(clone)
    for change in part.iter(T + "attDef"):
        ident = change.get("ident")
        mode = change.get("mode", "add")
        old = own.get(ident)
        if old is None:
            # Not defined here: an override of an inherited attribute (or a new one),
            # resolved when the attributes are flattened.
            attlist.append(copy.deepcopy(change))
            continue
        container = old.getparent()
        assert container is not None
        if mode == "delete":
            # The attribute goes, its constraints stay: the TEI's processor keeps them too.
            for kept in old.findall(T + "constraintSpec"):
                spec.append(kept)
            if old.get("mode") in ("change", "replace", "delete"):
                new = etree.Element(T + "attDef", ident=ident or "", mode="delete")
                container.replace(old, new)
            else:
                container.remove(old)
        elif mode == "change":
            container.replace(old, merge_attdef(old, change))
        else:
            new = copy.deepcopy(change)
            if old.get("mode") in ("change", "replace"):
                new.set("mode", "replace")
            elif "mode" in new.attrib:
                del new.attrib["mode"]
            container.replace(old, new)


def merge_attdef(old: etree._Element, change: etree._Element) -> etree._Element:
    """An attDef in change mode, merged into the definition it changes."""
    merged = copy.deepcopy(old)
    for name, value in change.attrib.items():
        if name != "mode":
            merged.set(name, value)
    for part in change:
        name = local(part)
        if name == "valList":
            merge_vallist(merged, part)
        elif name in ("datatype", "defaultVal"):
            replace_child(merged, part)
        elif name == "constraintSpec":
            merge_keyed(merged, part, "constraintSpec")
    return merged


def merge_vallist(attdef: etree._Element, part: etree._Element) -> None:
    mode = part.get("mode", "add")
    old = attdef.find(T + "valList")
    if mode == "delete":
        if old is not None:
            attdef.remove(old)
        return
    if old is None or mode == "replace":
        new = copy.deepcopy(part)
        new.attrib.pop("mode", None)
        if old is not None:
            attdef.replace(old, new)
        else:
            attdef.append(new)
        return
    # add or change: the items merge, the list's type follows the customisation.
    if part.get("type"):
        old.set("type", part.get("type", ""))
    items = {i.get("ident"): i for i in old.iter(T + "valItem")}
    for item in part.iter(T + "valItem"):
        ident = item.get("ident")
        existing = items.get(ident)
        if item.get("mode") == "delete":
            if existing is not None and existing.getparent() is not None:
                existing.getparent().remove(existing)  # type: ignore[union-attr]
            continue
        if existing is not None and existing.getparent() is not None:
            existing.getparent().replace(existing, copy.deepcopy(item))  # type: ignore[union-attr]
        else:
            old.append(copy.deepcopy(item))


def expire(specs: dict[str, dict[str, etree._Element]], loc: Locator, warnings: list[Diagnostic]) -> None:
    """Specs past @validUntil stay in the schema (as the TEI's own processor keeps them) with a warning."""
    today = datetime.date.today().isoformat()
    for kind in SPEC_KINDS:
        for ident, spec in specs[kind].items():
            until = spec.get("validUntil")
            if until and until < today and spec.getroottree().docinfo.URL == loc.path:
                warnings.append(loc.at("TE608", f'{kind} "{ident}" was to be removed on {until}', spec))
