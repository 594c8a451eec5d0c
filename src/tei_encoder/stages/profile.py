"""Stage: the profile asked for, or the one detection picks, or one inferred from the file itself."""

from __future__ import annotations

from ..document import Document
from ..infer import BASE, INFERRED, SAMPLE_CHARS, Sample, infer
from ..profiles import Profile, detect_profile, load_profile
from ..source import Source


def choose_profile(source: Source, name: str | None) -> tuple[Profile, str]:
    """The profile and the reason it was taken."""
    if name:
        return load_profile(name), "chosen with --profile"
    profile, reason = detect_profile(source.text)
    if profile.name != BASE or not reason.startswith("no house style"):
        return profile, reason
    inference = infer([Sample(source.name, source.text[:SAMPLE_CHARS])], f"{BASE}{INFERRED}", corpus=False)
    if not inference.settings:
        return profile, reason
    evidence = "; ".join(f"{s.key} = {s.value!r}: {s.why}" for s in inference.settings if s.key != "rules")
    return inference.profile(), f"{reason}; settings inferred from the file: {evidence}"


def stage(doc: Document) -> None:
    doc.profile, doc.profile_reason = choose_profile(doc.source, doc.profile_name)
