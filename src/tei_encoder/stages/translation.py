"""Stage: whether the text is a translation, and so whose the bracketed insertions are."""

from __future__ import annotations

from ..document import Document
from ..transforms.translation import Translation, is_translation


def stage(doc: Document) -> None:
    profile = doc.profile
    fields = doc.state.facts.get("fields", {})
    translation = is_translation(
        doc.text,
        doc.language.code,
        profile.top["original_language"],
        " ".join(span.clean for span in fields.get("original-language", [])[:1]),
        tuple(entry["pattern"] for entry in profile.get("responsibility", "patterns") if entry["role"] == "translator"),
    )
    if translation is None and profile.top["translation"] == "assumed":
        translation = Translation("", "the profile's translation = \"assumed\"")
    resp = profile.get("brackets", "resp")
    if resp == "translator" and translation is None:
        resp = "editor"  # an original's brackets are its editor's, not a translator's
    elif resp == "editor" and translation is not None and profile.top["translation"] == "stated":
        resp = "translator"  # a source that says it is a translation: its brackets are the translator's
    doc.translation, doc.resp = translation, resp
