"""Page boundaries: long blank runs (or a paragraph cut mid-sentence) become page breaks.

Forme work stands at the boundaries: a printed page number alone between two of them, a
record stamp heading each page of a release, and the running heads and feet the rule in
running_heads.py finds. Each line of it becomes a chunk of its own (an fw), placed with the
page break; a sentence that runs across the page is one paragraph with the pb and the fw in it.
"""

from __future__ import annotations

import re

from ..inlines.brackets import BracketVocabulary
from ..inlines.dates import parse_date
from ..model import Chunk
from .running_heads import Options, find_running_heads, is_speck
from .state import BlockState

_OPEN_END = (",", ";", "-", "—", "–")


def _continues(prev: Chunk, nxt: Chunk, state: BlockState) -> bool:
    """Whether the text of `nxt` carries on the sentence that `prev` left open."""
    last = prev.lines[-1].rstrip()
    first = nxt.lines[0].lstrip()
    if not first or not last:
        return False
    if _opens_turn(nxt, state):
        return False
    if first[0].islower():
        return True
    return last.endswith(_OPEN_END) or (last[-1].isalpha() and not last.isupper())


def _opens_turn(chunk: Chunk, state: BlockState) -> bool:
    return state.opens_turn(chunk.lines[0].lstrip())


def page_breaks(state: BlockState) -> bool:
    """Mark page boundaries between chunks, merging chunks a boundary cuts in mid-sentence."""
    infer = state.opt("infer_breaks_in_sentences")
    body = state.chunks[state.pos :]
    if not body:
        state.breaks_before = {}
        return False
    pieces = _pieces(state, body)
    merged: list[Chunk] = state.chunks[: state.pos] + [pieces[0][0]]
    kinds: dict[int, str] = {}
    zone: list[tuple[Chunk, bool]] = []  # forme work waiting for the text after it
    for chunk, page, joined in pieces[1:]:
        if chunk.furniture or (zone and all(is_speck(line) for line in chunk.lines)):
            zone.append((chunk, page))  # specks of OCR between forme work stay with it, as text
            continue
        prev = merged[-1]
        if not zone and not page:
            if (
                infer
                and not prev.furniture
                and chunk.blank_before >= 1
                and chunk.lines[0].lstrip()[:1].islower()
                and _continues(prev, chunk, state)
            ):
                _merge(prev, chunk, "inferred")
                state.warn("TE202", "a blank line cuts this sentence: read as a page break inside the paragraph", chunk.offsets[0])
                continue
            merged.append(chunk)
            continue
        paged = page or any(p for _, p in zone)
        stamped = any(c.furniture == "stamp" for c, _ in zone)  # a stamp opens a new page: no merging
        # Across a page, the text goes on when the sentence does; forme work inside a page
        # (no boundary) leaves the paragraph it stood in whole.
        goes_on = _continues(prev, chunk, state) if paged else joined and not _opens_turn(chunk, state)
        if not stamped and not prev.furniture and goes_on:
            in_fw = False
            for part, part_page in [*zone, (chunk, page)]:
                if part.furniture:
                    kind = ("pb-" if part_page else "") + "fw:" + part.furniture
                elif in_fw:
                    kind = "pb-fw-end" if part_page else "fw-end"
                else:
                    kind = "page" if part_page else ""
                _merge(prev, part, kind)
                in_fw = bool(part.furniture)
        else:
            for part, part_page in [*zone, (chunk, page)]:
                if part_page:
                    kinds[len(merged)] = "page"
                merged.append(part)
        zone = []
    for part, part_page in zone:  # forme work at the foot of the last page
        if part_page:
            kinds[len(merged)] = "page"
        merged.append(part)
    state.chunks = merged
    state.breaks_before = kinds
    return False


def _shows_pages(body: list[Chunk], min_blank: int, number_re: re.Pattern[str], marker_re: re.Pattern[str] | None) -> bool:
    """Whether the text shows its pages: a form feed, a page marker line, a sentence cut by a
    blank run, or two printed page numbers alone between blank runs, going up."""
    if any(chunk.form_feed for chunk in body):
        return True
    if marker_re is not None and any(marker_re.match(line.strip()) for chunk in body for line in chunk.lines):
        return True
    for prev, chunk in zip(body, body[1:]):
        # A sentence cut by a long blank run ("… and it runs⏎⏎⏎on across the page.") shows a page.
        last = prev.lines[-1].rstrip()
        if min_blank and chunk.blank_before >= min_blank and chunk.lines[0].lstrip()[:1].islower() and last[-1:].isalpha():
            return True
    numbers: list[int] = []
    for index in range(1, len(body) - 1):
        chunk = body[index]
        if (
            len(chunk.lines) == 1
            and number_re.match(chunk.lines[0].strip())
            and chunk.blank_before >= max(min_blank, 1)
            and body[index + 1].blank_before >= max(min_blank, 1)
        ):
            numbers.append(int(re.sub(r"\D", "", chunk.lines[0]) or 0))
    return len(numbers) >= 2 and numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def _heads_show_pages(state: BlockState, body: list[Chunk], min_blank: int) -> bool:
    """Whether, taking the blank runs for pages, lines repeat at their tops or feet that are
    running heads: no sentence among them ("Roger.", "Over." repeated in a radio log are speech)."""
    if not state.opt("running_heads") or not min_blank:
        return False
    starts: list[int] = []
    lines: list[str] = []
    for chunk in body:
        starts.append(len(lines))
        lines.extend(line.strip() for line in chunk.lines)
    bounds = {starts[i]: starts[i] for i in range(1, len(body)) if body[i].blank_before >= min_blank}
    if not bounds:
        return False
    found = find_running_heads(lines, bounds, {}, _options(state))
    return bool(found.furniture) and not any(lines[i].endswith((".", "!", "?", ":")) for i in found.furniture)


def _pieces(state: BlockState, body: list[Chunk]) -> list[tuple[Chunk, bool, bool]]:
    """The body's chunks with each line of forme work cut out as a chunk of its own.

    Each piece comes with whether a page boundary stands before it, and whether it is text
    that forme work cut from the text before it (the two were one paragraph).
    """
    min_blank = state.opt("page_break_min_blank")
    number_re = re.compile(state.opt("page_number_pattern"))
    stamp_re = re.compile(state.opt("page_stamp_pattern")) if state.opt("page_stamp_pattern") else None

    marker_re = state.page_marker
    if (
        state.opt("blank_pages_need_evidence")
        and not _shows_pages(body, min_blank, number_re, marker_re)
        and not _heads_show_pages(state, body, min_blank)
    ):
        min_blank = 0  # a radio log's or an interview's blank runs are no pages

    def is_page(chunk: Chunk) -> bool:
        return chunk.form_feed or (bool(min_blank) and chunk.blank_before >= min_blank)

    # Boundaries the text shows, and the forme work that makes a chunk alone: a stamp at the
    # head of a page (the boundary before it), a page number alone between two boundaries.
    page = [False] * len(body)
    alone: dict[int, str] = {}
    pending = ""
    for index in range(len(body)):
        chunk = body[index]
        last = index + 1 == len(body)
        if marker_re is not None and len(chunk.lines) == 1 and marker_re.match(chunk.lines[0].strip()):
            # "--- Page 4 ---": the page is shown by the line itself (none before the first page).
            alone[index], page[index], pending = "pageNum", index > 0, "number"
            continue
        if not index:
            continue
        if stamp_re is not None and not last and len(chunk.lines) == 1 and stamp_re.match(chunk.lines[0].strip()):
            alone[index], page[index], pending = "stamp", True, "stamp"
            continue
        if pending:  # the page the stamp or the number opened: no boundary of its own
            pending = ""
            continue
        if (
            is_page(chunk)
            and len(chunk.lines) == 1
            and number_re.match(chunk.lines[0].strip())
            and not last
            and is_page(body[index + 1])
        ):
            alone[index], page[index], pending = "pageNum", True, "number"
            continue
        page[index] = is_page(chunk)
    # The lines of the body, and where each chunk starts among them.
    starts: list[int] = []
    lines: list[str] = []
    for chunk in body:
        starts.append(len(lines))
        lines.extend(line.strip() for line in chunk.lines)
    known = {starts[i]: kind for i, kind in alone.items()}
    breaks = {starts[i] for i, p in enumerate(page) if p}
    if marker_re is not None:
        # A marker inside a block of text ("… the treaty.⏎[Page 4]⏎The next …") cuts it there.
        for at, line in enumerate(lines):
            if at and at not in known and marker_re.match(line):
                known[at] = "pageNum"
                breaks.add(at)
    furniture = dict(known)
    if state.opt("running_heads"):
        found = find_running_heads(lines, {starts[i]: starts[i] + (i in alone) for i in range(len(body)) if page[i]}, known, _options(state))
        furniture.update(found.furniture)
        breaks |= found.breaks
        if found.furniture:
            state.facts["running_heads"] = state.facts.get("running_heads", 0) + len(found.furniture)
    pieces: list[tuple[Chunk, bool, bool]] = []
    for index, chunk in enumerate(body):
        base = starts[index]
        cuts = [i for i in range(len(chunk.lines)) if base + i in furniture]
        if not cuts:
            pieces.append((chunk, base in breaks, False))
            continue
        text_before = False
        start = 0
        for i in [*cuts, len(chunk.lines)]:
            if start < i:  # text between forme work
                pieces.append((_part(chunk, start, i), base + start in breaks, text_before))
                text_before = True
            if i < len(chunk.lines):
                part = _part(chunk, i, i + 1)
                part.furniture = furniture[base + i]
                pieces.append((part, base + i in breaks, False))
            start = i + 1
    return pieces


def _part(chunk: Chunk, start: int, end: int) -> Chunk:
    """Lines start:end of a chunk; only the first part keeps the blank lines before the chunk."""
    if start == 0 and end == len(chunk.lines):
        return Chunk(chunk.lines, chunk.offsets, chunk.blank_before, chunk.first_line, dict(chunk.breaks), chunk.form_feed)
    breaks = {i - start: k for i, k in chunk.breaks.items() if start < i < end}
    first = start == 0
    return Chunk(
        chunk.lines[start:end],
        chunk.offsets[start:end],
        chunk.blank_before if first else 0,
        chunk.first_line + start,
        breaks,
        chunk.form_feed and first,
    )


# Lines other rules read as the document's structure are never forme work, even when a file
# repeats them (two copies of one memorandum): a numbered section, a date alone.
_SECTION = re.compile(r"^\d{1,3}\\?\.\s+\S")


def _options(state: BlockState) -> Options:
    opening = [*state.heading_res, *state.opener_patterns.values()]
    turns = state.turns_enabled
    labels = state.opt("memo_labels")
    memo = re.compile(r"^\W{0,2}\s*(?:" + "|".join(re.escape(x) for x in labels) + r")\b") if labels else None
    start = state.document_start
    # Brackets and [sic] markers are read inside a paragraph before its forme work: a line
    # holding one stays text.
    markup = BracketVocabulary.from_profile(state.profile.data["brackets"], state.markdown).scanner

    def excluded(text: str) -> bool:
        return bool(
            markup.search(text)
            or _SECTION.match(text)
            or (memo is not None and memo.match(text))
            or (start is not None and start.match(text))
            or (turns and state.opens_turn(text))
            or parse_date(text)
        )

    return Options(
        min_pages=state.opt("running_head_min_pages"),
        window=state.opt("running_head_lines"),
        page_number=re.compile(state.opt("page_number_pattern")),
        excluded=excluded,
        opening=lambda text: any(r.search(text) for r in opening),
    )


def _merge(prev: Chunk, chunk: Chunk, kind: str) -> None:
    if kind:
        prev.breaks[len(prev.lines)] = kind
    for index, other in chunk.breaks.items():
        prev.breaks[len(prev.lines) + index] = other
    prev.lines.extend(chunk.lines)
    prev.offsets.extend(chunk.offsets)
