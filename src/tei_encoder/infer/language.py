"""The language of a corpus: one code when the sample agrees, "auto" (per file) when it does not."""

from __future__ import annotations

from collections import Counter

from ..transforms.language import text_language
from .evidence import Findings, Sample


def survey_language(samples: list[Sample]) -> Findings:
    """`language` fixed where every file the detector is sure of says the same."""
    out = Findings()
    found = [text_language(s.text, "en") for s in samples]
    sure = Counter(d.code for d in found if d.sure)
    if not sure:
        out.note(f"language: too little prose to tell in {len(samples)} files; left to each file (auto)")
        return out
    code, count = sure.most_common(1)[0]
    unsure = len(found) - sum(sure.values())
    if len(sure) == 1:
        why = f"identified as {code} in {count} of {len(samples)} files" + (f" ({unsure} too short to tell)" if unsure else "")
        out.set("", "language", code, why)
    else:
        mix = ", ".join(f"{c} ({n})" for c, n in sure.most_common())
        out.set("", "language", "auto", f"the files are in several languages: {mix}; each file's is identified")
    return out
