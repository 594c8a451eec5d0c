"""Square brackets and [sic] markers: supplied, sic, gap and editorial notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TypeGuard

from ..model import Inline, Node, Span
from .bracket_meaning import ROUND, SQUARE, BracketFinds, Meanings
from .matches import replace_matches


@dataclass(frozen=True)
class BracketVocabulary:
    """What the profile says bracketed text means."""

    sic_inner: frozenset[str]  # "SIC", "sic": the text inside a bracketed sic marker
    paren_markers: tuple[str, ...]  # "(sic)": markers that are not square-bracketed
    gap_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    note_prefixes: tuple[str, ...]
    markdown: bool = False
    incident: re.Pattern[str] | None = None
    meanings: Meanings | None = None  # timestamps, footnote markers, events … (None: off)

    @cached_property
    def scanner(self) -> re.Pattern[str]:
        """Square brackets, the sic markers written without them, and Markdown's own tokens."""
        markers = "".join("|" + re.escape(m) for m in sorted(self.paren_markers, key=len, reverse=True))
        markdown = r"(?P<link>\[(?P<n>\d{1,3})\]\(#(?P<id>[A-Za-z_][\w.-]*)\))|(?P<esc>\\[^\w\s])|" if self.markdown else ""
        if self.markdown:
            # "![caption](img.png)": an image, its caption and its file, as Markdown means them.
            markdown = r"(?P<img>!\[(?P<alt>[^\[\]]*)\]\((?P<src>[^()\s]+)\))|" + markdown
        bare = ""
        if self.meanings is not None and self.meanings.line_start_timestamp is not None:
            # A timestamp printed without brackets; only one at the start of a line counts.
            bare = r"(?P<bare>(?<!\S)\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?(?!\S))|"
        return re.compile(markdown + bare + r"[\[\]]" + markers)

    @cached_property
    def _gaps_seen(self) -> dict[str, tuple[str, dict[str, str | None]] | None]:
        return {}

    def gap(self, bare: str) -> tuple[str, dict[str, str | None]] | None:
        """The reason and the groups of the first gap pattern the bracket's text matches, if any.

        Remembered per text: a transcript repeats its few kinds of gap ("[illegible]") thousands of times.
        """
        seen = self._gaps_seen
        if bare in seen:
            return seen[bare]
        found = None
        for reason, pattern in self.gap_patterns:
            m = pattern.match(bare)
            if m:
                found = (reason, m.groupdict())
                break
        if len(seen) < 4096:
            seen[bare] = found
        return found

    @classmethod
    def from_profile(cls, table: dict, markdown: bool = False) -> BracketVocabulary:
        markers = table["sic_markers"]
        return cls(
            frozenset(m[1:-1] for m in markers if m.startswith("[") and m.endswith("]")),
            tuple(m for m in markers if not m.startswith("[")),
            tuple((reason, re.compile(p, re.I)) for reason, p in table["gap_patterns"].items()),
            tuple(table["note_prefixes"]),
            markdown,
            re.compile(table["incident_pattern"], re.I) if table["incident_pattern"] else None,
            Meanings.from_profile(table),
        )


class SicMarker:
    """A [sic] marker waiting to be attached to the word before it."""

    __slots__ = ("marker", "offset")

    def __init__(self, marker: str, offset: int):
        self.marker = marker
        self.offset = offset




def parse_brackets(span: Span, vocab: BracketVocabulary, warn, resp: str, finds: BracketFinds | None = None) -> list:
    """Split text into strings, bracket nodes and sic markers (attached later)."""
    text = span.text
    meanings = vocab.meanings
    finds = finds if finds is not None else BracketFinds()
    if (
        "[" not in text and "]" not in text and "\\" not in text
        and ("(" not in text or vocab.scanner.search(text) is None)
        and (meanings is None or not (":" in text or (meanings.parentheses and "(" in text)))
    ):
        return [text] if text else []
    root: list = []
    stack: list[tuple[int, list]] = []  # (index of "[", children collected inside)
    current = root
    last = 0
    deep = 0  # brackets opened past MAX_NESTING, kept as text
    for m in vocab.scanner.finditer(text):
        i = m.start()
        if i > last:
            current.append(text[last:i])
        last = m.end()
        if vocab.markdown and m.group("link"):  # "[1](#f1)": a footnote's anchor
            current.append(Node("ref", {"type": "footnote", "target": "#" + m.group("id")}, [m.group("n")]))
            continue
        if vocab.markdown and m.group("img") is not None:
            graphic = Node("graphic", {"url": m.group("src")})
            current.append(Node("figure", {}, [graphic, Node("figDesc", {}, [m.group("alt")] if m.group("alt") else [])]))
            continue
        if meanings is not None and meanings.line_start_timestamp is not None and m.group("bare") is not None:
            stamp = m.group("bare")
            at_line_start = i + span.shift in span.lines.keys
            if at_line_start and meanings.line_start_timestamp.match(stamp):
                current.append(Node("time", {"type": "timestamp"}, [stamp]))
            else:
                current.append(stamp)
            continue
        if vocab.markdown and m.group("esc"):  # "\." : Markdown's escape, kept as rendering
            current.append(Node("pc", {"rend": "escaped"}, [m.group()[1]]))
            continue
        if len(m.group()) > 1:  # a marker such as "(sic)" that has no square brackets
            current.append(SicMarker(m.group(), span.source_offset(i)))
            continue
        if m.group() == "[":
            if len(stack) >= MAX_NESTING:
                if not deep:
                    warn("TE303", f"brackets nested deeper than {MAX_NESTING}; kept as printed", span.source_offset(i))
                current.append("[")
                deep += 1
                continue
            if stack:
                warn("TE303", "nested brackets: inner bracket kept as an insertion within the insertion", span.source_offset(i))
            stack.append((i, current))
            current = []
            continue
        if deep:
            deep -= 1
            current.append("]")
            continue
        if not stack:
            warn("TE302", "closing bracket ']' without an opening one; kept as printed", span.source_offset(i))
            current.append("]")
            continue
        start, parent = stack.pop()
        # The text before the bracket; None at the start of the block, where "[3]" numbers a point.
        before = None if start == 0 else parent[-1] if parent and isinstance(parent[-1], str) else ""
        parent.append(_classify(text[start + 1 : i], current, vocab, resp, span.source_offset(start), before, finds))
        current = parent
    if last < len(text):
        current.append(text[last:])
    # Brackets never closed: keep "[" as printed and splice what followed back in.
    while stack:
        start, parent = stack.pop()
        warn("TE301", "unclosed bracket '['; kept as printed", span.source_offset(start))
        parent.append("[")
        parent.extend(current)
        current = parent
    if meanings is not None and meanings.parentheses:
        root = _read_parentheses(root, meanings, finds)
    return root


# A parenthesis holding no other bracket: "(Beifall bei der SPD.)", "(00:12)", "(CDU/CSU)".
_PARENTHESIS = re.compile(r"\(([^()\[\]]{1,200})\)")


def _read_parentheses(items: list, meanings: Meanings, finds: BracketFinds) -> list:
    """Parentheses that are timestamps, events or party tags become those; the rest stay text."""
    out = replace_matches(items, _PARENTHESIS, lambda m, before: meanings.classify(m.group(1), before, ROUND, finds), "(")
    return [x for x in out if x != ""]


def _classify(
    inner: str, children: list, vocab: BracketVocabulary, resp: str, offset: int, before: str | None = "",
    finds: BracketFinds | None = None,
):
    flat = inner.strip()
    if flat in vocab.sic_inner and inner == flat:
        return SicMarker(f"[{inner}]", offset)
    # "[ _matter omitted_ ]": emphasis and spacing do not change what the gap is; the
    # bracket's text stays verbatim in desc.
    bare = flat.replace("_", "").replace("*", "").strip() if ("_" in flat or "*" in flat) else flat
    gap = vocab.gap(bare)
    if gap is not None and all(isinstance(c, str) for c in children):
        reason, groups = gap
        attrs = {"reason": reason, "resp": resp}
        quantity, unit = groups.get("quantity"), groups.get("unit")
        if quantity:
            q = quantity.lower()
            attrs["quantity"] = str(_NUMBER_WORDS.get(q, q))
            attrs["unit"] = unit.rstrip("s") if unit else ""
            if not attrs["unit"]:
                del attrs["unit"]
        return Node("gap", attrs, [Node("desc", {}, [inner])])
    if vocab.meanings is not None and all(isinstance(c, str) for c in children):
        meant = vocab.meanings.classify(inner, before, SQUARE, finds if finds is not None else BracketFinds())
        if meant is not None:
            return meant
    if vocab.incident is not None and vocab.incident.match(bare) and all(isinstance(c, str) for c in children):
        # "[Tumultuous applause.]": what the audience did, told by the transcript.
        return Node("incident", {}, [Node("desc", {}, [inner])])
    for prefix in vocab.note_prefixes:
        if inner.startswith(prefix):
            return Node("note", {"type": "editorial", "resp": resp}, children)
    return Node("supplied", {"reason": "clarification", "resp": resp}, children)


# Deeper nesting than this is no editorial practice, and would exhaust the recursion of the
# builders: such brackets stay text.
MAX_NESTING = 8

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


_WORD_BEFORE = re.compile(r"(\S+)(\s*)$")
_WORD_HOLDERS = frozenset({"date", "persName", "placeName", "orgName"})


def _holds_word(item: object) -> TypeGuard[Node]:
    return isinstance(item, Node) and item.tag in _WORD_HOLDERS and bool(item.children)


def attach_sic(items: list, resp: str, warn, span: Span) -> list[Inline]:
    """Wrap the word before each sic marker in sic; the marker becomes @rend."""
    out: list = []
    for item in items:
        if isinstance(item, Node):
            item.children = attach_sic(item.children, resp, warn, span)
        if not isinstance(item, SicMarker):
            out.append(item)
            continue
        prev = out[-1] if out else None
        # The word may end a date or a name: the sic goes inside it, the date stays whole.
        spacing = ""
        if isinstance(prev, str) and prev.isspace() and len(out) > 1 and _holds_word(out[-2]):
            spacing = out.pop()
            prev = out[-1]
        holder: list = out
        while _holds_word(prev):
            holder, prev = prev.children, prev.children[-1]
        m = _WORD_BEFORE.search(prev + spacing) if isinstance(prev, str) else None
        if m is None and spacing:
            out.append(spacing)
        if m is None or not isinstance(prev, str):
            warn("TE304", f"{item.marker} with no word before it; kept as an empty sic", item.offset)
            # Only white space before the marker gives the space back on the way to text.
            rend = item.marker + ("" if isinstance(prev, str) and prev[-1:].isspace() else " tight")
            out.append(Node("sic", {"resp": resp, "rend": rend}, []))
            continue
        holder[-1] = (prev + spacing)[: m.start()]
        rend = item.marker if m.group(2) else item.marker + " tight"
        # The white space before the marker belongs to the rendering: the marker and one
        # space come back on the way to text.
        holder.append(Node("sic", {"resp": resp, "rend": rend}, [m.group(1)]))
        if holder[-2] == "":
            del holder[-2]
    return out
