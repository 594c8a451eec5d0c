"""Speaker labels by form ("MS. PSAKI:", "Q.", "**Name:**", "Mr. Garrow.—"), kept only where the
whole document shows them to be speakers: labels that repeat, alternate, or are named as participants."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

# Titles and offices a label may open with; they are not the person's name.
_TITLES = frozenset(
    """mr mrs ms miss messrs dr prof sir madam mme herr frau hon rev rep sen gen col capt lt sgt gov amb abg
    the president vice chairman chairwoman chair chairperson speaker senator representative secretary
    ambassador general minister prime judge justice governor admiral colonel captain deputy
    präsident präsidentin vizepräsident vizepräsidentin bundeskanzler bundesminister staatssekretär
    presidente presidenta señor señora sr sra don doña""".split()
)
# Labels that name a role rather than a person, with the role they stand for (person/@role).
_ROLE_WORDS = {
    "q": "interviewer", "question": "interviewer", "interviewer": "interviewer", "pregunta": "interviewer",
    "frage": "interviewer", "entrevistador": "interviewer", "entrevistadora": "interviewer",
    "a": "interviewee", "answer": "interviewee", "respuesta": "interviewee", "antwort": "interviewee",
    "interviewee": "interviewee", "narrator": "interviewee", "entrevistado": "interviewee",
    "moderator": "moderator", "host": "moderator", "moderatorin": "moderator", "moderador": "moderator",
    "voice": "unidentified", "unidentified speaker": "unidentified", "unidentified voice": "unidentified",
    "unknown speaker": "unidentified", "male voice": "unidentified", "female voice": "unidentified",
    "audience member": "unidentified", "participant": "unidentified", "unidentified": "unidentified",
    "speaker": "unidentified", "question from audience": "unidentified", "reporter": "unidentified",
}
# Titles of whoever chairs a sitting: the person's role is "chair".
_CHAIR_TITLES = frozenset(
    "chairman chairwoman chair chairperson präsident präsidentin vizepräsident vizepräsidentin presidente".split()
)
# One-letter labels of an interview: question and answer (English, Spanish, German).
_QA = {"q": "question", "a": "answer", "p": "question", "r": "answer", "f": "question"}
_LINKS = frozenset("of for the and des der für".split())  # "Secretary of State Dean Rusk"
_PARTICLES = frozenset("von van der den de del la le du di da dos zu y".split())

_ABBR = r"(?i:mr|mrs|ms|messrs|dr|prof|rep|sen|gen|col|capt|lt|sgt|gov|amb|hon|rev|abg|sr|sra|st)\."
# Capitals of the Latin, Greek and Cyrillic scripts; a lower-case word of a name is a particle.
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĞĠĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŪŮŰŲŹŻŽΑ-ΩА-ЯЁ"
# Initials in any of those scripts: "J. F.", "Д.МЕДВЕДЕВ" (Kremlin transcripts).
_INIT = rf"(?:[{_UP}]\.\s?){{1,3}}(?=\S)"
_WORD = rf"(?:[{_UP}][\w’'\-]*|(?:von|van|der|den|de|del|la|le|du|di|da|dos|zu|y|señor|señora|doña|don)(?=[ \u00a0]))"
_TOKEN = rf"(?:{_ABBR}|{_INIT}|{_WORD})"
_NAME = rf"(?P<name>{_TOKEN}(?:(?:[ \u00a0]|(?<=\.)){_TOKEN}){{0,5}})"
# A time code before the label: "[00:01:02] ", "00:01:02 ", "00 00 00 02 " (hours, minutes, seconds, frames).
_TIME = r"(?P<time>\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\][ \t]*|\d{1,2}:\d{2}:\d{2}[ \t]+|\d\d \d\d \d\d \d\d[ \t]+)"
# A party, after a constituency in Hansard and the Bundestag ("(Aldershot) (Con)", "(Erfurt) (SPD)"),
# an office after a comma, or an editor's gloss on who speaks ("[главный редактор …]").
_AFFILIATION = (
    r"(?:[ \u00a0]?(?P<party>\([^()\n]{1,40}\)(?:[ \u00a0]\([^()\n]{1,40}\))?)"
    r"|,[ \u00a0](?P<office>[^\W\d_][^:,()\n]{2,60}?)|[ \u00a0](?P<gloss>\[[^\[\]\n]{2,80}\]))"
)
# French typography puts a space before the colon ("Question :"), often a no-break one.
_STOP = r"(?P<stop>\.\s?—|\.\s?–|\.--|—|[ \u00a0\u202f]?:|\.)"
_LABEL = re.compile(
    rf"{_TIME}?(?P<bold>\*\*)?{_NAME}{_AFFILIATION}?(?:(?P<b1>\*\*){_STOP}|{_STOP.replace('stop', 'stop2')}(?P<b2>\*\*)?)(?:(?=\s|$)|(?<=[—–-])(?=\S))"
)
# A time code and a short speaker code with no punctuation: "00 00 00 02 P Good morning".
_CODE = re.compile(rf"{_TIME}(?P<name>[A-Z]{{1,3}})(?=\s|$)")
_ALONE = re.compile(rf"{_NAME}$")
# A question with no punctuation after its "Q", set off by spaces (White House transcripts).
_BARE_Q = re.compile(r"Q(?:[ \t]{2,}|\t)(?=\S)")
_LONGEST = 120  # no label (with a party or an office) runs longer
_STOPS = re.compile(r"[.:—–-]")
_SENTENCE_END = re.compile(r"[.?!…\"”»)\]]\s+$")


@dataclass(frozen=True, slots=True)
class Label:
    """A speaker label found in a line: what it says and which forms it takes."""

    name: str  # the name as printed, without title punctuation around it ("MR. PRELL")
    key: str  # the same label anywhere in the document: "mr. prell"
    end: int  # where the label and its punctuation end
    forms: frozenset[str]
    party: str = ""  # "CDU/CSU"
    office: str = ""  # "Minister for Foreign Affairs"

    @property
    def alone(self) -> bool:
        return "own-line" in self.forms


_NAME_TOKEN = re.compile(rf"{_ABBR}|[{_UP}]\.|{_WORD}")
# Parts of a label's match, read once per label found (a document reads thousands of line starts).
_SPACES = re.compile(r"[\s\u202f]")
_ABBR_WHOLE = re.compile(_ABBR)
_PARENS = re.compile(r"\(([^()]*)\)")
_SENTENCE_GAP = re.compile(r"(?<=[.?!…\"”])\s+(?=\S)")

# The few names of a document's speakers recur on thousands of lines: their checks are remembered.


def _tokens(name: str) -> list[str]:
    return list(_token_tuple(name))


@lru_cache(maxsize=4096)
def _token_tuple(name: str) -> tuple[str, ...]:
    return tuple(_NAME_TOKEN.findall(name))


@lru_cache(maxsize=4096)
def _is_caps(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@lru_cache(maxsize=4096)
def _well_formed(name: str) -> bool:
    """Every word of a name is capitalised, a title or a particle: not a sentence."""
    tokens = _token_tuple(name)
    if not tokens or len(tokens) > 6:
        return False
    for token in tokens:
        bare = token.rstrip(".").casefold()
        if not (token[0].isupper() or bare in _PARTICLES or bare in _TITLES):
            return False
    return tokens[-1][0].isupper()


# A row of a transcript printed as a table: an optional time column, the speaker's column (a
# call sign may follow in parentheses: "LMP (EAGLE)", the same voice as "LMP (TRANQ)"), then
# the speech, each column closed by a bar.
_ROW = re.compile(
    r"^\|?[ \t]*(?:(?P<time>\d[\d :.]{2,14}?)[ \t]*\|[ \t]*)?"
    rf"(?P<name>[{_UP}][{_UP}0-9 .'’-]{{0,30}}?)(?:[ \t]*\((?P<sign>[^()|\n]{{1,20}})\))?[ \t]*\|(?=[ \t]|$)"
)


def _table_row(line: str) -> Label | None:
    m = _ROW.match(line)
    speech = line[m.end() :].strip(" \t").removesuffix("|") if m else ""
    # One cell of speech with words in it (or the "..." of words not heard): a table of figures ("| USSR | 12 | 14 |") or a row
    # with more columns is data, not a transcript.
    if m is None or "|" in speech or not re.search(r"[^\W\d_]{2}|\.\.\.|…", speech):
        return None
    name = m["name"].strip()
    if not _well_formed(name):
        return None
    return Label(name, _key(name), m.end(), frozenset({"table-row"}), "", (m["sign"] or "").strip())


def read_label(line: str, forms: frozenset[str]) -> Label | None:
    """The speaker label a line opens with, in one of the given forms, or None."""
    if not line or not (line[0].isalpha() or line[0] in "*[0123456789|"):
        return None
    if "table-row" in forms and "|" in line[:80]:
        row = _table_row(line)
        if row is not None:
            return row
    # A label is short: reading the opening of a long line is enough, and bounds the search.
    m = _LABEL.match(line[:_LONGEST]) if _STOPS.search(line, 0, _LONGEST) else None
    if m:
        label = _from_match(m, line, forms)
        if label is not None:
            return label
    if "question-answer" in forms and _BARE_Q.match(line):
        return Label("Q", "q", 1, frozenset({"question-answer"}))  # the spaces part label from speech
    if "timestamp" in forms and line[0] in "[0123456789":
        c = _CODE.match(line)
        if c and line[c.end() :].strip():
            return Label(c["name"], c["name"].casefold(), c.end(), frozenset({"timestamp", "caps-colon"}))
    if "own-line" in forms and len(line) <= 60:
        a = _ALONE.match(line.rstrip())
        tokens = _tokens(a["name"]) if a else []
        named = any(len(t) > 1 and t.rstrip(".").casefold() not in _TITLES for t in tokens)  # not "MR." alone
        if a and _is_caps(a["name"]) and _well_formed(a["name"]) and named:
            name = a["name"]
            return Label(name, _key(name), len(line), frozenset({"own-line"}))
    return None


def _key(name: str) -> str:
    return " ".join(name.replace("\u00a0", " ").casefold().split())


def _from_match(m: re.Match[str], line: str, forms: frozenset[str]) -> Label | None:
    name = m["name"]
    stop = _SPACES.sub("", m["stop"] or m["stop2"] or "")
    bold = bool(m["bold"])
    if bold != bool(m["b1"] or m["b2"]) or (m["b2"] and stop != ":"):
        return None  # "**Name:**" and "**Name**:" only
    if not _well_formed(name) or (stop == "." and _ABBR_WHOLE.fullmatch(name + ".") is not None):
        return None  # "MR." alone is the title of a label on its own line ("MR. HOLT")
    used: set[str] = set()
    if m["time"]:
        used.add("timestamp")
    if bold:
        used.add("bold")
    if m["party"] or m["office"] or m["gloss"]:
        used.add("affiliation")
        if m["office"] and not _well_formed_office(m["office"]):
            return None
    bare = name.rstrip(".").casefold()
    caps = _is_caps(name)
    if bare in _QA and stop in (":", "."):
        used.add("question-answer")
    elif len(bare) < 2:
        return None  # one letter that is no question or answer ("I.", "A" of a list)
    elif stop.startswith(("—", "–")) or stop.endswith(("—", "–", "--")):
        used.add("dash")
    elif stop == ":":
        used.add("caps-colon" if caps else "name-colon")
    elif caps:
        used.add("caps-stop")
    elif not bold:
        return None  # "Mr. Smith." mixed case with a full stop is a sentence's end, not a label
    else:
        used.add("name-colon")
    rest = line[m.end() :].strip()
    if not rest:
        used.add("own-line")
    if not used <= forms:
        return None
    # Of a constituency and a party, the party is the last parenthesis.
    party = _PARENS.findall(m["party"])[-1] if m["party"] else ""
    office = m["office"] or (m["gloss"] or "").strip("[]")
    return Label(name, _key(name), m.end(), frozenset(used), party, office)


def _well_formed_office(office: str) -> bool:
    # "Minister for Foreign Affairs", "Bundesminister des Auswärtigen": an office opens with a capital.
    return office[0].isupper() and len(office.split()) <= 8


@dataclass
class Participant:
    """Someone a heading, a participants line or the metadata names."""

    name: str  # "Richard Russell"
    title: str = ""  # "Senator"
    role: str = ""  # person/@role: interviewer, chair …

    @property
    def surname(self) -> str:
        return self.name.split()[-1] if self.name.split() else ""

    @property
    def initials(self) -> str:
        return "".join(w[0] for w in self.name.split() if w[0].isupper())


@dataclass
class LabelEvidence:
    """The labels the document shows to be speakers, and who is named as taking part."""

    forms: frozenset[str]
    accepted: set[str] = field(default_factory=set)
    participants: list[Participant] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    # The label each line read so far opens with: the survey reads every line, and cutting
    # turns and opening blocks read the same lines again.
    read: dict[str, Label | None] = field(default_factory=dict, repr=False, compare=False)

    def label_at(self, line: str) -> Label | None:
        """read_label in the document's forms, each distinct line read once."""
        try:
            return self.read[line]
        except KeyError:
            label = self.read[line] = read_label(line, self.forms)
            return label

    def match(self, line: str, reporting_verbs: frozenset[str]) -> Label | None:
        """A label of the document at the start of a line (or a reported speaker)."""
        label = self.label_at(line)
        if label is not None and label.key in self.accepted:
            return label
        if "reported" in self.forms and reporting_verbs:
            return read_reported(line, reporting_verbs, self)
        return None

    def inline_starts(self, text: str) -> list[tuple[int, Label]]:
        """Where a known speaker's label follows a finished sentence inside a paragraph."""
        if "in-paragraph" not in self.forms or not self.accepted:
            return []
        found = []
        for m in _SENTENCE_GAP.finditer(text):
            if not sentence_ends_at(text, m.start()):
                continue
            label = read_label(text[m.end() :], self.forms)
            if label is not None and label.key in self.accepted and not label.alone:
                found.append((m.end(), label))
        return found

    def participant(self, label: Label) -> Participant | None:
        """The participant a label stands for: by surname, initials, title or role."""
        words = [t.rstrip(".") for t in _tokens(label.name)]
        plain = [w for w in words if w.casefold() not in _TITLES]
        for p in self.participants:
            if plain and p.surname.casefold() == plain[-1].casefold():
                return p
        if len(plain) == 1 and len(plain[0]) <= 3 and plain[0].isupper():
            by_initials = [p for p in self.participants if p.initials == plain[0]]
            if len(by_initials) == 1:
                return by_initials[0]
        role = _ROLE_WORDS.get(label.key.rstrip(".")) or _ROLE_WORDS.get(_QA.get(label.key.rstrip("."), ""), "")
        if role:
            by_role = [p for p in self.participants if p.role == role]
            if len(by_role) == 1:
                return by_role[0]
        if not plain:
            titles = {w.casefold() for w in words} - {"the"}
            by_title = [p for p in self.participants if p.title and p.title.casefold() in titles]
            if len(by_title) == 1:
                return by_title[0]
        return None


def role_of(label: Label) -> str:
    """person/@role a label states: interviewer, interviewee, moderator, chair, unidentified."""
    key = label.key.rstrip(".")
    if key in _ROLE_WORDS:
        return _ROLE_WORDS[key]
    if key in _QA:
        return _ROLE_WORDS[_QA[key]]
    words = [t.rstrip(".").casefold() for t in _tokens(label.name)]
    if words and (words[0] in _CHAIR_TITLES or words[:2] == ["vice", "chairman"]):
        return "chair"
    return ""


def name_parts(label: Label) -> tuple[str, str]:
    """(title, name) of a label: ("Präsident Dr.", "Ehlers"), ("The", "PRESIDENT") has no name."""
    tokens = _tokens(label.name)
    if label.key.rstrip(".") in _ROLE_WORDS or label.key.rstrip(".") in _QA:
        return label.name, ""  # "Q", "INTERVIEWER", "VOICE": a role, not a name
    i = 0
    while i < len(tokens) - 1 and (tokens[i].rstrip(".").casefold() in _TITLES or tokens[i].casefold() in _ARTICLES):
        i += 1
    if tokens and tokens[-1].rstrip(".").casefold() in _TITLES:
        return label.name, ""  # a title alone: "The PRESIDENT", "President", "CHAIRMAN"
    return " ".join(tokens[:i]), " ".join(tokens[i:])


_REPORTED = re.compile(
    rf"^(?P<title>(?:(?:{_ABBR}|[A-Z][a-z]+)[ \u00a0]){{0,2}})(?P<name>(?:(?:[A-Z]\.\s?){{1,3}})?[A-Z][\w’'\-]+(?:[ \u00a0][A-Z][\w’'\-]+){{0,2}})[ \u00a0]+(?P<verb>[a-z]+)\b"
)


def read_reported(line: str, verbs: frozenset[str], evidence: LabelEvidence) -> Label | None:
    """"Ambassador Bunker suggested …", "RUSK said that …": a person reported as speaking."""
    m = _REPORTED.match(line)
    if not m or m["verb"] not in verbs:
        return None
    title = m["title"].strip()
    name = m["name"]
    if title and not all(t.rstrip(".").casefold() in _TITLES for t in title.split()):
        # "The Soviet Ambassador said": words before the name must be titles.
        return None
    known = any(p.surname.casefold() == name.split()[-1].casefold() for p in evidence.participants)
    if not (title or known or _is_caps(name) or len(name.split()) >= 2):
        return None  # "Washington said": one capitalised word with no title is too weak
    full = (title + " " + name).strip() if title else name
    if full.split()[0].casefold() == "the":
        return None
    return Label(full, _key(name), m.end("name"), frozenset({"reported"}))


# Lines naming who takes part: "Participants: …", "Present: …", "Interviewer: …" before the talk.
_PARTICIPANT_LINE = re.compile(
    r"^(?P<label>Participants|Present|Speakers|Persons present|Teilnehmer|Participantes|Interviewer|Interviewee|Narrator|Moderator|Chair)\s*:\s*(?P<rest>.+)$",
    re.I,
)
_BETWEEN = re.compile(r"\b(?:between|with|zwischen|entre)\s+(?P<a>.+?)\s+(?:and|und|y)\s+(?P<b>[^,.;]+)", re.I)


def _person(text: str, role: str = "") -> Participant | None:
    """"Senator Richard Russell" → Participant("Richard Russell", "Senator")."""
    text = re.sub(r"\([^)]*\)", "", text).strip(" .,;")
    words = text.split()
    titles = []
    while words and words[0].rstrip(".").casefold() in _TITLES:
        titles.append(words.pop(0))
    if not words or not words[-1][:1].isupper() or len(words) > 7:
        return None
    if not all(w[:1].isupper() or w.casefold() in _PARTICLES or w.casefold() in _TITLES or w in _LINKS for w in words):
        return None  # a sentence, not a name
    # "Secretary of State Dean Rusk": the name is the last two words (three with an initial).
    size = 3 if len(words) >= 3 and re.fullmatch(r"[A-Z]\.", words[-2]) else 2
    size = 1 if len(words) > 1 and words[-2].casefold() in _TITLES else size
    name, office = words[-size:], words[:-size]
    titles += office
    return Participant(" ".join(name), " ".join(t for t in titles if t.casefold() != "the"), role)


def read_participants(
    lines: list[str], headings: list[str], metadata: tuple[str, ...] = ()
) -> tuple[list[Participant], set[str]]:
    """Participants from the metadata, the lists ("Present: …") and the heading's "between X
    and Y"; with the list lines read, which are no turns."""
    found: list[Participant] = [p for p in (_person(n) for n in metadata) if p]
    used: set[str] = set()
    for line in lines + headings:
        m = _PARTICIPANT_LINE.match(line.strip()) if line in lines else None
        if m:
            label = m["label"].casefold()
            role = _ROLE_WORDS.get(label, "chair" if label == "chair" else "")
            people = [_person(part, role) for part in re.split(r";|,(?![^()]*\))| and | und ", m["rest"])]
            if people and all(p is not None and len(p.name.split()) <= 4 for p in people):
                found.extend(p for p in people if p is not None)  # a list of names, not a turn
                used.add(line.strip())
            continue
        b = _BETWEEN.search(line)
        if b and len(line) < 200:
            for part in (b["a"], b["b"]):
                p = _person(part)
                if p and len(p.name.split()) <= 4:
                    found.append(p)
    unique: dict[str, Participant] = {}
    for p in found:
        unique.setdefault(p.name.casefold(), p)  # a heading and a list may name the same person
    return list(unique.values()), used


def _speechlike(rest: str) -> bool:
    rest = rest.strip()
    return not rest or len(rest.split()) >= 3 or rest.endswith(("?", "!", "."))


def weigh(sequence: list[tuple[Label, str | None]], evidence: LabelEvidence, not_labels: frozenset[str]) -> None:
    """Decide which labels are speakers from all candidates in document order.

    `sequence` holds each candidate in document order with the rest of its line, or None
    for one inside a paragraph (after a finished sentence). A label is a
    speaker when it repeats with speech after it and the document alternates between two
    or more such labels; a label seen once joins them only when the document is a
    dialogue already and the label is named as a participant or states a role.
    """
    kept = [(lab, rest) for lab, rest in sequence if lab.key.rstrip(".") not in not_labels]
    candidates = [(lab, rest) for lab, rest in kept if rest is not None]
    counts: Counter[str] = Counter(lab.key for lab, _ in kept)
    speech: Counter[str] = Counter(lab.key for lab, rest in candidates if _speechlike(rest))
    seen: Counter[str] = Counter(lab.key for lab, _ in candidates)
    evidence.counts = counts
    named = {lab.key for lab, _ in candidates if evidence.participant(lab) is not None}
    # Repeated, with speech after it, and opening a line at least once (or, only inside
    # paragraphs, a title and a name: "… end of sentence. MR. KOHN. …").
    titled = {lab.key for lab, _ in kept if _titled(lab)}
    repeated = {k for k, n in counts.items() if n >= 2 and (seen[k] or k in titled) and speech[k] * 2 >= seen[k]}
    # A voice heard once ("VOICE:", "Senator Byrd:", "Ollenhauer (SPD):") counts when the
    # label says it is a person: a role, a title, a party or office, or a participant's name.
    once = {
        lab.key for lab, rest in candidates
        if counts[lab.key] == 1 and _speechlike(rest) and (role_of(lab) or lab.key in named or _titled(lab) or lab.party or lab.office)
    }
    # A voice heard once in a dialogue whose labels share its shape ("[00:00:38] CMP:" among
    # timestamped labels, "THE COURT:" among "MR. JACKSON:", "**Lee Wong**:"): the shape is
    # the document's convention for a speaker, established by two repeated voices or more.
    shapes: dict[tuple[frozenset[str], bool], set[str]] = {}
    for lab, _ in candidates:
        if lab.key in repeated:
            shapes.setdefault(_shape(lab), set()).add(lab.key)
    established = {shape for shape, keys in shapes.items() if len(keys) >= 2}
    once |= {
        lab.key for lab, rest in candidates
        if counts[lab.key] == 1 and _speechlike(rest) and rest.strip() and _shape(lab) in established
        # "PRELL." after a line ending "… MR.": a known label cut by the wrap, not a new voice
        and not any(k.endswith(" " + lab.key) for k in repeated)
    }
    voices = repeated | once | (named & set(seen))
    letters = {k.rstrip(".") for k in voices if k.rstrip(".") in _QA}
    pairs = ({"q", "a"}, {"p", "r"}, {"f", "a"})
    if letters and not any(pair <= letters for pair in pairs) and not (voices - {k for k in voices if k.rstrip(".") in _QA}):
        voices = set()  # "A." alone is an outline's first point, not an answer
    order = [lab.key for lab, _ in kept if lab.key in voices]
    changes = sum(1 for a, b in zip(order, order[1:]) if a != b)
    if len(voices) >= 2 and changes >= 2 and voices & repeated:
        evidence.accepted = voices
    elif len(voices) == 1 and voices <= named and counts[next(iter(voices))] >= 2:
        evidence.accepted = voices  # one speaker the heading or the participants name
    elif not repeated:
        evidence.accepted = _sparse_voices(candidates, counts)


# Words of a label that only introduce it: articles and honorifics ("El señor PRESIDENTE").
_ARTICLES = frozenset("the el la los las der die le les".split())
_LEAD = _ARTICLES | frozenset("señor señora sr sra don doña herr frau mr mrs ms".split())
# Whoever presides over a sitting or a tribunal: a record may open with this voice alone.
_PRESIDING = frozenset(
    "president presidente presidenta präsident präsidentin vizepräsident vizepräsidentin chairman chairwoman "
    "chair chairperson speaker председатель председательствующий".split()
)
_LONG_SPEECH = 12  # words after a label heard once: a turn, not a field or a caption


def _sparse_voices(candidates: list[tuple[Label, str]], counts: Counter[str]) -> set[str]:
    """Voices of a short record in which no label repeats: an excerpt, a single exchange.

    Each label must say it is a person (a title, a role, a party or office, initials before
    a name in capitals: "Э.МАРР:", "La señora ALEMÁN OJEDA:") and open a paragraph with
    speech. Two or more such voices, one of them with a long speech, are speakers; one voice
    alone only when it presides and speaks at length ("THE PRESIDENT:", "El señor PRESIDENTE:"), since a record of a sitting
    opens with the chair while a single titled line elsewhere is more likely a caption.
    """
    order: list[str] = []
    long: set[str] = set()
    for lab, rest in candidates:
        if counts[lab.key] != 1 or not _speechlike(rest) or not rest.strip() or not _strong(lab):
            continue
        order.append(lab.key)
        if len(rest.split()) >= _LONG_SPEECH:
            long.add(lab.key)
    if len(order) >= 2 and long:
        return set(order)
    if len(order) == 1 and order[0] in long:
        lab = next(lab for lab, _ in candidates if lab.key == order[0])
        if _presiding(lab):
            return set(order)
    return set()


def _bare_words(label: Label) -> list[str]:
    words = [t.rstrip(".").casefold() for t in _tokens(label.name)]
    while words and words[0] in _LEAD:
        words = words[1:]
    return words


def _strong(label: Label) -> bool:
    """A label that says it is a person, whatever the rest of the document shows."""
    words = _bare_words(label)
    if not words:
        return False
    if role_of(label) or label.party or label.office or _presiding(label):
        return True
    tokens = [t.rstrip(".").casefold() for t in _tokens(label.name)]
    while tokens and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    if len(tokens) >= 2 and tokens[0] in _TITLES:
        return True  # a title or an honorific before a name: "La señora ALEMÁN OJEDA"
    return bool(re.match(_INIT, label.name)) and _is_caps(label.name)


def _presiding(label: Label) -> bool:
    words = _bare_words(label)
    return 1 <= len(words) <= 2 and words[0] in _PRESIDING


def _shape(label: Label) -> tuple[frozenset[str], bool]:
    """What a label looks like apart from its name: its forms, and whether it is in capitals."""
    return label.forms, _is_caps(label.name)


def _titled(label: Label) -> bool:
    tokens = _tokens(label.name)
    return len(tokens) >= 2 and tokens[0].rstrip(".").casefold() in _TITLES - {"the"}


_ABBR_END = re.compile(rf"(?:^|\s)(?:{_ABBR}|[A-Z]\.|(?:[A-Z]\.){{2,3}})$")


def sentence_ends_at(text: str, end: int) -> bool:
    """True when the punctuation before `end` ends a sentence, not a title or an initial ("Mr.", "N.S.")."""
    return _ABBR_END.search(text[max(0, end - 12) : end]) is None


def starts_after_sentence(before: str) -> bool:
    """True when the text before a position ends a sentence."""
    return bool(_SENTENCE_END.search(before))
