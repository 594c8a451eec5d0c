"""Building the RELAX NG grammar (XML syntax) of a schema from its selected specs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TypeAlias

from lxml import etree

from .attributes import Attribute, AttributeTable, class_type, member_of
from .customise import Selection
from .names import RNG_NS, TEI_NS, XML_NS, XSD_TYPES, R, T, local, occurs, tokens

Pattern: TypeAlias = etree._Element

# RELAX NG elements that hold patterns; when everything inside one is pruned it holds <empty/>.
_CONTAINERS = {"choice", "group", "interleave", "optional", "zeroOrMore", "oneOrMore", "mixed", "list", "define", "start"}
_EXPANSIONS = {"sequence", "sequenceOptional", "sequenceOptionalRepeatable", "sequenceRepeatable"}


def rng(tag: str, *children: Pattern, **attrs: str) -> Pattern:
    el = etree.Element(R + tag, **attrs)
    for child in children:
        el.append(child)
    return el


def repeat(pattern: Pattern, low: int, high: int | None) -> list[Pattern]:
    """A pattern repeated between low and high times (high None: unbounded)."""
    if high is not None and high <= 0:
        return [rng("empty")]
    if (low, high) == (1, 1):
        return [pattern]
    if (low, high) == (0, 1):
        return [rng("optional", pattern)]
    if high is None:
        if low == 0:
            return [rng("zeroOrMore", pattern)]
        return [copy.deepcopy(pattern) for _ in range(low - 1)] + [rng("oneOrMore", pattern)]
    required = [copy.deepcopy(pattern) for _ in range(low)]
    return required + [rng("optional", copy.deepcopy(pattern)) for _ in range(high - low)]


def one(patterns: list[Pattern], wrapper: str = "group") -> Pattern:
    if not patterns:
        return rng("empty")
    if len(patterns) == 1:
        return patterns[0]
    return rng(wrapper, *patterns)


def expansion(members: list[str], how: str, ref: Callable[[str], Pattern]) -> list[Pattern]:
    """Members of a model class in sequence, as classRef/@expand asks (how is one of _EXPANSIONS)."""
    if not members:
        # No members: a sequence of none is empty, as the TEI Stylesheets have it; only
        # sequenceRepeatable, which needs at least one member, cannot match.
        return [rng("notAllowed")] if how == "sequenceRepeatable" else [rng("empty")]
    wrap = {
        "sequence": lambda p: p,
        "sequenceOptional": lambda p: rng("optional", p),
        "sequenceOptionalRepeatable": lambda p: rng("zeroOrMore", p),
        "sequenceRepeatable": lambda p: rng("oneOrMore", p),
    }[how]
    return [wrap(ref(m)) for m in members]


def balanced(patterns: list[Pattern], size: int = 8) -> list[Pattern]:
    """Patterns grouped into a shallow tree of <group>s of at most `size` members.

    A validator builds an n-ary group as a chain n deep and checks it recursively; an
    element with sixty attributes, nested a few dozen elements deep, overflows jing's stack.
    """
    while len(patterns) > size:
        patterns = [one(patterns[i:i + size]) for i in range(0, len(patterns), size)]
    return patterns


class GrammarBuilder:
    """One schema's grammar: a define per element, class, macro, datatype and class attribute."""

    def __init__(self, selection: Selection, p5_order: dict[str, int], honour_require: bool = True) -> None:
        self.sel = selection
        self.honour_require = honour_require
        self.elements = selection.specs["elementSpec"]
        self.classes = selection.specs["classSpec"]
        self.macros = selection.specs["macroSpec"]
        self.datatypes = selection.specs["dataSpec"]
        self.order = p5_order
        self.attributes = AttributeTable(self.classes)
        self.defines: dict[str, Pattern] = {}
        self.pending_expansions: set[tuple[str, str]] = set()
        self.any_count = 0
        self.members = self._members()

    def name(self, ident: str) -> str:
        return self.sel.prefix + ident

    def ref(self, ident: str) -> Pattern:
        return rng("ref", name=self.name(ident))

    # --- classes -------------------------------------------------------------------------
    def _members(self) -> dict[str, list[tuple[str, str]]]:
        """Members of each model class: ("element", ident) or ("class", ident)."""
        members: dict[str, list[tuple[str, str]]] = {
            k: [] for k, spec in self.classes.items() if class_type(spec) == "model"
        }
        ranked = sorted(self.elements, key=lambda e: self.order.get(e, len(self.order)))
        for ident in ranked:
            for key in member_of(self.elements[ident]):
                if key in members:
                    members[key].append(("element", ident))
        for ident, spec in self.classes.items():
            if class_type(spec) != "model":
                continue
            for key in member_of(spec):
                if key in members and key != ident:
                    members[key].append(("class", ident))
        return members

    def _flat_members(self, ident: str, seen: set[str] | None = None) -> list[str]:
        seen = seen if seen is not None else set()
        if ident in seen:
            return []
        seen.add(ident)
        found: list[str] = []
        for kind, member in self.members.get(ident, []):
            if kind == "element":
                found.append(member)
            else:
                found.extend(m for m in self._flat_members(member, seen) if m not in found)
        return sorted(dict.fromkeys(found), key=lambda e: self.order.get(e, len(self.order)))

    def class_define(self, ident: str) -> Pattern:
        refs = [self.ref(member) for _, member in self.members[ident]]
        return one(refs, "choice") if refs else rng("notAllowed")

    def expansion_define(self, ident: str, how: str) -> list[Pattern]:
        return expansion(self._flat_members(ident), how, self.ref)

    # --- content -------------------------------------------------------------------------
    def content(self, node: etree._Element, owner: str) -> list[Pattern] | None:
        """RELAX NG for one piece of an ODD content model; None when it refers to nothing."""
        tag = node.tag
        if not isinstance(tag, str):
            return []
        if tag.startswith(R):
            return self._rng_content(node, owner)
        if not tag.startswith(T):
            return []
        name = tag[len(T):]
        low, high = occurs(node)
        if name == "elementRef":
            key = node.get("key", "")
            return repeat(self.ref(key), low, high) if key in self.elements else None
        if name == "classRef":
            return self._class_ref(node, low, high)
        if name == "macroRef":
            key = node.get("key", "")
            return repeat(self.ref(key), low, high) if key in self.macros else None
        if name == "dataRef":
            found = self.data_ref(node)
            return [found] if found is not None else None
        if name == "textNode":
            return [rng("text")]
        if name == "empty":
            return [rng("empty")]
        if name == "anyElement":
            return repeat(self.any_element(node, owner), low, high)
        if name in ("sequence", "alternate", "interleave"):
            inner: list[Pattern] = []
            for child in node:
                found_child = self.content(child, owner)
                if found_child:
                    inner.extend(found_child)
            wrapper = {"sequence": "group", "alternate": "choice", "interleave": "interleave"}[name]
            return repeat(one(inner, wrapper), low, high)
        if name == "valList":
            return [self.values(node)]
        return []

    def _class_ref(self, node: etree._Element, low: int, high: int | None) -> list[Pattern] | None:
        key = node.get("key", "")
        spec = self.classes.get(key)
        if spec is None or class_type(spec) != "model":
            return None
        include, exclude = set(tokens(node.get("include"))), set(tokens(node.get("except")))
        expand = node.get("expand") or "alternation"
        if include or exclude:
            chosen = [m for m in self._flat_members(key) if (not include or m in include) and m not in exclude]
            if expand in _EXPANSIONS:
                return repeat(one(expansion(chosen, expand, self.ref)), low, high)
            refs = [self.ref(m) for m in chosen]
            return repeat(one(refs, "choice") if refs else rng("notAllowed"), low, high)
        if expand in _EXPANSIONS:
            self.pending_expansions.add((key, expand))
            return repeat(self.ref(f"{key}_{expand}"), low, high)
        return repeat(self.ref(key), low, high)

    def _rng_content(self, node: etree._Element, owner: str) -> list[Pattern] | None:
        name = local(node)
        if name == "ref":
            target = node.get("name", "")
            if target in self.elements or target in self.classes or target in self.macros or target in self.datatypes:
                return [self.ref(target)]
            # A class expanded by name, as P5 content in RELAX NG writes it: model.xLike_sequenceOptional.
            key, _, how = target.rpartition("_")
            spec = self.classes.get(key)
            if spec is not None and class_type(spec) == "model" and how in (_EXPANSIONS | {"alternation"}):
                if how == "alternation":
                    return [self.ref(key)]
                self.pending_expansions.add((key, how))
                return [self.ref(target)]
            return None
        if name in _CONTAINERS or name in ("element", "attribute"):
            shell = etree.Element(node.tag, dict(node.attrib))
            kept = 0
            for child in node:
                if local(child) in ("name", "anyName", "nsName") and name in ("element", "attribute"):
                    shell.append(copy.deepcopy(child))
                    continue
                found = self.content(child, owner)
                if found:
                    shell.extend(found)
                    kept += 1
            if kept == 0 and name != "attribute":
                # Everything inside was pruned: an element (like a container) must still hold a
                # pattern, and holds <empty/>; an attribute without one holds text.
                shell.append(rng("empty"))
            return [shell]
        return [copy.deepcopy(node)]

    # --- datatypes and values ------------------------------------------------------------
    def data_ref(self, node: etree._Element) -> Pattern | None:
        key = node.get("key")
        if key:
            return self.ref(key) if key in self.datatypes else None
        type_name = node.get("name")
        if not type_name:
            return rng("text")
        data = rng("data", type=type_name, datatypeLibrary=XSD_TYPES)
        restriction = node.get("restriction")
        if restriction:
            data.append(rng("param", name="pattern"))
            data[-1].text = restriction
        for facet in node:
            if local(facet) == "dataFacet":
                param = rng("param", name=facet.get("name", ""))
                param.text = facet.get("value", "")
                data.append(param)
        return data

    def value_list(self, vallist: etree._Element) -> list[Pattern]:
        values = []
        for item in vallist.iter(T + "valItem"):
            value = rng("value")
            value.text = item.get("ident", "")
            values.append(value)
        return values

    def values(self, vallist: etree._Element) -> Pattern:
        values = self.value_list(vallist)
        return one(values, "choice") if values else rng("notAllowed")

    def any_element(self, node: etree._Element, owner: str) -> Pattern:
        self.any_count += 1
        ident = f"anyElement_{owner}_{self.any_count}"
        exceptions = tokens(node.get("except")) or self.sel.default_exceptions
        nsmap = {**self.sel.exceptions_nsmap, **{k: v for k, v in node.nsmap.items() if k}}
        excluded: list[Pattern] = []
        for token in exceptions:
            if ":" in token and not token.startswith(("http:", "https:", "urn:")):
                prefix, _, localname = token.partition(":")
                uri = nsmap.get(prefix)
                if uri is not None:
                    name_el = rng("name", ns=uri)
                    name_el.text = localname
                    excluded.append(name_el)
            else:
                excluded.append(rng("nsName", ns=token))
        # The Guidelines: @require names the namespaces an element must come from. The TEI
        # Stylesheets ignore it; honour_require=False does the same.
        required = tokens(node.get("require")) if self.honour_require else []
        if required:
            # Only elements of the required namespaces, less any excepted names among them.
            allowed = []
            for uri in required:
                names = [copy.deepcopy(e) for e in excluded if local(e) == "name" and e.get("ns") == uri]
                allowed.append(rng("nsName", rng("except", *names), ns=uri) if names else rng("nsName", ns=uri))
            name_class = one(allowed, "choice")
        else:
            name_class = rng("anyName", rng("except", *excluded)) if excluded else rng("anyName")
        self.defines[ident] = rng(
            "element",
            name_class,
            rng("zeroOrMore", rng("attribute", rng("anyName"))),
            rng("zeroOrMore", rng("choice", rng("text"), rng("ref", name=ident))),
        )
        return rng("ref", name=ident)

    # --- attributes ----------------------------------------------------------------------
    def attribute_value(self, attdef: etree._Element) -> Pattern | None:
        datatype = attdef.find(T + "datatype")
        vallist = attdef.find(T + "valList")
        base: Pattern | None = None
        low: int = 1
        high: int | None = 1
        if datatype is not None:
            low, high = occurs(datatype)
            for child in datatype:
                found = self.content(child, attdef.get("ident", ""))
                if found:
                    base = one(found, "choice")
                    break
        kind = vallist.get("type", "open") if vallist is not None else None
        if vallist is not None and kind == "closed":
            item = self.values(vallist)
        elif vallist is not None and kind == "semi" and vallist.find(T + "valItem") is not None:
            item = rng("choice", *self.value_list(vallist), base if base is not None else rng("text"))
        else:
            item = base if base is not None else None
        if item is None:
            return None
        if high == 1:
            return rng("optional", item) if low == 0 else item
        return rng("list", *repeat(item, low, high))

    def attribute(self, attdef: etree._Element) -> Pattern:
        ident = attdef.get("ident", "")
        attr = rng("attribute", name=ident)
        ns = attdef.get("ns")
        if ns and ns != XML_NS:
            attr.set("ns", ns)
        value = self.attribute_value(attdef)
        if value is not None:
            attr.append(value)
        else:
            attr.append(rng("text"))
        return attr if attdef.get("usage") == "req" else rng("optional", attr)

    def attribute_define_name(self, origin: str, ident: str) -> str:
        return f"{origin}.attribute.{ident.replace(':', '')}"

    def attribute_patterns(self, table: dict[str, Attribute]) -> list[Pattern]:
        patterns: list[Pattern] = []
        groups: dict[int, Pattern] = {}
        for entry in table.values():
            if entry.origin is None:
                pattern = self.attribute(entry.node)
            else:
                pattern = self.ref(self.attribute_define_name(entry.origin, entry.ident))
            if entry.group is None:
                patterns.append(pattern)
                continue
            choice = groups.get(entry.group)
            if choice is None:
                choice = groups[entry.group] = rng("choice")
                patterns.append(choice)
            choice.append(pattern)
        return patterns

    # --- the grammar ---------------------------------------------------------------------
    def element_define(self, ident: str, spec: etree._Element) -> Pattern:
        element = rng("element", name=ident)
        ns = spec.get("ns")
        if ns is not None and ns != TEI_NS:
            element.set("ns", ns)
        model = spec.find(T + "content")
        body: list[Pattern] = []
        if model is not None:
            for child in model:
                found = self.content(child, ident)
                if found:
                    body.extend(found)
        element.extend(body or [rng("empty")])
        element.extend(balanced(self.attribute_patterns(self.attributes.of_element(spec))))
        return element

    def build(self) -> etree._Element:
        grammar = etree.Element(
            R + "grammar", nsmap={None: RNG_NS}, ns=TEI_NS, datatypeLibrary=XSD_TYPES
        )
        defines: list[tuple[str, list[Pattern]]] = []
        for ident, spec in self.datatypes.items():
            model = spec.find(T + "content")
            body: list[Pattern] = []
            if model is not None:
                for child in model:
                    body.extend(self.content(child, ident) or [])
            defines.append((ident, [one(body, "choice") if len(body) > 1 else (body[0] if body else rng("text"))]))
        for ident, spec in self.macros.items():
            model = spec.find(T + "content")
            body = []
            if model is not None:
                for child in model:
                    body.extend(self.content(child, ident) or [])
            defines.append((ident, body or [rng("empty")]))
        for ident, spec in self.classes.items():
            if class_type(spec) == "model":
                defines.append((ident, [self.class_define(ident)]))
            else:
                for entry in self.attributes.of_class(ident).values():
                    if entry.origin == ident:
                        defines.append(
                            (self.attribute_define_name(ident, entry.ident), [self.attribute(entry.node)])
                        )
        for ident, spec in self.elements.items():
            defines.append((ident, [self.element_define(ident, spec)]))
        for key, how in sorted(self.pending_expansions):
            defines.append((f"{key}_{how}", self.expansion_define(key, how)))
        for ident, patterns in defines:
            grammar.append(rng("define", *patterns, name=self.name(ident)))
        for ident, pattern in self.defines.items():
            grammar.append(rng("define", pattern, name=ident))
        starts = [self.ref(s) for s in self.sel.start if s in self.elements]
        grammar.append(rng("start", one(starts, "choice") if starts else rng("notAllowed")))
        return grammar


def build_grammar(selection: Selection, p5_order: dict[str, int], honour_require: bool = True) -> etree._Element:
    return GrammarBuilder(selection, p5_order, honour_require).build()

