"""Reversible repair of OCR damage (run-together words, "|" and "l" for "I") on strong word-frequency evidence."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from wordfreq import zipf_frequency

# --- Thresholds -------------------------------------------------------------------------
# All frequencies are on wordfreq's Zipf scale: log10 of occurrences per billion words, so
# 7.7 is "the", 3 is a word met once per million, and 0 means "not in the word list at all"
# (the English list stops near 1.0). log10 P(word) = zipf - 9.

# A token this frequent is a word in its own right and is never split. Below it, a token is
# still in the list but rare: joined pairs such as "ofthe" (3.33), "inthe" (2.58) live there,
# next to genuine rare words ("thereto" 2.93, "therein" 3.42) that a stronger test must spare.
WORD_ZIPF = 3.5

# A token that is in the word list (zipf > 0) is split only if the split is this many orders
# of magnitude more probable, as a product of unigram probabilities, than the token itself.
# "ofthe" wins by 2.7, "inthe" by 3.4; the genuine words "thereto" (2.2), "hereto" (1.9),
# "helot" (2.0) and "togas" (1.6) lose. Measured on the whole English list, nearly every
# in-list token above 3.0 is a typo that joins two function words.
LISTED_MARGIN = 3.0

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

# --- Closed word classes (grammar, not vocabulary: no word of any source is listed) -------

# Words that cannot follow the subject pronoun "I": articles, prepositions, pronouns and
# third-person verb forms. After "|" they mean the bar is a separator or a damaged "1"/"]"
# ("page | of 3", "Repelita | to"), not the pronoun.
_NOT_AFTER_I = frozenset(
    "a an the of to in on at by for from with into onto upon about than and or nor "
    "this that these those it its he she we they you him her them his our their your my "
    "is are has does was's who whom whose which".split()
)
# Words after which a clause with a new subject starts: conjunctions, complementisers,
# relative and interrogative words. "|" right after one of them is "I" with high certainty.
_CLAUSE_OPENERS = frozenset(
    "and but or nor so yet for that why when where while if as because since though although "
    "unless until whether than what how which who whom then also therefore thus".split()
)

# --- Token patterns ---------------------------------------------------------------------

# A word: letters (any script) with at most one inner apostrophe ("country’s"); the
# look-arounds forbid an adjacent letter, digit or underscore, so "1960s" or "x2" never
# yields a token.
_TOKEN = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)?(?!\w)")
# Characters that put a word into something that is not running prose: paths, URLs, e-mail,
# markup, identifiers.
_CODE_NEIGHBOURS = frozenset("/\\@&=#_~<>{}|+*^%$")
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
_NAME_AFTER = re.compile(r"[ ]+([A-Z][a-zA-Z’'-]+)")
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


@functools.lru_cache(maxsize=1 << 18)
def _zipf(word: str, language: str) -> float:
    # Cached: running text repeats its vocabulary, and wordfreq's lookup normalises each call.
    return zipf_frequency(word.replace("’", "'"), language)


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
    """Every reading of token as 1..MAX_PARTS words, best first: (log10 probability, cut
    positions, whether every part is a listed word)."""
    lower = token.lower()
    n = len(token)
    # A lower-case letter followed by a capital never happens inside an ordinary word, so
    # such a boundary must be a cut ("UnitedStates"); common names like "MacArthur" are
    # listed words and never reach this point.
    forced = [i for i in range(1, n) if token[i - 1].islower() and token[i].isupper()]
    # Apostrophe suffixes stay on their word: "thecountry’s" can only become "the country’s".
    apostrophe = max(token.find("'"), token.find("’"))
    stem_end = apostrophe if apostrophe > 0 else n
    out: list[tuple[float, tuple[int, ...], bool]] = []
    if not forced:
        # The token as it stands is always one reading: a rare word, or an unknown one.
        whole = _zipf(lower, language)
        out.append((whole - 9.0 if whole > 0 else UNKNOWN_BASE - UNKNOWN_PER_CHAR * n, (), whole > 0))

    def extend(start: int, cuts: tuple[int, ...], score: float, known: bool) -> None:
        if len(cuts) + 1 > MAX_PARTS:
            return
        for end in range(start + 1, n + 1):
            if end < n and end >= stem_end:
                break  # no cut inside or after the apostrophe suffix
            if any(start < f < end for f in forced):
                break  # a forced cut lies inside: longer parts would contain it too
            if start == 0 and end == n:
                break  # the uncut token is already a reading
            piece = token[start:end]
            # Only the first part may carry an initial capital (a sentence opener or a name);
            # later parts only where a forced cut puts one, or the pronoun "I".
            if start > 0 and piece[0].isupper() and start not in forced and piece != "I":
                continue
            part = _part_score(lower[start:end], _case_of(piece), language)
            if part is None:
                continue
            total = score + part[0]
            if end == n:
                extra = EXTRA_CUT_COST * max(0, len(cuts) - 1)
                out.append((total - extra, cuts, known and part[1]))
            else:
                extend(end, cuts + (end,), total, known and part[1])

    extend(0, (), 0.0, True)
    # Ties broken by the cut positions so that the result never depends on hashing.
    out.sort(key=lambda r: (-r[0], r[1]))
    return out


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


def _join_repair(text: str, m: re.Match[str], language: str) -> Repair | None:
    token = m.group()
    if not MIN_TOKEN_LEN <= len(token) <= MAX_TOKEN_LEN:
        return None
    if not token.replace("’", "").isascii():
        return None  # foreign words and names in other scripts: the English list cannot judge
    whole = _zipf(token.lower(), language)
    if whole >= WORD_ZIPF:
        return None
    letters = token.replace("'", "").replace("’", "")
    if letters.isupper():
        return None  # ALL-CAPS: headings, acronyms, telegram style; case gives no cue to judge
    start, end = m.span()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before in _CODE_NEIGHBOURS or after in _CODE_NEIGHBOURS:
        return None
    # "U.S", "e.g": a letter run glued to a full stop and another letter is an abbreviation.
    if (after == "." and end + 1 < len(text) and text[end + 1].isalpha()) or (
        before == "." and start >= 2 and text[start - 2].isalpha()
    ):
        return None
    case = _case_of(token)
    has_forced = any(token[i - 1].islower() and token[i].isupper() for i in range(1, len(token)))
    if case == "other" and not has_forced:
        return None  # "USAis", "iPhone": mixed case we cannot read
    readings = _readings(token, language)
    if not readings:
        return None
    score, cuts, known = readings[0]
    if not cuts or not known:
        return None  # the token read as it stands, or with an unknown word in it, is likelier
    second = readings[1][0] if len(readings) > 1 else float("-inf")
    gap = score - second
    if gap < ALT_MARGIN:
        return None
    if whole > 0 and not has_forced and score - (whole - 9.0) < LISTED_MARGIN:
        return None
    bounds = (0, *cuts, len(token))
    parts = [token[a:b] for a, b in zip(bounds, bounds[1:])]
    zipfs = [_zipf(p.lower(), language) for p in parts]
    if min(zipfs) < MIN_PART_ZIPF:
        return None  # a reading made of very rare words is no strong evidence
    # A lower-to-upper case change inside the token is its own evidence of a lost space
    # ("UnitedStates"); without one, an initial capital mid-sentence marks a likely name.
    proper = case == "Title" and not has_forced and not _sentence_start(text, start, language)
    if proper and (whole > 0 or len(parts) != 2 or zipfs[1] < NAME_TAIL_ZIPF or len(parts[0]) < 2):
        return None
    high = whole == 0 and not proper and not has_forced and len(parts) == 2 and gap >= HIGH_ALT_MARGIN
    return Repair(start, end, token, " ".join(parts), "high" if high else "medium", "run-together")


def _word_before(text: str, pos: int) -> tuple[str, str]:
    """The word ending right before pos (skipping spaces) and the character before that word,
    or ("", punctuation) when punctuation or the start of the text comes first."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\n":
        i -= 1
    if i < 0:
        return "", "\n"
    if not text[i].isalpha():
        return "", text[i]
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "'’"):
        j -= 1
    return text[j : i + 1], text[j - 1] if j else "\n"


def _pipe_repair(text: str, m: re.Match[str], language: str) -> Repair | None:
    if language != "en":
        return None  # the pronoun "I" is English
    pos = m.start()
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if line.count("|") > 1:
        return None  # several bars on a line: a table or noise, not a lost pronoun
    nxt = _AFTER_PIPE.match(text, pos + 1)
    if nxt is None:
        return None
    word = nxt.group(1)
    if not word.islower() or word.replace("’", "'") in _NOT_AFTER_I:
        return None
    if _zipf(word, language) < PIPE_NEXT_ZIPF:
        return None
    prev_word, prev_char = _word_before(text, pos)
    if not prev_word:
        if prev_char.isdigit() or prev_char in _CODE_NEIGHBOURS:
            return None  # "3 | 4": a separator or a damaged digit
        # Start of text or of a sentence, a comma, a quote or a bracket: a subject can begin.
        return Repair(pos, pos + 1, "|", "I", "high", "pipe-for-I")
    if prev_word.isupper() and len(prev_word) > 1:
        return None  # after an ALL-CAPS word: headings and forms, not prose
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
    k = bisect.bisect_right(starts, b) - 1
    return k >= 0 and spans[k][1] > a


def find_repairs(text: str, language: str = "en") -> list[Repair]:
    """Proposed OCR repairs in text: non-overlapping, sorted by start, text[start:end] == orig."""
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
        for m in _PIPE.finditer(text):
            r = _pipe_repair(text, m, language)
            if r is not None and not (spans and _in_spans(spans, starts, r.start, r.end)):
                found.append(r)
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
