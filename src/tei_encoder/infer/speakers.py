"""Speaker conventions of a corpus: which label forms its turns take, read as `plain` reads them."""

from __future__ import annotations

from collections import Counter

from ..blocks import parse_blocks
from ..diagnostics import Reporter
from ..profiles import load_profile
from ..source import source_from_bytes
from .evidence import Findings, Sample, shown


def labels_of(sample: Sample) -> list[tuple[str, frozenset[str]]]:
    """(label as printed, its forms) of every turn the generic profile finds in a sample."""
    reporter = Reporter(sample.name)
    source = source_from_bytes(sample.text.encode("utf-8"), sample.name, reporter)
    state = parse_blocks(source, load_profile("plain"), reporter)
    found = []
    for block in state.blocks:
        label = block.attrs.get("speaker") if block.kind == "turn" else None
        if label is not None:
            found.append((block.attrs["label"].clean, label.forms))
    return found


def survey_speakers(samples: list[Sample]) -> Findings:
    """The label forms in use become `label_forms`; a corpus with no turns has them switched off."""
    out = Findings()
    forms: Counter[str] = Counter()
    files: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    with_turns = 0
    for sample in samples:
        labels = labels_of(sample)
        with_turns += bool(labels)
        seen_here: set[str] = set()
        for printed, label_forms in labels:
            for form in label_forms:
                forms[form] += 1
                seen_here.add(form)
                if printed not in examples.setdefault(form, []):
                    examples[form].append(printed)
        files.update(seen_here)
    if not with_turns:
        out.set("turns", "enabled", False, f"no speaker turns in any of the {len(samples)} files")
        return out
    used = sorted(forms)
    detail = "; ".join(f"{f}: {forms[f]} in {files[f]} file{'s' if files[f] != 1 else ''}, e.g. {shown(examples[f])}" for f in used)
    out.set("turns", "enabled", True, f"speaker turns in {with_turns} of {len(samples)} files")
    out.set("turns", "label_forms", used, f"the label forms the turns take ({detail})", [e for f in used for e in examples[f][:2]])
    rare = sorted(f for f in used if files[f] == 1 and len(samples) >= 4)
    if rare:
        # Kept, since a missed turn costs more than a checked one; the editor decides.
        out.note("label forms seen in one file only (a convention, or a misreading?): "
                 + ", ".join(f"{f} ({shown(examples[f], 2)})" for f in rare))
    return out
