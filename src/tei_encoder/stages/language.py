"""Stage: the edition's language: the catalogue's, the profile's, or identified from the text."""

from __future__ import annotations

from ..diagnostics import Reporter
from ..document import Document
from ..profiles import Profile
from ..transforms.language import Detection, text_language


def edition_language(profile: Profile, text: str, reporter: Reporter) -> Detection:
    """The profile's language, or the one identified from the text when it says "auto"."""
    if profile.top["language"] != "auto":
        return Detection(profile.top["language"], 1.0, True)
    found = text_language(text, profile.top["language_fallback"])
    if not found.sure:
        guess = f"best guess {found.best}, {found.confidence:.2f}" if found.best else "no words to read"
        reporter.emit("TE440", f"the text's language is not clear from it ({guess}); taken as {found.code}, the profile's language_fallback")
    return found


def stage(doc: Document) -> None:
    if doc.metadata is not None and doc.metadata.language:
        doc.language = Detection(doc.metadata.language, 1.0, True)
        doc.from_catalogue.append(f"the language ({doc.metadata.language})")
    else:
        doc.language = edition_language(doc.profile, doc.text, doc.reporter)
