"""Recognising a speaker label at the start of a line: "N.S. KHRUSHCHEV." or "RAUL CASTRO states"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Initials as OCR gives them: "N.S.", "N.S" (lost dot), "S. M.", "A.l." (l read for I).
_INITIALS = r"(?:[A-Z]\.(?:\s?[A-Za-z]\.|\s?[A-Z](?=\s)){0,2}\s?)"
_CAPS_WORD = r"[A-Z][A-Z’'-]+"
_NAME = rf"(?P<name>(?P<initials>{_INITIALS})?(?P<words>{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}}))"
_DIRECT = re.compile(rf"^{_NAME}(?P<stop>\.)(?:\s+|$)")
_REPORTED = re.compile(rf"^{_NAME}\s+(?P<verb>[a-z][\w’']*)")
_TERMINAL = ("." , "!", "?", "”", '"', "»", ":")


@dataclass(frozen=True, slots=True)
class SpeakerMatch:
    """Where a speaker label is, and whether the turn is dialogue or reported speech."""

    name: str  # the label as printed, without the full stop
    end: int  # where the label (with its full stop, for dialogue) ends in the line
    mode: str  # "direct" or "reported"


def _plausible(initials: str | None, words: str) -> bool:
    # One capitalised word alone ("USSR has …") is not a speaker: a label needs initials or
    # two words, and each word two letters at least.
    return bool(initials) or len(words.split()) >= 2


def match_speaker(line: str, reporting_verbs: frozenset[str]) -> SpeakerMatch | None:
    """Return the speaker label at the start of a line, or None."""
    # Every label opens with a capital followed by a full stop or another capital: most
    # lines are rejected here without running the patterns.
    if len(line) < 3 or not line[0].isupper() or not (line[1] == "." or line[1].isupper()):
        return None
    m = _DIRECT.match(line)
    if m and _plausible(m.group("initials"), m.group("words")):
        return SpeakerMatch(m.group("name"), m.end("stop"), "direct")
    m = _REPORTED.match(line)
    if m and _plausible(m.group("initials"), m.group("words")):
        verb = m.group("verb").rstrip(",")
        if not reporting_verbs or verb in reporting_verbs or verb.rstrip("s") + "s" in reporting_verbs:
            return SpeakerMatch(m.group("name"), m.end("name"), "reported")
    return None


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence, so the next line may open a new turn."""
    return line.rstrip().endswith(_TERMINAL)
