"""Speaker label forms as profile data: a bad form is refused; metadata names a label's person."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_encoder.api import encode_file
from tei_encoder.diagnostics import InputError
from tei_encoder.profiles import load_profile

NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
DIALOGUE = "President: Dick?\n\nRussell: Yes, Mr. President.\n\nPresident: I want you on it.\n\nRussell: I cannot.\n"


def test_unknown_label_form_is_one_te110_line(tmp_path: Path):
    path = tmp_path / "style.toml"
    path.write_text('name = "style"\n\n[turns]\nlabel_forms = ["caps-colon", "caps-semicolon"]\n', "utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(str(path))
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == "TE110" and diagnostic.line == 4 and "caps-semicolon" in diagnostic.message


def test_a_profile_turns_on_only_the_forms_it_names(tmp_path: Path):
    """The same dialogue: turns with name-colon, none with caps-colon only."""
    transcript = tmp_path / "call.txt"
    transcript.write_text(DIALOGUE, "utf-8")
    counts = {}
    for forms in ('["name-colon"]', '["caps-colon"]'):
        profile = tmp_path / "style.toml"
        profile.write_text(f'name = "style"\n[turns]\nlabel_forms = {forms}\n', "utf-8")
        counts[forms] = len(etree.fromstring(encode_file(transcript, str(profile))[1].xml).findall(".//t:sp", NS))
    assert counts == {'["name-colon"]': 4, '["caps-colon"]': 0}


def test_metadata_names_the_person_behind_a_label(tmp_path: Path):
    """"President:" is Lyndon B. Johnson when the project's metadata says who took part."""
    transcript = tmp_path / "call.txt"
    transcript.write_text(DIALOGUE, "utf-8")
    transcript.with_name("call.meta.toml").write_text(
        'participants = ["President Lyndon B. Johnson", "Senator Richard Russell"]\n', "utf-8"
    )
    root = etree.fromstring(encode_file(transcript)[1].xml)
    who = [sp.get("who") for sp in root.iterfind(".//t:sp", NS)]
    persons = {p.get("{http://www.w3.org/XML/1998/namespace}id"): "".join(p.find("t:persName", NS).itertext())
               for p in root.iterfind(".//t:person", NS)}
    assert who == ["#johnson-lyndon-b", "#russell-richard"] * 2
    assert persons == {"johnson-lyndon-b": "Lyndon B. Johnson", "russell-richard": "Richard Russell"}
