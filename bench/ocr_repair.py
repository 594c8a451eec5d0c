"""OCR repair benchmark: precision and recall on injected damage, proposals on the real NSA transcript, speed."""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tei_encoder.inlines.ocr_repair import Repair, apply_repairs, find_repairs

ROOT = Path(__file__).resolve().parent.parent
DEVCORPUS = ROOT.parent / "shared" / "devcorpus"  # the development corpus beside the project
NSA = ROOT / "sources" / "nsarchive-1960-07-18-khrushchev-raul-castro.txt"

TARGET_PRECISION = 0.98
TARGET_RECALL = 0.8

ROUNDS = 6  # each round damages a fresh copy of the clean corpus with its own seed
JOIN_RATE = 0.12  # share of eligible word pairs joined per round
PIPE_RATE = 0.8  # share of pronouns "I" written "|" per round
SYNTH_INITIALS = 45  # names given initials with an "I" per round ("A.I. Mikoyan")
SPEED_BYTES = 4_000_000  # size of the text timed for throughput

KINDS = ("run-together", "pipe-for-I", "l-for-I")


# --- Clean text ---------------------------------------------------------------------------


def _strip_markdown(text: str) -> str:
    text = text.lstrip("\ufeff")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end >= 0:
            text = text[end + 4 :]
    text = re.sub(r"\[(\d+)\]\(#[^)]*\)", "", text)  # footnote links "[1](#f1)"
    text = re.sub(r"\\([.\-*_\[\]()#])", r"\1", text)  # escapes "13\."
    text = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)  # headings
    text = re.sub(r"\*\*|(?<!\w)_|_(?!\w)", "", text)  # bold and emphasis markers
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def load_clean() -> list[tuple[str, str]]:
    files = sorted((DEVCORPUS / "nlprocessing").glob("*.txt")) + sorted((DEVCORPUS / "dfat").glob("*.md"))
    return [(f.name, _strip_markdown(f.read_text(encoding="utf-8"))) for f in files]


# --- Damage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    start: int  # span in the damaged text
    end: int
    orig: str  # what the damaged text holds there
    reg: str  # what the clean text held
    kind: str


# Plain words: letters only, no apostrophe, hyphen or abbreviation full stop against them.
_WORD = re.compile(r"(?<![\w’'.\-])[A-Za-z]+(?![\w’'\-]|\.\w)")
# The pronoun (or numeral) "I" standing alone; "I." is left out, it reads as an initial.
_PRONOUN = re.compile(r"(?<![\w’'.\-])I(?![\w’'\-.])")
_INITIAL_RUN = re.compile(r"(?<![\w.])(?:[A-Z]\.[ ]?)*[A-Z]\.(?![\w.])")
_NAME_SLOT = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{3,})(?=[\s,.;:])")
_LETTERS = "ABCDEFGHJKMNOPRSTVW"  # initials other than I and L, which would be ambiguous


def synthesise_initials(text: str, rng: random.Random, count: int) -> str:
    """Give some capitalised words in mid-sentence initials containing an "I"."""
    slots = list(_NAME_SLOT.finditer(text))
    chosen = sorted(rng.sample(slots, min(count, len(slots))), key=lambda m: m.start(), reverse=True)
    for m in chosen:
        name = m.group(1)
        x = rng.choice(_LETTERS)
        style = rng.randrange(5)
        if style == 0:
            new = f"{x}.I. {name}"
        elif style == 1:
            new = f"{x}. I. {name}"
        elif style == 2:
            new = f"I.{x}. {name}"
        elif style == 3:
            new = f"{x}.I. {name.upper()}"
        else:
            new = f"{name} {x}.I."
        text = text[: m.start()] + new + text[m.end() :]
    return text


def damage(clean: str, rng: random.Random) -> tuple[str, list[Truth]]:
    """Inject the three kinds of OCR damage; return the damaged text and where each one is."""
    edits: list[tuple[int, int, str, str]] = []  # clean start, clean end, damaged form, kind
    busy: set[int] = set()  # character positions already part of an edit or next to one

    def free(a: int, b: int) -> bool:
        return not any(i in busy for i in range(a - 2, b + 2))

    for m in _INITIAL_RUN.finditer(clean):
        run = m.group()
        ii = [i for i, c in enumerate(run) if c == "I"]
        if ii and len(run.replace(" ", "")) >= 4 and free(*m.span()):
            k = rng.choice(ii)
            edits.append((m.start(), m.end(), run[:k] + "l" + run[k + 1 :], "l-for-I"))
            busy.update(range(m.start(), m.end()))
    for m in _PRONOUN.finditer(clean):
        if rng.random() < PIPE_RATE and free(*m.span()):
            edits.append((m.start(), m.end(), "|", "pipe-for-I"))
            busy.update(range(m.start(), m.end()))
    words = list(_WORD.finditer(clean))
    pairs = [(a, b) for a, b in itertools.pairwise(words) if clean[a.end() : b.start()] == " "]
    for a, b in pairs:
        if rng.random() < JOIN_RATE and free(a.start(), b.end()):
            edits.append((a.start(), b.end(), a.group() + b.group(), "run-together"))
            busy.update(range(a.start(), b.end()))
    edits.sort()
    out: list[str] = []
    truths: list[Truth] = []
    pos = 0
    length = 0
    for start, end, new, kind in edits:
        out.append(clean[pos:start])
        length += start - pos
        truths.append(Truth(length, length + len(new), new, clean[start:end], kind))
        out.append(new)
        length += len(new)
        pos = end
    out.append(clean[pos:])
    return "".join(out), truths


# --- Scoring ------------------------------------------------------------------------------


@dataclass
class Score:
    injected: int = 0
    correct: int = 0
    wrong: int = 0  # repairs on damaged text that do not restore an injection
    false_clean: int = 0  # repairs on the undamaged text

    @property
    def precision(self) -> float:
        made = self.correct + self.wrong + self.false_clean
        return self.correct / made if made else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.injected if self.injected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(verbose: int) -> dict[str, Score]:
    scores = {k: Score() for k in KINDS}
    errors: list[str] = []
    misses: Counter[str] = Counter()
    corpus = load_clean()
    size = sum(len(t) for _, t in corpus)
    for rnd in range(ROUNDS):
        rng = random.Random(20240 + rnd)
        for name, text in corpus:
            # Initials are spread over the files in proportion to their length.
            clean = synthesise_initials(text, rng, round(SYNTH_INITIALS * len(text) / size) or 1)
            damaged, truths = damage(clean, rng)
            for r in find_repairs(clean):
                scores[r.kind].false_clean += 1
                errors.append(f"clean  {name}: {r.orig!r} -> {r.reg!r} ({r.cert})")
            by_span = {(t.start, t.end): t for t in truths}
            hit: set[tuple[int, int]] = set()
            for r in find_repairs(damaged):
                t = by_span.get((r.start, r.end))
                if t is not None and r.reg == t.reg:
                    scores[t.kind].correct += 1
                    hit.add((t.start, t.end))
                else:
                    scores[r.kind].wrong += 1
                    errors.append(f"wrong  {name}: {r.orig!r} -> {r.reg!r} ({r.cert})")
            for t in truths:
                scores[t.kind].injected += 1
                if (t.start, t.end) not in hit:
                    misses[f"{t.kind}: {t.orig!r} (was {t.reg!r})"] += 1
    if verbose:
        print("False repairs (clean text, or not restoring an injection):")
        for line, n in Counter(errors).most_common():
            print(f"  {n:3d} x {line}")
        print(f"Missed injections (most frequent {verbose}):")
        for line, n in misses.most_common(verbose):
            print(f"  {n:3d} x {line}")
        print()
    return scores


_ROW = "{:<14}{:>9}{:>9}{:>7}{:>9}{:>11}{:>8}{:>7}"


def _row(label: str, s: Score) -> str:
    cells = (s.injected, s.correct, s.wrong, s.false_clean, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    return _ROW.format(label, *cells)


def report(scores: dict[str, Score]) -> bool:
    total = Score()
    print(_ROW.format("kind", "injected", "correct", "wrong", "fp-clean", "precision", "recall", "F1"))
    for kind in KINDS:
        s = scores[kind]
        total.injected += s.injected
        total.correct += s.correct
        total.wrong += s.wrong
        total.false_clean += s.false_clean
        print(_row(kind, s))
    s = total
    print(_row("overall", s))
    ok = s.precision >= TARGET_PRECISION and s.recall >= TARGET_RECALL
    print(
        f"{'PASS' if ok else 'MISS'}: precision {s.precision:.3f} (target >= {TARGET_PRECISION}) "
        f"at recall {s.recall:.3f} (target >= {TARGET_RECALL})"
    )
    return ok


def show(path: Path, repairs: list[Repair], text: str) -> None:
    print(f"Repairs proposed on {path.name} ({len(repairs)}):")
    for r in repairs:
        line = text.count("\n", 0, r.start) + 1
        print(f"  {line:4d}  {r.orig!r} -> {r.reg!r}  [{r.kind}, {r.cert}]")


def speed(clean_texts: list[str]) -> None:
    """Throughput on the clean running text: a first pass with empty caches (every word
    looked up once), then a steady state on 4 MB of the same prose."""
    import tei_encoder.inlines.ocr_repair as module

    text = "\n\n".join(clean_texts)
    module._zipf.cache_clear()
    module._best_split.cache_clear()
    t0 = time.perf_counter()
    find_repairs(text)
    cold = time.perf_counter() - t0
    size = len(text.encode("utf-8"))
    print(f"Speed, first pass: {size / 1e6:.2f} MB in {cold:.3f} s = {size / 1e6 / cold:.1f} MB/s")
    text = (text * (SPEED_BYTES // size + 1))[:SPEED_BYTES]
    t0 = time.perf_counter()
    find_repairs(text)
    dt = time.perf_counter() - t0
    size = len(text.encode("utf-8"))
    rate = size / 1e6 / dt
    print(f"Speed, steady:     {size / 1e6:.2f} MB in {dt:.3f} s = {rate:.1f} MB/s (target >= 2)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "-v", "--verbose", type=int, default=0, metavar="N",
        help="list false repairs and the N most frequent misses",
    )
    ap.add_argument("--noisy", action="store_true", help="also list proposals on the very noisy jfk_ocr files")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    scores = evaluate(args.verbose)
    ok = report(scores)
    elapsed = time.perf_counter() - t0
    print(f"(evaluation: {ROUNDS} rounds over {len(load_clean())} clean files, {elapsed:.1f} s)\n")

    text = NSA.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    repairs = find_repairs(text)
    show(NSA, repairs, text)
    print(f"({len(text.encode()) / 1e3:.0f} kB in {1e3 * (time.perf_counter() - t0):.0f} ms)")
    fixed = apply_repairs(text, repairs)
    assert fixed.count("\n") == text.count("\n")  # repairs never add or remove a line
    print()
    if args.noisy:
        for f in sorted((DEVCORPUS / "jfk_ocr").glob("*.md")):
            t = f.read_text(encoding="utf-8")
            show(f, find_repairs(t), t)
        print()
    speed([t for _, t in load_clean()])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
