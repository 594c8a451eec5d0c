"""Brackets read by meaning: every golden case makes a valid edition, a whole transcript keeps
its insertions apart from its timestamps, notes, sounds and references, and profiles that
describe meanings wrongly are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_encoder.api import encode_bytes
from tei_encoder.cli import main
from tei_encoder.diagnostics import InputError
from tei_encoder.profiles import load_profile
from tei_encoder.tei.totext import edition_text

from .test_rules import FORM_FEED, RULES, parse_fixture

NS = {"t": "http://www.tei-c.org/ns/1.0"}

# An oral-history interview as such transcripts are published: timestamps, sounds, a doubtful
# name, a footnote with its note, an archive file, and two real insertions of the editor.
INTERVIEW = """\
Interview with Maria Lopez, Chicago, 25 September 2011.

[00:00:02] Thank you for coming. Could you tell us where you were born?

[00:00:09] I was born in Oaxaca in 1931.[1] My father [José Lopez] worked on the railway. [laughs]
We moved to [unclear: Tehuacán?] when I was six. [pause] It was hard. [inaudible 00:01:12]

[00:01:30] The consulate wrote to us in 1947 [NARA, RG 59, Central Files 1945-49] and
my mother cried [sighs] because [the letter] said we could go. (Laughter.) [crosstalk]

[1] The birth certificate gives 3 March 1931.
"""


def _edition(text: str, profile: str) -> etree._Element:
    result = encode_bytes(text.encode("utf-8"), "interview.txt", profile)
    assert not [d for d in result.reporter.items if d.code.startswith("TE9")], result.reporter.items
    return etree.fromstring(result.xml)


def test_interview_brackets_by_meaning():
    root = _edition(INTERVIEW, "plain")
    body = root.find("t:text/t:body", NS)

    def texts(xpath: str) -> list[str]:
        return ["".join(e.itertext()) for e in body.xpath("." + xpath, namespaces=NS)]

    assert texts("//t:time[@type='timestamp']") == ["00:00:02", "00:00:09", "00:01:30"]
    assert texts("//t:supplied") == ["José Lopez", "the letter"]
    assert all(s.get("resp") == "#editor" for s in body.iter("{*}supplied"))
    assert body.xpath(".//t:ref[@type='footnote']/@target", namespaces=NS) == ["#f1"]
    assert texts("//t:note[@type='footnote']") == ["The birth certificate gives 3 March 1931."]
    assert texts("//t:unclear") == ["Tehuacán?"]
    assert [e.get("type") for e in body.xpath(".//t:vocal", namespaces=NS)] == ["laughter", "sigh", "laughter"]
    assert len(body.xpath(".//t:pause", namespaces=NS)) == 1
    assert [g.get("reason") for g in body.xpath(".//t:gap", namespaces=NS)] == ["inaudible", "crosstalk"]
    listed = root.xpath("//t:sourceDesc/t:list[@type='archival']/t:item/t:bibl", namespaces=NS)
    assert [(b.text, b.get("corresp")) for b in listed] == [("NARA, RG 59, Central Files 1945-49", "#arc-1")]
    assert texts("//t:bibl[@type='archival']") == ["NARA, RG 59, Central Files 1945-49"]
    # The way back gives every bracket as printed.
    assert " ".join(edition_text(root).split()) == " ".join(INTERVIEW.split())


def test_house_styles_read_brackets_as_before():
    """Without the profile keys, a sound or a timestamp in brackets is still an insertion."""
    root = _edition("RAUL CASTRO. We met [00:00:02] and [laughs] agreed [1].\n", "nsarchive")
    assert [s.text for s in root.iter("{*}supplied")] == ["00:00:02", "laughs", "1"]
    assert all(s.get("resp") == "#translator" for s in root.iter("{*}supplied"))


def test_golden_editions_are_valid(tmp_path: Path):
    """Each case of the golden file makes an edition valid against the project's schema."""
    for n, case in enumerate(parse_fixture(RULES / "bracket_meaning.txt").cases):
        data = "\n".join(case.source).replace(FORM_FEED, "\f") + "\n"
        result = encode_bytes(data.encode("utf-8"), f"case-{n}.txt", case.headers["profile"])
        (tmp_path / f"case-{n:02}.xml").write_bytes(result.xml)
    outcome = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[brackets.events]\n"noise laughter" = \'laughs\'\n', "bad key 'noise laughter'"),
        ('[brackets.events]\n"vocal laughter" = \'laughs(\'\n', "bad pattern in brackets.events.vocal laughter"),
        ("[brackets]\nfootnote_markers = 'yes'\n", "'brackets.footnote_markers' must be a bool"),
        ("[brackets]\nparty_pattern = '(CDU'\n", "bad pattern in brackets.party_pattern"),
    ],
)
def test_bad_meanings_are_refused(tmp_path: Path, table: str, message: str):
    profile = tmp_path / "style.toml"
    profile.write_text(table, "utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(str(profile))
    assert caught.value.diagnostic.code == "TE110"
    assert message in caught.value.diagnostic.message


def test_parentheses_are_never_insertions():
    """A parenthesis that is no timestamp, event or party tag stays text, in both profiles."""
    text = "The committee (of which he was chairman) met (Laughter.) at (10:30).\n"
    for profile in ("plain", "parliament"):
        root = _edition(text, profile)
        assert not list(root.iter("{*}supplied"))
        p = root.find("t:text/t:body/t:div/t:p", NS)
        assert p.text == "The committee (of which he was chairman) met "
        assert p[0].tag.endswith("vocal") and p[0].tail == " at (10:30)."
