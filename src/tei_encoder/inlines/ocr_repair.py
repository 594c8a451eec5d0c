"""Reversible repair of OCR damage (run-together words, "|" and "l" for "I") on strong word-frequency evidence."""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass

from wordfreq import get_frequency_dict, zipf_frequency

# --- Thresholds -------------------------------------------------------------------------
# All frequencies are on wordfreq's Zipf scale: log10 of occurrences per billion words, so
# 7.7 is "the", 3 is a word met once per million, and 0 means "not in the word list at all"
# (the English list stops near 1.0). log10 P(word) = zipf - 9.

# A token this frequent is a word in its own right and is never split. Below it, a token may
# still be listed but rare: joined pairs such as "asa" (3.44), "ofthe" (3.33), "inthe" (2.58)
# live there, next to real words ("therein" 3.42, "anew" 3.2, "thereto" 2.93) that the
# stronger test below (LISTED_MARGIN) must spare.
WORD_ZIPF = 3.5

# A token that is in the word list (zipf > 0) is split only if the split is this many orders
# of magnitude more probable, as a product of unigram probabilities, than the token itself.
# Run over the whole English list, every token of zipf 1.2 or more that clears 2.75 is a
# typo joining two short words ("tothe" 3.98, "ofthe" 2.80, "underthe" 2.87, "justas"
# 2.89); just below lie real words: "toto" 2.71, "seethe" 2.65, "nota" 2.52, "thereto" 2.2.
LISTED_MARGIN = 2.75

# The best split must be this many orders of magnitude more probable than the next best,
# so that an ambiguous token ("needsin": "needs in" / "need sin") is split only when one
# reading clearly dominates; otherwise the token is left alone.
ALT_MARGIN = 1.0

# Every cut beyond the first assumes one more lost space, itself an improbable event, so a
# three-word reading pays this many orders of magnitude: "interestsinto" is "interests into",
# not "interests in to", although "in" and "to" are each more frequent than "into".
EXTRA_CUT_COST = 1.5

# A capitalised token in mid-sentence is usually a name, and names are often made of words
# ("Kirkbride" = "kirk bride", "Hasluck" = "has luck"). Such a token is split only if it is
# absent from the word list and everything after its first part is a function word at least
# this frequent ("Cubaand", "Khrushchevin"): a name rarely ends in "and", "in" or "the".
NAME_TAIL_ZIPF = 6.0

# Short strings are frequent as junk (the list has "st" 5.2, "ll" 4.66, "re" 5.23 from
# contractions and abbreviations), so a two-letter part must be a real function word ("in"
# 7.27, "am" 5.78) and a three-letter part a common word ("own" 5.74, "few" 5.6, not "sin"
# 4.37); one letter is only "a" or the pronoun "I".
PART_ZIPF = {2: 5.5, 3: 4.5}

# A part of UNKNOWN_MIN_LEN letters or more may be any word, listed or not, when readings
# compete: a word absent from the list gets log10 probability UNKNOWN_BASE minus
# UNKNOWN_PER_CHAR per letter, below the rarest listed word, and lower the longer it is, as
# a random string would be. So "repressionsat" reads "repressions at" (2.14 + 6.7), not
# "repression sat", and "yourSavingram" reads "your" + an unknown word, not "your Savin gram";
# a reading with an unknown word is never proposed as a repair.
UNKNOWN_MIN_LEN = 4
UNKNOWN_BASE = -7.5
UNKNOWN_PER_CHAR = 0.25

# Every part of a proposed reading must be at least this frequent: rarer listed "words" are
# mostly names, foreign words and typos, too weak as evidence.
MIN_PART_ZIPF = 2.0

# A split is "high" certainty when the token is all lower case (or a capitalised sentence
# opener), absent from the word list, cut in two, and its best reading beats the next by
# this margin; every other accepted split is "medium".
HIGH_ALT_MARGIN = 2.0

# Tokens shorter than this cannot be a join of two words that pass PART_ZIPF ("ofa" is the
# shortest); tokens longer than MAX_TOKEN_LEN are left alone, which bounds the work per
# token. At most MAX_PARTS words are recovered from one token ("governmentrepresentsthe").
MIN_TOKEN_LEN = 3
MAX_TOKEN_LEN = 40
MAX_PARTS = 3

# "|" is read as "I" only if the word after it is at least this frequent: a real word, so the
# bar is not a table rule or noise next to garbage ("| secRe tents" in noisy OCR).
PIPE_NEXT_ZIPF = 3.0

# "Noisy OCR" test: when fewer than this share of a text's bars could be the pronoun (the
# others stand at the edge of a table, next to digits, capitals or garbage), the bars are
# margin rules and scanner noise, and only the high-certainty readings are proposed.
PIPE_PLAUSIBLE_SHARE = 0.5

# Another bar closer than this many characters makes the bar part of a table or of noise
# ("x | y | z"); two pronouns "I" that close are rare ("I think I can" is 8 apart: lost).
PIPE_CROWD = 10

# A token one letter substitution away from a word this many orders of magnitude more
# probable than its best split is taken as a misread word and left alone: in the noisy
# OCR of the development corpus "messare" (message) and "insued" (issued) clear 2.5, while
# of the injected joins only the truly ambiguous "opposea" (opposed / oppose a, 2.2) does.
MISREAD_MARGIN = 2.0

# --- Closed word classes (grammar, not vocabulary: no word of any source is listed) -------

# Words that cannot follow the subject pronoun "I": articles, prepositions, pronouns and
# third-person verb forms. After "|" they mean the bar is a separator or a damaged "1"/"]"
# ("page | of 3", "Repelita | to"), not the pronoun.
_NOT_AFTER_I = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "into", "onto",
    "upon", "about", "than", "and", "or", "nor", "this", "that", "these", "those", "it", "its",
    "he", "she", "we", "they", "you", "him", "her", "them", "his", "our", "their", "your", "my",
    "is", "are", "has", "does", "who", "whom", "whose", "which",
))
# Words that the subject pronoun "I" cannot follow: articles, possessives, prepositions.
_NOT_BEFORE_I = frozenset((
    "a", "an", "the", "my", "your", "his", "her", "its", "our", "their", "this", "these",
    "those", "of", "to", "in", "on", "at", "by", "with", "from", "into", "onto", "upon",
))
# Words after which a clause with a new subject starts: conjunctions, complementisers,
# relative and interrogative words. "|" right after one of them is "I" with high certainty.
_CLAUSE_OPENERS = frozenset((
    "and", "but", "or", "nor", "so", "yet", "for", "that", "why", "when", "where", "while",
    "if", "as", "because", "since", "though", "although", "unless", "until", "whether", "than",
    "what", "how", "which", "who", "whom", "then", "also", "therefore", "thus",
))

# --- Token patterns ---------------------------------------------------------------------

# A word: letters (any script) with at most one inner apostrophe ("country’s"); the
# look-arounds forbid an adjacent letter, digit or underscore, so "1960s" or "x2" never
# yields a token.
_TOKEN = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)?(?!\w)")
# Characters that put a word into something that is not running prose: paths, URLs, e-mail,
# markup, identifiers.
_CODE_NEIGHBOURS = frozenset("/\\@&=#_~<>{}|+*^%$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_DETERMINERS = frozenset(("a", "an", "the"))
_AFTER_DETERMINER = re.compile(r"[ \t]*\n?[ \t]*[^\W\d_]")
_HYPHENS = frozenset("-\u00ad\u2010\u2011")
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"\]\[)(]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
# A "|" with no letter, digit or other bar against it.
_PIPE = re.compile(r"(?<![\w|])\|(?![\w|])")
# What may come after the bar: horizontal space, at most one line break, then a word.
_AFTER_PIPE = re.compile(r"[ \t]*\n?[ \t]*([^\W\d_]+(?:['’][^\W\d_]+)?)(?!\w)")
# A run of one-letter initials, each followed by a full stop, where one of them may be the
# lower-case "l" ("A.l.", "l.V.", "V. l."). The run must start and end at a word boundary.
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Zl]\.[ ]?)*[A-Zl]\.(?![\w.])")
_NAME_AFTER = re.compile(r"[ \t]*\n?[ \t]*([A-Z][a-zA-Z’'-]+)")
_NAME_BEFORE = re.compile(r"([A-Z][a-zA-Z’'-]+),?[ ]+$")
_SENTENCE_END = frozenset(".!?:;\"“”‘’'([—–\n")


@dataclass(frozen=True)
class Repair:
    """One proposed reading: text[start:end] == orig in the source, reg the regularised form."""

    start: int
    end: int
    orig: str
    reg: str
    cert: str  # "high" or "medium"
    kind: str  # "run-together", "pipe-for-I", "l-for-I"


@functools.cache
def _listed(language: str) -> dict[str, float]:
    # The word list itself: a lower-case run of ASCII letters is one token for wordfreq, so
    # its frequency is a plain look-up, without the tokenising zipf_frequency does per call.
    # Same arguments as wordfreq's own look-ups, so that both share one loaded copy.
    return get_frequency_dict(language, "best")


@functools.lru_cache(maxsize=1 << 18)
def _zipf(word: str, language: str) -> float:
    # Cached: running text repeats its vocabulary.
    word = word.replace("’", "'")
    freq = _listed(language).get(word)
    if freq:
        return round(math.log10(freq) + 9.0, 2)  # what zipf_frequency returns for a listed token
    if word.isascii() and word.isalpha() and word.islower():
        return 0.0  # one token, not listed
    return zipf_frequency(word, language)


def _case_of(segment: str) -> str:
    if segment == "I":
        return "I"
    if segment.islower():
        return "lower"
    if segment[0].isupper() and (len(segment) == 1 or segment[1:].islower()):
        return "Title"
    return "other"


def _part_score(lower: str, case: str, language: str) -> tuple[float, bool] | None:
    """log10 probability of one part of a reading and whether it is a listed word; None if
    the part cannot be a word at all."""
    n = len(lower)
    if n == 1:
        # The only one-letter English words; a stray letter is far likelier an OCR fragment.
        if language == "en" and ((lower == "a" and case == "lower") or case == "I"):
            return _zipf(lower, language) - 9.0, True
        return None
    if case not in ("lower", "Title"):
        return None
    z = _zipf(lower, language)
    if n < UNKNOWN_MIN_LEN:
        return (z - 9.0, True) if z >= PART_ZIPF[n] else None
    if z > 0:
        return z - 9.0, True
    return UNKNOWN_BASE - UNKNOWN_PER_CHAR * n, False


def _readings(token: str, language: str) -> list[tuple[float, tuple[int, ...], bool]]:
    """The two best readings of token as 1..MAX_PARTS words, best first: (log10 probability,
    cut positions, whether every part is a listed word)."""
    lower = token.lower()
    n = len(token)
    # A lower-case letter followed by a capital never happens inside an ordinary word, so
    # such a boundary must be a cut ("UnitedStates"); common names like "MacArthur" are
    # listed words and never reach this point.
    forced = {i for i in range(1, n) if token[i - 1].islower() and token[i].isupper()}
    # Apostrophe suffixes stay on their word: "thecountry’s" can only become "the country’s".
    apostrophe = max(token.find("'"), token.find("’"))
    stem_end = apostrophe if apostrophe > 0 else n
    out: list[tuple[float, tuple[int, ...], bool]] = []
    if not forced:
        # The token as it stands is always one reading: a rare word, or an unknown one.
        whole = _zipf(lower, language)
        out.append((whole - 9.0 if whole > 0 else UNKNOWN_BASE - UNKNOWN_PER_CHAR * n, (), whole > 0))
    # Dynamic programme over cut positions: best[i][k] holds the two best readings of
    # token[:i] as k parts. Scores add up, so the two best complete readings are built from
    # the two best partial ones; that is all the decision needs.
    best: list[dict[int, list[tuple[float, tuple[int, ...], bool]]]] = [{} for _ in range(n + 1)]
    best[0][0] = [(0.0, (), True)]
    for end in range(1, n + 1):
        if end < n and end >= stem_end:
            break  # no cut inside or after the apostrophe suffix
        for start in range(end - 1, -1, -1):
            if not best[start]:
                continue
            if start == 0 and end == n:
                continue  # the uncut token is already a reading
            if any(start < f < end for f in forced):
                break  # a forced cut lies inside: parts starting further left contain it too
            piece = token[start:end]
            # Only the first part may carry an initial capital (a sentence opener or a name);
            # later parts only where a forced cut puts one, or the pronoun "I".
            if start > 0 and piece[0].isupper() and start not in forced and piece != "I":
                continue
            part = _part_score(lower[start:end], _case_of(piece), language)
            if part is None:
                continue
            cut = (start,) if start else ()
            for k, prefixes in best[start].items():
                if k + 1 > MAX_PARTS:
                    continue
                slot = best[end].setdefault(k + 1, [])
                for score, cuts, known in prefixes:
                    slot.append((score + part[0], cuts + cut, known and part[1]))
                slot.sort(key=lambda r: (-r[0], r[1]))
                del slot[2:]
    for k, readings in best[n].items():
        if k >= 2:
            # Every cut beyond the first pays EXTRA_CUT_COST.
            out.extend((score - EXTRA_CUT_COST * (k - 2), cuts, known) for score, cuts, known in readings)
    # Ties broken by the cut positions so that the result never depends on hashing.
    out.sort(key=lambda r: (-r[0], r[1]))
    return out[:2]


def _sentence_start(text: str, start: int, language: str) -> bool:
    """Whether a capital at start is explained by the beginning of a sentence."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] == "\n" or (text[i] in _SENTENCE_END and text[i] != "."):
        return True
    if text[i] != ".":
        return False
    # A full stop ends a sentence unless it closes an abbreviation ("cde. Khrushchevin",
    # "Mr. Smithand", "U.S. Statesland"): a capitalised or one-letter word, or a rare one.
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    word = text[j:i]
    return word.islower() and len(word) > 1 and _zipf(word, language) >= WORD_ZIPF


def _misread_likelier(lower: str, score: float, language: str) -> bool:
    """Whether one misread letter explains the token better than lost spaces do.

    Noisy OCR swaps letters far more often than it drops spaces: "messare" is "message",
    not "mess are"; "dollare" is "dollars". Only substitutions are tried, so that a lost
    space stays the reading of "Cubain" ("Cuba in"), which a dropped letter ("Cuban") would
    explain as well."""
    listed = _listed(language)
    for i, c in enumerate(lower):
        head, tail = lower[:i], lower[i + 1 :]
        for x in _ALPHABET:
            word = head + x + tail
            if x != c and word in listed and _zipf(word, language) - 9.0 - MISREAD_MARGIN >= score:
                return True
    return False


def _usable_part(piece: str, language: str) -> bool:
    """Whether piece could be a word of a proposed reading (listed, frequent enough)."""
    part = _part_score(piece.lower(), _case_of(piece), language)
    return part is not None and part[1] and part[0] + 9.0 >= MIN_PART_ZIPF


@functools.lru_cache(maxsize=1 << 16)
def _best_split(token: str, language: str) -> tuple[tuple[int, ...], float, tuple[float, ...]] | None:
    """The one reading of token as several words that the word list supports strongly, as
    (cut positions, margin over the next reading, zipf of each part), or None. Independent
    of the context, hence cached: a rare word is judged once per run, not at every use."""
    case = _case_of(token)
    forced = [i for i in range(1, len(token)) if token[i - 1].islower() and token[i].isupper()]
    if case == "other" and not forced:
        return None  # "USAis", "iPhone": mixed case we cannot read
    # Cheap test first: a proposed reading starts and ends with a listed word, so most tokens
    # of noisy OCR are dismissed in 2n look-ups instead of the n * n of the full search.
    if not any(_usable_part(token[:i], language) for i in range(1, len(token))):
        return None
    if not any(_usable_part(token[i:], language) for i in range(1, len(token))):
        return None
    readings = _readings(token, language)
    if not readings:
        return None
    score, cuts, known = readings[0]
    if not cuts or not known:
        return None  # the token read as it stands, or with an unknown word in it, is likelier
    gap = score - (readings[1][0] if len(readings) > 1 else float("-inf"))
    if gap < ALT_MARGIN:
        return None
    whole = _zipf(token.lower(), language)
    if whole > 0 and not forced and score - (whole - 9.0) < LISTED_MARGIN:
        return None
    bounds = (0, *cuts, len(token))
    zipfs = tuple(_zipf(token[a:b].lower(), language) for a, b in itertools.pairwise(bounds))
    if min(zipfs) < MIN_PART_ZIPF:
        return None  # a reading made of very rare words is no strong evidence
    if not forced and _misread_likelier(token.lower(), score, language):
        return None
    return cuts, gap, zipfs


def _join_repair(text: str, m: re.Match[str], language: str) -> Repair | None:
    token = m.group()
    if not MIN_TOKEN_LEN <= len(token) <= MAX_TOKEN_LEN:
        return None
    if not token.replace("’", "").isascii():
        return None  # foreign words and names in other scripts: the English list cannot judge
    if token.replace("'", "").replace("’", "").isupper():
        return None  # ALL-CAPS: headings, acronyms, telegram style; case gives no cue to judge
    start, end = m.span()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before in _CODE_NEIGHBOURS or after in _CODE_NEIGHBOURS:
        return None
    if unicodedata.category(before)[0] == "S" or unicodedata.category(after)[0] == "S":
        return None  # "finea®": a symbol glued to a word is scanner noise, not prose
    # A hyphen joins the token to a neighbour: a compound, or half a word broken at the end
    # of a line ("implementa-"), neither of which the word list can judge alone.
    if before in _HYPHENS or after in _HYPHENS:
        return None
    # "U.S", "e.g": a letter run glued to a full stop and another letter is an abbreviation.
    if (after == "." and end + 1 < len(text) and text[end + 1].isalpha()) or (
        before == "." and start >= 2 and text[start - 2].isalpha()
    ):
        return None
    found = _best_split(token, language)
    if found is None:
        return None
    cuts, gap, zipfs = found
    whole = _zipf(token.lower(), language)
    has_forced = any(token[i - 1].islower() and token[i].isupper() for i in range(1, len(token)))
    bounds = (0, *cuts, len(token))
    parts = [token[a:b] for a, b in itertools.pairwise(bounds)]
    # A lower-to-upper case change inside the token is its own evidence of a lost space
    # ("UnitedStates"); without one, an initial capital mid-sentence marks a likely name.
    opener = _sentence_start(text, start, language)
    if has_forced and token[0].isupper() and len(parts[0]) <= 3 and not opener:
        return None  # "McCone", "DeGaulle", "LaGuardia": a short capitalised head is a name particle
    proper = _case_of(token) == "Title" and not has_forced and not opener
    if proper and (whole > 0 or len(parts) != 2 or zipfs[1] < NAME_TAIL_ZIPF or len(parts[0]) < 2):
        return None
    if parts[-1].lower() in _DETERMINERS and not _AFTER_DETERMINER.match(text, end):
        return None  # "freedoma," cannot be "freedom a,": an article needs a word after it
    high = whole == 0 and not proper and not has_forced and len(parts) == 2 and gap >= HIGH_ALT_MARGIN
    return Repair(start, end, token, " ".join(parts), "high" if high else "medium", "run-together")


def _word_before(text: str, pos: int) -> tuple[str, str, bool]:
    """The word ending right before pos (skipping white space), the character before it (or
    the punctuation that comes first instead of a word), and whether a new paragraph starts
    in between: a blank line after a sentence, not a page break inside one."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\n":
        i -= 1
    if i < 0:
        return "", "\n", True
    if not text[i].isalpha():
        return "", text[i], text.count("\n", i + 1, pos) >= 2 and text[i] != ","
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "'’"):
        j -= 1
    return text[j : i + 1], text[j - 1] if j else "\n", False


def _pipe_repair(text: str, m: re.Match[str], language: str) -> Repair | None:
    if language != "en":
        return None  # the pronoun "I" is English
    pos = m.start()
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
    if len(line) > 1 and line[0] == "|" and line[-1] == "|":
        return None  # a table row: the bars are rules between cells
    if "|" in text[max(line_start, pos - PIPE_CROWD) : pos] or "|" in text[pos + 1 : pos + 1 + PIPE_CROWD]:
        return None  # bars a word apart are a table or noise, not lost pronouns
    nxt = _AFTER_PIPE.match(text, pos + 1)
    if nxt is None:
        return None
    word = nxt.group(1)
    if len(word) < 2 or not word.islower() or word.replace("’", "'") in _NOT_AFTER_I:
        return None
    if _zipf(word, language) < PIPE_NEXT_ZIPF:
        return None
    prev_word, prev_char, paragraph = _word_before(text, pos)
    if not prev_word:
        if not paragraph and (prev_char.isdigit() or prev_char in _CODE_NEIGHBOURS):
            return None  # "3 | 4": a separator or a damaged digit
        # Start of text or of a sentence, a comma, a quote or a bracket: a subject can begin.
        return Repair(pos, pos + 1, "|", "I", "high", "pipe-for-I")
    if prev_word.isupper() and len(prev_word) > 1:
        return None  # after an ALL-CAPS word: headings and forms, not prose
    if prev_word.lower() in _NOT_BEFORE_I:
        return None  # "their | threat": a subject pronoun cannot follow an article or preposition
    cert = "high" if prev_word.lower() in _CLAUSE_OPENERS else "medium"
    # After any other word ("the actions | have mentioned") "I" starts a relative clause
    # without "that", which English allows; the verb after it is the evidence, so medium.
    return Repair(pos, pos + 1, "|", "I", cert, "pipe-for-I")


def _initials_repair(text: str, m: re.Match[str]) -> Repair | None:
    run = m.group()
    letters = [c for c in run if c.isalpha()]
    if "l" not in letters or all(c == "l" for c in letters):
        return None  # no "l", or only "l": "l." alone is the abbreviation of "line"
    start, end = m.span()
    after = _NAME_AFTER.match(text, end)
    before = _NAME_BEFORE.search(text, max(0, start - 60), start)
    # Initials belong to a name: a capitalised or all-caps surname must stand right next to
    # them ("A.l. MIKOYAN", "Mikoyan A.l."). Without one, "A.l." is not evidence of anything.
    name = after.group(1) if after else before.group(1) if before else None
    if name is None or len(name) < 2:
        return None
    return Repair(start, end, run, run.replace("l", "I"), "high", "l-for-I")


def _in_spans(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    # Spans are sorted and disjoint: only the last one starting before b can reach past a.
    k = bisect.bisect_left(starts, b) - 1
    return k >= 0 and spans[k][1] > a


def find_repairs(text: str, language: str = "en") -> list[Repair]:
    """Proposed OCR repairs in text: non-overlapping, sorted by start, text[start:end] == orig.

    language is a wordfreq language code; the "|" and one-letter-word rules apply to English
    only, the others to any language with a word list."""
    # URLs and e-mail addresses are copied, never read as words.
    spans = [u.span() for u in _URL.finditer(text)]
    starts = [s for s, _ in spans]
    found: list[Repair] = []
    zipf = _zipf
    for m in _TOKEN.finditer(text):
        token = m.group()
        # Fast path: most tokens are common words; the cached lookup settles them.
        if len(token) < MIN_TOKEN_LEN or zipf(token.lower(), language) >= WORD_ZIPF:
            continue
        r = _join_repair(text, m, language)
        if r is not None and not (spans and _in_spans(spans, starts, r.start, r.end)):
            found.append(r)
    if "|" in text:
        bars = text.count("|")
        pipes = [r for m in _PIPE.finditer(text) if (r := _pipe_repair(text, m, language)) is not None]
        if len(pipes) < PIPE_PLAUSIBLE_SHARE * bars:
            pipes = [r for r in pipes if r.cert == "high"]
        found.extend(r for r in pipes if not (spans and _in_spans(spans, starts, r.start, r.end)))
    if "l." in text:
        for m in _INITIALS.finditer(text):
            r = _initials_repair(text, m)
            if r is not None and not (spans and _in_spans(spans, starts, r.start, r.end)):
                found.append(r)
    found.sort(key=lambda r: (r.start, r.end))
    # The three kinds cannot overlap by construction (a token has no "|" or ".", an initials
    # run is not a token), but keep the guarantee explicit: the earlier repair wins.
    out: list[Repair] = []
    for r in found:
        if not out or r.start >= out[-1].end:
            out.append(r)
    return out


def apply_repairs(text: str, repairs: list[Repair]) -> str:
    """The regularised text: each repair's orig replaced by its reg."""
    parts: list[str] = []
    pos = 0
    for r in repairs:
        parts.append(text[pos : r.start])
        parts.append(r.reg)
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)
