"""The speaker labels a whole document shows: every line start read for labels, then the evidence weighed."""

from __future__ import annotations

import re
from itertools import accumulate

from ..model import Chunk
from ..profiles import Profile
from .labels import Label, LabelEvidence, read_label, read_participants, sentence_ends_at, weigh

# Where a sentence ends and a capital opens the next, inside a paragraph.
_SENTENCE_START = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")
# How many chunks at the top of a document may name the participants ("Present: …", a heading).
_OPENING_CHUNKS = 12


def gather_labels(chunks: list[Chunk], named: tuple[str, ...], profile: Profile, forms: frozenset[str]) -> LabelEvidence:
    """Read every line start (and every sentence start) for labels, then weigh the evidence."""
    top = chunks[:_OPENING_CHUNKS]
    # Each line (a "Present:" list) and each chunk joined (a heading wrapped over lines).
    lines = [line.strip() for chunk in top for line in chunk.lines]
    headings = [" ".join(line.strip() for line in chunk.lines) for chunk in top]
    participants, listed = read_participants(lines, headings, named)
    evidence = LabelEvidence(forms, participants=participants)
    inner = forms - {"own-line", "name-colon", "question-answer"}
    wrapped = forms - {"own-line"}
    sequence: list[tuple[Label, str | None]] = []
    for chunk in chunks:
        for i, line in enumerate(chunk.lines):
            text = line.strip()
            if text in listed:
                continue
            # The label and its speech may run over the line's end, however the lines are wrapped
            # (joined only where a label is found or may be cut: most lines are neither).
            label = evidence.label_at(text)
            ahead = None
            if label is None and len(text.split()) <= 6:  # a label cut by the line's end is short
                ahead = " ".join([text, *(x.strip() for x in chunk.lines[i + 1 : i + 4])])
                label = read_label(ahead, wrapped)
            if label is not None:
                if ahead is None:
                    ahead = " ".join([text, *(x.strip() for x in chunk.lines[i + 1 : i + 4])])
                sequence.append((label, ahead[label.end :]))
        if "in-paragraph" in forms:
            # Read across line wraps, as the cut is made; a label opening a line is counted above.
            stripped = [line.strip() for line in chunk.lines]
            joined = " ".join(stripped)
            starts = set(accumulate((len(t) + 1 for t in stripped), initial=0))
            for m in _SENTENCE_START.finditer(joined):
                if m.end() not in starts and sentence_ends_at(joined, m.start()):
                    found = read_label(joined[m.end() : m.end() + 120], inner)
                    if found is not None:
                        sequence.append((found, None))
    not_labels = frozenset(w.casefold() for w in profile.get("turns", "not_labels"))
    weigh(sequence, evidence, not_labels)
    return evidence
