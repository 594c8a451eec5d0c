"""Reports over editions: turns per speaker, names, dates, interventions, warnings and validity."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..api import read_edition
from ..tei.xml import TEI_NS, XML_ID, local

NS = {"t": TEI_NS}
# Interventions by kind: the element (and, for notes, its type) that records each.
INTERVENTIONS = ("supplied", "sic", "gap", "unclear", "incident", "vocal", "kinesic", "pause", "reg")
CSV_FIELDS = ("edition", "title", "date", "profile", "valid", "errors", "warnings", "guesses", "turns", "speakers",
              "persons", "places", "orgs", "dates", *INTERVENTIONS, "notes")


@dataclass
class EditionReport:
    """The figures of one edition."""

    path: str
    title: str = ""
    date: str = ""
    profile: str = ""
    turns: Counter[str] = field(default_factory=Counter)  # speaker's name → turns
    names: dict[str, Counter[str]] = field(default_factory=dict)  # kind → name as printed → count
    dates: list[str] = field(default_factory=list)  # @when of every date in the text
    interventions: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)  # note type → count
    guesses: int = 0  # elements the encoder marked with a certainty below sure
    valid: bool | None = None  # None: not validated
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "edition": self.path, "title": self.title, "date": self.date, "profile": self.profile,
            "valid": self.valid, "errors": self.errors, "warnings": self.warnings, "guesses": self.guesses,
            "turns": dict(sorted(self.turns.items())),
            "names": {k: dict(sorted(v.items())) for k, v in sorted(self.names.items())},
            "dates": self.dates, "interventions": {k: self.interventions[k] for k in INTERVENTIONS},
            "notes": dict(sorted(self.notes.items())),
        }

    def row(self) -> dict[str, object]:
        return {
            "edition": self.path, "title": self.title, "date": self.date, "profile": self.profile,
            "valid": "" if self.valid is None else ("yes" if self.valid else "no"), "errors": len(self.errors),
            "warnings": len(self.warnings), "guesses": self.guesses, "turns": sum(self.turns.values()),
            "speakers": len(self.turns), "persons": sum(self.names.get("person", Counter()).values()),
            "places": sum(self.names.get("place", Counter()).values()), "orgs": sum(self.names.get("org", Counter()).values()),
            "dates": len(self.dates), **{k: self.interventions[k] for k in INTERVENTIONS}, "notes": sum(self.notes.values()),
        }


def _text(element: etree._Element | None) -> str:
    return " ".join(element.xpath("string()").split()) if element is not None else ""


def edition_report(path: Path) -> EditionReport:
    """Read one edition's figures (raises InputError when it is not XML)."""
    root = read_edition(path)
    report = EditionReport(str(path))
    report.title = _text(root.find(".//t:teiHeader/t:fileDesc/t:titleStmt/t:title", NS))
    creation = root.find(".//t:teiHeader/t:profileDesc/t:creation/t:date", NS)
    report.date = creation.get("when", "") if creation is not None else ""
    profile = _text(root.find(".//t:appInfo/t:application/t:desc[@type='profile']", NS))
    report.profile = profile.removeprefix("profile ").split(":")[0].split(" ")[0]
    people = {p.get(XML_ID): _text(p.find("t:persName", NS)) or p.get(XML_ID, "") for p in root.iter(f"{{{TEI_NS}}}person")}
    for sp in root.iter(f"{{{TEI_NS}}}sp"):
        for who in (sp.get("who") or "").split():
            report.turns[people.get(who.lstrip("#"), who)] += 1
    for text in root.iter(f"{{{TEI_NS}}}text"):
        for element in text.iter(etree.Element):
            name = local(element)
            if name in ("persName", "placeName", "orgName"):
                kind = {"persName": "person", "placeName": "place", "orgName": "org"}[name]
                report.names.setdefault(kind, Counter())[_text(element)] += 1
            elif name == "date" and element.get("when"):
                report.dates.append(element.get("when", ""))
            elif name in INTERVENTIONS:
                report.interventions[name] += 1
            elif name == "note":
                report.notes[element.get("type", "")] += 1
            if element.get("cert") in ("low", "medium"):
                report.guesses += 1
    return report


def corpus_totals(reports: list[EditionReport]) -> dict[str, object]:
    """The corpus's figures: sums over the editions, speakers and names merged by their printed form."""
    turns: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    interventions: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    for r in reports:
        turns.update(r.turns)
        interventions.update(r.interventions)
        notes.update(r.notes)
        for kind, found in r.names.items():
            names.setdefault(kind, Counter()).update(found)
    dates = sorted(d for r in reports for d in r.dates)
    return {
        "editions": len(reports),
        "valid": sum(1 for r in reports if r.valid), "invalid": sum(1 for r in reports if r.valid is False),
        "warnings": sum(len(r.warnings) for r in reports), "guesses": sum(r.guesses for r in reports),
        "turns": dict(sorted(turns.items(), key=lambda kv: (-kv[1], kv[0]))),
        "names": {k: len(v) for k, v in sorted(names.items())},
        "dates": {"count": len(dates), "first": dates[0] if dates else "", "last": dates[-1] if dates else ""},
        "interventions": {k: interventions[k] for k in INTERVENTIONS},
        "notes": dict(sorted(notes.items())),
    }


def as_json(reports: list[EditionReport]) -> str:
    return json.dumps({"editions": [r.as_dict() for r in reports], "corpus": corpus_totals(reports)},
                      ensure_ascii=False, indent=2) + "\n"


def as_csv(reports: list[EditionReport]) -> str:
    """One row per edition, then a row "(corpus)" with the sums."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    rows = [r.row() for r in reports]
    for row in rows:
        writer.writerow(row)
    total: dict[str, object] = {"edition": "(corpus)", "title": "", "date": "", "profile": "",
                                "valid": f"{sum(1 for r in reports if r.valid)}/{len(reports)}"}
    for key in CSV_FIELDS[5:]:
        total[key] = sum(int(str(row[key])) for row in rows)
    writer.writerow(total)
    return out.getvalue()


def as_text(reports: list[EditionReport]) -> str:
    lines: list[str] = []
    for r in reports:
        status = {None: "not validated", True: "valid", False: "INVALID"}[r.valid]
        lines.append(f"{r.path}: {r.title or '(no title)'} [{r.date or 'no date'}] {status}, "
                     f"{len(r.errors)} errors, {len(r.warnings)} warnings, {r.guesses} guesses")
        if r.turns:
            lines.append("  turns: " + ", ".join(f"{k} {v}" for k, v in sorted(r.turns.items(), key=lambda kv: (-kv[1], kv[0]))))
        for kind, found in sorted(r.names.items()):
            lines.append(f"  {kind} names: {sum(found.values())} ({len(found)} forms)")
        lines.append(f"  dates: {len(r.dates)}")
        done = [f"{k} {r.interventions[k]}" for k in INTERVENTIONS if r.interventions[k]]
        done += [f"note[{k or 'untyped'}] {v}" for k, v in sorted(r.notes.items())]
        lines.append("  interventions: " + (", ".join(done) or "none"))
        for message in r.errors + r.warnings:
            lines.append(f"  {message}")
    totals = corpus_totals(reports)
    lines.append(f"corpus: {totals['editions']} editions, {totals['valid']} valid, {totals['invalid']} invalid, "
                 f"{totals['warnings']} warnings, {totals['guesses']} guesses")
    turns = totals["turns"]
    assert isinstance(turns, dict)
    lines.append(f"  turns: {sum(turns.values())} by {len(turns)} speakers")
    lines.append("  names: " + ", ".join(f"{k} {v}" for k, v in dict(totals["names"]).items()))  # type: ignore[call-overload]
    dates = totals["dates"]
    assert isinstance(dates, dict)
    lines.append(f"  dates: {dates['count']} ({dates['first']} to {dates['last']})" if dates["count"] else "  dates: 0")
    interventions = totals["interventions"]
    assert isinstance(interventions, dict)
    lines.append("  interventions: " + ", ".join(f"{k} {v}" for k, v in interventions.items()))
    return "\n".join(lines) + "\n"


XI_NS = "http://www.w3.org/2001/XInclude"


def corpus_file(editions: list[Path], target: Path, title: str) -> bytes:
    """A teiCorpus that includes each edition by XInclude, its hrefs relative to the file."""
    from ..tei.serialise import serialise
    from ..tei.xml import qname, sub

    root = etree.Element(qname("teiCorpus"), nsmap={None: TEI_NS, "xi": XI_NS})
    header = sub(root, "teiHeader")
    file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", title)
    sub(sub(file_desc, "publicationStmt"), "p", f"The corpus of {len(editions)} editions, each included as it is.")
    sub(sub(file_desc, "sourceDesc"), "p", "The editions' own headers describe their sources.")
    base = target.resolve().parent
    for path in editions:
        href = Path(os.path.relpath(path.resolve(), base)).as_posix()
        etree.SubElement(root, f"{{{XI_NS}}}include", href=href)
    return serialise(root)
