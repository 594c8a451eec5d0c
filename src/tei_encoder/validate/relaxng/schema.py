"""Reading a RELAX NG schema (XML syntax) into the pattern graph of patterns.py.

The simplification of the specification (section 4) is done while translating, as far as
validation needs it:

- files are parsed by lxml without DTDs, entities or network access; `include` and
  `externalRef` are resolved relative to the file that names them (an include's own
  definitions replace the included grammar's ones of the same name, and its `start` the
  included `start`);
- `ns` is inherited, and added to an included or referenced file's root when it has none;
  `datatypeLibrary` is inherited within a file; `value` without a type is a built-in token;
- elements and attributes outside the RELAX NG namespace (documentation, embedded
  Schematron) and foreign attributes are ignored;
- `define`s are combined by `combine="choice"` or `"interleave"`, per grammar; `grammar`
  opens a new scope and `parentRef` looks a name up in the enclosing one; `div` is flattened;
- `optional`, `zeroOrMore`, `mixed`, several children of a pattern, `attribute` without
  content, the `name` attribute and QNames are expanded to the core patterns;
- `notAllowed` and `empty` propagate through the builder's constructors.

A reference to a definition that is not an element is expanded where it occurs (the graph
shares the expansion, so this costs nothing); each `element` becomes one node whose content
is translated afterwards, which is what breaks recursion. References that loop without
passing through an element are reported, as the specification requires.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .datatypes import BUILTIN_LIBRARY, DatatypeError, Library
from .patterns import (
    ATTRIBUTE,
    CHOICE,
    DATA,
    GROUP,
    INTERLEAVE,
    ONE_OR_MORE,
    XML_NS,
    Builder,
    NameClass,
    Pattern,
    make_name,
)

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = "{" + RNG_NS + "}"


class RngSyntaxError(Exception):
    """The schema cannot be used: carries the file, line and a message."""

    def __init__(self, message: str, file: str = "-", line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line


@dataclass
class Scope:
    """The definitions and start of one grammar element."""

    parent: Scope | None
    defines: dict[str, list[tuple[str | None, etree._Element, Ctx]]] = field(default_factory=dict)
    starts: list[tuple[str | None, etree._Element, Ctx]] = field(default_factory=list)
    done: dict[str, Pattern] = field(default_factory=dict)
    busy: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Ctx:
    """What a pattern element inherits: ns, datatypeLibrary, its grammar and its file."""

    ns: str
    library: str
    scope: Scope | None
    file: str


@dataclass
class Grammar:
    """A schema ready for validation."""

    builder: Builder
    start: Pattern
    library: Library
    # element name -> the element patterns with that name (for validating the content of an
    # element that is not allowed where it occurs)
    by_name: dict[str, list[Pattern]]
    # (element name, attribute name) -> "ID", "IDREF" or "IDREFS", as in the DTD compatibility
    # of RELAX NG: only where the schema gives that attribute of that element such a type
    id_types: dict[tuple[str, str], str]


class SchemaReader:
    def __init__(self) -> None:
        self.b = Builder()
        self.library = Library()
        self.pending: list[tuple[Pattern, list[etree._Element], Ctx]] = []
        self.open_files: list[str] = []
        self.files: list[str] = []

    # ---------------------------------------------------------------- files

    def load(self, path: str) -> etree._Element:
        path = os.path.abspath(path)
        if path in self.open_files:
            raise RngSyntaxError("the schema includes itself", path)
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True, remove_pis=True
        )
        try:
            root = etree.parse(path, parser).getroot()
        except OSError as e:
            raise RngSyntaxError(f"cannot read the schema: {e}", path) from e
        except etree.XMLSyntaxError as e:
            raise RngSyntaxError(f"the schema is not well-formed XML: {e.msg}", path, e.lineno) from e
        if root.tag[:len(_R)] != _R:
            raise RngSyntaxError(f"the root element is not a RELAX NG pattern: {root.tag}", path, root.sourceline)
        self.files.append(path)
        return root

    def read(self, path: str) -> Grammar:
        root = self.load(path)
        ctx = Ctx("", "", None, os.path.abspath(path))
        start = self.pattern(root, ctx)
        while self.pending:
            element, children, ectx = self.pending.pop()
            element.b = self.group_of(children, ectx, element_content=True)
        return Grammar(self.b, start, self.library, self._index(), self._id_types())

    # ---------------------------------------------------------------- helpers

    def err(self, message: str, el: etree._Element, ctx: Ctx) -> RngSyntaxError:
        return RngSyntaxError(message, ctx.file, el.sourceline)

    @staticmethod
    def children(el: etree._Element) -> Iterator[etree._Element]:
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag.startswith(_R):
                yield child

    @staticmethod
    def local(el: etree._Element) -> str:
        return el.tag[len(_R):]

    def inherit(self, el: etree._Element, ctx: Ctx) -> Ctx:
        ns = el.get("ns")
        lib = el.get("datatypeLibrary")
        if ns is None and lib is None:
            return ctx
        return Ctx(ctx.ns if ns is None else ns, ctx.library if lib is None else lib, ctx.scope, ctx.file)

    def qname(self, text: str, el: etree._Element, ctx: Ctx, default_ns: str) -> str:
        text = text.strip()
        if ":" in text:
            prefix, local = text.split(":", 1)
            if prefix == "xml":
                ns = XML_NS
            else:
                ns = el.nsmap.get(prefix)
                if ns is None:
                    raise self.err(f'undeclared namespace prefix "{prefix}" in "{text}"', el, ctx)
            return make_name(ns, local)
        return make_name(default_ns, text)

    # ---------------------------------------------------------------- patterns

    def group_of(self, els: list[etree._Element], ctx: Ctx, element_content: bool = False) -> Pattern:
        result = self.b.empty
        for el in els:
            result = self.b.group(result, self.pattern(el, ctx))
        return result

    def pattern(self, el: etree._Element, ctx: Ctx) -> Pattern:
        ctx = self.inherit(el, ctx)
        kind = self.local(el)
        b = self.b
        kids = list(self.children(el))
        if kind == "element":
            if el.get("name") is not None:
                nc = b.nc_name(self.qname(el.get("name"), el, ctx, ctx.ns))
                content = kids
            else:
                if not kids:
                    raise self.err("element without a name", el, ctx)
                nc = self.name_class(kids[0], ctx)
                content = kids[1:]
            if not content:
                raise self.err("element without content pattern", el, ctx)
            p = b.element(nc, el.get("name") or "")
            self.pending.append((p, content, ctx))
            return p
        if kind == "attribute":
            if el.get("name") is not None:
                own_ns = el.get("ns")
                nc = b.nc_name(self.qname(el.get("name"), el, ctx, own_ns if own_ns is not None else ""))
                content = kids
            else:
                if not kids:
                    raise self.err("attribute without a name", el, ctx)
                nc = self.name_class(kids[0], ctx)
                content = kids[1:]
            body = self.pattern(content[0], ctx) if content else b.text
            if len(content) > 1:
                raise self.err("attribute with more than one content pattern", el, ctx)
            return b.attribute(nc, body)
        if kind == "group":
            return self.group_of(kids, ctx)
        if kind == "choice":
            return b.choice_of([self.pattern(k, ctx) for k in kids]) if kids else self._no_children(el, ctx)
        if kind == "interleave":
            result = b.empty
            for k in kids:
                result = b.interleave(result, self.pattern(k, ctx))
            return result
        if kind == "optional":
            return b.optional(self.group_of(kids, ctx))
        if kind == "zeroOrMore":
            return b.zero_or_more(self.group_of(kids, ctx))
        if kind == "oneOrMore":
            return b.one_or_more(self.group_of(kids, ctx))
        if kind == "mixed":
            return b.interleave(self.group_of(kids, ctx), b.text)
        if kind == "list":
            return b.list_(self.group_of(kids, ctx))
        if kind == "empty":
            return b.empty
        if kind == "text":
            return b.text
        if kind == "notAllowed":
            return b.not_allowed
        if kind == "data":
            return self.data(el, kids, ctx)
        if kind == "value":
            type_ = el.get("type")
            library = ctx.library if type_ is not None else BUILTIN_LIBRARY
            try:
                dt = self.library.get(library, (type_ or "token").strip())
            except DatatypeError as e:
                raise self.err(str(e), el, ctx) from e
            return b.value(dt, el.text or "")
        if kind == "ref":
            return self.ref(el, ctx.scope, ctx)
        if kind == "parentRef":
            if ctx.scope is None or ctx.scope.parent is None:
                raise self.err("parentRef outside a nested grammar", el, ctx)
            return self.ref(el, ctx.scope.parent, ctx)
        if kind == "externalRef":
            return self.external(el, ctx)
        if kind == "grammar":
            return self.grammar(el, ctx)
        raise self.err(f'"{kind}" is not a RELAX NG pattern', el, ctx)

    def _no_children(self, el: etree._Element, ctx: Ctx) -> Pattern:
        raise self.err(f"{self.local(el)} without children", el, ctx)

    def data(self, el: etree._Element, kids: list[etree._Element], ctx: Ctx) -> Pattern:
        params: list[tuple[str, str]] = []
        exc: Pattern | None = None
        for k in kids:
            name = self.local(k)
            if name == "param":
                params.append(((k.get("name") or "").strip(), k.text or ""))
            elif name == "except":
                exc = self.b.choice_of([self.pattern(x, ctx) for x in self.children(k)])
            else:
                raise self.err(f'"{name}" is not allowed in data', k, ctx)
        try:
            dt = self.library.get(ctx.library, (el.get("type") or "").strip(), tuple(params))
        except DatatypeError as e:
            raise self.err(str(e), el, ctx) from e
        return self.b.data(dt, exc)

    def external(self, el: etree._Element, ctx: Ctx) -> Pattern:
        href = el.get("href")
        if not href:
            raise self.err("externalRef without href", el, ctx)
        target = os.path.join(os.path.dirname(ctx.file), href)
        root = self.load(target)
        self.open_files.append(os.path.abspath(target))
        try:
            ns = root.get("ns")
            sub = Ctx(ctx.ns if ns is None else ns, "", ctx.scope, os.path.abspath(target))
            return self.pattern(root, sub)
        finally:
            self.open_files.pop()

    # ---------------------------------------------------------------- name classes

    def name_class(self, el: etree._Element, ctx: Ctx) -> NameClass:
        ctx = self.inherit(el, ctx)
        kind = self.local(el)
        b = self.b
        if kind == "name":
            return b.nc_name(self.qname(el.text or "", el, ctx, ctx.ns))
        if kind in ("anyName", "nsName"):
            exc = None
            for k in self.children(el):
                if self.local(k) != "except":
                    raise self.err(f'"{self.local(k)}" is not allowed in {kind}', k, ctx)
                for x in self.children(k):
                    nc = self.name_class(x, ctx)
                    exc = nc if exc is None else b.nc_choice(exc, nc)
            return b.nc_any(exc) if kind == "anyName" else b.nc_ns(ctx.ns, exc)
        if kind == "choice":
            result = None
            for k in self.children(el):
                nc = self.name_class(k, ctx)
                result = nc if result is None else b.nc_choice(result, nc)
            if result is None:
                raise self.err("empty name class choice", el, ctx)
            return result
        raise self.err(f'"{kind}" is not a name class', el, ctx)

    # ---------------------------------------------------------------- grammars

    def grammar(self, el: etree._Element, ctx: Ctx) -> Pattern:
        scope = Scope(ctx.scope)
        inner = Ctx(ctx.ns, ctx.library, scope, ctx.file)
        self.collect(el, inner, frozenset(), False)
        if not scope.starts:
            raise self.err("grammar without start", el, ctx)
        return self.combined(scope.starts, "start", el, ctx)

    def collect(self, el: etree._Element, ctx: Ctx, skip_names: frozenset[str], skip_start: bool) -> None:
        """Gather the start and defines of a grammar (or div, or included grammar) into ctx.scope."""
        scope = ctx.scope
        assert scope is not None
        for k in self.children(el):
            kctx = self.inherit(k, ctx)
            name = self.local(k)
            if name == "start":
                if not skip_start:
                    scope.starts.append((k.get("combine"), k, kctx))
            elif name == "define":
                dname = (k.get("name") or "").strip()
                if dname not in skip_names:
                    scope.defines.setdefault(dname, []).append((k.get("combine"), k, kctx))
            elif name == "div":
                self.collect(k, kctx, skip_names, skip_start)
            elif name == "include":
                self.include(k, kctx, skip_names, skip_start)
            else:
                raise self.err(f'"{name}" is not allowed in a grammar', k, ctx)

    def include(self, el: etree._Element, ctx: Ctx, skip_names: frozenset[str], skip_start: bool) -> None:
        href = el.get("href")
        if not href:
            raise self.err("include without href", el, ctx)
        target = os.path.abspath(os.path.join(os.path.dirname(ctx.file), href))
        root = self.load(target)
        if self.local(root) != "grammar":
            raise RngSyntaxError("an included schema must be a grammar", target, root.sourceline)
        own_names, own_start = self._components(el)
        self.open_files.append(target)
        try:
            ns = root.get("ns")
            lib = root.get("datatypeLibrary")
            sub = Ctx(ctx.ns if ns is None else ns, lib or "", ctx.scope, target)
            self.collect(root, sub, skip_names | own_names, skip_start or own_start)
        finally:
            self.open_files.pop()
        self.collect(el, ctx, skip_names, skip_start)

    def _components(self, el: etree._Element) -> tuple[frozenset[str], bool]:
        names: set[str] = set()
        start = False
        for k in self.children(el):
            name = self.local(k)
            if name == "start":
                start = True
            elif name == "define":
                names.add((k.get("name") or "").strip())
            elif name == "div":
                more, s = self._components(k)
                names |= more
                start = start or s
        return frozenset(names), start

    def ref(self, el: etree._Element, scope: Scope | None, ctx: Ctx) -> Pattern:
        name = (el.get("name") or "").strip()
        if scope is None:
            raise self.err(f'reference to "{name}" outside a grammar', el, ctx)
        got = scope.done.get(name)
        if got is not None:
            return got
        parts = scope.defines.get(name)
        if not parts:
            raise self.err(f'reference to undefined pattern "{name}"', el, ctx)
        if name in scope.busy:
            raise self.err(f'pattern "{name}" refers to itself without an element in between', el, ctx)
        scope.busy.add(name)
        try:
            got = scope.done[name] = self.combined(parts, name, el, ctx)
        finally:
            scope.busy.discard(name)
        return got

    def combined(self, parts: list[tuple[str | None, etree._Element, Ctx]], name: str, el: etree._Element, ctx: Ctx) -> Pattern:
        combines = {c.strip() for c, _, _ in parts if c is not None}
        plain = sum(1 for c, _, _ in parts if c is None)
        if plain > 1:
            raise self.err(f'"{name}" is defined more than once without a combine attribute', parts[1][1], parts[1][2])
        if len(combines) > 1 or not combines <= {"choice", "interleave"}:
            raise self.err(f'"{name}" is combined in different or unknown ways: {", ".join(sorted(combines))}', el, ctx)
        translated = [self.group_of(list(self.children(d)), dctx) for _, d, dctx in parts]
        if len(translated) == 1:
            return translated[0]
        if combines == {"interleave"}:
            result = self.b.empty
            for p in translated:
                result = self.b.interleave(result, p)
            return result
        return self.b.choice_of(translated)

    # ---------------------------------------------------------------- indexes

    def _index(self) -> dict[str, list[Pattern]]:
        by_name: dict[str, list[Pattern]] = {}
        for e in self.b.elements:
            for n in e.a.names() or ():
                by_name.setdefault(n, []).append(e)
        return by_name

    def _id_types(self) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], str] = {}
        for e in self.b.elements:
            names = e.a.names()
            if not names:
                continue
            for att in _attributes(e.b):
                content = att.b
                if content.kind != DATA or content.a.idtype is None:
                    continue
                for an in att.a.names() or ():
                    for en in names:
                        found[en, an] = content.a.idtype
        return found


def _attributes(p: Pattern) -> Iterator[Pattern]:
    """The attribute patterns of an element's content (not those of nested elements)."""
    seen: set[int] = set()
    todo = [p]
    while todo:
        q = todo.pop()
        if q.uid in seen or not q.attrs:
            continue
        seen.add(q.uid)
        k = q.kind
        if k == ATTRIBUTE:
            yield q
        elif k == CHOICE:
            todo.extend(q.alts)
        elif k in (GROUP, INTERLEAVE):
            todo.append(q.a)
            todo.append(q.b)
        elif k == ONE_OR_MORE:
            todo.append(q.a)


def read_schema(path: Path | str) -> Grammar:
    return SchemaReader().read(str(path))

