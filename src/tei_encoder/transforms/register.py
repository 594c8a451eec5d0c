"""Gathering the persons of a document from its blocks into a register with ids, and who is named where."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..blocks import BlockState
from ..blocks.labels import Label, LabelEvidence, Participant, name_parts, role_of
from ..model import BlockFacts, mask_forme_work
from .participants import parse_participant
from .persons import (
    Person,
    Register,
    offices_mentioned,
    parse_heading,
    parse_present,
    reported_speakers,
)

Mention = tuple[int, int, Person]  # a person named at text[start:end]


@dataclass
class Mentions:
    """Who the lists of persons name where, read with the register; the blocks stay generic."""

    # "Present: …": the names found, as ranges of the block's text.
    present: BlockFacts[list[Mention]] = field(default_factory=BlockFacts)
    # "Participants:": one per part, in the part's clean text (None: the label, or no name read).
    participants: BlockFacts[list[Mention | None]] = field(default_factory=BlockFacts)


def collect_persons(state: BlockState, participants: Iterable[str] = ()) -> tuple[Register, Mentions]:
    """The persons of a document in order of mention: heading, those present, speakers,
    signature, persons reported as speaking, and those named only by office; first, the
    participants the project's metadata names (the text may never name them). With them,
    where the lists of persons name them."""
    register = Register()
    mentions = Mentions()
    evidence = state.labels
    if evidence is not None:
        # Heading, participants lines and the metadata, read with the labels (blocks/labels.py).
        for participant in evidence.participants:
            _participant_person(register, participant)
    else:
        for name in participants:
            register.add_caps(name, speaker=True)
    speakers: set[str] = set()
    seen_reported: set[str] = set()
    title = state.facts.get("yaml", ("", {}))[1].get("title")
    if isinstance(title, str):
        # "RECORD OF CONVERSATION BETWEEN WILSON AND GORTON": the two sides of the record.
        m = re.search(r"\bBETWEEN ([A-Z][A-Z’'-]+) AND ([A-Z][A-Z’'-]+)\b", title)
        if m:
            for name in m.groups():
                register.add(name.title())
    turns = state.profile.data["turns"]
    reported = frozenset(turns["reporting_verbs"]) if turns["reported_in_text"] else frozenset()
    offices = state.profile.data["turns"]["offices"]
    for block in state.blocks:
        if offices and block.kind in ("p", "narration", "head", "item"):
            for office in offices_mentioned(block.span.clean, offices):
                register.add_role(office)
        if block.kind == "head":
            # The heading's names are found again by the inline rules: only the persons are kept.
            parse_heading(block.span.clean, register)
        elif block.kind == "present":
            mentions.present[block] = parse_present(mask_forme_work(block.span.text), register)
        elif block.kind == "turn" and "speaker" in block.attrs and evidence is not None:
            if block.attrs["name"] not in register.labels:
                register.labels[block.attrs["name"]] = _label_person(register, evidence, block.attrs["speaker"])
        elif block.kind == "turn" and block.attrs["name"] not in speakers:
            speakers.add(block.attrs["name"])  # a label recurs in every turn: resolve it once
            register.add_caps(block.attrs["name"], speaker=True)
        elif block.kind == "opener":
            for kind, span in block.parts:
                if kind == "routing":
                    # "For Menzies from Beale.": the addressee and the writer of a cable.
                    for name in re.findall(r"\b(?:[Ff]or|[Ff]rom|[Tt]o) ([A-Z][a-z’'-]+(?:-[A-Z][a-z’'-]+)?)", span.clean):
                        register.add(name)
                if kind == "byline":
                    m = re.search(r"((?:[A-Z]\.\s?)+[A-Z][A-Z’'-]+)$", span.clean)
                    if m:
                        register.add_caps(m.group(1))
        elif block.kind in ("p", "narration", "item") and reported:
            for _, surname in reported_speakers(block.span.clean, reported):
                if surname not in seen_reported:
                    seen_reported.add(surname)
                    register.add(surname, speaker=True)
        elif block.kind == "participants":
            mentions.participants[block] = [
                parse_participant(span.clean, register) if kind == "item" else None for kind, span in block.parts
            ]
        elif block.kind == "signature":
            names = [span.clean for kind, span in block.parts if kind == "name"]
            person = register.add_caps(names[0])
            for kind, span in block.parts:
                if kind == "role" and span.clean not in person.roles:
                    person.roles.append(span.clean)
        elif block.kind == "closer":
            role, name = block.parts[0][1].clean, block.parts[1][1].clean.strip("()")
            person = register.add_caps(name)
            if role not in person.roles:
                person.roles.append(role)
    register.assign_ids()
    return register, mentions


def _participant_person(register: Register, participant: Participant) -> Person:
    words = participant.name.split()
    person = register.add(_title_case(words[-1]), " ".join(_title_case(w) for w in words[:-1]))
    if participant.title and participant.title not in person.roles:
        person.roles.append(participant.title)
    person.role = person.role or participant.role
    return person


def _label_person(register: Register, evidence: LabelEvidence, label: Label) -> Person:
    """One person per label: the participant it names, else the label's own name or role."""
    participant = evidence.participant(label)
    if participant is not None:
        person = _participant_person(register, participant)
    else:
        title, name = name_parts(label)
        if not name:
            person = register.add_role(" ".join(_title_case(w) for w in title.split()))  # "The President", "Q"
        else:
            words = name.split()
            person = register.add(_title_case(words[-1]), " ".join(_title_case(w) for w in words[:-1]))
            office = " ".join(w for w in title.split() if w.rstrip(".").casefold() not in _HONORIFICS)
            if office and office not in person.roles:
                person.roles.append(_title_case_words(office))
    person.speaker = True
    person.role = person.role or role_of(label)
    if label.party and label.party not in person.affiliations:
        person.affiliations.append(label.party)
    if label.office and label.office not in person.roles:
        person.roles.append(label.office)
    return person


# Forms of address, not offices: left out of a person's occupation.
_HONORIFICS = frozenset("mr mrs ms miss messrs dr prof sir madam mme herr frau the hon rev sr sra don doña".split())


def _title_case(word: str) -> str:
    """"PSAKI" → "Psaki"; "McNamara" and "N.S." stay as printed."""
    return word[0] + word[1:].lower() if word.isupper() and len(word) > 2 and "." not in word else word


def _title_case_words(text: str) -> str:
    return " ".join(_title_case(w) for w in text.split())
