"""The document's persons: names gathered from the heading, lists and speakers, with stable ids."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from anyascii import anyascii

from ..model import strip_markers

_INITIALS = re.compile(r"^(?:[A-Z]\.?\s?[A-Za-z]?\.?\s?[A-Za-z]?\.?)$")
_INITIAL_TOKEN = re.compile(r"[A-Za-z]\.?")


def slug(text: str) -> str:
    """Lower-case ASCII with hyphens: the readable part of an xml:id."""
    ascii_text = "".join(_ascii(c) for c in unicodedata.normalize("NFKD", text))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _ascii(char: str) -> str:
    """A character as ASCII: accents drop off ("á" is "a" + an accent); a letter of another
    script is transliterated ("Медведев" → "Medvedev"), so that its id stays readable."""
    if char.isascii():
        return char
    return anyascii(char) if char.isalpha() else ""


def initials_key(initials: str) -> str:
    """Letters of a set of initials; OCR's lower-case l in an initial is read as I."""
    letters = re.findall(r"[A-Za-z]", initials)
    return "".join("I" if c == "l" else c.upper() for c in letters)


@dataclass
class Person:
    """One person of the document, as the text names them."""

    surname: str  # as printed, e.g. "Khrushchev", "Mas Martin"
    forename: str = ""  # as printed, e.g. "Raul", "N.S."
    roles: list[str] = field(default_factory=list)
    speaker: bool = False
    xml_id: str = ""
    by_role: bool = False  # known only by office ("the Attorney General"): surname holds the role
    role: str = ""  # person/@role: interviewer, interviewee, moderator, chair, unidentified
    affiliations: list[str] = field(default_factory=list)  # a party a speaker's label names ("CDU/CSU")

    @property
    def initials(self) -> str:
        if not self.forename:
            return ""
        if _INITIALS.match(self.forename):
            return initials_key(self.forename)
        return "".join(w[0].upper() for w in self.forename.split())

    def make_id(self) -> str:
        first = initials_key(self.forename) if _INITIALS.match(self.forename or "x") and self.forename else self.forename
        return slug(f"{self.surname} {first}") or "person"


def _title(word: str) -> str:
    return word if not word.isupper() or len(word) < 2 else word[0] + word[1:].lower()


@dataclass
class Register:
    """Persons in order of first mention; mentions resolve to them by surname and initials."""

    persons: list[Person] = field(default_factory=list)
    # Speaker labels of the document's own forms, each resolved once to its person.
    labels: dict[str, Person] = field(default_factory=dict)

    def find(self, surname: str, forename: str = "") -> Person | None:
        key = surname.casefold()
        for person in self.persons:
            if person.surname.casefold() == key and (not forename or not person.forename or _same_forename(person.forename, forename)):
                return person
        return None

    def add_role(self, role: str) -> Person:
        """A person the text names only by office."""
        for person in self.persons:
            if person.by_role and person.surname.casefold() == role.casefold():
                return person
        person = Person(role, by_role=True)
        self.persons.append(person)
        return person

    def add(self, surname: str, forename: str = "", role: str = "", speaker: bool = False) -> Person:
        person = self.find(surname, forename)
        if person is None:
            person = Person(surname, forename)
            self.persons.append(person)
        elif forename and not person.forename:
            person.forename = forename
        if role and role not in person.roles:
            person.roles.append(role)
        person.speaker = person.speaker or speaker
        return person

    def resolve_caps(self, label: str) -> Person | None:
        """A speaker label in capitals ("RAUL CASTRO", "MAS MARTIN", "N.S. KHRUSHCHEV")."""
        initials, words = split_label(label)
        if initials:
            return self.find(_title_words(words), initials)
        parts = words.split()
        # All words a surname ("MAS MARTIN" of "Luis Mas Martin"), or forename + surname.
        whole = self.find(_title_words(words))
        if whole:
            return whole
        if len(parts) >= 2:
            return self.find(_title_words(" ".join(parts[1:])), _title(parts[0]))
        return None

    def add_caps(self, label: str, speaker: bool = False) -> Person:
        found = self.resolve_caps(label)
        if found:
            found.speaker = found.speaker or speaker
            return found
        initials, words = split_label(label)
        if initials:
            return self.add(_title_words(words), initials.strip(), speaker=speaker)
        parts = words.split()
        if len(parts) >= 2:
            return self.add(_title_words(" ".join(parts[1:])), _title(parts[0]), speaker=speaker)
        return self.add(_title_words(words), speaker=speaker)

    def assign_ids(self) -> None:
        """Give every person a readable id, unique in the document, in order of mention."""
        seen: set[str] = set()
        for person in self.persons:
            base = person.make_id()
            xml_id, n = base, 2
            while xml_id in seen:
                xml_id, n = f"{base}-{n}", n + 1
            person.xml_id = xml_id
            seen.add(xml_id)


def _is_initials(forename: str) -> bool:
    return bool(_INITIALS.match(forename))


def _same_forename(a: str, b: str) -> bool:
    """"Raul" and "R." agree, "N.S." and "N. S." agree, "Raul" and "Fidel" do not."""
    if a.casefold() == b.casefold():
        return True
    if not (_is_initials(a) or _is_initials(b)):
        return False
    ka = initials_key(a) if _is_initials(a) else "".join(w[0].upper() for w in a.split())
    kb = initials_key(b) if _is_initials(b) else "".join(w[0].upper() for w in b.split())
    return ka.startswith(kb) or kb.startswith(ka)


def _title_words(words: str) -> str:
    return " ".join(_title(w) for w in words.split())


def split_label(label: str) -> tuple[str, str]:
    """Split "N.S. KHRUSHCHEV" into ("N.S.", "KHRUSHCHEV"); no initials gives ("", label)."""
    m = re.match(r"^([A-Z]\.(?:\s?[A-Za-z]\.|\s?[A-Z](?=\s)){0,2}\s?)(.+)$", label.strip())
    if m and re.match(r"^[A-Z][A-Za-z’'-]+", m.group(2).strip()):
        return m.group(1).strip(), m.group(2).strip()
    return "", label.strip()


_INITIALS_RE = r"[A-Z]\.(?:\s?[A-Za-z]\.|\s?[A-Z](?=\s)){0,2}"
# "Khrushchev, N.S." (surname first) and "N.S. Khrushchev" (initials first).
_SURNAME_FIRST = re.compile(rf"(?P<surname>[A-Z][a-z’'-]+),?\s+(?P<initials>{_INITIALS_RE})")
_INITIALS_FIRST = re.compile(rf"(?P<initials>{_INITIALS_RE})\s?(?P<surname>[A-Z][a-z’'-]+)")
_FULL_NAME = re.compile(r"(?P<name>(?:[A-Z][a-z’'-]+ ){1,3}[A-Z][a-z’'-]+)(?:\s*\((?P<role>[^)]*)\))?")


def parse_present(text: str, register: Register) -> list[tuple[int, int, Person]]:
    """Read a list of those present; return (start, end, person) for each name found."""
    found: list[tuple[int, int, Person]] = []
    body = text.split(":", 1)[1] if text.lstrip().startswith("Present:") else text
    offset = len(text) - len(body)
    taken: list[tuple[int, int]] = []
    # A list keeps one order throughout: take the reading that finds more names.
    surname_first = list(_SURNAME_FIRST.finditer(body))
    initials_first = list(_INITIALS_FIRST.finditer(body))
    for m in surname_first if len(surname_first) >= len(initials_first) else initials_first:
        person = register.add(m.group("surname"), m.group("initials").strip(" ,"))
        found.append((offset + m.start(), offset + max(m.end("initials"), m.end("surname")), person))
        taken.append((m.start(), m.end()))
    for m in _FULL_NAME.finditer(body):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        words = m.group("name").split()
        role = " ".join(strip_markers(m.group("role") or "").split())
        person = register.find(" ".join(words[1:]), words[0]) or register.add(" ".join(words[1:]), words[0], role)
        if role and role not in person.roles:
            person.roles.append(role)
        found.append((offset + m.start(), offset + m.end("name"), person))
    return sorted(found, key=lambda t: t[0])


_CAPS_TAIL = re.compile(r"(?P<fore>[A-Z][a-z’'-]+) (?P<sur>[A-Z]{2,}(?: [A-Z]{2,})*)$")


def parse_heading(text: str, register: Register) -> list[tuple[int, int, Person]]:
    """Names in a heading: "N.S. Khrushchev with Minister of … Cuba Raul Castro, July 18, 1960"."""
    found: list[tuple[int, int, Person]] = []
    for m in re.finditer(r"(?P<initials>[A-Z]\.\s?[A-Z]\.)\s?(?P<surname>[A-Z][a-z’'-]+)", text):
        person = register.add(m.group("surname"), m.group("initials"))
        found.append((m.start(), m.end(), person))
    with_ = re.search(r"\bwith (?P<rest>[^,]+?)(?:,|$)", text)
    if with_:
        m = with_
        rest = m.group("rest").strip()
        caps = _CAPS_TAIL.search(rest)
        if caps:
            fore, sur = caps.group("fore"), _title_words(caps.group("sur"))
            start = m.start("rest") + caps.start()
            role = rest[: caps.start()].strip()
        else:
            words = rest.split()
            if len(words) < 2 or not all(w[:1].isupper() for w in words[-2:]):
                return found
            fore, sur = words[-2], words[-1]
            role = " ".join(words[:-2])
            start = m.start("rest") + rest.rfind(fore + " " + sur)
        person = register.find(sur, fore) or register.add(sur, fore)
        if role and role not in person.roles:
            person.roles.append(role)
        end = m.start("rest") + len(rest)
        found.append((start, end, person))
    return sorted(found, key=lambda t: t[0])


_TITLE = r"(?:(?P<title>Mr\.?|Mrs\.?|Ms\.?|Sir|Dr\.?|President|General|Ambassador|Senator|Minister)\s+)?"
_PRONOUNS = frozenset("He She It They We I You This That There These Those The Here Then But And".split())


def reported_speakers(text: str, verbs: frozenset[str]) -> list[tuple[str, str]]:
    """(title, surname) of everyone a text reports as speaking: "Rusk said", "_Mr. Gorton_ said"."""
    if not verbs:
        return []
    pattern = re.compile(
        r"(?<![\w.])_?" + _TITLE + r"(?P<name>(?:Mc|Mac|O’|O')?[A-Z][a-z’'-]+(?:-[A-Z][a-z’'-]+)?)_?\s+(?:\w+ly\s+)?(?P<verb>[a-z]+)\b"
    )
    found: list[tuple[str, str]] = []
    for m in pattern.finditer(text):
        name, verb = m.group("name"), m.group("verb")
        if verb not in verbs or name in _PRONOUNS or name.endswith(("ans", "ese")):
            continue  # pronouns, and peoples ("the Canadians", "the Japanese")
        words = text[: m.start()].rstrip(" _").rsplit(" ", 2)
        before = words[-1].lstrip("_") if words else ""
        titled = len(words) > 1 and re.fullmatch(_TITLE.rstrip("?") , words[-2] + " ") is not None
        if not m.group("title") and before[:1].isupper() and before[-1:].isalpha() and not titled:
            continue  # the last word of a longer name: "Prime Minister", "Soviet Union"
        # A word the text also writes after "the" is an institution or a thing, not a person
        # ("the Congress", "the Government").
        if not m.group("title") and re.search(rf"\b[Tt]he {re.escape(name)}\b", text):
            continue
        found.append((m.group("title") or "", name))
    return found


def offices_mentioned(text: str, offices: list[str]) -> list[str]:
    """The offices a text names with "the" ("the Attorney General", "THE ATTORNEY GENERAL")."""
    found = []
    for office in offices:
        # The literal is looked for first: most offices are not in most texts.
        if office not in text and office.upper() not in text:
            continue
        if re.search(rf"\b[Tt]he {re.escape(office)}\b", text) or re.search(rf"\bTHE {re.escape(office.upper())}\b", text):
            found.append(office)
    return found
