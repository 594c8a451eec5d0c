"""The person an item of a participant list names ("Secretary Rusk", "John Smith, Department of State")."""

from __future__ import annotations

import re

from .persons import Person, Register

# Titles and offices before a name; what they leave is the name ("Ambassador Lodge" → Lodge).
_TITLES = frozenset(
    """Mr. Mrs. Ms. Miss Dr. Prof. Professor Sir Lord Lady Herr Frau Dr Mr Mrs Ms
    Secretary Under Assistant Deputy Ambassador General Admiral Colonel Major Captain Senator
    Congressman Governor President Vice Minister Prime Chairman Director Counselor Counsellor
    Bundeskanzler Bundesminister Staatssekretär Botschafter Ministerialdirektor Gesandter
    Legationsrat Minister Präsident""".split()
)
_LINKS = frozenset("of for für des der du de la".split())  # inside an office: "Secretary of State"
_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][\w’'-]*[^\W\d_]$")
_HONORIFICS = frozenset("Mr. Mrs. Ms. Miss Dr. Dr Mr Mrs Ms Prof. Sir Herr Frau".split())
# Where the name ends and its role begins: ", Department of State", " (interpreter)", " — USIA".
_ROLE_START = re.compile(r",|\s\(|\s[—–-]\s")


def parse_participant(text: str, register: Register) -> tuple[int, int, Person] | None:
    """(start, end, person) of the name in an item; titles and the role after it go to the person's roles."""
    body = text.rstrip(",;. ")
    cut = _ROLE_START.search(body)
    name_part = body[: cut.start()] if cut else body
    role = body[cut.end() :].strip(" ()—–-") if cut else ""
    words = name_part.split()
    if not words or (not words[0][:1].isupper() and words[0] != "the"):
        return None
    k = 0
    while k < len(words) - 1 and (words[k] in _TITLES or words[k].lower() == "the"):
        k += 1
    if k and any(w in _LINKS for w in words[k:-1]):
        # "Secretary of State Dean Rusk": an office of several words; the name is the last two
        # words (three with a middle initial).
        size = 3 if len(words) >= 3 and re.fullmatch(r"[A-Z]\.", words[-2]) else 2
        k = max(k, len(words) - size)
    if words[-1] in _TITLES:
        person = register.add_role(name_part)  # "The President": known by office only
        return 0, len(name_part), person
    title = " ".join(w for w in words[:k] if w not in _HONORIFICS and w.lower() != "the")
    start = len(" ".join(words[:k])) + (1 if k else 0)
    surname, forename = words[-1], " ".join(words[k:-1])
    if not _NAME_WORD.match(surname) or not all(w[:1].isalpha() for w in words[k:]):
        return None  # "June 9, 1961", "24 delegates": no person's name
    roles = [r for r in (title, role) if r]
    person = register.add(surname, forename)
    for r in roles:
        if r not in person.roles:
            person.roles.append(r)
    return start, len(name_part), person
