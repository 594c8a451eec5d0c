"""House-style inference: each survey on corpora that show a convention and on near-misses, the
written profile, `tei-encoder profile infer`, and the profile inferred for a file no style fits."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tei_encoder.api import check_round_trip, encode_bytes
from tei_encoder.cli import main
from tei_encoder.infer import Sample, infer
from tei_encoder.infer.brackets import classify
from tei_encoder.profiles import load_profile, profile_from_toml

from .conftest import ROOT, SHARED, SOURCES

NSA = SOURCES / "nsarchive-1960-07-18-khrushchev-raul-castro.txt"
PARA = "The delegation discussed the state of the negotiations at some length and agreed to meet again.\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, list(map(str, args)))


def setting(samples: list[Sample], table: str, key: str) -> object:
    return next((s.value for s in infer(samples, "t").settings if (s.table, s.key) == (table, key)), None)


def paged(marker: str, pages: int = 4, blank: int = 1) -> str:
    gap = "\n" * (blank + 1)
    return gap.join(f"{PARA}\n{PARA}".strip() + gap + marker.format(n=n) for n in range(1, pages + 1)) + "\n"


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize(
    ("marker", "shape"),
    [("--- Page {n} ---", "rule"), ("- {n} -", "dashed"), ("[Page {n}]", "bracketed"), ("Page {n}", "word"), ("{n}", "bare")],
)
def test_printed_page_numbers_give_the_page_number_pattern(marker: str, shape: str) -> None:
    samples = [Sample(f"f{i}.txt", paged(marker)) for i in range(3)]
    found = infer(samples, "t").findings
    pattern = found.value("blocks", "page_number_pattern")
    assert pattern is not None and shape in next(s.why for s in found.settings if s.key == "page_number_pattern")
    assert found.value("blocks", "number_pages") is True
    # Pages one blank line apart, like paragraphs: the blank run alone cannot mark a page.
    assert found.value("blocks", "page_break_min_blank") in (None, 0)


def test_page_numbers_after_longer_runs_set_the_run() -> None:
    samples = [Sample(f"f{i}.txt", paged("- {n} -", blank=3)) for i in range(2)]
    assert setting(samples, "blocks", "page_break_min_blank") == 3


def test_numbers_that_do_not_count_pages_are_no_page_numbers() -> None:
    years = "The years that matter:\n\n1962\n\n1945\n\n1989\n\n" + PARA
    figure = "We counted\n\n12\n\nships, then\n\n12\n\nmore.\n"
    samples = [Sample("a.txt", years), Sample("b.txt", figure), Sample("c.txt", PARA)]
    found = infer(samples, "t").findings
    assert found.value("blocks", "page_number_pattern") is None
    assert found.value("blocks", "page_break_min_blank") == 0


def test_page_numbers_in_few_files_set_nothing() -> None:
    samples = [Sample("a.txt", paged("--- Page {n} ---"))] + [Sample(f"p{i}.txt", PARA * 3) for i in range(4)]
    found = infer(samples, "t").findings
    assert found.value("blocks", "page_number_pattern") is None
    assert any("only 1 of 5 files" in o for o in found.observations)


def test_long_blank_runs_that_cut_sentences_are_pages() -> None:
    text = PARA + "\n" + "We believe that the position of the government,\n\n\n\nso to speak, is firm.\n\n" + PARA
    text += "\nThe talks were held in\n\n\n\nthe Kremlin on that day.\n"
    found = infer([Sample("a.txt", text)], "t").findings
    assert found.value("blocks", "page_break_min_blank") == 3
    assert found.value("blocks", "running_heads") is None


def test_a_radio_log_with_blank_runs_and_repeated_lines_has_no_pages() -> None:
    log = "".join("CAPCOM: Roger.\n\n\n\nEAGLE: Roger. Over.\n\n\n\n" for _ in range(20))
    found = infer([Sample("log.txt", log)], "t").findings
    assert found.value("blocks", "page_break_min_blank") == 0
    assert found.value("blocks", "running_heads") is False


def test_the_nsa_transcript_shows_its_pages_by_cut_sentences() -> None:
    found = infer([Sample(NSA.name, NSA.read_text("utf-8"))], "t").findings
    assert found.value("blocks", "page_break_min_blank") == 3


# ---------------------------------------------------------------- openings and header labels


def test_a_shared_first_line_is_detected_and_a_heading() -> None:
    samples = [
        Sample("a.txt", "Telephone Conversation Between President Johnson and Senator Russell\n\n" + PARA),
        Sample("b.txt", "TELEPHONE CONVERSATION BETWEEN President Johnson and Robert McNamara\n\n" + PARA),
        Sample("c.txt", "Telephone conversation between the President and McGeorge Bundy\n\n" + PARA),
    ]
    found = infer(samples, "t")
    patterns = found.findings.value("detect", "patterns")
    assert patterns and patterns[0].startswith("(?i)^TELEPHONE")
    assert "heading" in next(s.value for s in found.settings if s.key == "rules")
    profile = found.profile()
    assert profile.get("blocks", "heading_patterns") == patterns


def test_first_lines_that_differ_give_no_pattern() -> None:
    samples = [Sample("a.txt", "Meeting with the Prime Minister\n\n" + PARA), Sample("b.txt", "Letter to the Editor\n\n" + PARA)]
    assert infer(samples, "t").findings.value("detect", "patterns") is None
    assert infer([samples[0]], "t").findings.value("detect", "patterns") is None  # one file is no corpus


def test_memorandum_labels_at_the_top_of_most_files() -> None:
    memo = "MEMORANDUM FOR: The Director\nFROM: J. Smith\nSUBJECT: Travel of {who}\n\n" + PARA
    samples = [Sample(f"m{i}.txt", memo.format(who=w)) for i, w in enumerate(["Oswald", "Hosty", "Ruby"])]
    samples.append(Sample("n.txt", "Note: this file has no header.\n\n" + PARA))
    inference = infer(samples, "t")
    assert inference.findings.value("blocks", "memo_labels") == ["FROM", "MEMORANDUM FOR", "SUBJECT"]
    assert "memo_header" in next(s.value for s in inference.settings if s.key == "rules")


def test_a_lone_label_line_is_no_header() -> None:
    samples = [Sample("a.txt", "Note: the meeting was postponed.\n\n" + PARA), Sample("b.txt", "Subject: Cuba\n\n" + PARA),
               Sample("c.txt", PARA), Sample("d.txt", PARA)]
    assert infer(samples, "t").findings.value("blocks", "memo_labels") is None
    assert infer([Sample("a.txt", "Subject: Cuba\n\n" + PARA)], "t").findings.value("blocks", "memo_labels") is None


# ---------------------------------------------------------------- brackets


@pytest.mark.parametrize(
    ("inner", "kind"),
    [
        ("sic", "sic"), ("SIC", "sic"), ("sic!", "sic"), ("00:01:02", "timestamp"), ("1:02:03.5", "timestamp"),
        ("1", "footnote"), ("12", "footnote"), ("inaudible", "gap"), ("two words illegible", "gap"),
        ("unintelligible", "gap"), ("crosstalk", "gap"), ("laughs", "sound"), ("Laughter", "sound"),
        ("Beifall bei der SPD", "sound"), ("PRO: CAB 21/893", "archive"), ("NARA, RG 59, Central Files", "archive"),
        ("…", "omission"),
        # near-misses: real insertions
        ("1950", "insertion"), ("the Soviet Union", "insertion"), ("to the USSR", "insertion"), ("him", "insertion"),
        ("Note: see above", "insertion"), ("sick", "insertion"), ("12 ships", "insertion"),
    ],
)
def test_bracket_kinds(inner: str, kind: str) -> None:
    assert classify(inner) == kind


def test_sic_forms_in_use_become_the_markers() -> None:
    samples = [Sample("a.txt", "He wrote recieve [sic!] twice, and teh [sic!].\n"), Sample("b.txt", "A word (sic) here.\n")]
    assert setting(samples, "brackets", "sic_markers") == ["[sic!]", "(sic)"]
    assert setting([Sample("c.txt", PARA)], "brackets", "sic_markers") is None


# ---------------------------------------------------------------- the written profile


def test_the_written_profile_loads_comments_its_evidence_and_is_stable() -> None:
    firsts = ["Minutes of the board", "Letter to Smith", "Report on the harbour"]
    samples = [Sample(f"f{i}.txt", f"{first}\n\n" + paged("--- Page {n} ---") + "A word [sic!] here.\n") for i, first in enumerate(firsts)]
    text = infer(samples, "corpus").profile_text()
    assert text == infer(samples, "corpus").profile_text()
    data = tomllib.loads(text)
    assert data["base"] == "plain" and data["blocks"]["number_pages"] is True
    assert "# printed page numbers in 3 of 3 files" in text
    assert "# Also seen in the sample" in text
    profile = infer(samples, "corpus").profile()
    assert profile.name == "corpus" and profile.get("brackets", "sic_markers") == ["[sic!]"]
    # What the file does not name comes from its base.
    assert profile.get("blocks", "rules") == load_profile("plain").get("blocks", "rules")


def _inference_cases() -> list[tuple[str, list[Sample]]]:
    cases = [("pages", [Sample(f"f{i}.txt", f"Minutes {i}\n\n" + paged("--- Page {n} ---") + "A word [sic!] here.\n")
                        for i in range(3)])]
    for folder in (ROOT / "tests" / "styles", ROOT / "tests" / "realdocs", SHARED / "devcorpus"):
        for path in sorted(folder.rglob("*.txt"))[:12] if folder.is_dir() else []:
            cases.append((path.name, [Sample(path.name, path.read_text("utf-8"))]))
    return cases


@pytest.mark.parametrize("corpus", [True, False])
def test_the_profile_built_directly_is_the_one_its_toml_reads_as(corpus: bool) -> None:
    # profile() builds the tables without writing and parsing the TOML; both must agree.
    checked = 0
    for name, samples in _inference_cases():
        inference = infer(samples, "t", corpus=corpus)
        through_toml = profile_from_toml(inference.profile_text(), "t")
        assert inference.profile().data == through_toml.data, name
        checked += bool(inference.settings)
    assert checked >= 5  # enough of them set something


# ---------------------------------------------------------------- command line


def test_cli_infers_a_profile_that_convert_then_uses(tmp_path: Path) -> None:
    corpus = tmp_path / "calls"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"c{i}.txt").write_text(paged("- {n} -", blank=3), "utf-8")
    out = tmp_path / "calls.toml"
    result = run("profile", "infer", corpus, "-o", out)
    assert result.exit_code == 0, result.output
    assert "profile 'calls' from 3 of 3 transcripts" in result.stderr
    assert tomllib.loads(out.read_text("utf-8"))["blocks"]["page_break_min_blank"] == 3
    converted = run("convert", corpus / "c0.txt", "--out", tmp_path / "ed", "--profile", out)
    assert converted.exit_code == 0, converted.output
    assert b'<pb n="2"' in (tmp_path / "ed" / "c0.xml").read_bytes()


def test_cli_prints_to_standard_output_and_samples(tmp_path: Path) -> None:
    for i in range(6):
        (tmp_path / f"d{i}.txt").write_text(PARA, "utf-8")
    result = run("profile", "infer", tmp_path, "--sample", "2")
    assert result.exit_code == 0
    assert result.stdout.startswith("# House style inferred by tei-encoder") and "from 2 of 6 transcripts" in result.stdout


def test_cli_without_transcripts_is_a_usage_error(tmp_path: Path) -> None:
    result = run("profile", "infer", tmp_path)
    assert result.exit_code == 2
    assert "error[TE100] no transcripts found" in result.stderr


# ---------------------------------------------------------------- a file no house style fits


def test_a_file_no_style_fits_gets_an_inferred_profile_and_reads_back() -> None:
    text = "The talks were held in\n\n\n\nthe Kremlin on that day.\n\nWe believe the position,\n\n\n\nso to speak, is firm.\n"
    result = encode_bytes(text.encode(), "talks.txt")
    assert result.profile == "plain+inferred"
    assert "page_break_min_blank = 3" in result.profile_reason
    assert b'<desc type="profile">profile plain+inferred: no house style recognised; settings inferred' in result.xml
    assert result.xml.count(b"<pb ") == 2
    assert check_round_trip(text, result.xml).ok


def test_a_recognised_style_is_not_inferred() -> None:
    result = encode_bytes(NSA.read_bytes(), NSA.name)
    assert result.profile == "nsarchive"


@pytest.mark.skipif(not (SHARED / "devcorpus").is_dir(), reason="../shared/devcorpus is absent")
def test_inference_on_the_development_corpus_writes_loadable_profiles() -> None:
    for folder in sorted(p for p in (SHARED / "devcorpus").iterdir() if p.is_dir()):
        samples = [Sample(p.name, p.read_text("utf-8")) for p in sorted(folder.glob("*.*")) if p.suffix in (".txt", ".md")]
        inference = infer(samples, folder.name)
        assert inference.profile().name == folder.name


# ---------------------------------------------------------------- speakers and language


BRIEFING = "MS. PSAKI: Good afternoon.\n\nQ: Is the bill passing?\n\nMS. PSAKI: We hope so.\n\nQ: Thank you.\n"
INTERVIEW = "INTERVIEWER: Where were you born?\n\nELLIS: In Leeds.\n\nINTERVIEWER: And then?\n\nELLIS: The mill.\n"


def test_label_forms_in_use_are_kept_with_their_evidence() -> None:
    samples = [Sample("b.txt", BRIEFING), Sample("i.txt", INTERVIEW), Sample("p.txt", PARA * 2)]
    inference = infer(samples, "t")
    forms = inference.findings.value("turns", "label_forms")
    assert forms == ["caps-colon", "question-answer"]
    assert inference.findings.value("turns", "enabled") is True
    why = next(s.why for s in inference.settings if s.key == "label_forms")
    assert '"MS. PSAKI:"' in why and "caps-colon: 6 in 2 files" in why
    profile = inference.profile()
    assert profile.get("turns", "label_forms") == ["caps-colon", "question-answer"]


def test_a_corpus_without_turns_switches_them_off() -> None:
    memo = "Subject: Travel\n\nNote: the allowances rise.\n\n" + PARA
    found = infer([Sample("m.txt", memo), Sample("p.txt", PARA * 3)], "t").findings
    assert found.value("turns", "enabled") is False
    assert found.value("turns", "label_forms") is None


def test_one_language_is_fixed_and_several_are_left_to_each_file() -> None:
    german = "Der Ausschuss hat den Entwurf lange beraten und empfiehlt dem Bundestag, ihn anzunehmen. " * 3
    english = "The committee has discussed the draft at length and recommends that the house adopt it. " * 3
    assert infer([Sample("a.txt", german), Sample("b.txt", german)], "t").findings.value("", "language") == "de"
    mixed = infer([Sample("a.txt", german), Sample("b.txt", english)], "t")
    assert mixed.findings.value("", "language") == "auto"
    assert mixed.profile().top["language"] == "auto"


def test_the_styles_corpus_gives_a_loadable_profile_with_every_form_it_uses() -> None:
    styles = Path(__file__).resolve().parent / "styles"
    samples = [Sample(p.name, p.read_text("utf-8")) for p in sorted(styles.iterdir()) if p.suffix in (".txt", ".md")]
    inference = infer(samples, "styles")
    assert set(inference.findings.value("turns", "label_forms")) >= {"bold", "caps-colon", "caps-stop", "dash", "timestamp"}
    assert inference.profile().name == "styles"
