"""Openings and header labels a corpus shares: detection patterns, headings, memorandum fields."""

from __future__ import annotations

import re
from collections import Counter

from .evidence import Findings, Sample, shown

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# A header line: a short label, a colon, then its value on the same line ("SUBJECT: Cuba").
_LABEL_LINE = re.compile(r"^(?P<label>[A-Z][A-Za-z][\w .'’/-]{0,28}):[ \t]+\S")
_TOP_LINES = 25
# Labels of a document's header that the encoder reads as memorandum fields.
_MEMO_WORDS = frozenset({
    "memorandum for", "subject", "from", "to", "date", "ref", "reference", "participants", "copies to",
    "distribution", "classification", "betreff", "asunto", "тема", "cc", "thru", "via",
})


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def _opening_words(line: str, most: int = 4) -> list[str]:
    return [m.group() for m in _WORD.finditer(line)][:most]


def survey_openings(samples: list[Sample]) -> Findings:
    """A first line most files open with becomes a detection pattern and a heading pattern."""
    out = Findings()
    if len(samples) < 2:
        return out  # one file shows no convention of a corpus
    starts: Counter[tuple[str, ...]] = Counter()
    for sample in samples:
        words = _opening_words(_first_line(sample.text))
        for n in range(2, len(words) + 1):
            starts[tuple(w.upper() for w in words[:n])] += 1
    shared = [(k, c) for k, c in starts.items() if c >= max(2, 0.6 * len(samples))]
    if not shared:
        return out
    opening, count = max(shared, key=lambda kc: (len(kc[0]), kc[1]))
    firsts = [_first_line(s.text) for s in samples]
    examples = [f for f in firsts if [w.upper() for w in _opening_words(f, len(opening))] == list(opening)]
    # Case-insensitive, since house styles print the same heading in capitals or not.
    pattern = "(?i)^" + r"\W+".join(re.escape(w) for w in opening) + r"\b"
    why = f"{count} of {len(samples)} files open with it, e.g. {shown(examples)}"
    out.set("detect", "patterns", [pattern], why, examples)
    out.set("blocks", "heading_patterns", [pattern], "the shared first line is the document's heading")
    return out


def survey_header_labels(samples: list[Sample]) -> Findings:
    """Labels at the head of many files ("SUBJECT: …") become memorandum header fields."""
    out = Findings()
    seen: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for sample in samples:
        labels = set()
        for line in sample.text.split("\n")[:_TOP_LINES]:
            m = _LABEL_LINE.match(line.strip())
            if m:
                labels.add(m.group("label"))
                examples.setdefault(m.group("label"), []).append(line.strip())
        seen.update(labels)
    least = max(2, (len(samples) + 1) // 2) if len(samples) > 1 else 1
    memo = sorted((label for label, c in seen.items() if c >= least and label.lower() in _MEMO_WORDS), key=str.lower)
    # A single file shows its header only if two labels or more of a memorandum stand at its top.
    if memo and (len(samples) > 1 or len(memo) >= 2):
        counts = ", ".join(f"{label} ({seen[label]})" for label in memo)
        out.set("blocks", "memo_labels", memo, f"header lines at the top of the files: {counts}",
                [e for label in memo for e in examples[label][:1]])
    others = [label for label, c in seen.most_common() if c >= least and label not in memo]
    if others:
        out.note(
            "labels at the top of most files that set nothing (a speaker? a field?): "
            + ", ".join(f"{label} ({seen[label]})" for label in others[:8])
        )
    return out
