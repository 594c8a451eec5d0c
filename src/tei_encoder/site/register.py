"""The persons register: every participant of every edition, with links to their turns and mentions."""

from __future__ import annotations

from dataclasses import dataclass, field

from .facts import Facts
from .render import Mention


@dataclass
class RegisterEdition:
    """One person's turns and mentions in one edition."""

    ident: str
    title: str
    turns: list[Mention] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class RegisterEntry:
    """A person as the register shows them; editions give ids that are the same person's slug."""

    ident: str
    name: str
    occupations: list[str] = field(default_factory=list)
    editions: list[RegisterEdition] = field(default_factory=list)


def build_register(editions: list[tuple[Facts, list[Mention]]]) -> list[RegisterEntry]:
    """Entries in alphabetical order; an id used in several editions is one entry (ids are name slugs)."""
    entries: dict[str, RegisterEntry] = {}
    for facts, mentions in editions:
        for person in facts.persons:
            entry = entries.setdefault(person.ident, RegisterEntry(person.ident, person.name))
            if person.occupation and person.occupation not in entry.occupations:
                entry.occupations.append(person.occupation)
        here: dict[str, RegisterEdition] = {}
        for mention in mentions:
            if mention.person not in entries:  # a reference to no listed person: still findable
                entries[mention.person] = RegisterEntry(mention.person, mention.context or mention.person)
            item = here.get(mention.person)
            if item is None:
                item = here[mention.person] = RegisterEdition(facts.ident, facts.title)
                entries[mention.person].editions.append(item)
            (item.turns if mention.kind == "turn" else item.mentions).append(mention)
    return sorted(entries.values(), key=lambda e: (_surname_first(e.name).casefold(), e.ident))


def _surname_first(name: str) -> str:
    parts = name.split()
    return " ".join(parts[-1:] + parts[:-1])
