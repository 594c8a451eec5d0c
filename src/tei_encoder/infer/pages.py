"""Page conventions of a corpus: form feeds, printed page numbers, the blank runs between pages."""

from __future__ import annotations

import re
from collections import Counter

from .evidence import Findings, Sample, shown

# Lines that print a page's number, in the forms transcripts use ("--- Page 4 ---", "- 4 -",
# "[Page 4]", "Page 4", "4"): each is tried on a line standing alone.
PAGE_MARKERS: dict[str, str] = {
    "rule": r"^[-=_*]{2,}\s*(?:Page|Seite|Página|Pagina|Стр\.?|Страница)\s+(?P<n>\d{1,4})\s*[-=_*]{2,}$",
    "bracketed": r"^\[\s*(?:Page|Seite|Página|p\.)\s*(?P<n>\d{1,4})\s*\]$",
    "word": r"^(?:Page|PAGE|Seite|SEITE|Página)\s+(?P<n>\d{1,4})$",
    "dashed": r"^[-–—]\s*(?P<n>\d{1,4})\s*[-–—]$",
    "bare": r"^(?P<n>\d{1,4})$",
}
_MARKERS = {kind: re.compile(p) for kind, p in PAGE_MARKERS.items()}


def _blank_run_before(lines: list[str], index: int) -> int:
    run = 0
    while index - run - 1 >= 0 and not lines[index - run - 1].strip():
        run += 1
    return run


def _page_numbers(lines: list[str]) -> list[tuple[str, int, int, str]]:
    """(kind, number, blank lines before, line) of every line that prints a page number."""
    found = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or len(line) > 40:
            continue
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
        for kind, pattern in _MARKERS.items():
            m = pattern.match(line)
            # A bare or dashed number counts only standing alone between blank lines: "1962" in a
            # list of years is text, and so is a number inside a paragraph.
            if m and (kind not in ("bare", "dashed") or alone):
                found.append((kind, int(m.group("n")), _blank_run_before(lines, i), line))
                break
    return found


def _ascending(numbers: list[int]) -> bool:
    """Page numbers go up, mostly by one: a column of figures or a list of years does not."""
    if len(numbers) < 2:
        return False
    steps = [b - a for a, b in zip(numbers, numbers[1:])]
    return sum(1 for s in steps if s == 1) >= max(1, len(steps) * 0.6)


def survey_pages(samples: list[Sample]) -> Findings:
    """Decide page_break_min_blank, number_pages, running_heads and the page-number pattern."""
    out = Findings()
    feeds = [s.name for s in samples if "\f" in s.text]
    by_kind: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    runs: list[int] = []
    paged_files = 0
    for sample in samples:
        marks = _page_numbers(sample.text.split("\n"))
        kinds = Counter(k for k, *_ in marks)
        if not kinds:
            continue
        kind = kinds.most_common(1)[0][0]
        of_kind = [m for m in marks if m[0] == kind]
        if not _ascending([n for _, n, _, _ in of_kind]):
            continue
        paged_files += 1
        by_kind[kind] += len(of_kind)
        examples.setdefault(kind, []).extend(line for *_, line in of_kind[:3])
        runs.extend(run for _, _, run, _ in of_kind)
    if feeds:
        out.note(f"form feeds in {len(feeds)} of {len(samples)} files: each is a page boundary whatever the setting below")
    if by_kind and paged_files >= max(1, 0.3 * len(samples)):
        kind, count = by_kind.most_common(1)[0]
        least = min((r for r in runs if r > 0), default=0)
        others = _blank_runs(samples, besides=_MARKERS[kind])
        why = (
            f"printed page numbers in {paged_files} of {len(samples)} files ({count} lines, form '{kind}'), "
            f"e.g. {shown(examples[kind])}"
        )
        out.set("blocks", "page_number_pattern", PAGE_MARKERS[kind], why, examples[kind])
        out.set("blocks", "number_pages", True, "page breaks take the printed numbers")
        # Only a run longer than the usual gap between paragraphs can mark a page by itself.
        if least >= 2 and sum(1 for r in others if r >= least) <= 0.05 * len(others):
            out.set(
                "blocks", "page_break_min_blank", least,
                f"the page-number lines stand after runs of {least} or more blank lines",
            )
        return out
    if by_kind:
        out.note(f"printed page numbers in only {paged_files} of {len(samples)} files: no page setting follows")
    if feeds:
        out.set("blocks", "number_pages", True, "the pages are shown by form feeds; they are counted from 2")
        return out
    blank = Counter(_blank_runs(samples))
    cuts, between = _sentence_cuts(samples)
    gap = between.most_common(1)[0][0] if between else 1
    # A run longer than the paragraph gap that cuts sentences in two is a page boundary of
    # the original (an OCR'd page ends wherever the page ends, not where a sentence does).
    long_cuts = sorted((run, found) for run, found in cuts.items() if run > gap)
    if sum(len(found) for _, found in long_cuts) >= 2:
        least = long_cuts[0][0]
        places = [e for _, found in long_cuts for e in found]
        out.set(
            "blocks", "page_break_min_blank", least,
            f"runs of {least} or more blank lines cut {len(places)} sentences in two (paragraphs are "
            f"{gap} blank line{'s' if gap != 1 else ''} apart): they are the pages of the original, e.g. {shown(places, 2, 50)}",
            places,
        )
        out.set("blocks", "number_pages", True, "page breaks are counted from 2")
        return out
    shown_runs = ", ".join(f"{n} lines: {c}" for n, c in sorted(blank.items())[:4] if n >= 2)
    out.set(
        "blocks", "page_break_min_blank", 0,
        "no page numbers or form feeds in the sample: blank-line runs are layout, not pages"
        + (f" (runs seen: {shown_runs})" if shown_runs else ""),
    )
    out.set("blocks", "running_heads", False, "with no pages there are no running heads: repeated lines are text")
    return out


_OPEN_END = (",", ";", "-", "—", "–")


def _sentence_cuts(samples: list[Sample]) -> tuple[dict[int, list[str]], Counter[int]]:
    """Per length of blank run, the places where such a run falls inside a sentence; and how
    often each length falls between sentences (the gap between paragraphs is the commonest)."""
    cuts: dict[int, list[str]] = {}
    between: Counter[int] = Counter()
    for sample in samples:
        lines = sample.text.split("\n")
        last = ""
        run = 0
        for line in lines:
            text = line.strip()
            if not text:
                run += 1
                continue
            if run and last and (text[0].islower() or last.endswith(_OPEN_END)):
                cuts.setdefault(run, []).append(f"{last[-20:]} / {text[:20]}")
            elif run and last.endswith((".", "!", "?", ":", '"', "”")):
                between[run] += 1
            last, run = text, 0
    return cuts, between


def _blank_runs(samples: list[Sample], besides: re.Pattern[str] | None = None) -> list[int]:
    """The lengths of the blank-line runs, leaving out those next to a line `besides` matches."""
    runs = []
    for sample in samples:
        run = 0
        after_mark = False
        for line in sample.text.split("\n"):
            text = line.strip()
            if text:
                mark = besides is not None and besides.match(text) is not None
                if run and not mark and not after_mark:
                    runs.append(run)
                run, after_mark = 0, mark
            else:
                run += 1
    return runs
