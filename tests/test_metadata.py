"""Metadata beside a transcript (NAME.meta.toml): participants the text never names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from tei_encoder.api import check_round_trip, encode_file
from tei_encoder.diagnostics import InputError

from .conftest import SHARED
from .test_devcorpus import check_speakers

CORPUS = SHARED / "devcorpus"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def corpus_doc(doc_id: str) -> dict:
    manifest = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
    docs = manifest["documents"] if isinstance(manifest, dict) else manifest
    return next(d for d in docs if d["id"] == doc_id)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"development corpus not found at {CORPUS} (../shared is absent)")
@pytest.mark.parametrize(("doc_id", "names"), [
    ("raw_khrushchev_secret_speech", ["N.S. Khrushchev"]),
    ("raw_brezhnev_zhivkov", ["L.I. Brezhnev", "T. Zhivkov"]),
])
def test_participants_from_metadata(tmp_path: Path, doc_id: str, names: list[str]):
    """A project's metadata names the speakers an excerpt never names; the text is untouched."""
    doc = corpus_doc(doc_id)
    transcript = tmp_path / Path(doc["path"]).name
    shutil.copyfile(CORPUS / doc["path"], transcript)
    bare = etree.fromstring(encode_file(transcript)[1].xml)
    assert not check_speakers(doc, bare).met  # the text alone does not say who speaks
    transcript.with_name(transcript.stem + ".meta.toml").write_text(
        "participants = [" + ", ".join(f'"{n}"' for n in names) + "]\n", "utf-8")
    source, result = encode_file(transcript)
    root = etree.fromstring(result.xml)
    assert check_speakers(doc, root).met
    assert check_round_trip(source.text, result.xml).ok
    people = root.xpath("//t:particDesc//t:person/@xml:id", namespaces={**NS, "xml": "http://www.w3.org/XML/1998/namespace"})
    assert len(people) >= len(names)
    said = " ".join(root.xpath("//t:editorialDecl//t:p/text()", namespaces=NS))
    assert ".meta.toml" in said and names[0] in said  # where the participants come from


@pytest.mark.parametrize(("text", "line", "what"), [
    ('participants = ["A. Person"]\nspeakerz = "x"\n', 2, "unknown key 'speakerz'"),
    ('participants = "A. Person"\n', 1, "'participants' must be"),
    ('participants = ["A. Person"\n', None, "not valid TOML"),
])
def test_bad_metadata_is_one_clear_error(tmp_path: Path, text: str, line: int | None, what: str):
    transcript = tmp_path / "record.txt"
    transcript.write_text("RECORD OF CONVERSATION\n\nThe talk began at noon.\n", "utf-8")
    meta = tmp_path / "record.meta.toml"
    meta.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        encode_file(transcript)
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == "TE110" and diagnostic.file == str(meta) and what in diagnostic.message
    if line is not None:
        assert diagnostic.line == line
    else:
        assert diagnostic.line is not None
