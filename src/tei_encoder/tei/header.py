"""Building the teiHeader from the facts the block rules and transforms gathered."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..model import Inline
from ..transforms.archives import ArchivalId, language_name
from ..transforms.persons import Person
from .inline import InlineWriter
from .xml import TEI_NS, XML_ID, el, sub

# Where each kind of front-matter field is kept verbatim, so the way back to text can find it.
FIELD_PATHS: dict[str, str] = {
    "publication-date": "t:fileDesc/t:sourceDesc/t:bibl[@type='publication']/t:date",
    "title": "t:fileDesc/t:titleStmt/t:title[@type='main']",
    "citation": "t:fileDesc/t:sourceDesc/t:bibl[@type='citation']",
    "summary": "t:profileDesc/t:abstract/t:p",
    "original-language": "t:fileDesc/t:sourceDesc/t:msDesc/t:msContents/t:msItem/t:textLang",
}


def field_path(kind: str) -> str:
    """XPath (prefix t) from teiHeader to the element that holds a field's verbatim text."""
    note = f"t:fileDesc/t:notesStmt/t:note[@type='{kind}']"
    return f"{FIELD_PATHS[kind]} | {note}" if kind in FIELD_PATHS else note


@dataclass
class Responsibility:
    role: str  # the xml:id: "translator", "obtainer"
    resp: str  # "translated by"
    name: str


@dataclass
class HeaderFacts:
    """Everything the header says, gathered before it is built."""

    edition_id: str
    title: list[Inline]
    profile: str
    profile_reason: str
    version: str
    publisher: str
    licence: str
    language: str
    language_cert: str = ""  # set when the language was identified from the text, not fixed by the profile
    original_language: str = ""
    original_language_name: str = ""
    responsibilities: list[Responsibility] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    citation: list[list[Inline]] = field(default_factory=list)  # verbatim, one part per chunk
    source_publisher: str = ""
    publication_date: tuple[str, str] | None = None  # (iso, as printed)
    url: str = ""
    archival: ArchivalId | None = None
    summary: list[list[Inline]] = field(default_factory=list)  # verbatim, one p per chunk
    notes: list[tuple[str, list[Inline]]] = field(default_factory=list)  # (type, content)
    creation: tuple[str, str] | None = None  # (iso, as printed)
    creation_cert: str = ""  # "medium" when the date was taken from the text, not stated as the document's
    persons: list[Person] = field(default_factory=list)
    turns: bool = False
    policies: list[tuple[str, str]] = field(default_factory=list)  # (element, sentence)
    edition_date: str = ""
    front_matter: list[str] = field(default_factory=list)  # field kinds read, in source order
    yaml: str = ""  # a Markdown edition's YAML front matter, verbatim
    wrapper: tuple[str, str] = ("", "")
    archival_refs: list[tuple[str, str]] = field(default_factory=list)  # (id in the text, as printed)
    textlang_text: bool = True  # False when the original-language field is kept in notes  # what an export put before and after the document


def build_header(facts: HeaderFacts, writer: InlineWriter) -> etree._Element:
    """The teiHeader element; the writer writes its inline content."""
    fill = writer.fill
    header = el("teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    fill(sub(title_stmt, "title", type="main"), facts.title)
    for r in facts.responsibilities:
        stmt = sub(title_stmt, "respStmt", **{XML_ID: r.role})
        sub(stmt, "resp", r.resp)
        if r.name:
            sub(stmt, "persName", r.name)
        else:
            sub(stmt, "name", "not named in the transcript")
    for funder in facts.funders:
        sub(title_stmt, "funder", funder)
    stmt = sub(title_stmt, "respStmt", **{XML_ID: "tei-encoder"})
    sub(stmt, "resp", "encoded in TEI by")
    sub(stmt, "name", "tei-encoder")

    pub = sub(file_desc, "publicationStmt")
    sub(pub, "publisher", facts.publisher)
    if facts.edition_date:
        sub(pub, "date", facts.edition_date, when=facts.edition_date)
    sub(pub, "idno", facts.edition_id, type="edition")
    availability = sub(pub, "availability")
    sub(availability, "p", facts.licence)

    if facts.notes:
        notes = sub(file_desc, "notesStmt")
        for kind, content in facts.notes:
            fill(sub(notes, "note", type=kind), content)

    source_desc = sub(file_desc, "sourceDesc")
    if facts.citation:
        fill(sub(source_desc, "bibl", type="citation"), [x for part in facts.citation for x in part])
    if facts.source_publisher or facts.publication_date or facts.url:
        bibl = sub(source_desc, "bibl", type="publication")
        if facts.source_publisher:
            sub(bibl, "publisher", facts.source_publisher)
        if facts.publication_date:
            sub(bibl, "date", facts.publication_date[1], when=facts.publication_date[0])
        if facts.url:
            sub(bibl, "ptr", target=facts.url)
    _ms_desc(source_desc, facts)
    _declare_alternatives(source_desc)
    if len(source_desc) == 0:
        # The transcript named no source: say what the edition was made from.
        bibl = sub(source_desc, "bibl", type="transcript")
        sub(bibl, "idno", facts.edition_id, type="file")
    if facts.archival_refs:
        # Archive files the text cites in brackets, listed with the sources, each pointing back.
        # One bibl per item: sibling bibls in a header would have to declare a default source.
        refs = sub(source_desc, "list", type="archival")
        for ident, text in facts.archival_refs:
            sub(sub(refs, "item"), "bibl", text, type="archival", corresp="#" + ident)

    enc = sub(header, "encodingDesc")
    if facts.yaml:
        # The edition's own metadata as its publisher wrote it: TEI keeps non-TEI metadata
        # in xenoData; its facts are also in the elements above.
        sub(header, "xenoData", facts.yaml, type="yaml")
    app = sub(sub(enc, "appInfo"), "application", ident="tei-encoder", version=facts.version)
    sub(app, "label", "tei-encoder")
    sub(app, "desc", f"profile {facts.profile}: {facts.profile_reason}", type="profile")
    for kind, text in zip(("wrapper-before", "wrapper-after"), facts.wrapper):
        if text.strip():
            sub(app, "desc", text, type=kind)
    if facts.front_matter:
        # The way back to text replays the front matter in this order, labels included.
        sub(app, "desc", " ".join(facts.front_matter), type="front-matter")
    editorial = sub(enc, "editorialDecl")
    kinds: dict[str, etree._Element] = {}  # one element per kind of policy, a p per sentence
    for element, sentence in facts.policies:
        if element not in kinds:
            kinds[element] = sub(editorial, element)
        sub(kinds[element], "p", sentence)
    if facts.turns:
        taxonomy = sub(sub(enc, "classDecl"), "taxonomy", **{XML_ID: "turn-types"})
        for ident, desc in (
            ("direct", "a speaker's words given as dialogue after the speaker's name"),
            ("reported", "a speaker's words reported in the third person"),
        ):
            sub(sub(taxonomy, "category", **{XML_ID: ident}), "catDesc", desc)

    profile = sub(header, "profileDesc")
    if facts.creation:
        attrs = {"cert": facts.creation_cert, "resp": "#tei-encoder"} if facts.creation_cert else {}
        sub(sub(profile, "creation"), "date", facts.creation[1], when=facts.creation[0], **attrs)
    if facts.summary:
        abstract = sub(profile, "abstract")
        for part in facts.summary:
            fill(sub(abstract, "p"), part)
    lang = sub(profile, "langUsage")
    identified = {"resp": "#tei-encoder", "cert": facts.language_cert} if facts.language_cert else {}
    sub(lang, "language", f"{language_name(facts.language)} (this edition)", ident=facts.language, **identified)
    if facts.original_language and facts.original_language != facts.language:
        label = facts.original_language_name or language_name(facts.original_language)
        sub(lang, "language", f"{label} (original)", ident=facts.original_language)
    if facts.persons:
        list_person = sub(sub(profile, "particDesc"), "listPerson")
        for person in facts.persons:
            attrs = {"role": person.role} if person.role else {}
            entry = sub(list_person, "person", **attrs, **{XML_ID: person.xml_id})
            name = sub(entry, "persName")
            if person.by_role:
                sub(name, "roleName", person.surname)
            elif person.forename:
                sub(name, "forename", person.forename)
                sub(name, "surname", person.surname).tail = None
                name[0].tail = " "
            else:
                sub(name, "surname", person.surname)
            for role in person.roles:
                sub(entry, "occupation", role)
            for party in person.affiliations:
                sub(entry, "affiliation", party)
    return header


def _ms_desc(source_desc: etree._Element, facts: HeaderFacts) -> None:
    a = facts.archival
    if a is None:
        return  # no archival identifier is known: say nothing rather than invent one
    ms = sub(source_desc, "msDesc")
    ident = sub(ms, "msIdentifier")
    if a.country:
        sub(ident, "country", a.country)
    if a.settlement:
        sub(ident, "settlement", a.settlement)
    if a.institution:
        sub(ident, "institution", a.institution)
    if a.repository:
        sub(ident, "repository", a.repository, **({"key": a.key} if a.key else {}))
    for level, value in a.levels:
        sub(ident, "idno", value, type=level)
    if a.key == "JFK":
        # The record number is the JFK Assassination System's: say so where it stands.
        sub(sub(ident, "altIdentifier", type="system"), "idno", f"JFK Assassination System record {a.verbatim}", type="record")
    elif a.levels or a.folios:
        sub(sub(ident, "altIdentifier"), "idno", a.verbatim, type="citation")
    if not (a.folios or facts.original_language):
        return  # an empty msItem is not allowed
    item = sub(sub(ms, "msContents"), "msItem")
    if a.folios:
        sub(item, "locus", a.folio_text, **{"from": a.folios[0], "to": a.folios[1]})
    if facts.original_language:
        text = facts.original_language_name if facts.textlang_text else ""
        sub(item, "textLang", text or None, mainLang=facts.original_language)


def _declare_alternatives(source_desc: etree._Element) -> None:
    """Sibling bibls in a header are declarable: each gets an id and the citation is the default.

    TEI (att.declarable) requires that where several bibl elements stand side by side in the
    header, each has an xml:id and exactly one has default="true".
    """
    bibls = [child for child in source_desc if child.tag == f"{{{TEI_NS}}}bibl"]
    if len(bibls) < 2:
        return
    for n, bibl in enumerate(bibls):
        bibl.set(XML_ID, f"source-{bibl.get('type') or n + 1}")
        bibl.set("default", "true" if n == 0 else "false")


def build_part_header(part: dict[str, str]) -> etree._Element:
    """The small header of one document among several in a teiCorpus: title, place, date."""
    header = el("teiHeader")
    file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", part["title"], type="main")
    pub = sub(file_desc, "publicationStmt")
    sub(pub, "p", "Published as part of the teiCorpus that holds this TEI.")
    bibl = sub(sub(file_desc, "sourceDesc"), "bibl", type="part")
    sub(bibl, "idno", part["id"], type="document")
    sub(bibl, "biblScope", part["n"], unit="document")
    if part.get("when"):
        profile = sub(header, "profileDesc")
        sub(sub(profile, "creation"), "date", part["date"], when=part["when"], cert="medium", resp="#tei-encoder")
    return header
