"""House-style profiles: TOML data that says which rules run and with which patterns."""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, InputError
from .vocabulary import LABEL_FORMS, unknown_rules

BUILTIN = ("nsarchive", "wilson-center", "dfat", "us-records-ocr", "plain", "parliament")

# Every key a profile may hold, by table, with its default. Unknown keys are errors, so a
# typo in a house style is caught instead of silently ignored.
DEFAULTS: dict[str, dict[str, Any]] = {
    "": {
        "name": "",
        # A built-in profile this one starts from: its settings hold unless this file names the key.
        "base": "",
        "description": "",
        # The text's language (ISO 639-1), or "auto": identified from a sample of its prose.
        "language": "en",
        # What "auto" falls back to when the sample is too short or unclear to say.
        "language_fallback": "en",
        "original_language": "",
        # "assumed": every document is a translation (its brackets are the translator's);
        # "stated": only one whose source says so ("Translated by …", "Original Language: …").
        "translation": "assumed",
        "div_type": "record",
    },
    "detect": {"patterns": []},
    "blocks": {
        "rules": ["page_breaks", "heading", "present", "source_note", "section", "closer", "turn", "paragraph"],
        "page_break_min_blank": 0,
        # A line holding only this, between two page boundaries, is the printed page number.
        "page_number_pattern": r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$",
        "number_pages": False,
        # A line that marks a page itself ("--- Page 4 ---", "[Page 4]"), wherever it stands:
        # a page boundary, the line kept as fw type="pageNum", its number as pb/@n.
        "page_marker_pattern": "",
        # Blank runs are page boundaries only where the document shows pages: a form feed, a
        # page marker, or printed page numbers standing alone between blank runs.
        "blank_pages_need_evidence": False,
        # A line alone that a release stamps at the top of every page ("13-00000"): pb + fw.
        "page_stamp_pattern": "",
        # Lines repeated at the top or foot of the pages (a classification, a title, a line
        # counting the pages) → fw header / footer / pageNum with the page break, not text.
        "running_heads": True,
        # On how many pages a line must stand by a page boundary to be a running head or foot.
        "running_head_min_pages": 2,
        # How many lines at the top and at the foot of a page may be forme work.
        "running_head_lines": 2,
        # A paragraph opening like this starts a new document of the same file: the edition
        # becomes a teiCorpus with one TEI per document.
        "document_start_pattern": "",
        "infer_breaks_in_sentences": False,
        "heading_patterns": [],
        "opener_patterns": {},
        "opener_before_heading": True,
        "closer_role_pattern": r"^[A-Z][A-Z .,'’-]{6,}$",
        "closer_name_pattern": r"^\((?P<name>[A-Z][A-Za-z. ’'-]+)\)$",
        "present_label": "Present:",
        # A dateline may name its place and the time of day ("Washington, February 07, 1964,
        # 11:17 a.m." → dateline/placeName and date/@when with the time).
        "dateline_places": False,
        # Pass "line_paragraphs": where the whole document's lines end sentences (and none
        # goes on in lower case), each line is a paragraph; a hard-wrapped text is joined.
        "line_paragraphs": False,
        # Rule "participants": a line opening with one of these labels, and the names after
        # it (one a line, or separated by commas) → list[@type="participants"] and particDesc.
        "participant_labels": [],
        # A line opening with a source prefix and no bracket ("Source: Department of State,
        # Central Files, …") → note[@type="source"], as a bracketed one.
        "source_lines": False,
        # Footnote lines after the text ("1 Document 229."), numbered one up from the other,
        # whose numbers stand as markers in the text ("at his request.1") → note + ref.
        "footnote_lines": False,
        # Labels that open the header lines of a memorandum or cable (rule memo_header).
        "memo_labels": [],
        "narration_patterns": [],
    },
    "turns": {
        "enabled": True,
        "reporting_verbs": [],
        # Persons reported as speaking inside paragraphs ("Rusk said that …") join the register.
        "reported_in_text": False,
        # Offices the text names persons by ("the Attorney General"): each becomes a person.
        "offices": [],
        # Speaker label forms that make a turn, weighed over the whole document (blocks/labels.py
        # lists them); empty: the capitals-and-full-stop dialogue and reported speech only.
        "label_forms": [],
        # Words before a colon that are never a speaker ("Note:", "Subject:"), compared case-blind.
        "not_labels": [
            "note", "notes", "nb", "n.b", "subject", "summary", "date", "time", "place", "location", "re", "to",
            "from", "bcc", "attn", "attention", "page", "source", "sources", "title", "author", "editor",
            "keywords", "remember", "warning", "caution", "example", "total", "item", "name", "age", "address",
            "tel", "telephone", "fax", "email", "e-mail", "phone", "reference", "ref", "copy", "copies",
            "distribution", "classification", "enclosure", "enclosures", "attachment", "attachments",
            "participants", "present", "update", "transcript", "background", "conclusion", "comment",
            "comments", "p.s", "ps", "postscript", "agenda", "memorandum", "minutes",
            "tags", "category", "status", "result", "results", "action", "decision", "topic", "file",
            "betreff", "datum", "anmerkung", "asunto", "fecha", "nota",
        ],
    },
    "brackets": {
        "sic_markers": ["[SIC]", "[sic]", "(sic)"],
        "gap_patterns": {
            "illegible": r"^(?:(?P<quantity>one|two|three|four|five|\d+) (?P<unit>words?|lines?) )?illegible$",
            "omitted": r"^(?:…|\.\.\.|matter omitted|text omitted|paragraphs? omitted)$",
            "withheld": r"^(?:[\w-]+ ){0,3}not declassified$",
            "uncertain": r"^\?$",
        },
        # Audience reactions in a speech record: "[Tumultuous, prolonged applause.]".
        "incident_pattern": r"^(?:[\w,]+ ){0,4}(?:applause|laughter|commotion|animation|indignation|movement|tumult|noise|stir|shouts?|ovation)\b[^\[\]]*$",
        "note_prefixes": ["Translator's note:", "Translator’s note:", "Ed.:", "Editor's note:", "Editor’s note:"],
        # A bracketed line that opens with one of these names the source (or its archive).
        "source_prefixes": ["Source:"],
        # Who bracketed insertions are attributed to: an xml:id of a respStmt in the header.
        "resp": "translator",
        # Brackets by meaning (all off by default, so the house styles read brackets as before):
        # "[00:01:02]" → time[@type="timestamp"], matched over the bracket's text …
        "timestamp_pattern": "",
        # … and the same printed without brackets at the start of a line (empty: never).
        "line_start_timestamp_pattern": "",
        # "[12]" in running text → ref to the note "[12] …" after the document, or a marker.
        "footnote_markers": False,
        # Sounds, gestures and events: "ELEMENT TYPE" → the words a description opens with
        # (vocal, kinesic, incident; "pause" → the adjectives a pause may have).
        "events": {},
        # Party tags after a name ("Boxer [D-CA]", "Ehlers (CDU)"): the whole tag's text;
        # named groups party and state split "D-CA".
        "party_pattern": "",
        # Archive references ("[PRO: CAB 21/893]") → bibl in the text, listed in sourceDesc:
        # the archives' abbreviations, besides those of the register of archives.
        "archive_refs": False,
        "archive_prefixes": [],
        # "[unclear: word?]" → unclear; groups reason and reading.
        "unclear_pattern": "",
        # Read round brackets too, for timestamps, events and party tags only: a parenthesis
        # that is none of these stays text, never an insertion.
        "parentheses": False,
    },
    "front_matter": {
        "enabled": False,
        "title_marker": "",
        "fields": [],
        "citation_pattern": "",
    },
    "responsibility": {"patterns": []},
    # Dates beyond the English forms: month names of German, Spanish, French, Russian, Italian,
    # Portuguese and Polish ("23. Mai 1951", "26 de junio de 2020", "18 июля 1960 г."),
    # English ordinals ("25th September 2011"), and the document's date where the text states
    # it ("Interview conducted … 25 September 2011", a title or dateline line, YAML `date:`).
    "dates": {"multilingual": False},
    # Markdown sources: emphasis → hi, backslash escapes → pc, footnote links → ref and note,
    # YAML front matter → xenoData; all of it comes back on the way to text.
    "markdown": {"enabled": False, "yaml_front_matter": False},
    # OCR repair (also --repair-ocr): run-together words, "|" and "l" for "I", each as
    # choice/orig/reg, only where a word-frequency dictionary gives strong evidence.
    "ocr": {"repair": False},
    # Text an export wraps the document in ("# Document", "## Page 1", a code fence): kept
    # verbatim in the header, not read as the document; both patterns match whole lines.
    "wrapper": {"before": "", "after": ""},
    "header": {
        "source_note_pattern": "",
        "publishers": [],
        # Read the JFK Assassination System record number (and identification form) of a release.
        "release_records": False,
        "funder_pattern": r"support (?:from|of) (?:the )?(?P<org>[A-Z][^.]+?)\.?$",
    },
}


@dataclass(frozen=True)
class Profile:
    """A loaded, checked profile."""

    name: str
    path: str
    data: dict[str, dict[str, Any]] = field(repr=False)

    def get(self, table: str, key: str) -> Any:
        return self.data[table][key]

    @property
    def top(self) -> dict[str, Any]:
        return self.data[""]


def _fail(path: str, message: str, line: int | None = None) -> InputError:
    return InputError(Diagnostic("TE110", message, path, line))


def _line_of(text: str, table: str, key: str) -> int | None:
    """The line where a key is set (inside its table, when it has one), for the error."""
    lines = text.split("\n")
    start = 0
    if table:
        header = re.compile(rf"^\s*\[+\s*{re.escape(table)}\s*\]+")
        start = next((i for i, line in enumerate(lines) if header.match(line)), 0)
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=|^\s*\[+\s*{re.escape(key)}\s*\]+")
    for i in range(start, len(lines)):
        if pattern.match(lines[i]):
            return i + 1
    return None


def _check(raw: dict[str, Any], path: str, text: str = "") -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {t: dict(v) for t, v in DEFAULTS.items()}
    base = raw.get("base", "")
    if base:
        if not isinstance(base, str) or base not in BUILTIN:
            raise _fail(path, f"'base' must name a built-in profile ({', '.join(BUILTIN)})", _line_of(text, "", "base"))
        data = {t: copy.deepcopy(v) for t, v in load_profile(base).data.items()}
        data[""]["name"] = data[""]["description"] = ""
    for key, value in raw.items():
        if isinstance(value, dict):
            if key not in DEFAULTS or key == "":
                raise _fail(path, f"unknown table [{key}]", _line_of(text, "", key))
            for sub, subvalue in value.items():
                if sub not in DEFAULTS[key]:
                    raise _fail(path, f"unknown key '{sub}' in [{key}]", _line_of(text, key, sub))
                try:
                    _check_type(path, f"{key}.{sub}", DEFAULTS[key][sub], subvalue)
                except InputError as exc:
                    raise _fail(path, exc.diagnostic.message, _line_of(text, key, sub)) from None
                if base and isinstance(subvalue, dict):
                    # Named patterns add to the base's (and replace those of the same name).
                    data[key][sub] = {**data[key][sub], **subvalue}
                else:
                    data[key][sub] = subvalue
        else:
            if key not in DEFAULTS[""]:
                raise _fail(path, f"unknown key '{key}'", _line_of(text, "", key))
            _check_type(path, key, DEFAULTS[""][key], value)
            data[""][key] = value
    _check_items(data, path)
    for event in data["brackets"]["events"]:
        if not _EVENT_KEY.match(event):
            raise _fail(path, f"bad key '{event}' in [brackets.events]: 'vocal TYPE', 'kinesic TYPE', 'incident TYPE' or 'pause'",
                        _line_of(text, "brackets.events", event.split()[0]))
    if data[""]["translation"] not in ("assumed", "stated"):
        raise _fail(path, "'translation' must be \"assumed\" or \"stated\"", _line_of(text, "", "translation"))
    for key in ("language", "language_fallback"):
        value = data[""][key]
        if not (re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value) or (key == "language" and value == "auto")):
            also = ' or "auto"' if key == "language" else ""
            raise _fail(path, f"'{key}' must be a language code such as \"de\"{also}", _line_of(text, "", key))
    for key, least in _AT_LEAST.items():
        if data["blocks"][key] < least:
            raise _fail(path, f"'blocks.{key}' must be at least {least}", _line_of(text, "blocks", key))
    for form in data["turns"]["label_forms"]:
        if form not in LABEL_FORMS:
            raise _fail(path, f"unknown label form '{form}' in [turns] label_forms (known: {', '.join(LABEL_FORMS)})",
                        _line_of(text, "turns", "label_forms"))
    unknown = unknown_rules(data["blocks"]["rules"])
    if unknown:
        raise _fail(path, f"unknown rule '{unknown[0]}' in [blocks] rules")
    for where, pattern in _patterns(data):
        try:
            re.compile(pattern)
        except re.error as exc:
            table, _, key = where.rpartition(".")
            line = _line_of(text, table.split(".")[0], key) or _line_of(text, table, key.split(".")[-1])
            raise _fail(path, f"bad pattern in {where}: {exc}", line) from None
    return data


# What a sound, gesture or event becomes: the element and its @type (a pause has none).
_EVENT_KEY = re.compile(r"^(?:(?:vocal|kinesic|incident) [a-z][a-z-]*|pause)$")

# Numbers with a least value: a line seen on one page only is no running head.
_AT_LEAST = {"running_head_min_pages": 2, "running_head_lines": 1}

# Lists of tables, and the string keys each table must have.
_TABLE_LISTS = {
    ("front_matter", "fields"): ("label", "kind"),
    ("responsibility", "patterns"): ("pattern", "role", "resp"),
}


def _check_items(data: dict[str, dict[str, Any]], path: str) -> None:
    """Lists hold strings (or tables of strings where the format says so); tables map to strings."""
    for table, values in data.items():
        for key, value in values.items():
            where = f"{table}.{key}" if table else key
            if (table, key) in _TABLE_LISTS:
                needed = _TABLE_LISTS[(table, key)]
                for item in value:
                    if not isinstance(item, dict) or any(not isinstance(item.get(k), str) for k in needed):
                        raise _fail(path, f"each entry of '{where}' must be a table with text keys {', '.join(needed)}")
            elif isinstance(value, list) and any(not isinstance(item, str) for item in value):
                raise _fail(path, f"'{where}' must be a list of strings")
            elif isinstance(value, dict) and any(not isinstance(item, str) for item in value.values()):
                raise _fail(path, f"'{where}' must map names to strings")


def _check_type(path: str, key: str, default: Any, value: Any) -> None:
    if type(default) is not type(value) and not (isinstance(default, (list, dict)) and isinstance(value, type(default))):
        raise _fail(path, f"'{key}' must be a {type(default).__name__}, not {type(value).__name__}")


def _patterns(data: dict[str, dict[str, Any]]):
    yield from (("detect.patterns", p) for p in data["detect"]["patterns"])
    yield from (("blocks.heading_patterns", p) for p in data["blocks"]["heading_patterns"])
    yield from (("blocks.narration_patterns", p) for p in data["blocks"]["narration_patterns"])
    yield from ((f"blocks.opener_patterns.{k}", p) for k, p in data["blocks"]["opener_patterns"].items())
    yield "blocks.closer_role_pattern", data["blocks"]["closer_role_pattern"]
    yield "blocks.page_number_pattern", data["blocks"]["page_number_pattern"]
    if data["blocks"]["document_start_pattern"]:
        yield "blocks.document_start_pattern", data["blocks"]["document_start_pattern"]
    if data["blocks"]["page_marker_pattern"]:
        yield "blocks.page_marker_pattern", data["blocks"]["page_marker_pattern"]
    if data["blocks"]["page_stamp_pattern"]:
        yield "blocks.page_stamp_pattern", data["blocks"]["page_stamp_pattern"]
    yield "blocks.closer_name_pattern", data["blocks"]["closer_name_pattern"]
    yield from ((f"brackets.gap_patterns.{k}", p) for k, p in data["brackets"]["gap_patterns"].items())
    for key in ("incident_pattern", "timestamp_pattern", "line_start_timestamp_pattern", "party_pattern", "unclear_pattern"):
        if data["brackets"][key]:
            yield f"brackets.{key}", data["brackets"][key]
    yield from ((f"brackets.events.{k}", p) for k, p in data["brackets"]["events"].items())
    if data["front_matter"]["citation_pattern"]:
        yield "front_matter.citation_pattern", data["front_matter"]["citation_pattern"]
    for key in ("before", "after"):
        if data["wrapper"][key]:
            yield f"wrapper.{key}", data["wrapper"][key]
    for key in ("source_note_pattern", "funder_pattern"):
        if data["header"][key]:
            yield f"header.{key}", data["header"][key]
    for entry in data["responsibility"]["patterns"]:
        yield "responsibility.patterns", entry.get("pattern", "")


def load_profile(name_or_path: str) -> Profile:
    """Load a built-in profile by name, or a profile file by path."""
    if name_or_path in BUILTIN:
        return _builtin(name_or_path)
    return _load(name_or_path)


@cache
def _builtin(name: str) -> Profile:
    return _load(name)


def _load(name_or_path: str) -> Profile:
    if name_or_path in BUILTIN:
        text = resources.files(__package__).joinpath(f"{name_or_path}.toml").read_text("utf-8")
        path = f"<profile {name_or_path}>"
    else:
        file = Path(name_or_path)
        if not file.is_file():
            raise _fail(name_or_path, f"no such profile (built in: {', '.join(BUILTIN)})")
        path = str(file)
        try:
            text = file.read_text("utf-8")
        except UnicodeDecodeError:
            raise _fail(path, "profile is not UTF-8 text") from None
        except OSError as exc:
            raise _fail(path, f"cannot read: {exc.strerror or exc}") from None
    return profile_from_toml(text, path, name_or_path)


def profile_from_toml(text: str, path: str, name_or_path: str = "") -> Profile:
    """A profile from its TOML text; `path` names it in errors."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:
            found = re.search(r"line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
        raise _fail(path, f"not valid TOML: {str(exc).split(' (at line')[0]}", line) from None
    return profile_from_data(raw, path, name_or_path, text)


def profile_from_data(raw: dict[str, Any], path: str, name_or_path: str = "", text: str = "") -> Profile:
    """A profile from the tables TOML would give (`text`, where there is one, places errors)."""
    data = _check(raw, path, text)
    name = data[""]["name"] or Path(name_or_path or path).stem
    return Profile(name, path, data)


# How many of a house style's detection patterns must match (fewer where it has fewer): one
# alone is too weak, since a pattern such as a caps speaker label fits many other styles.
DETECT_AT_LEAST = 2


@cache
def _detectors(name: str) -> tuple[re.Pattern[str], ...]:
    """A built-in profile's detection patterns, compiled once (every document is tested against all)."""
    return tuple(re.compile(p, re.M) for p in load_profile(name).get("detect", "patterns"))


def detect_profile(text: str) -> tuple[Profile, str]:
    """Choose the built-in profile whose detection patterns match most; say why."""
    best: tuple[int, str] = (0, "plain")
    weak: list[str] = []
    head = text[:20000]
    for name in BUILTIN:
        patterns = _detectors(name)
        score = sum(1 for p in patterns if p.search(head))
        if score and score < min(DETECT_AT_LEAST, len(patterns)):
            weak.append(f"{name}: {score} of {len(patterns)}")
        elif score > best[0]:
            best = (score, name)
    score, name = best
    total = len(load_profile(name).get("detect", "patterns"))
    if score:
        return load_profile(name), f"{score} of {total} detection patterns matched"
    too_few = f" (too few detection patterns matched: {', '.join(weak)})" if weak else ""
    return load_profile(name), f"no house style recognised{too_few}"
