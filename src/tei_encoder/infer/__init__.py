"""House-style inference: read a sample of a corpus and propose a profile, with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..diagnostics import InputError, Reporter
from ..profiles import Profile, load_profile, profile_from_data
from ..source import read_source
from .brackets import survey_brackets
from .evidence import Findings, Sample, Setting
from .headings import survey_header_labels, survey_openings
from .language import survey_language
from .pages import survey_pages
from .render import render
from .speakers import survey_speakers

# A sample this large shows a corpus's conventions; more costs time and tells little more.
SAMPLE_FILES = 50
SAMPLE_CHARS = 200_000
BASE = "plain"  # an inferred profile is the generic one with what the evidence decides
# The suffix of a profile inferred for one file that no house style fits ("plain+inferred"): the
# edition names its base, which is all the way back to text needs (inference sets no front matter).
INFERRED = "+inferred"


@dataclass
class Inference:
    """What a sample showed, and the profile that follows from it."""

    name: str
    samples: list[Sample]
    of: int  # files in the corpus
    findings: Findings

    @property
    def settings(self) -> list[Setting]:
        """One setting per key (the last decided), in the order decided, with the block rules they need."""
        latest: dict[tuple[str, str], Setting] = {}
        for setting in self.findings.settings:
            latest.pop((setting.table, setting.key), None)
            latest[(setting.table, setting.key)] = setting
        rules = self._rules(latest)
        if rules is not None:
            latest[("blocks", "rules")] = rules
        return list(latest.values())

    def _rules(self, latest: dict[tuple[str, str], Setting]) -> Setting | None:
        base = list(load_profile(BASE).get("blocks", "rules"))
        rules = list(base)
        added = []
        if ("blocks", "heading_patterns") in latest and "heading" not in rules:
            rules.insert(1 if rules[:1] == ["page_breaks"] else 0, "heading")
            added.append("heading (the shared first line)")
        if ("blocks", "memo_labels") in latest and "memo_header" not in rules:
            at = next((i for i, r in enumerate(rules) if r in ("section", "turn", "paragraph")), len(rules))
            rules.insert(at, "memo_header")
            added.append("memo_header (the header lines)")
        if rules == base:
            return None
        return Setting("blocks", "rules", rules, f"the generic profile's rules, with {' and '.join(added)}")

    def _top(self) -> dict[str, Any]:
        return {"base": BASE, "name": self.name, "description": f"inferred from {len(self.samples)} transcripts"}

    def profile_data(self) -> dict[str, Any]:
        """The tables profile_text() reads back as, without writing and parsing the TOML."""
        raw: dict[str, Any] = dict(self._top())
        for setting in self.settings:
            table = raw if setting.table == "" else raw.setdefault(setting.table, {})
            table[setting.key] = _as_toml(setting.value)
        return raw

    def profile_text(self) -> str:
        """The inferred profile as commented TOML."""
        top = self._top()
        header = [
            f"House style inferred by tei-encoder {__version__} from {len(self.samples)} of {self.of} transcripts.",
            f"It starts from the '{BASE}' profile; each key below is a convention the sample shows, with the "
            "evidence above it. Check the evidence, edit what is wrong, and use the file with --profile.",
        ]
        return render(top, self.settings, header, self.findings.observations)

    def profile(self) -> Profile:
        """The inferred profile, loaded and checked like any profile file."""
        # Built from the settings directly: one file's inference is made for every transcript
        # no house style fits, and writing the commented TOML to parse it again cost more than
        # inferring. The test suite holds that the two read the same.
        return profile_from_data(self.profile_data(), f"<inferred profile {self.name}>")

    def summary(self) -> str:
        """One line of what the evidence changed."""
        keys = [f"{s.table + '.' if s.table else ''}{s.key}" for s in self.settings if s.key != "rules"]
        return "inferred " + (", ".join(keys) if keys else "nothing beyond the generic profile")


def _as_toml(value: Any) -> Any:
    """A value as TOML would give it back: tuples are arrays, that is lists."""
    if isinstance(value, (list, tuple)):
        return [_as_toml(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_toml(v) for k, v in value.items()}
    return value


def survey(samples: list[Sample], corpus: bool = True) -> Findings:
    """Every survey over the sample, in a fixed order. For one file alone (`corpus` false) the
    speaker and language surveys are left out: they would restate what the generic profile
    finds in that file anyway."""
    findings = Findings()
    runs = [survey_language, survey_openings, survey_header_labels, survey_pages, survey_brackets]
    if corpus:
        runs.append(survey_speakers)
    else:
        runs.remove(survey_language)
    for run in runs:
        findings.extend(run(samples))
    return findings


def infer(samples: list[Sample], name: str, of: int | None = None, corpus: bool = True) -> Inference:
    return Inference(name, samples, len(samples) if of is None else of, survey(samples, corpus))


def pick(files: list[Path], most: int = SAMPLE_FILES) -> list[Path]:
    """At most `most` files, spread evenly over the corpus in name order (the same each time)."""
    ordered = sorted(files)
    if len(ordered) <= most:
        return ordered
    step = len(ordered) / most
    return [ordered[int(i * step)] for i in range(most)]


def read_samples(files: list[Path]) -> tuple[list[Sample], list[str]]:
    """The sample's texts (their first SAMPLE_CHARS characters), and a line per file that could not be read."""
    samples, skipped = [], []
    for path in files:
        try:
            source = read_source(path, Reporter(str(path)))
        except InputError as exc:
            skipped.append(exc.diagnostic.format())
            continue
        samples.append(Sample(path.name, source.text[:SAMPLE_CHARS]))
    return samples, skipped


__all__ = ["BASE", "INFERRED", "SAMPLE_CHARS", "Inference", "Sample", "infer", "pick", "read_samples", "survey"]
