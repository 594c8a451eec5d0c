"""Generated dialogues in every label form: renaming speakers, re-wrapping lines and CRLF line
ends change nothing in the turn structure, and the round trip always holds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei_encoder.api import encode_bytes

from .test_properties import assert_encodes_faithfully

NS = {"t": "http://www.tei-c.org/ns/1.0"}
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CAPS = ["MS. PSAKI", "MR. HARRIS", "SENATOR BYRD", "CHAIRMAN GREENSPAN", "VICE CHAIRMAN CORRIGAN", "MR. PRELL"]
MIXED = ["Mr. Smith", "Mrs. Jones", "Präsident Dr. Ehlers", "Senator Russell", "Dr. Adenauer", "Ms. Okafor"]
INITIALS = ["CC", "JR", "MT", "AB"]
# Each form: the names it draws from, and how a turn is written (label, speech).
FORMS = {
    "caps-colon": (CAPS, lambda n, i: f"{n}: "),
    "caps-stop": (CAPS, lambda n, i: f"{n}. "),
    "name-colon": (MIXED, lambda n, i: f"{n}: "),
    "bold": (MIXED, lambda n, i: f"**{n}:** "),
    "bold-outside": (MIXED, lambda n, i: f"**{n}**: "),
    "dash": (MIXED, lambda n, i: f"{n}.—"),
    "affiliation": (MIXED, lambda n, i: f"{n} (SPD): "),
    "office": (MIXED, lambda n, i: f"{n}, Minister for Trade: "),
    "timestamp": (INITIALS, lambda n, i: f"[00:{i // 60:02d}:{i % 60:02d}] {n}: "),
    "own-line": (CAPS, lambda n, i: f"{n}\n"),
    "question-answer": (["Q", "A"], lambda n, i: f"{n}: "),
}
WORDS = ["we", "met", "the", "minister", "on", "monday", "and", "talked", "about", "trade", "for", "an", "hour", "it", "was", "useful"]
sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=10).map(lambda ws: " ".join(ws).capitalize() + ".")
speech = st.lists(sentence, min_size=1, max_size=3).map(" ".join)


@st.composite
def dialogue(draw):
    """A form, who speaks in each turn (two or three voices that alternate), and the speeches."""
    form = draw(st.sampled_from(sorted(FORMS)))
    voices = 2 if form == "question-answer" else draw(st.integers(2, 3))
    order = [i % voices for i in range(voices * 2)] + draw(st.lists(st.integers(0, voices - 1), max_size=4))
    return form, order, [draw(speech) for _ in order]


def render(form: str, names: list[str], order: list[int], speeches: list[str], width: int, blank: bool, crlf: bool) -> str:
    """Write the dialogue; `width` wraps each speech, `blank` puts a blank line between turns."""
    make = FORMS[form][1]
    turns = []
    for i, (who, text) in enumerate(zip(order, speeches)):
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        turns.append(make(names[who], i * 7) + "\n".join(lines))
    text = ("\n\n" if blank else "\n").join(turns) + "\n"
    return text.replace("\n", "\r\n") if crlf else text


def structure(text: str) -> tuple[int, list[int]]:
    """How many turns, and who speaks in each, as first-appearance numbers (renaming-blind)."""
    root = etree.fromstring(encode_bytes(text.encode("utf-8"), "dialogue.txt", "plain").xml)
    who = [sp.get("who") for sp in root.iterfind(".//t:body//t:sp", NS)]
    first: dict[str, int] = {}
    return len(who), [first.setdefault(w, len(first)) for w in who]


def expected(order: list[int]) -> tuple[int, list[int]]:
    first: dict[int, int] = {}
    return len(order), [first.setdefault(w, len(first)) for w in order]


@SETTINGS
@given(case=dialogue(), data=st.data())
def test_turn_structure_survives_renaming_wrapping_and_crlf(case, data):
    """Every turn is found, and the structure is the same under any names, wraps and line ends."""
    form, order, speeches = case
    pool = FORMS[form][0]
    voices = max(order) + 1
    names = data.draw(st.permutations(pool)) if form != "question-answer" else pool
    renamed = data.draw(st.permutations(pool)) if form != "question-answer" else pool
    # Own-line labels stand above the speech, so their turns need blank lines between them only
    # when the speech may start in capitals: every turn here opens a line either way.
    first = render(form, list(names[:voices]), order, speeches, 1000, True, False)
    second = render(
        form, list(renamed[:voices]), order, speeches, data.draw(st.integers(20, 70)), data.draw(st.booleans()),
        data.draw(st.booleans()),
    )
    assert structure(first) == expected(order), first
    assert structure(second) == expected(order), second
    assert_encodes_faithfully(first, "plain")
    assert_encodes_faithfully(second, "plain")


@SETTINGS
@given(case=dialogue(), data=st.data())
def test_in_paragraph_changes_survive_wrapping(case, data):
    """Changes of speaker inside one paragraph ("… sentence. MR. PRELL. Next …") read across wraps."""
    _, order, speeches = case
    names = list(data.draw(st.permutations(CAPS)))
    voices = max(order) + 1
    # The first two turns open paragraphs (evidence that the labels are speakers); the rest run on.
    head = render("caps-stop", names[:voices], order[:2], speeches[:2], 1000, True, False)
    tail = " ".join(f"{names[w]}. {s}" for w, s in zip(order[2:], speeches[2:]))
    text = head.rstrip("\n") + (" " + tail if tail else "") + "\n"
    words = text.split(" ")
    step = data.draw(st.integers(3, 9))
    wrapped = "\n".join(" ".join(words[i : i + step]) for i in range(0, len(words), step)) + "\n"
    assert structure(text) == expected(order), text
    assert structure(wrapped) == expected(order), wrapped
    assert_encodes_faithfully(wrapped, "plain")
