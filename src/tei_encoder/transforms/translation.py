"""Whether a document is a translation, and from which language: only where something says so."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .archives import language_code
from .language import candidate_codes

# Where a transcript states that it is a translation: its head (title, front matter, notes)
# and its tail (a source line closing the document).
_HEAD = 4000
_TAIL = 2000

# Statements of translation, each naming the original language where it can ("lang").
# Labels open a line; "translated by" may stand inside a citation or a source line.
_STATEMENTS = [
    re.compile(r"\b[Tt]ranslated (?:from (?:the )?(?P<lang>[A-Z][a-z]+) )?by\b"),
    re.compile(r"\[\s*[Tt]ranslat(?:ed|ion) from (?:the )?(?P<lang>[A-Z][a-z]+)\b[^\]\n]*\]"),
    re.compile(r"(?m)^\W{0,4}Translation\s*(?:[-–—:]\s*(?:[A-Z][a-z]+)|from (?:the )?(?P<lang>[A-Z][a-z]+))"),
    re.compile(r"(?m)^\W{0,4}(?:Übersetzung|Übers\.|\(?[Üü]bersetzt)\s*(?:[-–—:]|aus dem (?P<lang>\w+)|von)"),
    re.compile(r"(?m)^\W{0,4}(?:Traducción|Traducido)\s*(?:[-–—:]|del (?P<lang>\w+)|de|por)"),
    re.compile(r"(?m)^\W{0,4}(?:Traduction|Traduit)\s*(?:[-–—:]|du (?P<lang>\w+)|de|par)"),
    re.compile(r"(?m)^\W{0,4}(?:Перевод|Переведено)\s*(?:[-–—:]|с (?P<lang>\w+)|из)"),
]
# "Original Language: Russian" as a label of the text (a front-matter field is read elsewhere).
_ORIGINAL = re.compile(r"(?m)^\W{0,4}Original [Ll]anguage\s*:\s*\n*\s*(?P<lang>[A-Z][a-z]+)\b")


def language_of_name(word: str) -> str:
    """The code of a language named in English, German, Spanish, French or Russian, inflected
    or not ("Russian", "Russischen", "ruso", "russe", "русского"); "" when none of the register's."""
    if not word:
        return ""
    code = language_code(word.capitalize())
    if code:
        return code
    from babel import Locale  # CLDR's language names, loaded only for a statement in another language

    word = word.casefold()
    for locale in ("de", "es", "fr", "ru"):
        names = Locale.parse(locale).languages
        for candidate in candidate_codes():
            name = names.get(candidate, "").casefold()
            # Declension changes at most the last two letters ("русский" → "русского").
            if len(name) >= 4 and (word.startswith(name) or (word.startswith(name[:-2]) and len(word) - len(name) <= 2)):
                return candidate
    return ""


@dataclass(frozen=True)
class Translation:
    """The evidence that a document is a translation."""

    original: str  # ISO 639-1 code of the original language; "" when the source does not say
    evidence: str  # what said so, for the diagnostics and the header
    translator: str = ""  # the name a "Translated by …" statement gives

# The name after "translated by": capitalised words (initials allowed), up to four.
_TRANSLATOR = re.compile(r"[Tt]ranslated (?:from (?:the )?[A-Z][a-z]+ )?by (?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})")


def is_translation(
    text: str,
    text_language: str,
    profile_original: str = "",
    original_field: str = "",
    translator_patterns: tuple[str, ...] = (),
) -> Translation | None:
    """The evidence that a document is a translation into `text_language`, or None.

    A translation is stated by the profile (`original_language`), by an "Original Language"
    field or line naming another language than the text's, by a translator the profile's
    responsibility patterns find, or by a statement in the head or tail of the text ("Translated by …", "[Translated from
    the Russian]", "Übersetzung aus dem …"). An original-language field naming the text's own
    language says the document is no translation.
    """
    if original_field:
        code = language_code(original_field) or ""
        if code == text_language:
            return None
        return Translation(code, f"original language {original_field}")
    if profile_original and profile_original != text_language:
        return Translation(profile_original, "the profile's original_language")
    region = text if len(text) <= _HEAD + _TAIL else text[:_HEAD] + "\n" + text[-_TAIL:]
    stated = _ORIGINAL.search(region)
    if stated:
        code = language_of_name(stated.group("lang"))
        if code == text_language:
            return None
        if code:
            return Translation(code, stated.group().strip())
    for pattern in _STATEMENTS:
        m = pattern.search(region)
        if m:
            code = language_of_name(m.groupdict().get("lang") or "")
            if code and code == text_language:
                continue  # "translated from the Russian" above a Russian text: the statement is of another text
            name = _TRANSLATOR.search(region)
            return Translation(code, m.group().strip(), name.group("name").rstrip(".") if name else "")
    for translator in translator_patterns:
        m = re.search(translator, region)
        if m:
            return Translation("", m.group().strip())
    return None
