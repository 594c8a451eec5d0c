"""The round trip: the text an edition gives back, compared with its source."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .diagnostics import Diagnostic, InputError
from .io import parse_edition
from .profiles import BUILTIN, Profile, load_profile
from .tei.totext import edition_text, recorded_profile


def edition_profile(root: etree._Element, name: str, profile: Profile | str | None = None) -> Profile:
    """The profile to read an edition back with: the one given, or the built-in one it names.

    An edition names its profile but cannot carry it: a profile from a file must be given
    again, and a name read from an edition is never taken for a path to open.
    """
    if isinstance(profile, Profile):
        return profile
    if profile:
        return load_profile(profile)
    recorded = recorded_profile(root)
    if recorded not in BUILTIN:
        raise InputError(
            Diagnostic("TE110", f"made with profile '{recorded}', which is not built in: give it with --profile", name)
        )
    return load_profile(recorded)


@dataclass(frozen=True)
class RoundTrip:
    """Whether an edition gives its source back, and where the two first differ."""

    ok: bool
    detail: str = ""


def collapse(text: str) -> str:
    """A text with every run of white space made one space, as the round trip compares."""
    return " ".join(text.split())


def check_round_trip(source_text: str, edition: bytes, name: str = "-", profile: Profile | str | None = None) -> RoundTrip:
    """Compare a source with the text regenerated from its edition (made with `profile`)."""
    root = parse_edition(edition, name)
    back = collapse(edition_text(root, edition_profile(root, name, profile)))
    want = collapse(source_text)
    if back == want:
        return RoundTrip(True)
    i = next((k for k, (a, b) in enumerate(zip(want, back)) if a != b), min(len(want), len(back)))
    return RoundTrip(False, f"at character {i}: source has {want[i:i + 40]!r}, edition gives {back[i:i + 40]!r}")
