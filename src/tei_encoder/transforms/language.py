"""The language of a document's text, identified from a bounded sample of its prose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .archives import registry

if TYPE_CHECKING:
    from lingua import LanguageDetector

# The sample is bounded so that a 20 MB transcript costs what a short one does.
_SAMPLE_CHARS = 2400
_SCAN_CHARS = 200_000  # how far into the text (and around its middle) prose is looked for
# Below this many characters the fast detector is unreliable: the precise one decides.
_SHORT = 200
# A best guess below this confidence is no identification: the profile's fallback is used.
SURE = 0.5
HIGH = 0.9

# "Label: value" lines of an export or a memorandum header are metadata, often in English
# above a text in another language: the label is dropped and a short value ignored.
_LABEL = re.compile(r"^\s*(?:[-*#>]+\s*)?(?:\*\*)?[^\s:][^:]{0,30}?(?:\*\*)?\s?:\s+")
_YAML = re.compile(r"\A---\s*\n.*?\n---\s*(?:\n|\Z)", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")
_MIN_WORDS = 4


@dataclass(frozen=True)
class Detection:
    """A language identified, or the fallback taken when the sample said too little."""

    code: str  # ISO 639-1
    confidence: float  # the detector's, 0…1; 0.0 when nothing could be read
    sure: bool  # False: `code` is the profile's fallback, `best` the detector's guess
    best: str = ""

    @property
    def cert(self) -> str:
        """The @cert the header gives the identification."""
        if not self.sure:
            return "low"
        return "high" if self.confidence >= HIGH else "medium"


def prose_sample(text: str) -> str:
    """Lines of running prose from the top and the middle of a text, at most _SAMPLE_CHARS."""
    text = _YAML.sub("", text, count=1)
    windows = [text[:_SCAN_CHARS]]
    if len(text) > 2 * _SCAN_CHARS:
        middle = len(text) // 2
        windows.append(text[middle : middle + _SCAN_CHARS // 10])
    budget = _SAMPLE_CHARS // len(windows)
    parts: list[str] = []
    for window in windows:
        taken = 0
        for line in window.splitlines():
            prose = _LABEL.sub("", line, count=1).strip()
            if len(_WORD.findall(prose)) < _MIN_WORDS:
                continue  # headings, labels with short values, page numbers, stamps
            parts.append(prose)
            taken += len(prose) + 1
            if taken >= budget:
                break
    sample = " ".join(parts)
    if not sample:
        # A text of short lines only (a list, a dialogue of one-word answers): use it all.
        sample = " ".join(_LABEL.sub("", line, count=1).strip() for line in text[:_SAMPLE_CHARS].splitlines())
    return sample[:_SAMPLE_CHARS]


def candidate_codes() -> tuple[str, ...]:
    """The languages told apart: those the project's register names (ISO 639-1)."""
    return tuple(sorted(set(registry()["languages"].values())))


@cache
def _detector(precise: bool) -> LanguageDetector:
    """A detector for the register's languages; the precise one loads larger models (≈1.5 s once)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in candidate_codes()))
    return (builder if precise else builder.with_low_accuracy_mode()).build()


def identify(sample: str, fallback: str) -> Detection:
    """The language of a sample; the fallback (sure=False) when the detector is not confident."""
    if not _WORD.search(sample):
        return Detection(fallback, 0.0, False)
    values = _detector(len(sample) < _SHORT).compute_language_confidence_values(sample)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    confidence = round(best.value, 2)  # rounded: the same bytes whatever the float's last digits
    if confidence < SURE:
        return Detection(fallback, confidence, False, code)
    return Detection(code, confidence, True, code)


def text_language(text: str, fallback: str) -> Detection:
    """The language of a document's prose (not of its metadata labels)."""
    return identify(prose_sample(text), fallback)


def language_policy(found: Detection) -> str:
    """The editorialDecl sentence saying how the text's language was established."""
    how = "identified from a sample of the text's prose (metadata labels left out) by lingua"
    if found.sure:
        return f"The text's language is {how}: {found.code}, confidence {found.confidence:.2f}."
    guess = f"best guess {found.best}, confidence {found.confidence:.2f}" if found.best else "no words to read"
    return f"The text's language could not be {how} ({guess}): the profile's fallback {found.code} is assumed."
