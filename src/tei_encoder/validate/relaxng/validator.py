"""Validating one document: expat events driving the derivatives, with messages and recovery.

The document is read by expat with namespaces, so every start tag, text and end tag comes
with its line and column. A document type declaration is refused as soon as it starts:
nothing from a DTD, no entity (internal or external) is ever read or expanded, so
"billion laughs" and external-entity documents stop at once with TE501.

On an error the validator reports it and carries on as if the document had been right there,
so that one mistake gives one message and later mistakes are still found:

- an element not allowed where it is: reported with the elements that were expected; its
  content is then checked against the definitions of elements of that name anywhere in the
  schema, and the parent goes on as if it were not there (an element the schema does not
  define at all is skipped with its content);
- an attribute not allowed: reported and ignored; a bad value: reported, and taken as valid;
- missing attributes: reported at the end of the start tag and taken as given;
- text not allowed or not a valid value: reported and ignored;
- an element that ends too early: reported with what was missing, and closed anyway.

IDs follow jing's DTD-compatibility checks: an attribute typed ID in the schema (for that
element and attribute name) must be unique, IDREF and IDREFS values must name such an ID.

`xi:include` (XInclude, parse="xml" or "text", local files only) is resolved as jing does:
the included root element gets an xml:base attribute; a missing file with no xi:fallback
is an error.
"""

from __future__ import annotations

import os
import re
import xml.parsers.expat as expat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...diagnostics import Diagnostic
from .derivative import Deriver
from .patterns import (
    ATTRIBUTE,
    CHOICE,
    DATA,
    ELEMENT,
    GROUP,
    INTERLEAVE,
    LIST,
    NC_ANY,
    NC_CHOICE,
    NC_NAME,
    NOT_ALLOWED,
    ONE_OR_MORE,
    TEXT,
    VALUE,
    XML_NS,
    NameClass,
    Pattern,
    split_name,
)
from .schema import Grammar

XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
_XI_INCLUDE = XINCLUDE_NS + " include"
_XI_FALLBACK = XINCLUDE_NS + " fallback"
_XML_SPACE = " \t\r\n"
_SHOWN = 12  # names listed in an "expected" part of a message before "and N more"


class _Refused(Exception):
    """A document type declaration: stop parsing at once."""


class _Frame:
    __slots__ = ("name", "children", "text", "text_line", "text_col", "file")

    def __init__(self, name: str, file: str):
        self.name = name
        self.children = False
        self.text = ""
        self.text_line = 0
        self.text_col = 0
        self.file = file


class Validation:
    """One document's validation against a grammar; `run` returns the diagnostics."""

    def __init__(self, grammar: Grammar, deriver: Deriver, home_ns: str, *, xinclude: bool = True):
        self.g = grammar
        self.d = deriver
        self.home = home_ns
        self.xinclude = xinclude
        self.na = grammar.builder.not_allowed
        self.diags: list[Diagnostic] = []
        self.p = grammar.start
        self.stack: list[_Frame] = []
        self.skip = 0  # depth inside a subtree that is not validated
        self.hidden: list[str] = []  # open xi:include/xi:fallback elements that are not part of the tree: "ok", "failed", "fallback"
        self.ids: dict[str, tuple[str, int, int]] = {}
        self.refs: list[tuple[str, str, int, int]] = []
        self.file = "-"
        self.data = b""
        self.parser: Any = None
        self.open_files: list[str] = []
        self.root_seen = False
        self.pending_base: str | None = None
        self.xi_problems: list[tuple[str, int, int]] = []
        self.top: _Frame | None = None  # the open element that text goes to; None while text is ignored

    # ---------------------------------------------------------------- entry

    def run(self, data: bytes, name: str, path: str | None = None) -> list[Diagnostic]:
        self.parse(data, name, path)
        for value, file, line, col in self.refs:
            if value not in self.ids:
                self.report("TE517", f'IDREF "{value}" refers to no ID in the document', line, col, file)
        return self.diags

    def parse(self, data: bytes, name: str, path: str | None) -> bool:
        saved = (self.file, self.data, self.parser)
        self.file, self.data = name, data
        parser = self.parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.buffer_size = 65536
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ExternalEntityRefHandler = self._external
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        if path is not None:
            self.open_files.append(os.path.abspath(path))
        ok = True
        try:
            parser.Parse(data, True)
        except _Refused as e:
            self.report("TE501", str(e), parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            ok = False
        except expat.ExpatError as e:
            self.report("TE500", f"not well-formed XML: {expat.errors.messages[e.code]}", e.lineno, e.offset + 1)
            ok = False
        finally:
            if path is not None:
                self.open_files.pop()
            self.file, self.data, self.parser = saved
        return ok

    def _doctype(self, *_: Any) -> None:
        raise _Refused("document type declaration refused: DTDs and entities are not read (remove the <!DOCTYPE ...>)")

    def _entity(self, *_: Any) -> None:
        raise _Refused("entity declaration refused: entities are not expanded")

    def _external(self, *_: Any) -> int:
        raise _Refused("external entity refused: referenced files are not read")

    # ---------------------------------------------------------------- diagnostics

    def report(self, code: str, message: str, line: int | None, col: int | None, file: str | None = None) -> None:
        self.diags.append(Diagnostic(code, message, file or self.file, line, col))

    def show(self, name: str) -> str:
        ns, local = split_name(name)
        if not ns or ns == self.home:
            return local
        if ns == XML_NS:
            return "xml:" + local
        return "{" + ns + "}" + local

    def show_nc(self, nc: NameClass, what: str = "element") -> list[str]:
        if nc.kind == NC_NAME:
            return [self.show(nc.name)]
        if nc.kind == NC_CHOICE:
            return self.show_nc(nc.a, what) + self.show_nc(nc.b, what)
        if nc.kind == NC_ANY:
            return [f"any {what}" + (" (with exceptions)" if nc.a is not None else "")]
        return [f"any {what} in namespace {nc.ns or '(none)'}" + (" (with exceptions)" if nc.a is not None else "")]

    def listing(self, names: Iterable[str]) -> str:
        items = sorted(set(names), key=lambda s: (s.startswith("any "), s.lower()))
        if len(items) > _SHOWN:
            return ", ".join(items[:_SHOWN]) + f" and {len(items) - _SHOWN} more"
        return ", ".join(items)

    def context(self) -> str:
        return f" (in {self.show(self.stack[-1].name)})" if self.stack else ""

    def where(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    # ---------------------------------------------------------------- events

    def chars(self, text: str) -> None:
        frame = self.top
        if frame is None:
            return
        if not frame.text:
            parser = self.parser
            frame.text_line = parser.CurrentLineNumber
            frame.text_col = parser.CurrentColumnNumber + 1
        frame.text += text

    def start(self, name: str, attrs: list[str]) -> None:
        if self.skip or self.hidden:
            if self.skip:
                self.skip += 1
                return
            if self.hidden[-1] != "fallback":
                self.inside_include(name)
                return
        if name == _XI_INCLUDE and self.xinclude:
            self.include(attrs)
            return
        parent = self.top
        if parent is not None:
            parent.children = True
            if parent.text:
                text = parent.text
                parent.text = ""
                if text.strip(_XML_SPACE):
                    self.text_between(text, parent)
        elif self.stack or self.root_seen:
            return
        else:
            self.root_seen = True
        d = self.d
        p = self.p
        q = d._open.get((p, name))
        if q is None:
            q = d.start_tag_open(p, name)
        if q is self.na:
            q = self.not_allowed(name, p, *self.where())
            if q is None:
                self.skip = 1
                self.top = None
                return
        if self.pending_base is not None:
            attrs = [*attrs, XML_NS + " base", self.pending_base]
            self.pending_base = None
        if attrs:
            quick = d.att_quick
            id_types = self.g.id_types
            for i in range(0, len(attrs), 2):
                aname = attrs[i]
                value = attrs[i + 1]
                r = quick.get((q, aname, value))
                if r is None:
                    r = self.attribute(name, q, aname, value)
                    if r is None:
                        continue  # reported and ignored
                q = r
                if id_types:
                    kind = id_types.get((name, aname))
                    if kind is not None:
                        self.id_attribute(kind, value, aname)
        closed = d._close.get(q) if q.attrs else q
        if closed is None:
            closed = d.start_tag_close(q)
            if closed is self.na:
                closed = self.missing_attributes(name, q)
        self.p = closed
        self.top = frame = _Frame(name, self.file)
        self.stack.append(frame)

    def inside_include(self, name: str) -> None:
        """A start tag inside an xi:include: only its fallback counts, and only when the include failed."""
        if name == _XI_FALLBACK and self.hidden[-1] == "failed":
            self.hidden[-1] = "failed+fallback"
            self.hidden.append("fallback")
            self.top = self.stack[-1] if self.stack else None
        else:
            self.skip = 1
            self.top = None

    def missing_attributes(self, name: str, q: Pattern) -> Pattern:
        d = self.d
        missing = d.required_attributes(q) or d.expected_attributes(q)
        shown = self.listing(n for nc in missing for n in self.show_nc(nc, "attribute"))
        self.report("TE513", f'element "{self.show(name)}" is missing required attribute {shown}', *self.where())
        return d.force_close(q)

    def not_allowed(self, name: str, p: Pattern, line: int, col: int) -> Pattern | None:
        """Report an element that may not occur here; the pattern to go on with, or None to skip it."""
        expected = [n for nc in self.d.expected_elements(p) for n in self.show_nc(nc)]
        shown = self.show(name)
        if not self.stack:
            message = f'root element "{shown}" not allowed; expected {self.listing(expected) or "no element"}'
            code = "TE518"
        else:
            if expected:
                what = f"expected one of: {self.listing(expected)}" if len(set(expected)) > 1 else f"expected {expected[0]}"
            elif self.d.accepts_text(p):
                what = "only text is allowed"
            else:
                what = "no more elements are allowed"
            message = f'element "{shown}" not allowed here; {what}{self.context()}'
            code = "TE510"
        local = split_name(name)[1]
        others = [n for nc in self.d.expected_elements(p) for n in (nc.names() or ()) if split_name(n)[1] == local and n != name]
        if others:
            ns = split_name(others[0])[0]
            got = split_name(name)[0]
            message += f'; "{local}" must be in namespace "{ns}", not {("namespace " + chr(34) + got + chr(34)) if got else "in no namespace"}'
        self.report(code, message, line, col)
        defs = self.g.by_name.get(name)
        if not defs:
            return None
        recovery = self.g.builder.after(self.g.builder.choice_of([e.b for e in defs]), p)
        return None if recovery is self.na else recovery

    def attribute(self, element: str, q: Pattern, name: str, value: str) -> Pattern | None:
        """The derivative by an attribute; None if it is not allowed (reported, and then ignored).

        A value that does not match is reported and taken as valid."""
        d = self.d
        contents = d.attribute_contents(q, name)
        if not contents:
            aline, acol = self.attribute_position(name)
            allowed = [n for nc in d.expected_attributes(q) for n in self.show_nc(nc, "attribute")]
            tail = f"; allowed: {self.listing(allowed)}" if allowed else "; it has no attributes"
            self.report("TE512", f'attribute "{self.show(name)}" not allowed on element "{self.show(element)}"{tail}', aline, acol)
            return None
        if len(contents) == 1:
            accepted = d.singletons.get(contents[0])
            if accepted is None:
                accepted = d.singletons[contents[0]] = frozenset(contents)
            if not d.value_matches(contents[0], value):
                accepted = frozenset()
        else:
            accepted = frozenset(c for c in contents if d.value_matches(c, value))
        if not accepted:
            aline, acol = self.attribute_position(name)
            self.report(
                "TE514",
                f'invalid value "{value}" for attribute "{self.show(name)}" of element "{self.show(element)}"; '
                f"expected {self.describe(contents)}",
                aline,
                acol,
            )
            accepted = frozenset(contents)
            r = d.attribute(q, name, accepted)
            return None if r is self.na else r  # not cached: the value is wrong
        r = d.attribute(q, name, accepted)
        if r is self.na:
            aline, acol = self.attribute_position(name)
            self.report("TE512", f'attribute "{self.show(name)}" not allowed here on element "{self.show(element)}"', aline, acol)
            return None
        quick = d.att_quick
        if len(quick) > 100_000:
            quick.clear()
        quick[(q, name, value)] = r
        return r

    def id_attribute(self, kind: str, value: str, name: str) -> None:
        line, col = self.where()
        if kind == "ID":
            value = value.strip(" \t\r\n")
            first = self.ids.get(value)
            if first is not None:
                aline, acol = self.attribute_position(name)
                where = f"line {first[1]}" if first[0] == self.file else f"{first[0]}:{first[1]}"
                self.report("TE516", f'duplicate ID "{value}" (first used at {where})', aline, acol)
            else:
                self.ids[value] = (self.file, line, col)
        else:
            aline, acol = self.attribute_position(name)
            for token in value.split():
                self.refs.append((token, self.file, aline, acol))

    def end(self, name: str) -> None:
        if self.skip:
            self.skip -= 1
            if not self.skip:
                self.resume()
            return
        if self.hidden:
            state = self.hidden[-1]
            if state == "fallback" and name == _XI_FALLBACK:
                self.hidden.pop()
                self.resume()
                return
            if state != "fallback":
                self.hidden.pop()
                self.resume()
                if state.startswith("failed"):
                    problem, line, col = self.xi_problems.pop()
                    if state == "failed":  # no xi:fallback to use instead
                        self.report("TE502", problem, line, col)
                return
        stack = self.stack
        if not stack:
            return
        frame = stack[-1]
        d = self.d
        p = self.p
        text = frame.text
        reported = False
        if frame.children:
            if text and text.strip(_XML_SPACE):
                self.text_between(text, frame)
                p = self.p
        else:
            if not text.strip(_XML_SPACE):
                if p.textual:
                    r = self.g.builder.choice(p, d.text(p, text))
                else:
                    blank = d._blank.get(p)
                    r = blank if blank is not None else d.blank(p, text)
            else:
                r = d.text(p, text)
            if r is self.na:
                parser = self.parser
                line, col = (frame.text_line, frame.text_col) if text else (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
                self.bad_text(p, text, line, col)
                reported = True  # the content is what was wrong: the element is not also incomplete
            else:
                p = r
        stack.pop()
        self.top = stack[-1] if stack else None
        e = d._end.get(p)
        if e is None:
            e = d.end_tag(p)
        if e is self.na and reported:
            e = d.force_end(p)
        elif e is self.na:
            line, col = self.where()
            expected = [n for nc in d.expected_elements(p) for n in self.show_nc(nc)]
            shown = self.show(frame.name)
            if expected:
                if len(set(expected)) == 1:
                    missing = f'missing required element "{expected[0]}"'
                else:
                    missing = f"missing required element; expected one of: {self.listing(expected)}"
            elif d.content_kinds(p) & {DATA, VALUE, LIST}:
                missing = "missing its required value"
            else:
                missing = "missing required content"
            self.report("TE511", f'element "{shown}" incomplete; {missing}', line, col)
            e = d.force_end(p)
        self.p = e

    def resume(self) -> None:
        """Text goes to the open element again (after a skipped subtree or an xi:include)."""
        hidden = self.hidden and self.hidden[-1] != "fallback"
        self.top = self.stack[-1] if self.stack and not self.skip and not hidden else None

    def text_between(self, text: str, frame: _Frame) -> None:
        """Text that is not only whitespace, in an element with element children."""
        p = self.p
        known = None if p.textual else self.d._text.get(p)
        r = known if known is not None else self.d.text(p, text)
        if r is self.na:
            self.bad_text(p, text, frame.text_line, frame.text_col)
        else:
            self.p = r

    def bad_text(self, p: Pattern, text: str, line: int, col: int) -> None:
        kinds = self.d.content_kinds(p)
        element = self.show(self.stack[-1].name) if self.stack else "?"
        short = text.strip()
        if len(short) > 40:
            short = short[:37] + "..."
        if kinds & {DATA, VALUE, LIST}:
            wanted = self.describe(self.value_leaves(p))
            self.report("TE515", f'invalid content "{short}" in element "{element}"; expected {wanted}', line, col)
        elif kinds & {TEXT}:
            self.report("TE515", f'text "{short}" not allowed here in element "{element}"', line, col)
        else:
            self.report("TE515", f'text not allowed in element "{element}": "{short}"', line, col)

    # ---------------------------------------------------------------- XInclude

    def include(self, attrs: list[str]) -> None:
        values = dict(zip(attrs[::2], attrs[1::2], strict=False))
        line, col = self.where()
        href = values.get("href", "")
        parse = values.get("parse", "xml")
        base_dir = os.path.dirname(self.open_files[-1]) if self.open_files else os.getcwd()
        problem = None
        target = ""
        if not href or "xpointer" in values:
            problem = "XInclude without href, or with xpointer, is not supported"
        elif "://" in href or href.startswith("//"):
            problem = f'XInclude of "{href}" refused: only local files are included'
        else:
            target = os.path.normpath(os.path.join(base_dir, href.replace("%20", " ")))
            if target in self.open_files:
                problem = f'XInclude of "{href}" includes itself'
            elif not os.path.isfile(target):
                problem = f'XInclude target "{href}" not found'
        if problem is None:
            try:
                data = Path(target).read_bytes()
            except OSError as e:
                problem = f'XInclude target "{href}" cannot be read: {e.strerror}'
        if problem is not None:
            self.hidden.append("failed")
            self.top = None
            self.xi_problems.append((problem, line, col))
            return
        if parse == "text":
            if self.stack:
                frame = self.stack[-1]
                if not frame.text:
                    frame.text_line, frame.text_col = line, col
                frame.text += data.decode(values.get("encoding") or "utf-8", errors="replace")
        else:
            self.pending_base = href
            shown = os.path.normpath(os.path.join(os.path.dirname(self.file), href))
            self.parse(data, shown, target)
            self.pending_base = None
        self.hidden.append("ok")
        self.top = None

    # ---------------------------------------------------------------- message helpers

    def value_leaves(self, p: Pattern) -> list[Pattern]:
        """Data, value and list patterns that text could match next in p."""
        return self.d.reachable(p, (DATA, VALUE, LIST))

    def describe(self, contents: Iterable[Pattern]) -> str:
        values: list[str] = []
        types: list[str] = []
        todo = list(contents)
        seen: set[int] = set()
        while todo:
            q = todo.pop(0)
            if q.uid in seen:
                continue
            seen.add(q.uid)
            k = q.kind
            if k == VALUE:
                values.append(f'"{q.b}"')
            elif k == DATA:
                types.append(q.a.about + (" (with exceptions)" if q.b is not None else ""))
            elif k == LIST:
                types.append("a whitespace-separated list of: " + self.describe([q.a]))
            elif k == TEXT:
                types.append("text")
            elif k == CHOICE:
                todo.extend(q.alts)
            elif k in (GROUP, INTERLEAVE):
                todo.extend((q.a, q.b))
            elif k == ONE_OR_MORE:
                todo.append(q.a)
            elif k == ATTRIBUTE or k == ELEMENT or k == NOT_ALLOWED:
                pass
            else:
                types.append("nothing")
        parts = []
        if values:
            parts.append(("one of: " if len(values) > 1 else "") + self.listing(values))
        parts.extend(dict.fromkeys(types))
        return " or ".join(parts) if parts else "nothing"

    def attribute_position(self, name: str) -> tuple[int, int]:
        """Line and column of an attribute of the start tag being read, found in the source."""
        line, col = self.where()
        try:
            start = self.parser.CurrentByteIndex
        except AttributeError:
            return line, col
        if start < 0 or not self.data:
            return line, col
        ns, local = split_name(name)
        end = self.data.find(b">", start)
        tag = self.data[start:end if end > 0 else len(self.data)]
        try:
            local_b = local.encode("utf-8")
        except UnicodeEncodeError:
            return line, col
        prefix = rb"[^\s=:]+:" if ns else b""
        m = re.search(rb"\s(" + prefix + re.escape(local_b) + rb")\s*=", tag)
        if m is None:
            return line, col
        before = tag[: m.start(1)]
        newlines = before.count(b"\n")
        if newlines == 0:
            return line, col + len(before.decode("utf-8", errors="replace"))
        return line + newlines, len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
