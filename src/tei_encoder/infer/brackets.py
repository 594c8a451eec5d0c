"""The bracket vocabulary of a corpus: what its square (and stage-direction) brackets hold."""

from __future__ import annotations

import re
from collections import Counter

from .evidence import Findings, Sample, shown

_SQUARE = re.compile(r"\[([^\[\]\n]{1,80})\]")
_ROUND = re.compile(r"\(([^()\n]{1,60})\)")
# Kinds of bracket content by what it means, tried in this order; "insertion" is the rest.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sic", re.compile(r"^sic!?$", re.I)),
    ("timestamp", re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?$")),
    ("footnote", re.compile(r"^\d{1,3}$")),
    ("gap", re.compile(r"^(?:\w+ ){0,3}(?:inaudible|unintelligible|illegible|indistinct|unclear|crosstalk|"
                       r"garbled|not declassified|excised|redacted|unverständlich|ininteligible)\b", re.I)),
    ("sound", re.compile(r"^(?:\w+ ){0,2}(?:laugh\w*|applause|cough\w*|sigh\w*|pause\w*|chuckl\w*|"
                         r"beifall|heiterkeit|zuruf\w*|unruhe|risas|aplausos|music|silence|break)\b", re.I)),
    ("archive", re.compile(r"^[A-Z][A-Za-z.]{1,10}[:,] .*\b(?:[A-Z]{2,}\s?\d|[Ff]\.\s?\d|RG\s?\d|[Bb]ox\s?\d)")),
    ("omission", re.compile(r"^(?:…|\.\.\.|\.\s\.\s\.)$")),
)
# Parentheses are text in most prose: only stage directions of spoken records count.
_ROUND_KINDS = frozenset({"sound", "gap", "sic"})


def classify(inner: str) -> str:
    """The kind of a bracket's content ("insertion" when no kind fits)."""
    text = inner.strip()
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return "insertion"


def survey_brackets(samples: list[Sample]) -> Findings:
    """Count bracket contents by kind; the [sic] forms in use become the profile's sic markers."""
    out = Findings()
    kinds: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    sic_forms: Counter[str] = Counter()
    for sample in samples:
        for m in _SQUARE.finditer(sample.text):
            kind = classify(m.group(1))
            kinds[kind] += 1
            examples.setdefault(kind, []).append(m.group())
            if kind == "sic":
                sic_forms[m.group()] += 1
        for m in _ROUND.finditer(sample.text):
            kind = classify(m.group(1))
            if kind in _ROUND_KINDS:
                kinds[f"{kind} (round)"] += 1
                examples.setdefault(f"{kind} (round)", []).append(m.group())
                if kind == "sic":
                    sic_forms[m.group()] += 1
    for kind, count in kinds.most_common():
        unique = list(dict.fromkeys(examples[kind]))
        out.note(f"brackets, {kind}: {count}, e.g. {shown(unique, 4)}")
    if sic_forms:
        forms = sorted(sic_forms, key=lambda f: (-sic_forms[f], f))
        out.set("brackets", "sic_markers", forms,
                "the [sic] forms the sample uses: " + ", ".join(f"{f} ({sic_forms[f]})" for f in forms), forms)
    return out
