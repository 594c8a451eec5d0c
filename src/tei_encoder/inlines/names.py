"""Names of the document's persons in running text, or at ranges already read → persName/@ref."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import FORME_WORK, FW_OPEN, Inline, Node, Span
from ..transforms.persons import Person, Register

_CAP_WORD = re.compile(r"[A-Z][\w’'-]*$")


@dataclass(frozen=True)
class NameIndex:
    """One pattern for all written forms, and the id each form stands for."""

    pattern: re.Pattern[str]
    ids: dict[str, str]


def name_pattern(register: Register) -> NameIndex | None:
    """One pattern for every written form of every person, longest forms first."""
    forms: dict[str, str] = {}
    surnames: dict[str, int] = {}
    for person in register.persons:
        surnames[person.surname] = surnames.get(person.surname, 0) + 1
    for person in register.persons:
        sur = person.surname
        fore = person.forename
        if fore:
            forms[f"{fore} {sur}"] = person.xml_id
            forms[f"{fore} {sur.upper()}"] = person.xml_id
            forms[f"{fore.upper()} {sur.upper()}"] = person.xml_id
            if " " in sur:
                # "Fidel Castro" is "Fidel Castro Ruz": a double surname is often cut short.
                forms[f"{fore} {sur.split()[0]}"] = person.xml_id
            if fore[0].isupper():
                forms[f"{fore[0]}. {sur}"] = person.xml_id
            if "." in fore:
                forms[f"{fore.replace(' ', '')} {sur}"] = person.xml_id
            forms[f"{sur}, {fore}"] = person.xml_id
        if surnames[sur] == 1:
            forms[sur] = person.xml_id
    if not forms:
        return None
    alternatives = sorted(forms, key=len, reverse=True)
    # Names start with a capital: the lookahead lets the engine skip ahead quickly.
    pattern = re.compile(r"(?=[A-Z])(?:" + "|".join(re.escape(f) for f in alternatives) + r")(?!\w)")
    return NameIndex(pattern, forms)


def find_names(text: str, index: NameIndex | None) -> list[Inline]:
    """Split a text into strings and persName nodes for known persons."""
    if index is None:
        return [text]
    pattern, ids = index.pattern, index.ids
    out: list[Inline] = []
    last = 0
    for m in pattern.finditer(text):
        form = m.group()
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "._"):
            continue  # inside a word or after an initial: not this name
        if " " not in form and "," not in form:
            # A bare surname after another capitalised word belongs to someone else
            # ("Fidel Castro" is not "Raul Castro"), unless that word is a title.
            before = text[: m.start()].rstrip().rsplit(" ", 1)[-1]
            if m.start() and text[m.start() - 1] == " " and _CAP_WORD.match(before) and before not in _TITLES and before not in _FUNCTION_WORDS:
                continue
        if m.start() > last:
            out.append(text[last : m.start()])
        out.append(Node("persName", {"ref": "#" + ids[form]}, [form]))
        last = m.end()
    if last < len(text):
        out.append(text[last:])
    return out


# Capitalised only because they open a sentence or a line: no part of a name.
_FUNCTION_WORDS = frozenset("For From To With And By Of In On At As But If When Then Also After Before".split())
# Capitalised only because they open a sentence or a line: no part of a name.
_FUNCTION_WORDS = frozenset("For From To With And By Of In On At As But If When Then Also After Before".split())
_TITLES = frozenset({"President", "Comrade", "Minister", "Ambassador", "Chairman", "Mr.", "Mrs.", "Dr.", "General", "Premier", "The"})


def around_persons(span: Span, persons: Sequence[tuple[int, int, Person]], parse: Callable[[Span], list[Inline]]) -> list[Inline]:
    """The (start, end, person) ranges of a span as persName (none in forme work), the text around them parsed."""
    items: list[Inline] = []
    last = 0
    forme = [m.span() for m in FORME_WORK.finditer(span.text)] if FW_OPEN in span.text else []
    for start, end, person in persons:
        if start < last or any(a < end and start < b for a, b in forme):
            continue
        items.extend(parse(span.slice(last, start)))
        items.append(Node("persName", {"ref": "#" + person.xml_id}, [span.text[start:end]]))
        last = end
    items.extend(parse(span.slice(last)))
    return items
