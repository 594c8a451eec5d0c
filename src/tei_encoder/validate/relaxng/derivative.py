"""The derivative algorithm of James Clark, "An algorithm for RELAX NG validation".

Validation walks the document and replaces the current pattern by its derivative with
respect to each event: a start tag opening (`start_tag_open`), each attribute (`attribute`),
the end of the attributes (`start_tag_close`), text (`text`) and an end tag (`end_tag`).
An `after(p, q)` pattern stands for "the content p of the open element, then q": the stack
of open elements lives in the pattern itself, so ambiguous content models need no
backtracking. Every function is memoised on the (identity of the) pattern and its other
arguments, so a state met again, in this or a later document, costs a dictionary look-up.

Two refinements keep the memo tables useful:

- attribute values: the derivative with respect to an attribute depends on the value only
  through which of the attribute patterns with that name accept it, so the value is first
  matched against those patterns' content (`attribute_contents`, `value_matches`, memoised
  on the value) and the derivative is memoised on the set that matched;
- text: a pattern that holds no data, value or list reachable by text gives the same
  derivative for any text, so it is memoised on the pattern alone.

For error recovery the module also offers `force_close` (missing attributes taken as
given), `force_end` (missing content taken as given) and the names expected at a point.
"""

from __future__ import annotations

from collections.abc import Callable

from .patterns import (
    AFTER,
    ATTRIBUTE,
    CHOICE,
    DATA,
    ELEMENT,
    EMPTY,
    GROUP,
    INTERLEAVE,
    LIST,
    NOT_ALLOWED,
    ONE_OR_MORE,
    TEXT,
    VALUE,
    Builder,
    NameClass,
    Pattern,
)

_WHITESPACE = frozenset(" \t\r\n")
_MEMO_LIMIT = 200_000  # entries of the value-keyed tables kept before they are cleared


def is_whitespace(text: str) -> bool:
    return not text.strip(" \t\r\n")


class Deriver:
    """Derivatives of the patterns of one Builder, with their memo tables."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.na = builder.not_allowed
        self.empty = builder.empty
        self._open: dict[tuple[Pattern, str], Pattern] = {}
        self._att: dict[tuple[Pattern, str, frozenset[Pattern]], Pattern] = {}
        self._att_contents: dict[tuple[Pattern, str], tuple[Pattern, ...]] = {}
        self._close: dict[Pattern, Pattern] = {}
        self._force_close: dict[Pattern, Pattern] = {}
        self._text: dict[Pattern, Pattern] = {}
        self._text_value: dict[tuple[Pattern, str], Pattern] = {}
        self._end: dict[Pattern, Pattern] = {}
        self._force_end: dict[Pattern, Pattern] = {}
        self._matches: dict[tuple[Pattern, str], bool] = {}
        self._blank: dict[Pattern, Pattern] = {}
        # (pattern, attribute name, value) -> derivative, for values that matched: most values recur
        self.att_quick: dict[tuple[Pattern, str, str], Pattern] = {}
        self.singletons: dict[Pattern, frozenset[Pattern]] = {}

    # ---------------------------------------------------------------- helpers

    def apply_after(self, f: Callable[[Pattern], Pattern], p: Pattern) -> Pattern:
        """Apply f to the second operand of every after in p (a choice of afters)."""
        k = p.kind
        if k == AFTER:
            return self.b.after(p.a, f(p.b))
        if k == CHOICE:
            return self.b.choice_of([self.apply_after(f, q) for q in p.alts])
        return self.na

    # ---------------------------------------------------------------- start tags

    def start_tag_open(self, p: Pattern, name: str) -> Pattern:
        key = (p, name)
        got = self._open.get(key)
        if got is not None:
            return got
        b = self.b
        k = p.kind
        if k == CHOICE:
            got = b.choice_of([self.start_tag_open(q, name) for q in p.alts])
        elif k == ELEMENT:
            got = b.after(p.b, self.empty) if p.a.contains(name) else self.na
        elif k == GROUP:
            p1, p2 = p.a, p.b
            got = self.apply_after(lambda q: b.group(q, p2), self.start_tag_open(p1, name))
            if p1.nullable:
                got = b.choice(got, self.start_tag_open(p2, name))
        elif k == INTERLEAVE:
            p1, p2 = p.a, p.b
            got = b.choice(
                self.apply_after(lambda q: b.interleave(q, p2), self.start_tag_open(p1, name)),
                self.apply_after(lambda q: b.interleave(p1, q), self.start_tag_open(p2, name)),
            )
        elif k == ONE_OR_MORE:
            rest = b.optional(p)
            got = self.apply_after(lambda q: b.group(q, rest), self.start_tag_open(p.a, name))
        elif k == AFTER:
            p2 = p.b
            got = self.apply_after(lambda q: b.after(q, p2), self.start_tag_open(p.a, name))
        else:
            got = self.na
        self._open[key] = got
        return got

    # ---------------------------------------------------------------- attributes

    def attribute_contents(self, p: Pattern, name: str) -> tuple[Pattern, ...]:
        """The content patterns of the attribute patterns in p that the name could match."""
        key = (p, name)
        got = self._att_contents.get(key)
        if got is not None:
            return got
        found: dict[int, Pattern] = {}
        seen: set[int] = set()
        todo = [p]
        while todo:
            q = todo.pop()
            if not q.attrs or q.uid in seen:
                continue
            seen.add(q.uid)
            k = q.kind
            if k == ATTRIBUTE:
                if q.a.contains(name):
                    found[q.b.uid] = q.b
            elif k == CHOICE:
                todo.extend(q.alts)
            elif k == GROUP or k == INTERLEAVE:
                todo.append(q.a)
                todo.append(q.b)
            elif k == ONE_OR_MORE or k == AFTER:
                todo.append(q.a)
        got = self._att_contents[key] = tuple(found.values())
        return got

    def value_matches(self, p: Pattern, value: str) -> bool:
        """Whether an attribute value (or a list token) matches the pattern p."""
        key = (p, value)
        got = self._matches.get(key)
        if got is None:
            got = (p.nullable and is_whitespace(value)) or self.text(p, value).nullable
            if len(self._matches) > _MEMO_LIMIT:
                self._matches.clear()
            self._matches[key] = got
        return got

    def attribute(self, p: Pattern, name: str, accepted: frozenset[Pattern]) -> Pattern:
        """The derivative by an attribute, given the attribute contents that accept its value."""
        if not p.attrs:
            return self.na
        key = (p, name, accepted)
        got = self._att.get(key)
        if got is not None:
            return got
        b = self.b
        k = p.kind
        if k == ATTRIBUTE:
            got = self.empty if p.b in accepted and p.a.contains(name) else self.na
        elif k == CHOICE:
            got = b.choice_of([self.attribute(q, name, accepted) for q in p.alts])
        elif k == GROUP:
            got = b.choice(
                b.group(self.attribute(p.a, name, accepted), p.b),
                b.group(p.a, self.attribute(p.b, name, accepted)),
            )
        elif k == INTERLEAVE:
            got = b.choice(
                b.interleave(self.attribute(p.a, name, accepted), p.b),
                b.interleave(p.a, self.attribute(p.b, name, accepted)),
            )
        elif k == ONE_OR_MORE:
            got = b.group(self.attribute(p.a, name, accepted), b.optional(p))
        elif k == AFTER:
            got = b.after(self.attribute(p.a, name, accepted), p.b)
        else:
            got = self.na
        self._att[key] = got
        return got

    def start_tag_close(self, p: Pattern) -> Pattern:
        """The derivative at the end of the attributes: attributes not given are not allowed."""
        return self._closing(p, self._close, self.na)

    def force_close(self, p: Pattern) -> Pattern:
        """As start_tag_close, but taking missing attributes as given (for error recovery)."""
        return self._closing(p, self._force_close, self.empty)

    def _closing(self, p: Pattern, memo: dict[Pattern, Pattern], missing: Pattern) -> Pattern:
        if not p.attrs:
            return p
        got = memo.get(p)
        if got is not None:
            return got
        b = self.b
        k = p.kind
        if k == ATTRIBUTE:
            got = missing
        elif k == CHOICE:
            got = b.choice_of([self._closing(q, memo, missing) for q in p.alts])
        elif k == GROUP:
            got = b.group(self._closing(p.a, memo, missing), self._closing(p.b, memo, missing))
        elif k == INTERLEAVE:
            got = b.interleave(self._closing(p.a, memo, missing), self._closing(p.b, memo, missing))
        elif k == ONE_OR_MORE:
            got = b.one_or_more(self._closing(p.a, memo, missing))
        elif k == AFTER:
            got = b.after(self._closing(p.a, memo, missing), p.b)
        else:
            got = p
        memo[p] = got
        return got

    # ---------------------------------------------------------------- text

    def text(self, p: Pattern, s: str) -> Pattern:
        if p.textual:
            key = (p, s)
            got = self._text_value.get(key)
            if got is not None:
                return got
        else:
            got = self._text.get(p)
            if got is not None:
                return got
        b = self.b
        k = p.kind
        if k == CHOICE:
            got = b.choice_of([self.text(q, s) for q in p.alts])
        elif k == TEXT:
            got = p
        elif k == AFTER:
            got = b.after(self.text(p.a, s), p.b)
        elif k == GROUP:
            got = b.group(self.text(p.a, s), p.b)
            if p.a.nullable:
                got = b.choice(got, self.text(p.b, s))
        elif k == INTERLEAVE:
            got = b.choice(b.interleave(self.text(p.a, s), p.b), b.interleave(p.a, self.text(p.b, s)))
        elif k == ONE_OR_MORE:
            got = b.group(self.text(p.a, s), b.optional(p))
        elif k == VALUE:
            got = self.empty if p.a.equal(p.b, s) else self.na
        elif k == DATA:
            ok = p.a.allows(s) and (p.b is None or not self.value_matches(p.b, s))
            got = self.empty if ok else self.na
        elif k == LIST:
            got = self.empty if self._list(p.a, s.split()).nullable else self.na
        else:
            got = self.na
        if p.textual:
            if len(self._text_value) > _MEMO_LIMIT:
                self._text_value.clear()
            self._text_value[(p, s)] = got
        else:
            self._text[p] = got
        return got

    def blank(self, p: Pattern, text: str) -> Pattern:
        """The derivative by the whitespace-only (or empty) content of an element without children:
        it may match the pattern as text, or be ignored."""
        got = self.b.choice(p, self.text(p, text))
        if not p.textual:
            self._blank[p] = got
        return got

    def _list(self, p: Pattern, tokens: list[str]) -> Pattern:
        for token in tokens:
            p = self.text(p, token)
            if p is self.na:
                break
        return p

    # ---------------------------------------------------------------- end tags

    def end_tag(self, p: Pattern) -> Pattern:
        got = self._end.get(p)
        if got is not None:
            return got
        k = p.kind
        if k == CHOICE:
            got = self.b.choice_of([self.end_tag(q) for q in p.alts])
        elif k == AFTER:
            got = p.b if p.a.nullable else self.na
        else:
            got = self.na
        self._end[p] = got
        return got

    def force_end(self, p: Pattern) -> Pattern:
        """The patterns after the current element, whether or not its content is complete."""
        got = self._force_end.get(p)
        if got is not None:
            return got
        k = p.kind
        if k == CHOICE:
            got = self.b.choice_of([self.force_end(q) for q in p.alts])
        elif k == AFTER:
            got = p.b
        else:
            got = self.na
        self._force_end[p] = got
        return got

    # ---------------------------------------------------------------- what is expected (for messages)

    def expected_elements(self, p: Pattern) -> list[NameClass]:
        """Name classes of the elements that could come next in the current element."""
        return list({q.a.uid: q.a for q in self.reachable(p, (ELEMENT,))}.values())

    def expected_attributes(self, p: Pattern) -> list[NameClass]:
        return list({q.a.uid: q.a for q in self.reachable(p, (ATTRIBUTE,))}.values())

    def reachable(self, p: Pattern, kinds: tuple[int, ...]) -> list[Pattern]:
        """Patterns of the given kinds that could match next in p (for messages)."""
        found: dict[int, Pattern] = {}
        seen: set[int] = set()
        todo = [p]
        while todo:
            q = todo.pop()
            if q.uid in seen:
                continue
            seen.add(q.uid)
            k = q.kind
            if k in kinds:
                found[q.uid] = q
            elif k == CHOICE:
                todo.extend(q.alts)
            elif k == GROUP:
                todo.append(q.a)
                # Attributes are unordered: those of a group's second half are expected too.
                if q.a.nullable or ATTRIBUTE in kinds:
                    todo.append(q.b)
            elif k == INTERLEAVE:
                todo.append(q.a)
                todo.append(q.b)
            elif k == ONE_OR_MORE or k == AFTER:
                todo.append(q.a)
        return list(found.values())

    def required_attributes(self, p: Pattern) -> list[NameClass]:
        """Attributes every way through p needs (for "missing required attribute")."""
        got = self._required(p)
        return list(got.values())

    def _required(self, p: Pattern) -> dict[int, NameClass]:
        if not p.attrs:
            return {}
        k = p.kind
        if k == ATTRIBUTE:
            return {p.a.uid: p.a}
        if k == CHOICE:
            sets = [self._required(q) for q in p.alts]
            common = set(sets[0]).intersection(*sets[1:]) if sets else set()
            return {u: sets[0][u] for u in common}
        if k in (GROUP, INTERLEAVE):
            return {**self._required(p.a), **self._required(p.b)}
        if k == ONE_OR_MORE or k == AFTER:
            return self._required(p.a)
        return {}

    def accepts_text(self, p: Pattern) -> bool:
        """Whether some non-whitespace text could come next."""
        return self.text(p, "\x00text").kind != NOT_ALLOWED

    def content_kinds(self, p: Pattern) -> set[int]:
        """Kinds of leaves that could come next (TEXT, DATA, VALUE, LIST, ELEMENT)."""
        kinds: set[int] = set()
        seen: set[int] = set()
        todo = [p]
        while todo:
            q = todo.pop()
            if q.uid in seen:
                continue
            seen.add(q.uid)
            k = q.kind
            if k in (TEXT, DATA, VALUE, LIST, ELEMENT, EMPTY):
                kinds.add(k)
            elif k == CHOICE:
                todo.extend(q.alts)
            elif k == GROUP:
                todo.append(q.a)
                if q.a.nullable:
                    todo.append(q.b)
            elif k == INTERLEAVE:
                todo.append(q.a)
                todo.append(q.b)
            elif k == ONE_OR_MORE or k == AFTER:
                todo.append(q.a)
        return kinds
