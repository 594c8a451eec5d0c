"""Flattening attributes: what each class and element finally declares, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .customise import merge_attdef
from .errors import SpecError
from .names import T, local


@dataclass(frozen=True)
class Attribute:
    """One attribute as an element or class ends up with it.

    `origin` is the attribute class whose (possibly changed) definition this is, or None when
    the element defines or changes it itself; `group` ties attributes of one attList with
    org="choice" together.
    """

    ident: str
    node: etree._Element
    origin: str | None
    group: int | None


def class_type(spec: etree._Element) -> str:
    return spec.get("type", "model")


def member_of(spec: etree._Element) -> list[str]:
    classes = spec.find(T + "classes")
    if classes is None:
        return []
    return [m.get("key", "") for m in classes if local(m) == "memberOf"]


class AttributeTable:
    """Attributes of every class and element of a schema, memoised per class."""

    def __init__(self, classes: dict[str, etree._Element]) -> None:
        self.classes = classes
        self._memo: dict[str, dict[str, Attribute]] = {}
        self._active: set[str] = set()

    def of_class(self, ident: str) -> dict[str, Attribute]:
        found = self._memo.get(ident)
        if found is not None:
            return found
        if ident in self._active:  # a cycle of memberOf: stop rather than recurse forever
            return {}
        self._active.add(ident)
        spec = self.classes[ident]
        result = self._inherited(spec)
        self._apply_own(spec, result, ident)
        self._active.discard(ident)
        self._memo[ident] = result
        return result

    def of_element(self, spec: etree._Element) -> dict[str, Attribute]:
        result = self._inherited(spec)
        self._apply_own(spec, result, None)
        return result

    def _inherited(self, spec: etree._Element) -> dict[str, Attribute]:
        result: dict[str, Attribute] = {}
        for key in member_of(spec):
            parent = self.classes.get(key)
            if parent is not None and class_type(parent) == "atts":
                result.update(self.of_class(key))
        return result

    def _apply_own(self, spec: etree._Element, result: dict[str, Attribute], origin: str | None) -> None:
        attlist = spec.find(T + "attList")
        if attlist is None:
            return
        for attdef, group in _walk(attlist, None):
            if local(attdef) == "attRef":
                for found in self._referred(attdef, origin):
                    result[found.ident] = Attribute(found.ident, found.node, found.origin, group)
                continue
            ident = attdef.get("ident", "")
            mode = attdef.get("mode", "add")
            if mode == "delete":
                result.pop(ident, None)
            elif mode == "change" and ident in result:
                base = result[ident]
                result[ident] = Attribute(ident, merge_attdef(base.node, attdef), origin, group or base.group)
            else:
                result[ident] = Attribute(ident, attdef, origin, group)


    def _referred(self, ref: etree._Element, owner: str | None) -> list[Attribute]:
        """The attributes an attRef brings in, in every form the Guidelines and the TEI's processor know.

        class and name: that attribute of that class; class alone: all the class's attributes;
        name alone: the attribute class of the schema that defines it (there must be one
        only), or, as older ODDs write it, the pattern name "att.x.attribute.y".
        """
        cls = ref.get("class") or ""
        name = ref.get("name") or ""
        legacy = False
        if not cls and ".attribute." in name:
            cls, _, name = name.partition(".attribute.")
            legacy = True
        if cls:
            spec = self.classes.get(cls)
            if spec is None or class_type(spec) != "atts":
                raise SpecError("TE614", f'attRef to attribute class "{cls}", which the schema does not include', ref)
            if cls == owner:
                raise SpecError("TE614", f'attRef in "{cls}" refers to the class itself', ref)
            table = self.of_class(cls)
            if not name:
                return list(table.values())
            found = table.get(name)
            if found is None and legacy:  # the pattern name drops the colon of xml:space
                found = next((a for a in table.values() if a.ident.replace(":", "") == name), None)
            if found is None:
                raise SpecError("TE614", f'attRef: class "{cls}" has no attribute "{name}"', ref)
            return [found]
        if not name:
            raise SpecError("TE614", "attRef names neither a class nor an attribute", ref)
        owners = sorted(
            c for c, s in self.classes.items()
            if class_type(s) == "atts" and c != owner and (a := self.of_class(c).get(name)) is not None and a.origin == c
        )
        if len(owners) != 1:
            which = f"several classes define it ({', '.join(owners)}): add @class" if owners else "no attribute class of the schema defines it"
            raise SpecError("TE614", f'attRef to attribute "{name}": {which}', ref)
        return [self.of_class(owners[0])[name]]


def _walk(attlist: etree._Element, group: int | None) -> list[tuple[etree._Element, int | None]]:
    """The attDefs and attRefs of an attList in order, each with its choice group (nested attLists too)."""
    here = id(attlist) if attlist.get("org") == "choice" else group
    found: list[tuple[etree._Element, int | None]] = []
    for child in attlist:
        name = local(child)
        if name in ("attDef", "attRef"):
            found.append((child, here))
        elif name == "attList":
            found.extend(_walk(child, here))
    return found
