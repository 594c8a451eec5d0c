"""What an editor should look at in the register: unresolved names and likely duplicates, ranked."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz

from .names import SUGGEST_STRING_SCORE, SUGGEST_SURNAME_SCORE, given_compatible, string_key, surname_score
from .register import Entry, Register


@dataclass
class Suggestion:
    """One thing to check: its kind, a score (higher first), the entries and the evidence."""

    kind: str  # "unresolved" or "near-duplicate"
    score: float
    subject: str
    candidates: list[str]
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "score": round(self.score, 1), "subject": self.subject,
                "candidates": self.candidates, "evidence": self.evidence}


def _editions(entry: Entry) -> list[str]:
    found = {m.edition for m in entry.members}
    for name in entry.element:
        found |= set(name.get("source", "").split())
    return sorted(found)


def suggestions(register: Register) -> list[Suggestion]:
    """Unresolved names first (a surname several entries share), then near-duplicate pairs by score."""
    out: list[Suggestion] = []
    for item in register.unresolved:
        forms = ", ".join(f'"{f}" ×{n}' for f, n in sorted(item.local.forms.items()))
        if item.why == "label":
            out.append(Suggestion(
                "unresolved", 90.0, item.local.label(), [],
                [f"in {item.local.edition}: {forms}", "a label, or a surname alone that is also a common word: "
                 "name the person in the edition's metadata (participants), or add an entry by hand"],
            ))
            continue
        out.append(Suggestion(
            "unresolved", 100.0, item.local.label(), item.candidates,
            [f"in {item.local.edition}: {forms}", "a surname alone, and several entries have it: add the form as a "
             "variant to the right entry, or point the edition's person at it with @sameAs"],
        ))
    for kind, entries in register.entries.items():
        for a, b in combinations(entries, 2):
            found = _pair(kind, a, b)
            if found is not None:
                out.append(found)
    return sorted(out, key=lambda s: (s.kind != "unresolved", -s.score, s.subject, s.candidates))


def _pair(kind: str, a: Entry, b: Entry) -> Suggestion | None:
    if kind == "person":
        best: tuple[float, str, str] | None = None
        for ka in a.keys():
            for kb in b.keys():
                if not (ka.surname and kb.surname):
                    continue
                score = surname_score(ka.surname, kb.surname)
                if score < SUGGEST_SURNAME_SCORE or not given_compatible(ka.given, kb.given):
                    continue
                if ka.given and kb.given and score == 100.0 and ka.given == kb.given:
                    continue  # one person already: the build merged what it could not tell apart
                why = (f'surnames "{ka.surname}" and "{kb.surname}" score {score:.0f}; given names '
                       f'"{" ".join(ka.given) or "-"}" and "{" ".join(kb.given) or "-"}" do not conflict')
                if best is None or score > best[0]:
                    best = (score, why, "")
        if best is None:
            return None
        score, why, _ = best
    else:
        score = max((float(fuzz.ratio(string_key(x), string_key(y))) for x in a.names() for y in b.names()), default=0.0)
        if score < SUGGEST_STRING_SCORE:
            return None
        why = f"names score {score:.0f}"
    evidence = [why,
                f"{a.ident}: {' | '.join(a.names())} (in {len(_editions(a))} editions)",
                f"{b.ident}: {' | '.join(b.names())} (in {len(_editions(b))} editions)"]
    if a.authority() and b.authority() and set(a.authority()) != set(b.authority()):
        score -= 50  # different authority ids: an editor has said these are two
        evidence.append("their authority identifiers differ")
    return Suggestion("near-duplicate", score, f"{a.ident} / {b.ident}", [a.ident, b.ident], evidence)
