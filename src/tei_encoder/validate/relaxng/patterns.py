"""Immutable, hash-consed RELAX NG patterns and name classes.

Every pattern is built through a `Builder`, which returns the one existing object for a
pattern it has built before. Equal patterns are therefore identical objects, so the
derivative functions can memoise on object identity (Python's default hash), and a
choice can drop duplicates by identity. The smart constructors also apply the algebraic
simplifications of the derivative algorithm (notAllowed and empty absorption, flattened
and de-duplicated choices), which keeps the patterns built while validating small.

Names are "namespace local" strings (or just "local" with no namespace): the form expat
reports with a space as namespace separator, so a name from the document is used as a
memo key without conversion.
"""

from __future__ import annotations

from typing import Any

# Pattern kinds, as small ints so that the derivative functions dispatch cheaply.
EMPTY = 0
NOT_ALLOWED = 1
TEXT = 2
CHOICE = 3
GROUP = 4
INTERLEAVE = 5
ONE_OR_MORE = 6
LIST = 7
DATA = 8
VALUE = 9
ATTRIBUTE = 10
ELEMENT = 11
AFTER = 12

KIND_NAMES = (
    "empty", "notAllowed", "text", "choice", "group", "interleave", "oneOrMore",
    "list", "data", "value", "attribute", "element", "after",
)

# Name class kinds.
NC_NAME = 0
NC_ANY = 1
NC_NS = 2
NC_CHOICE = 3

XML_NS = "http://www.w3.org/XML/1998/namespace"


def make_name(ns: str, local: str) -> str:
    return f"{ns} {local}" if ns else local


def split_name(name: str) -> tuple[str, str]:
    ns, _, local = name.rpartition(" ")
    return ns, local


class NameClass:
    """name, anyName (with except), nsName (with except) or a choice of two name classes."""

    __slots__ = ("kind", "uid", "name", "ns", "a", "b")

    def __init__(self, kind: int, uid: int, name: str = "", ns: str = "", a: Any = None, b: Any = None):
        self.kind = kind
        self.uid = uid
        self.name = name  # NC_NAME: the "ns local" name
        self.ns = ns  # NC_NS: the namespace
        self.a = a  # NC_ANY/NC_NS: the except name class or None; NC_CHOICE: first
        self.b = b  # NC_CHOICE: second

    def contains(self, name: str) -> bool:
        k = self.kind
        if k == NC_NAME:
            return self.name == name
        if k == NC_CHOICE:
            return self.a.contains(name) or self.b.contains(name)
        if k == NC_ANY:
            return self.a is None or not self.a.contains(name)
        ns = name.rpartition(" ")[0]
        return ns == self.ns and (self.a is None or not self.a.contains(name))

    def names(self) -> list[str] | None:
        """The names of a finite name class; None for anyName and nsName."""
        if self.kind == NC_NAME:
            return [self.name]
        if self.kind == NC_CHOICE:
            a, b = self.a.names(), self.b.names()
            return None if a is None or b is None else a + b
        return None

    def __repr__(self) -> str:
        if self.kind == NC_NAME:
            return f"name({self.name!r})"
        if self.kind == NC_CHOICE:
            return f"{self.a!r}|{self.b!r}"
        base = "anyName" if self.kind == NC_ANY else f"nsName({self.ns!r})"
        return base + (f"-({self.a!r})" if self.a is not None else "")


class Pattern:
    """One node of the pattern graph; build it with Builder, never directly."""

    __slots__ = (
        "kind", "uid", "nullable", "a", "b", "alts", "textual", "attrs", "name", "__weakref__",
    )

    def __init__(self, kind: int, uid: int, a: Any = None, b: Any = None, alts: tuple[Pattern, ...] = ()):
        self.kind = kind
        self.uid = uid
        # a and b by kind: CHOICE: none (alts); GROUP/INTERLEAVE/AFTER: the two operands;
        # ONE_OR_MORE/LIST: a = the operand; DATA: a = Datatype, b = except pattern or None;
        # VALUE: a = Datatype, b = the value as written (its parsed form is cached in the Datatype);
        # ATTRIBUTE: a = NameClass, b = content; ELEMENT: a = NameClass, b = content (set after creation).
        self.a = a
        self.b = b
        self.alts = alts
        self.nullable = False
        self.textual = False  # holds a data, value or list that text can reach (outside elements and attributes)
        self.attrs = False  # holds an attribute outside elements
        self.name = ""  # ELEMENT: the define it came from, for messages and debugging

    def __repr__(self) -> str:
        return f"<{KIND_NAMES[self.kind]}#{self.uid}>"

    # Patterns are shared by identity; copying or comparing by value would defeat memoisation.
    def __copy__(self) -> Pattern:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Pattern:
        return self


class Builder:
    """Creates patterns and name classes, returning an existing object for an equal one."""

    def __init__(self) -> None:
        self.table: dict[tuple[Any, ...], Any] = {}
        self.count = 0
        self.empty = self._new(EMPTY)
        self.empty.nullable = True
        self.not_allowed = self._new(NOT_ALLOWED)
        self.text = self._new(TEXT)
        self.text.nullable = True
        self.elements: list[Pattern] = []

    def _new(self, kind: int, a: Any = None, b: Any = None, alts: tuple[Pattern, ...] = ()) -> Pattern:
        self.count += 1
        return Pattern(kind, self.count, a, b, alts)

    # ---------------------------------------------------------------- name classes

    def nc_name(self, name: str) -> NameClass:
        key = ("n", name)
        nc = self.table.get(key)
        if nc is None:
            self.count += 1
            nc = self.table[key] = NameClass(NC_NAME, self.count, name=name)
        return nc

    def nc_any(self, exc: NameClass | None = None) -> NameClass:
        key = ("*", exc.uid if exc else 0)
        nc = self.table.get(key)
        if nc is None:
            self.count += 1
            nc = self.table[key] = NameClass(NC_ANY, self.count, a=exc)
        return nc

    def nc_ns(self, ns: str, exc: NameClass | None = None) -> NameClass:
        key = ("ns", ns, exc.uid if exc else 0)
        nc = self.table.get(key)
        if nc is None:
            self.count += 1
            nc = self.table[key] = NameClass(NC_NS, self.count, ns=ns, a=exc)
        return nc

    def nc_choice(self, a: NameClass, b: NameClass) -> NameClass:
        if a is b:
            return a
        key = ("|", a.uid, b.uid)
        nc = self.table.get(key)
        if nc is None:
            self.count += 1
            nc = self.table[key] = NameClass(NC_CHOICE, self.count, a=a, b=b)
        return nc

    # ---------------------------------------------------------------- patterns

    def choice(self, p: Pattern, q: Pattern) -> Pattern:
        if p is q or q.kind == NOT_ALLOWED:
            return p
        if p.kind == NOT_ALLOWED:
            return q
        return self.choice_of((p, q))

    def choice_of(self, items: Any) -> Pattern:
        """The choice of any number of patterns, flattened, without notAllowed and duplicates."""
        seen: dict[int, Pattern] = {}
        for p in items:
            k = p.kind
            if k == CHOICE:
                for q in p.alts:
                    seen[q.uid] = q
            elif k != NOT_ALLOWED:
                seen[p.uid] = p
        if not seen:
            return self.not_allowed
        if len(seen) == 1:
            return next(iter(seen.values()))
        uids = tuple(sorted(seen))
        key = (CHOICE, uids)
        got = self.table.get(key)
        if got is None:
            alts = tuple(seen[u] for u in uids)
            got = self.table[key] = self._new(CHOICE, alts=alts)
            got.nullable = any(q.nullable for q in alts)
            got.textual = any(q.textual for q in alts)
            got.attrs = any(q.attrs for q in alts)
        return got

    def _binary(self, kind: int, p: Pattern, q: Pattern) -> Pattern:
        key = (kind, p.uid, q.uid)
        got = self.table.get(key)
        if got is None:
            got = self.table[key] = self._new(kind, p, q)
            if kind == AFTER:
                got.nullable = False
                got.textual = p.textual
                got.attrs = p.attrs
            else:
                got.nullable = p.nullable and q.nullable
                got.textual = p.textual or q.textual
                got.attrs = p.attrs or q.attrs
        return got

    def group(self, p: Pattern, q: Pattern) -> Pattern:
        return self._both(GROUP, p, q)

    def interleave(self, p: Pattern, q: Pattern) -> Pattern:
        return self._both(INTERLEAVE, p, q)

    def _both(self, kind: int, p: Pattern, q: Pattern) -> Pattern:
        """group or interleave: notAllowed absorbs, empty is the unit."""
        if p.kind == NOT_ALLOWED or q.kind == NOT_ALLOWED:
            return self.not_allowed
        if p.kind == EMPTY:
            return q
        if q.kind == EMPTY:
            return p
        return self._binary(kind, p, q)

    def after(self, p: Pattern, q: Pattern) -> Pattern:
        if p.kind == NOT_ALLOWED or q.kind == NOT_ALLOWED:
            return self.not_allowed
        return self._binary(AFTER, p, q)

    def one_or_more(self, p: Pattern) -> Pattern:
        k = p.kind
        if k == NOT_ALLOWED or k == EMPTY or k == ONE_OR_MORE:
            return p
        key = (ONE_OR_MORE, p.uid)
        got = self.table.get(key)
        if got is None:
            got = self.table[key] = self._new(ONE_OR_MORE, p)
            got.nullable = p.nullable
            got.textual = p.textual
            got.attrs = p.attrs
        return got

    def optional(self, p: Pattern) -> Pattern:
        return self.choice(p, self.empty)

    def zero_or_more(self, p: Pattern) -> Pattern:
        return self.choice(self.one_or_more(p), self.empty)

    def list_(self, p: Pattern) -> Pattern:
        if p.kind == NOT_ALLOWED:
            return p
        key = (LIST, p.uid)
        got = self.table.get(key)
        if got is None:
            got = self.table[key] = self._new(LIST, p)
            got.textual = True
        return got

    def data(self, datatype: Any, exc: Pattern | None = None) -> Pattern:
        if exc is not None and exc.kind == NOT_ALLOWED:
            exc = None
        key = (DATA, datatype.key, exc.uid if exc is not None else 0)
        got = self.table.get(key)
        if got is None:
            got = self.table[key] = self._new(DATA, datatype, exc)
            got.textual = True
        return got

    def value(self, datatype: Any, text: str) -> Pattern:
        key = (VALUE, datatype.key, text)
        got = self.table.get(key)
        if got is None:
            got = self.table[key] = self._new(VALUE, datatype, text)
            got.textual = True
        return got

    def attribute(self, nc: NameClass, content: Pattern) -> Pattern:
        key = (ATTRIBUTE, nc.uid, content.uid)
        got = self.table.get(key)
        if got is None:
            got = self.table[key] = self._new(ATTRIBUTE, nc, content)
            got.attrs = True
        return got

    def element(self, nc: NameClass, name: str = "") -> Pattern:
        """A new element pattern; its content (.b) is set by the caller once it is built."""
        p = self._new(ELEMENT, nc, None)
        p.name = name
        self.elements.append(p)
        return p
