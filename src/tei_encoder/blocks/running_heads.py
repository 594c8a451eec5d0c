"""Running heads and feet: lines a page repeats at its top or foot → fw header, footer, pageNum.

A typescript repeats its furniture on every page: a classification ("SECRET"), a document
number, a title, a line that counts the pages ("HW 50955 Docid:32205165 Page 3", "- 4 -").
OCR puts them into the text, where they cut paragraphs and sentences. Two kinds of evidence:

- Page boundaries the text shows (blank runs, form feeds, stamps, a page number alone): a
  line standing within `running_head_lines` lines of a boundary, and seen so on at least
  `running_head_min_pages` pages, is a running head (after the boundary) or foot (before
  it). Page 1's top and the last page's foot count as boundaries of their own.
- Where the text shows no boundary, a line that recurs with a number counting the pages up
  ("Page 3", "Page 4" …; "-2-", "-3-" …), at least three times and a page apart, shows the
  boundaries itself: it is a running foot when it also ends the document, else a head.

Lines are compared as OCR reads them: case, punctuation and spacing aside, the digits of a
page number aside, and a close reading ("Docid", "Docld", "DBoclda") counting as the same.
A line must be short, hold no bracket, and not open a speaker's turn.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..inlines.dates import DATE_RE

MAX_CHARS = 60  # running heads are short; a longer line is text
_SIMILAR = 0.8  # SequenceMatcher ratio at which two normalised lines are one line read twice
_PAGE_LINES = 3  # lines a page holds at least between two lines that count the pages
_COUNTERS = 3  # lines counting the pages that show page boundaries by themselves
_MAX_NUMBER = 999  # a page counter has at most three digits (a year is no page number)
_INDEX_LIMIT = 30  # a word more keys share than this is no evidence that two keys are alike

_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
# A page number set off on both sides, as typescripts print it: "-2-", "- 12 -"; OCR reads
# the dashes as "=" or "~" ("=3-", "~5-").
_DECORATED = re.compile(r"^[-–—~=]\s*(\d{1,3})\s*[-–—~=]$")
# The same with its digits misread ("-ll-", "-1L3-"): accepted only where the numbers
# around it leave its place free.
_MISREAD = re.compile(r"^[-–—~=]\s*[\dlIL|Oo]{1,4}\s*[-–—~=]$")
_NUMBER_KEY = "\x00page-number"  # the key all page-number lines share


@dataclass(frozen=True)
class Options:
    """What the rule needs from the profile."""

    min_pages: int
    window: int
    page_number: re.Pattern[str]
    excluded: Callable[[str], bool]  # lines that are never forme work (a speaker's turn)
    opening: Callable[[str], bool]  # lines at the top of page 1 that open the document


@dataclass(slots=True)
class _Zone:
    """The forme work around one page boundary (or the top of the first page, the foot of the last)."""

    start: int  # first line of the forme work known so far
    end: int  # past its last line
    pb: int | None  # the page boundary: before this line; None at the edges of the document
    cut: int  # lines before this are the foot of a page, lines from it the top of the next
    before: int = 0  # the page that ends here (counted from 0)
    after: int = 0  # the page that begins


@dataclass(frozen=True)
class Found:
    """Forme work found: line → fw type, and the page boundaries it shows."""

    furniture: dict[int, str]
    breaks: set[int]


def find_running_heads(lines: list[str], boundaries: dict[int, int], known: dict[int, str], options: Options) -> Found:
    """Forme work among `lines` (stripped, in order).

    `boundaries` maps each page boundary the text shows (before that line) to the end of the
    forme work already known there (a stamp, a page number alone); `known` is that forme work.
    """
    n = len(lines)
    anchors, roles, counted = _page_counters(lines, known, options)
    zones = _zones(n, boundaries, anchors, roles, options.window)
    candidates = _candidates(lines, zones, known, anchors, options)
    running, members = _running(lines, candidates, options)
    running += counted
    furniture: dict[int, str] = {}
    for index, zone in enumerate(zones):
        low = zones[index - 1].end if index else 0
        high = zones[index + 1].start if index + 1 < len(zones) else n

        def kind(pos: int, zone: _Zone = zone) -> str | None:
            if pos in anchors:
                return "pageNum" if anchors[pos] == "pageNum" else _side(pos, zone)
            group = members.get(pos)
            if group is None and _eligible(lines[pos], options) and not (zone.pb is None and zone.cut == 0 and options.opening(lines[pos])):
                group = _contains_running(lines[pos], running)
            if group is None:
                return None
            return "pageNum" if group == _NUMBER_KEY else _side(pos, zone)

        for pos in range(zone.start, zone.end):
            if pos not in known and (found := kind(pos)):
                furniture[pos] = found
        # Outwards from the boundary, while the lines are forme work (OCR specks between them aside).
        for pos in _near(lines, zone.start - 1, -1, low, options.window):
            if pos in known or not (found := kind(pos)):
                break
            furniture[pos] = found
        for pos in _near(lines, zone.end, 1, high - 1, options.window):
            if pos in known or not (found := kind(pos)):
                break
            furniture[pos] = found
    breaks = {z.pb for z in zones if z.pb is not None and z.pb not in boundaries}
    return Found(furniture, breaks)


def _near(lines: list[str], pos: int, step: int, limit: int, count: int) -> list[int]:
    """Up to `count` lines from `pos` on, towards `limit` (included), past lines of specks only."""
    out: list[int] = []
    while len(out) < count and (pos >= limit if step < 0 else pos <= limit):
        if not is_speck(lines[pos]):
            out.append(pos)
        pos += step
    return out


def is_speck(text: str) -> bool:
    """A line OCR made of marks on the paper, with no letter or digit ("\\", "|", ". ,")."""
    return not any(c.isalnum() for c in text)


def _side(pos: int, zone: _Zone) -> str:
    return "footer" if pos < zone.cut else "header"


def _eligible(text: str, options: Options) -> bool:
    return len(text) <= MAX_CHARS and "[" not in text and "]" not in text and not options.excluded(text)


def _key(text: str) -> str | None:
    """A line as compared: words in lower case; digits of a line with words stand for any number."""
    words = _WORD.findall(text.lower())
    if sum(c.isalpha() for c in text) >= 3:
        return " ".join(_DIGITS.sub("#", w) for w in words)
    if sum(len(w) for w in words) >= 3:
        return " ".join(words)  # a number alone must be the same number
    return None


def page_number(text: str, pattern: re.Pattern[str]) -> int | None:
    """The number of a line that is a page number and nothing else."""
    m = _DECORATED.match(text)
    if m:
        return int(m.group(1))
    if pattern.match(text):
        digits = re.sub(r"\D", "", text)
        return int(digits) if digits and len(digits) <= 4 else None
    return None


# ---- page counters: lines that show the page boundaries themselves --------------------------


def _chain(members: list[tuple[int, int]]) -> list[int]:
    """The longest run of (line, number) members whose number goes up by 1 to 3, a page apart."""
    best: dict[int, int] = {}  # number → the member ending the longest run with it
    length: list[int] = []
    back: list[int] = []
    for i, (pos, value) in enumerate(members):
        length.append(1)
        back.append(-1)
        for step in (1, 2, 3):
            j = best.get(value - step)
            if j is not None and pos - members[j][0] > _PAGE_LINES and length[j] + 1 > length[i]:
                length[i], back[i] = length[j] + 1, j
        j = best.get(value)
        if j is None or length[i] > length[j]:
            best[value] = i
    if not members:
        return []
    end = max(range(len(members)), key=lambda i: (length[i], -i))
    chain: list[int] = []
    while end >= 0:
        chain.append(end)
        end = back[end]
    return chain[::-1]


def _page_counters(
    lines: list[str], known: dict[int, str], options: Options
) -> tuple[dict[int, str], dict[int, str], list[list[str]]]:
    """Lines counting the pages (line → "pageNum" or "counter"), the role of each, and their words."""
    need = max(_COUNTERS, options.min_pages)
    anchors: dict[int, str] = {}
    groups: list[list[int]] = []
    # Page numbers set off by dashes.
    short = [pos for pos, text in enumerate(lines) if len(text) <= MAX_CHARS and pos not in known]  # most lines are text
    numbers = [(pos, int(m.group(1))) for pos in short if len(lines[pos]) <= 11 and (m := _DECORATED.match(lines[pos]))]
    chain = [numbers[i] for i in _chain(numbers)]
    if len(chain) >= need:
        filled: list[int] = []  # misread numbers in the one place the numbers around leave free
        for (a, va), (b, vb) in zip(chain, chain[1:]):
            misread = [p for p in range(a + 1, b) if p not in known and _MISREAD.match(lines[p]) and not _DECORATED.match(lines[p])]
            if vb - va == 2 and len(misread) == 1:
                filled.append(misread[0])
        group = sorted([pos for pos, _ in chain] + filled)
        anchors.update((pos, "pageNum") for pos in group)
        groups.append(group)
    # Lines with words and a number that counts up: "HW 50955 Docid:32205165 Page 3".
    counted: list[list[str]] = []
    by_key: dict[str, list[int]] = {}
    for pos in short:
        text = lines[pos]
        if pos in anchors or not _DIGITS.search(text) or not _eligible(text, options):
            continue
        if sum(c.isalpha() for c in text) < 3 or DATE_RE.search(text):
            continue
        key = _key(text)
        if key is not None:
            by_key.setdefault(key, []).append(pos)
    for keys in _alike(list(by_key)):
        positions = sorted(p for k in keys for p in by_key[k])
        if len(positions) < need:
            continue
        best: list[tuple[int, int]] = []
        for which in (-1, 0):  # the page's number is the last number of the line, or the first
            members = [(p, int(d)) for p in positions if len(d := _DIGITS.findall(lines[p])[which]) <= 3]
            run = [members[i] for i in _chain(members)]
            if len(run) > len(best):
                best = run
        if len(best) >= need:
            anchors.update((pos, "counter") for pos, _ in best)
            groups.append([pos for pos, _ in best])
            counted.append(max(keys, key=lambda k: (len(by_key[k]), k)).split())
    # A counter that ends the document (only forme work after it) is a running foot.
    roles: dict[int, str] = {}
    for group in groups:
        after = sum(1 for p in range(group[-1] + 1, len(lines)) if p not in anchors)
        role = "footer" if after <= options.window else "header"
        roles.update((p, role) for p in group)
    return anchors, roles, counted


# ---- zones: the forme work around each page boundary ----------------------------------------


def _zones(n: int, boundaries: dict[int, int], anchors: dict[int, str], roles: dict[int, str], window: int) -> list[_Zone]:
    zones: list[_Zone] = []
    used: set[int] = set()
    clusters: list[list[int]] = []
    for pos in sorted(anchors):
        if clusters and pos - clusters[-1][-1] - 1 <= window:
            clusters[-1].append(pos)
        else:
            clusters.append([pos])
    known = sorted(boundaries)
    for cluster in clusters:
        start, end = cluster[0], cluster[-1] + 1
        low, high = bisect_left(known, start - window - 1), bisect_right(known, end + window)
        near = [p for p in known[low:high] if p not in used]
        if near:
            pb = min(near, key=lambda p: min(abs(p - start), abs(p - end)))
            used.add(pb)
            zones.append(_Zone(min(start, pb), max(end, boundaries[pb]), pb, pb))
            continue
        feet = [p for p in cluster if roles.get(p) == "footer"]
        cut = feet[-1] + 1 if feet else start
        zones.append(_Zone(start, end, cut if 0 < cut < n else None, cut))
    for pb, end in boundaries.items():
        if pb not in used:
            zones.append(_Zone(pb, end, pb, pb))
    zones.append(_Zone(0, 0, None, 0))  # the top of the first page
    zones.append(_Zone(n, n, None, n))  # the foot of the last
    zones.sort(key=lambda z: (z.start, z.end))
    page = 0
    for zone in zones:
        zone.before = page
        if zone.pb is not None:
            page += 1
        zone.after = page
    return zones


# ---- running lines: seen near the boundaries of enough pages --------------------------------


def _candidates(lines: list[str], zones: list[_Zone], known: dict[int, str], anchors: dict[int, str], options: Options) -> dict[int, int]:
    """Lines near a page boundary that could be forme work, with the page each stands on."""
    out: dict[int, int] = {}
    n = len(lines)
    for index, zone in enumerate(zones):
        low = zones[index - 1].end if index else 0
        high = zones[index + 1].start if index + 1 < len(zones) else n
        top = zone.pb is None and zone.cut == 0  # the top of the first page

        def eligible(pos: int) -> bool:
            return _eligible(lines[pos], options) and not (top and options.opening(lines[pos]))

        inside = [p for p in range(zone.start, zone.end) if p not in known and p not in anchors and eligible(p)]
        # Outwards from the boundary, as far as the lines could all be forme work.
        outside: list[int] = []
        for way in (_near(lines, zone.start - 1, -1, low, options.window), _near(lines, zone.end, 1, high - 1, options.window)):
            for pos in way:
                if pos in known or pos in anchors:
                    continue
                if not eligible(pos):
                    break
                outside.append(pos)
        for pos in [*inside, *outside]:
            out[pos] = zone.before if pos < zone.cut else zone.after
    return out


def _running(lines: list[str], candidates: dict[int, int], options: Options) -> tuple[list[list[str]], dict[int, str]]:
    """The running lines: their words (for lines read with noise around them), and line → key."""
    by_key: dict[str, list[int]] = {}
    numbers: dict[int, int] = {}
    for pos in sorted(candidates):
        value = page_number(lines[pos], options.page_number)
        if value is not None:
            numbers[pos] = value
            by_key.setdefault(_NUMBER_KEY, []).append(pos)
            continue
        key = _key(lines[pos])
        if key is not None and _first_letter_upper(lines[pos]):
            by_key.setdefault(key, []).append(pos)
    running: list[list[str]] = []
    members: dict[int, str] = {}
    for keys in _alike([k for k in by_key if k != _NUMBER_KEY]) + ([[_NUMBER_KEY]] if _NUMBER_KEY in by_key else []):
        positions = sorted(p for k in keys for p in by_key[k])
        if len({candidates[p] for p in positions}) < options.min_pages:
            continue
        if keys == [_NUMBER_KEY]:
            values = [numbers[p] for p in positions]
        else:
            digits = [_DIGITS.findall(lines[p]) for p in positions]
            values = [int(d[-1]) if d else 0 for d in digits]
            if len({tuple(d) for d in digits}) == 1:
                values = []  # the same line on every page
        if values and not _counts_up(values):
            continue  # numbers that do not count the pages: a heading numbered in the text
        main = max(keys, key=lambda k: (len(by_key[k]), k))
        if main != _NUMBER_KEY:
            running.append(main.split())
        members.update((p, main) for p in positions)
    return running, members


def _first_letter_upper(text: str) -> bool:
    """A line that opens with a small letter carries on a sentence: it is text."""
    first = next((c for c in text if c.isalpha()), "")
    return not first or not first.islower()


def _counts_up(values: list[int]) -> bool:
    return all(b >= a for a, b in zip(values, values[1:])) and values[-1] > values[0]


def _contains_running(text: str, running: list[list[str]]) -> str | None:
    """A running line read with a little OCR noise around it ("ee ' SECRET rc"), or read in part
    ("HW 50955" of "HW 50955 Docid:32205165 Page 3")."""
    if sum(c.isalpha() for c in text) < 2:
        return None
    words = [_DIGITS.sub("#", w) for w in _WORD.findall(text.lower())]
    for run in running:
        if _within(run, words):
            extra = len(words) - len(run)
            if extra == 0 or (extra <= 2 and all(len(w) <= 3 for w in words if w not in run)):
                return " ".join(run)
        if len(words) >= 2 and any(w.isalpha() for w in words) and _within(words, run):
            return " ".join(run)
    return None


def _within(part: list[str], whole: list[str]) -> bool:
    """Whether `part` is a run of consecutive words of `whole`."""
    size = len(part)
    return any(whole[i : i + size] == part for i in range(len(whole) - size + 1))


def _alike(keys: list[str]) -> list[list[str]]:
    """Keys grouped where OCR read one line in several ways (single linkage, close readings)."""
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    index: dict[str, list[str]] = {}
    for k in keys:
        for word in set(k.split()):
            if len(word) >= 3 and word != "#":
                index.setdefault(word, []).append(k)
    compared: set[tuple[str, str]] = set()
    for shared in index.values():
        if len(shared) > _INDEX_LIMIT:
            continue
        for i, a in enumerate(shared):
            for b in shared[i + 1 :]:
                if (a, b) in compared or root(a) == root(b):
                    continue
                compared.add((a, b))
                matcher = SequenceMatcher(None, a, b)
                if matcher.real_quick_ratio() >= _SIMILAR and matcher.quick_ratio() >= _SIMILAR and matcher.ratio() >= _SIMILAR:
                    parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())
