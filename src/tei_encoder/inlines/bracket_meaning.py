"""What a bracket means beyond an insertion: timestamps, footnote markers, sounds and events,
party tags, archive references, doubtful readings; each as the profile describes it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Inline, Node
from ..transforms.archives import registry

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# How a bracket was printed, as a @rend token: square brackets, round ones.
SQUARE, ROUND = "bracketed", "parenthesised"

# Words that make a bracket a phrase of the sentence ("[the laughter]", "[his cough]"), not a
# description of what was heard or seen: none of them may open an event.
_DETERMINERS = (
    r"the|a|an|this|that|these|those|his|her|its|their|our|my|your|no|any|some|such|"
    r"der|die|das|des|dem|den|ein|eine|einen|einem|einer|sein|seine|ihr|ihre"
)
# After the words of an event: who did it or where ("bei der SPD", "in the hall", "from the
# floor"), what followed ("und Beifall", "– Zuruf …"), or a call quoted after a colon.
_TAIL = (
    r"(?:,?\s+(?:bei|von|vom|im|in|auf|aus|und|sowie|links|rechts|at|on|from|and|by|with|"
    r"throughout|across|among|of|as|all|around)\b[^\[\]]*|\s*[:;–—-][^\[\]]*|[.!]\s*[–—-][^\[\]]*)?"
)


def event_regex(words: str) -> re.Pattern[str]:
    """A description of a sound, gesture or event that opens with these words (a regex).

    Up to three modifiers may stand before them ("Lebhafter Beifall", "Tumultuous, prolonged
    applause"), but no determiner: "[the applause]" is a phrase an editor supplied.
    """
    modifier = rf"(?:(?!(?:{_DETERMINERS})\b)[\w-]+,?\s+)"
    return re.compile(rf"^{modifier}{{0,3}}(?:{words})(?!\w){_TAIL}[.!]?$", re.I)


@dataclass
class BracketFinds:
    """What one document's brackets point at or give to the header."""

    footnotes: frozenset[str] = frozenset()  # numbers of the notes the document holds
    archive_refs: list[tuple[str, str]] = field(default_factory=list)  # (xml:id, text as printed)


@dataclass(frozen=True)
class Meanings:
    """The profile's bracket vocabulary beyond insertions, gaps, [sic] and notes."""

    timestamp: re.Pattern[str] | None = None
    line_start_timestamp: re.Pattern[str] | None = None
    footnotes: bool = False
    events: tuple[tuple[str, str, re.Pattern[str]], ...] = ()  # (element, type, description)
    pause: re.Pattern[str] | None = None
    party: re.Pattern[str] | None = None
    archives: re.Pattern[str] | None = None
    unclear: re.Pattern[str] | None = None
    parentheses: bool = False

    @classmethod
    def from_profile(cls, table: dict) -> Meanings | None:
        """The meanings a profile's [brackets] table switches on; None when it has none."""
        events = []
        pause = None
        for key, words in table["events"].items():
            if key == "pause":
                pause = re.compile(rf"^(?:(?P<kind>{words}) )?pause$", re.I)
                continue
            element, kind = key.split()
            events.append((element, kind, event_regex(words)))
        archives = None
        if table["archive_refs"]:
            names = sorted({*registry()["archives"], *table["archive_prefixes"]}, key=len, reverse=True)
            # "PRO: CAB 21/893", "NARA, RG 59, Central Files": an archive, then where in it; a
            # reference without any number ("[NARA officials]") is no reference.
            archives = re.compile(rf"^(?:{'|'.join(map(re.escape, names))})(?::|,)\s+(?=[^\[\]]*\d)[^\[\]]+$")
        meanings = cls(
            timestamp=_compiled(table["timestamp_pattern"]),
            line_start_timestamp=_compiled(table["line_start_timestamp_pattern"]),
            footnotes=table["footnote_markers"],
            events=tuple(events),
            pause=pause,
            party=_compiled(table["party_pattern"]),
            archives=archives,
            unclear=_compiled(table["unclear_pattern"], re.I),
            parentheses=table["parentheses"],
        )
        return meanings if meanings != cls() else None

    def classify(self, inner: str, before: str | None, style: str, finds: BracketFinds) -> Node | None:
        """The element a bracket's text means, or None; `before` is the text just before it
        (None at the start of a block: a number there numbers a point, it refers to no note)."""
        rend = {} if style == SQUARE else {"rend": ROUND}
        if self.timestamp is not None and self.timestamp.match(inner) and (style == SQUARE or _clock_offset(inner)):
            return Node("time", {"type": "timestamp", "rend": style}, [inner])
        if style == SQUARE and self.footnotes and before is not None and re.fullmatch(r"[1-9]\d{0,2}", inner):
            attrs = {"type": "footnote", "rend": SQUARE}
            if inner in finds.footnotes:
                attrs["target"] = f"#f{inner}"  # the note the document holds after its text
            return Node("ref", attrs, [inner])
        if style == SQUARE and self.unclear is not None:
            m = self.unclear.match(inner)
            if m and _regenerates_unclear(m.group("reason"), inner, m.group("reading")):
                reason = m.group("reason")
                attrs = {"reason": reason.lower(), "rend": "labelled" + (" capital" if reason[:1].isupper() else "")}
                return Node("unclear", attrs, [m.group("reading")])
        if self.pause is not None:
            m = self.pause.match(inner)
            if m and pause_text(m.group("kind") or "", inner[:1].isupper()) == inner:
                attrs = {"type": m.group("kind").lower()} if m.group("kind") else {}
                tokens = ([] if style == SQUARE else [ROUND]) + (["capital"] if inner[:1].isupper() else [])
                if tokens:
                    attrs["rend"] = " ".join(tokens)
                return Node("pause", attrs)
        for element, kind, pattern in self.events:
            if pattern.match(inner):
                return Node(element, {"type": kind, **rend}, [Node("desc", {}, [inner])])
        if self.party is not None and before and _after_name(before):
            m = self.party.match(inner)
            if m:
                return party_node(m, style)
        if style == SQUARE and self.archives is not None and self.archives.match(inner):
            ident = f"arc-{len(finds.archive_refs) + 1}"
            finds.archive_refs.append((ident, inner))
            return Node("bibl", {"type": "archival", "rend": SQUARE, XML_ID: ident}, [inner])
        return None


def pause_text(kind: str, capital: bool) -> str:
    """The words of a pause as printed: "pause", "long pause", "Long pause"."""
    text = f"{kind.lower()} pause" if kind else "pause"
    return text[:1].upper() + text[1:] if capital else text


def party_node(m: re.Match[str], style: str) -> Node:
    """A party tag: the party as orgName; a US party-and-state tag ("D-CA") as a seg of both."""
    groups = m.groupdict()
    if groups.get("party") and groups.get("state"):
        text = m.group()
        p0, p1 = m.span("party")
        s0, s1 = m.span("state")
        if p1 <= s0:
            children: list[Inline] = [text[:p0], Node("orgName", {"type": "party"}, [text[p0:p1]]), text[p1:s0],
                        Node("placeName", {"type": "state"}, [text[s0:s1]]), text[s1:]]
            return Node("seg", {"type": "party", "rend": style}, [c for c in children if c != ""])
    return Node("orgName", {"type": "party", "rend": style}, [m.group()])


# A capitalised word (a name, "Dr. Kohl", "Senator Boxer") right before the tag.
_NAME_BEFORE = re.compile(r"(?:^|\s)(?:[A-ZÄÖÜ][\w'’.-]*)\s?$")


def _after_name(before: str) -> bool:
    return bool(_NAME_BEFORE.search(before))


def _clock_offset(text: str) -> bool:
    """A timestamp in round brackets only as an offset: "(00:12)", "(1:02:03)", not "(10:30)"."""
    return text.count(":") == 2 or text.startswith("00:")


def _regenerates_unclear(reason: str, inner: str, reading: str) -> bool:
    return inner == f"{reason}: {reading}" and reason in (reason.lower(), reason.capitalize())


def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(pattern, flags) if pattern else None
