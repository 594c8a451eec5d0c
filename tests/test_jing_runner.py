"""The jing runner checks every file, even those after one that is not well-formed."""

from __future__ import annotations

from pathlib import Path

from tei_encoder.validate.jing import run_jing


def test_files_after_a_broken_one_are_still_checked(tei_all: Path, tmp_path: Path):
    broken = tmp_path / "a_broken.xml"
    broken.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>', "utf-8")
    invalid = tmp_path / "b_invalid.xml"
    invalid.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><nonsense/></TEI>', "utf-8")
    found = run_jing(tei_all, [broken, invalid])
    files = {Path(d.file).name for d in found}
    assert files == {"a_broken.xml", "b_invalid.xml"}, [d.format() for d in found]
