"""Name forms reduced to comparable keys: labels, inverted names, titles, honorifics and OCR readings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency

# Words a name is preceded by that are not part of it (compared lower case, without a full stop).
HONORIFICS = frozenset("""
cde comrade comrades tov tovarishch mr mrs ms miss mister sir dame lord lady dr prof professor herr frau
señor senor señora senora don doña dona monsieur mme mlle madame signor gospodin
president vice deputy acting prime minister foreign chairman premier secretary general gen ambassador
senator sen congressman representative rep governor gov mayor marshal col colonel maj major capt captain
lt lieutenant adm admiral commander cmdr sgt sergeant king queen prince princess chancellor
bundeskanzler bundesminister präsident prasident abg abgeordneter minister-president the first
""".split())

# Letters OCR reads for one another, folded before names are compared ("Khrushchcv" stays a
# near-miss; "Mikoyan A.l." and "Mikoyan A.I." are one form).
_OCR_FOLD = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o", "5": "s"})
_INITIALS = re.compile(r"^(?:[A-Za-z]\.\s?)+[A-Za-z]?\.?$|^[A-Z]{1,3}$")

# Thresholds (rapidfuzz scores, 0-100).
MERGE_SUBSTITUTION_MIN_LEN = 8  # one substituted letter merges surnames this long or longer
SUGGEST_SURNAME_SCORE = 80.0  # below this, two surnames are not worth an editor's look
SUGGEST_STRING_SCORE = 85.0  # places and organisations


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces: "Raúl" and "RAUL" give "raul"."""
    text = "".join(c if c.isascii() else (anyascii(c) if c.isalpha() else " ") for c in unicodedata.normalize("NFKD", text))
    text = re.sub(r"[’'`]s\b", "", text)  # possessive: "Khrushchev’s"
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass(frozen=True)
class NameKey:
    """A person's name reduced: surname and given names (initials as single letters), folded."""

    surname: str
    given: tuple[str, ...] = ()

    @property
    def initials(self) -> str:
        return "".join(g[0] for g in self.given)

    def label(self) -> str:
        return " ".join((*self.given, self.surname))


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"\s+", text.strip()) if t]


def _is_honorific(token: str) -> bool:
    return token.rstrip(".,:").casefold() in HONORIFICS


def _given_parts(forename: str) -> tuple[str, ...]:
    """ "N.S." → ("n", "s"); "Nikita Sergeyevich" → ("nikita", "sergeyevich"); "A.l." → ("a", "i")."""
    forename = forename.strip()
    if not forename:
        return ()
    if _INITIALS.match(forename):
        letters = re.findall(r"[A-Za-z]", forename)
        return tuple(("i" if c == "l" else c.lower()) for c in letters)
    return tuple(ascii_fold(w) for w in _tokens(forename) if ascii_fold(w) and not _is_honorific(w))


def split_name(text: str) -> tuple[str, str]:
    """(forename, surname) of a name as printed: honorifics dropped, inverted forms turned."""
    text = re.sub(r"[’'`]s$", "", text.strip()).strip(" ,:;")
    if "," in text:
        # "Khrushchev, N.S." and "Ponomarev, B.N.": surname first; "Storch, Bundesminister …" keeps its first part.
        head, _, tail = text.partition(",")
        tail_tokens = [t for t in _tokens(tail) if not _is_honorific(t)]
        if tail_tokens and all(_INITIALS.match(t) or t[:1].isupper() for t in tail_tokens) and len(tail_tokens) <= 3:
            return " ".join(tail_tokens), head.strip()
        text = head
    tokens = _tokens(text)
    while len(tokens) > 1 and _is_honorific(tokens[0]):
        tokens.pop(0)
    if not tokens:
        return "", ""
    # "Mikoyan A.l.": a surname followed by its initials.
    if len(tokens) >= 2 and _INITIALS.match(tokens[-1]) and "." in tokens[-1] and not _INITIALS.match(tokens[0]):
        return tokens[-1], " ".join(tokens[:-1])
    if len(tokens) == 1:
        return "", tokens[0]
    return " ".join(tokens[:-1]), tokens[-1]


def person_key(text: str, forename: str | None = None, surname: str | None = None) -> NameKey:
    """The key of a person's name; a structured name (forename, surname) is taken as given."""
    if surname is None:
        forename, surname = split_name(text)
    return NameKey(ascii_fold(surname or ""), _given_parts(forename or ""))


def ocr_fold(text: str) -> str:
    """A folded form with the letters OCR confuses made one ("rn" for "m", "l" for "i")."""
    return text.replace("rn", "m").replace("cl", "d").translate(_OCR_FOLD)


def surnames_merge(a: str, b: str) -> bool:
    """The same surname as printed and as OCR read it: equal once folded, or one letter
    substituted in a long name ("Khrushchev"/"Khrushchcv"; never "Johnson"/"Johnston")."""
    if not a or not b:
        return False
    if a == b or ocr_fold(a) == ocr_fold(b):
        return True
    return (len(a) == len(b) >= MERGE_SUBSTITUTION_MIN_LEN and Levenshtein.distance(a, b) == 1
            and a[0] == b[0])


def surname_score(a: str, b: str) -> float:
    """How alike two surnames are, 0-100 (rapidfuzz's normalised Indel similarity)."""
    return float(fuzz.ratio(a, b))


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given names that can be one person's: "n s", "nikita", "nikita sergeyevich" agree; "raul"
    and "fidel", or "a i" and "s a", do not. An empty side is not evidence either way."""
    for x, y in zip(a, b):
        if x[0] != y[0]:
            return False
        if len(x) > 1 and len(y) > 1 and x != y and fuzz.ratio(x, y) < 80:
            return False
    return True


def same_person(a: NameKey, b: NameKey) -> bool:
    """Two keys that are surely one person: surnames merge and both give compatible given names."""
    return bool(a.given and b.given) and surnames_merge(a.surname, b.surname) and given_compatible(a.given, b.given)


def string_key(text: str) -> str:
    """The key of a place or organisation: folded, without a leading article."""
    folded = ascii_fold(text)
    return re.sub(r"^(?:the|la|le|el|die|der|das) ", "", folded)


# A surname alone that is this common a word in the text's language ("Operator", "Court",
# "Guest", "Members") is a speaker's label, not a name the register can hold.
LABEL_ZIPF = 4.0


def is_label(surname: str, printed: str, lang: str) -> bool:
    """A speaker known by a label ("CC", "CDR", "Operator", "Witness"), not by a name."""
    bare = printed.strip()
    if re.fullmatch(r"[A-Z]{1,3}", bare) or (len(bare) <= 3 and not re.search(r"[aeiouyAEIOUY]", bare)):
        return True
    word = printed.strip().split()[-1].lower() if printed.strip() else surname
    return zipf_frequency(word, lang or "en") >= LABEL_ZIPF
