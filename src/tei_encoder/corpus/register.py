"""The corpus register (`register.xml`): persons, places and organisations of every edition, merged.

The register is a TEI file an editor edits: `standOff` with `listPerson`, `listPlace` and
`listOrg`. It is built from the editions (their participants and the names their text tags)
and rebuilt over itself: entries, names, authority ids and notes already in the file are
kept as they are; what the editions show that the file lacks is added.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..io import read_edition
from ..tei.xml import TEI_NS, XML_ID, XML_LANG, el, local, sub
from ..transforms.persons import slug
from .names import NameKey, ascii_fold, given_compatible, is_label, person_key, same_person, string_key, surnames_merge

NS = {"t": TEI_NS}
KINDS = ("person", "place", "org")
LISTS = {"person": "listPerson", "place": "listPlace", "org": "listOrg"}
NAMES = {"person": "persName", "place": "placeName", "org": "orgName"}
# An edition points at its register entry with this attribute: a person of particDesc with
# @sameAs, a place or organisation in the text with @ref (ENCODING.md, "Header").
AUTHORITY_TYPES = ("wikidata", "viaf", "gnd", "geonames", "URI")


@dataclass
class Local:
    """One person, place or organisation as one edition knows it."""

    kind: str
    edition: str  # the edition's path, as the register writes it
    local_id: str = ""  # the particDesc person's xml:id; "" for a name no person stands for
    main: etree._Element | None = None  # the structured persName of particDesc
    forms: Counter[str] = field(default_factory=Counter)
    occupations: list[str] = field(default_factory=list)
    linked: str = ""  # the register entry the edition already points at
    lang: str = "en"  # the edition's text language

    @property
    def key(self) -> NameKey:
        if self.main is not None:
            fore = " ".join(e.xpath("string()") for e in self.main.iter(f"{{{TEI_NS}}}forename"))
            sur = " ".join(e.xpath("string()") for e in self.main.iter(f"{{{TEI_NS}}}surname"))
            if sur:
                return person_key("", fore, sur)
            return person_key(" ".join(self.main.xpath("string()").split()))
        return person_key(self.forms.most_common(1)[0][0])

    def label(self) -> str:
        if self.main is not None:
            return " ".join(self.main.xpath("string()").split())
        return self.forms.most_common(1)[0][0]


@dataclass
class Entry:
    """A register entry: its element (kept as the editor left it) and what the build adds."""

    kind: str
    ident: str
    element: etree._Element
    members: list[Local] = field(default_factory=list)
    new: bool = False

    def names(self) -> list[str]:
        return [" ".join(n.xpath("string()").split()) for n in self.element.findall(f"t:{NAMES[self.kind]}", NS)]

    def keys(self) -> list[NameKey]:
        return [person_key(n) for n in self.names()]

    def authority(self) -> list[tuple[str, str]]:
        return [(i.get("type", ""), (i.text or "").strip()) for i in self.element.findall("t:idno", NS)]


@dataclass
class Unresolved:
    """A name the build could not give one entry: a surname several entries share."""

    local: Local
    candidates: list[str]
    why: str = "ambiguous"  # or "label": a speaker known by a word that is no name


@dataclass
class Register:
    """The register in memory: its document and entries by kind, in file order."""

    root: etree._Element
    entries: dict[str, list[Entry]]
    unresolved: list[Unresolved] = field(default_factory=list)

    def all(self) -> list[Entry]:
        return [e for kind in KINDS for e in self.entries[kind]]

    def by_id(self) -> dict[str, Entry]:
        return {e.ident: e for e in self.all()}


def edition_locals(path: Path, base: Path) -> list[Local]:
    """The persons, places and organisations of one edition (raises InputError if unreadable)."""
    name = Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    return locals_of(read_edition(path), name)


def locals_of(root: etree._Element, name: str) -> list[Local]:
    """The persons, places and organisations of an edition's tree, `name` being its path."""
    persons: dict[str, Local] = {}
    found: list[Local] = []
    for person in root.iter(f"{{{TEI_NS}}}person"):
        if person.getparent() is None or local(person.getparent()) != "listPerson":
            continue
        if person.xpath("ancestor::t:standOff", namespaces=NS):
            continue
        ident = person.get(XML_ID, "")
        main = person.find("t:persName", NS)
        if main is None or not " ".join(main.xpath("string()").split()) or person.get("role") == "unidentified":
            continue
        if main.find("t:surname", NS) is None and main.find("t:forename", NS) is None:
            continue  # known only by a role or label ("Interviewer", "CC"): no one to register
        item = Local("person", name, ident, main)
        item.forms[" ".join(main.xpath("string()").split())] += 1
        item.occupations = [" ".join(o.xpath("string()").split()) for o in person.findall("t:occupation", NS)]
        item.linked = _register_id(person.get("sameAs", ""))
        persons[ident] = item
        found.append(item)
    loose: dict[tuple[str, str], Local] = {}
    for element in root.iter(*(f"{{{TEI_NS}}}{n}" for n in NAMES.values())):
        if element.xpath("ancestor::t:particDesc or ancestor::t:respStmt", namespaces=NS):
            continue
        text = " ".join(element.xpath("string()").split())
        if not text:
            continue
        kind = {"persName": "person", "placeName": "place", "orgName": "org"}[local(element)]
        ref = element.get("ref", "")
        if kind == "person" and ref.startswith("#"):
            target = persons.get(ref[1:])
            if target is not None:
                target.forms[text] += 1
                continue
            if ref[1:] in {p.get(XML_ID) for p in root.iter(f"{{{TEI_NS}}}person")}:
                continue  # a person the register leaves out (a role)
        key = (kind, string_key(text) if kind != "person" else person_key(text).label())
        seen = loose.get(key)
        if seen is None:
            seen = loose[key] = Local(kind, name)
            seen.linked = _register_id(ref)
            found.append(seen)
        seen.forms[text] += 1
    lang = next((t.get(XML_LANG) for t in root.iter(f"{{{TEI_NS}}}text") if t.get(XML_LANG)), "en")
    for item in found:
        item.lang = lang
    return found


def _register_id(pointer: str) -> str:
    """The entry id of a pointer into the register ("../register.xml#khrushchev-ns")."""
    for token in pointer.split():
        if "#" in token and not token.startswith("#"):
            return token.rsplit("#", 1)[1]
    return ""


def new_register(title: str = "Register of persons, places and organisations") -> etree._Element:
    """An empty register document, valid against the project's schema."""
    root = el("TEI")
    header = sub(root, "teiHeader")
    file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", title)
    pub = sub(file_desc, "publicationStmt")
    sub(pub, "p", "The register of the project's editions; editors add authority identifiers (idno) and correct names.")
    sub(sub(file_desc, "sourceDesc"), "p",
        "Built from the participants and tagged names of the editions, then edited. A rebuild keeps every "
        "entry, name and identifier and adds what the editions show that the register lacks.")
    standoff = sub(root, "standOff")
    for kind in KINDS:
        sub(standoff, LISTS[kind])
    return root


def load_register(path: Path) -> Register:
    """A register file, or a new empty register when the file does not exist yet."""
    root = read_edition(path) if path.is_file() else new_register()
    standoff = root.find("t:standOff", NS)
    if standoff is None:
        standoff = sub(root, "standOff")
    entries: dict[str, list[Entry]] = {}
    for kind in KINDS:
        holder = standoff.find(f"t:{LISTS[kind]}", NS)
        if holder is None:
            holder = sub(standoff, LISTS[kind])
        entries[kind] = [Entry(kind, e.get(XML_ID, ""), e) for e in holder.findall(f"t:{kind}", NS)]
    return Register(root, entries)


def build(editions: list[Path], register_path: Path) -> Register:
    """The register at `register_path` (or a new one) with the editions' names merged in."""
    register = load_register(register_path)
    base = register_path.resolve().parent
    locals_: list[Local] = []
    for path in editions:
        locals_ += edition_locals(path, base)
    for kind in KINDS:
        _merge(register, [x for x in locals_ if x.kind == kind], kind)
    return register


def _merge(register: Register, items: list[Local], kind: str) -> None:
    entries = register.entries[kind]
    taken = {e.ident for e in register.all()}
    pending: list[Local] = []
    for item in items:
        entry = _existing(entries, item)
        if entry is not None:
            entry.members.append(item)
        else:
            pending.append(item)
    # New entries: persons with given names are clustered first; a surname alone then joins
    # the one entry that has it, is an entry of its own when none has, or is left unresolved.
    if kind == "person":
        full = [x for x in pending if x.key.given and x.key.surname]
        bare = [x for x in pending if not (x.key.given and x.key.surname)]
    else:
        full, bare = pending, []
    clusters: list[list[Local]] = []
    for item in full:
        for cluster in clusters:
            if any(_same(kind, item, other) for other in cluster):
                cluster.append(item)
                break
        else:
            clusters.append([item])
    fresh = [_new_entry(kind, cluster, taken) for cluster in clusters]
    entries.extend(sorted(fresh, key=lambda e: e.ident))
    added: list[Entry] = []
    for item in bare:
        key = item.key
        candidates = [e for e in entries if any(surnames_merge(key.surname, k.surname) for k in e.keys())]
        if len(candidates) == 1:
            candidates[0].members.append(item)
        elif not candidates and is_label(key.surname, item.label(), item.lang):
            register.unresolved.append(Unresolved(item, [], "label"))
        elif not candidates:
            same = next((e for e in added if any(surnames_merge(key.surname, k.surname) for k in e.keys())), None)
            if same is not None:
                same.members.append(item)
            else:
                added.append(_new_entry(kind, [item], taken))
        else:
            register.unresolved.append(Unresolved(item, sorted(e.ident for e in candidates)))
    entries.extend(sorted(added, key=lambda e: e.ident))
    holder = register.root.find(f"t:standOff/t:{LISTS[kind]}", NS)
    assert holder is not None
    for entry in entries:
        if entry.new:
            holder.append(entry.element)
        _add_variants(entry)


def _same(kind: str, a: Local, b: Local) -> bool:
    if kind == "person":
        return same_person(a.key, b.key)
    return bool({string_key(f) for f in a.forms} & {string_key(f) for f in b.forms})


def _existing(entries: list[Entry], item: Local) -> Entry | None:
    """The entry an edition's name belongs to: the one it points at, the one that lists one of
    its forms, or the one person whose name is surely the same."""
    if item.linked:
        for entry in entries:
            if entry.ident == item.linked:
                return entry
    forms = {ascii_fold(f) for f in item.forms} | {ascii_fold(item.label())}
    if item.kind != "person":
        forms = {string_key(f) for f in item.forms}
    exact = [e for e in entries if forms & {(ascii_fold(n) if item.kind == "person" else string_key(n)) for n in e.names()}]
    if len(exact) == 1:
        return exact[0]
    if item.kind == "person":
        key = item.key
        if key.given:
            sure = [e for e in entries if any(same_person(key, k) for k in e.keys())]
            if len(sure) == 1:
                return sure[0]
    return None


def _new_entry(kind: str, cluster: list[Local], taken: set[str]) -> Entry:
    """A new entry for a cluster: the fullest structured name is the main one."""
    best = max(cluster, key=lambda x: (len(x.key.given), sum(len(g) for g in x.key.given), x.main is not None,
                                       sum(x.forms.values()), -cluster.index(x)))
    ids: Counter[str] = Counter()
    for x in cluster:
        if x.local_id:
            ids[x.local_id] += sum(x.forms.values())  # the id of the most mentioned form wins
    if ids:
        ident = sorted(ids.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    elif kind == "person":
        key = best.key
        ident = slug(f"{key.surname} {key.initials}")
    else:
        ident = slug(best.forms.most_common(1)[0][0])
    ident = ident or kind
    if ident[0].isdigit():
        ident = f"{kind}-{ident}"
    unique, n = ident, 2
    while unique in taken:
        unique, n = f"{ident}-{n}", n + 1
    taken.add(unique)
    element = el(kind, **{XML_ID: unique})
    if best.main is not None:
        main = etree.SubElement(element, best.main.tag)
        main.text = best.main.text
        for child in best.main:
            main.append(_copy(child))
    else:
        sub(element, NAMES[kind], best.forms.most_common(1)[0][0])
    occupations: list[str] = []
    for item in cluster:
        occupations += [o for o in item.occupations if o not in occupations]
    entry = Entry(kind, unique, element, list(cluster), new=True)
    for occupation in occupations:
        sub(element, "occupation", occupation)
    return entry


def _copy(element: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(element))
    copy.tail = element.tail
    return copy


def _add_variants(entry: Entry) -> None:
    """Every form the editions print that the entry lacks, as persName[@type=variant] with the
    editions as @source; a form the entry has gains the editions that print it. Nothing is removed."""
    name_tag = f"{{{TEI_NS}}}{NAMES[entry.kind]}"
    sources: dict[str, set[str]] = {}
    for member in entry.members:
        for form in member.forms:
            sources.setdefault(form, set()).add(member.edition)
    existing = {" ".join(n.xpath("string()").split()): n for n in entry.element.findall(f"t:{NAMES[entry.kind]}", NS)}
    names = entry.element.findall(f"t:{NAMES[entry.kind]}", NS)
    anchor = names[-1] if names else None
    for form in sorted(sources, key=lambda f: (ascii_fold(f), f)):
        found = existing.get(form)
        if found is not None:
            if found.get("type") == "variant":
                old = set(found.get("source", "").split())
                found.set("source", " ".join(sorted(old | sources[form])))
            continue
        variant = etree.Element(name_tag, type="variant", source=" ".join(sorted(sources[form])))
        variant.text = form
        if anchor is None:
            entry.element.insert(0, variant)
        else:
            anchor.addnext(variant)
        anchor = variant
        existing[form] = variant
    if entry.kind == "person":
        have = {" ".join(o.xpath("string()").split()) for o in entry.element.findall("t:occupation", NS)}
        for member in entry.members:
            for occupation in member.occupations:
                if occupation not in have:
                    have.add(occupation)
                    last = (entry.element.findall("t:occupation", NS) or entry.element.findall(f"t:{NAMES[entry.kind]}", NS))[-1]
                    added = etree.Element(f"{{{TEI_NS}}}occupation")
                    added.text = occupation
                    last.addnext(added)


def compatible(a: NameKey, b: NameKey) -> bool:
    """Given names that do not rule out one person (re-exported for the suggestions)."""
    return given_compatible(a.given, b.given)


def register_bytes(register: Register) -> bytes:
    """The register serialised as editions are (same input, same bytes)."""
    from ..tei.serialise import serialise

    standoff = register.root.find("t:standOff", NS)
    if standoff is not None:
        for holder in list(standoff):
            if local(holder) in LISTS.values() and len(holder) == 0:
                standoff.remove(holder)  # an empty list is not valid TEI; loading makes it again
    return serialise(register.root)
