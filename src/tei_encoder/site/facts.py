"""The facts a reader looks for first, read from an edition's teiHeader."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..tei.totext import recorded_profile
from ..tei.xml import TEI_NS, XML_ID

NS = {"t": TEI_NS}

# Language names for the facet; an ident not listed is shown as the code itself.
_LANGUAGES = {
    "en": "English", "ru": "Russian", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "pl": "Polish", "zh": "Chinese", "ja": "Japanese", "ar": "Arabic", "vi": "Vietnamese",
    "uk": "Ukrainian", "cs": "Czech", "nl": "Dutch", "sv": "Swedish", "hu": "Hungarian", "ro": "Romanian",
}


def words(element: etree._Element | None) -> str:
    """An element's text with white space runs made one space ('' for none)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


@dataclass(frozen=True)
class Person:
    """A participant as the edition's particDesc lists them."""

    ident: str
    name: str
    occupation: str = ""


@dataclass
class Facts:
    """Title, date, archive, citation, people and provenance of one edition."""

    ident: str
    title: str
    date: str = ""  # ISO date of the document, as recorded (creation/date/@when)
    date_text: str = ""
    archive: str = ""
    archive_key: str = ""
    citation: str = ""
    translators: list[str] = field(default_factory=list)
    obtainers: list[str] = field(default_factory=list)
    source_url: str = ""
    publisher: str = ""
    summary: str = ""
    languages: list[str] = field(default_factory=list)  # language names: edition and original
    profile: str = "plain"
    persons: list[Person] = field(default_factory=list)

    @property
    def year(self) -> str:
        return self.date[:4] if len(self.date) >= 4 and self.date[:4].isdigit() else ""

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.date or "9999", self.title.casefold(), self.ident)


def _resp_names(title_stmt: etree._Element | None, resp_id: str) -> list[str]:
    if title_stmt is None:
        return []
    return [words(n) for n in title_stmt.xpath(f"t:respStmt[@xml:id='{resp_id}']/t:persName | "
                                                f"t:respStmt[@xml:id='{resp_id}']/t:orgName", namespaces=NS)]


def read_facts(root: etree._Element, ident: str) -> Facts:
    """The header facts of an edition (a TEI or a teiCorpus: its own header)."""
    header = root.find("t:teiHeader", NS)
    find = header.find if header is not None else (lambda *_: None)
    title_stmt = find("t:fileDesc/t:titleStmt", NS)
    title = words(title_stmt.find("t:title", NS)) if title_stmt is not None else ""
    date = find("t:profileDesc/t:creation/t:date", NS)
    repository = find("t:fileDesc/t:sourceDesc/t:msDesc/t:msIdentifier/t:repository", NS)
    citation = find("t:fileDesc/t:sourceDesc/t:bibl[@type='citation']", NS)
    if citation is None:
        citation = find("t:fileDesc/t:sourceDesc/t:msDesc/t:msIdentifier/t:altIdentifier/t:idno[@type='citation']", NS)
    ptr = find("t:fileDesc/t:sourceDesc/t:bibl/t:ptr", NS)
    url = ptr.get("target", "") if ptr is not None else ""
    if not url:
        uri = find("t:fileDesc/t:sourceDesc/t:bibl/t:idno[@type='URI']", NS)
        url = words(uri)
    publisher = find("t:fileDesc/t:sourceDesc/t:bibl[@type='publication']/t:publisher", NS)
    languages: list[str] = []
    if header is not None:
        for language in header.iterfind("t:profileDesc/t:langUsage/t:language", NS):
            name = _LANGUAGES.get(language.get("ident", ""), language.get("ident", ""))
            if name and name not in languages:
                languages.append(name)
    persons = []
    if header is not None:
        for person in header.iterfind("t:profileDesc/t:particDesc/t:listPerson/t:person", NS):
            ident_ = person.get(XML_ID, "")
            if ident_:
                persons.append(Person(ident_, words(person.find("t:persName", NS)) or ident_,
                                      words(person.find("t:occupation", NS))))
    return Facts(
        ident=ident,
        title=title or ident,
        date=date.get("when", "") if date is not None else "",
        date_text=words(date),
        archive=words(repository),
        archive_key=repository.get("key", "") if repository is not None else "",
        citation=words(citation),
        translators=_resp_names(title_stmt, "translator"),
        obtainers=_resp_names(title_stmt, "obtainer"),
        source_url=url,
        publisher=words(publisher),
        summary=words(find("t:profileDesc/t:abstract", NS)),
        languages=languages,
        profile=recorded_profile(root),
        persons=persons,
    )
