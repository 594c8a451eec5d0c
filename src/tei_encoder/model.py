"""The document model between the transcript and TEI: chunks, blocks, inline nodes."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Generic, TypeVar, Union

# Markers placed in block text where a line or page boundary has meaning inside a block.
# Both are characters the reader refuses in input (XML cannot hold them), so they can never
# collide with transcript text.
PB = "\x00"  # a page boundary inside a paragraph
PB_INFERRED = "\x02"  # a boundary guessed from a sentence cut by a blank line
FW_OPEN = "\x03"  # forme work (a printed page number, a running head) inside a paragraph …
FW_CLOSE = "\x04"  # … ends here
LB_NOBREAK = "\x01"  # a line ended in a hyphen that belongs to the word ("pro-⏎American")
# The kind of forme work, as the first character after FW_OPEN; none for a page number.
FW_MARKS = {"header": "\x05", "footer": "\x06", "stamp": "\x07"}
FW_TYPES = {mark: kind for kind, mark in FW_MARKS.items()}


@dataclass(slots=True)
class Chunk:
    """A run of non-blank lines, with how many blank lines came before it."""

    lines: list[str]
    offsets: list[int]  # source offset of the first character of each line
    blank_before: int
    first_line: int  # 1-based source line number of lines[0]
    breaks: dict[int, str] = field(default_factory=dict)  # line index → "page" | "inferred" | forme work
    form_feed: bool = False  # a form feed stood in the blank lines before this chunk
    furniture: str = ""  # a line of forme work standing between blocks: its fw/@type


@dataclass(frozen=True, slots=True)
class LineMap:
    """Where each joined line starts in a span's text (keys) and in the source (offsets)."""

    keys: list[int]
    offsets: list[int]


_NO_LINES = LineMap([0], [0])


@dataclass(slots=True)
class Span:
    """Text joined from source lines, with a map from text index to source offset.

    Slices share their parent's map and remember how far in they start, so slicing costs
    no more than slicing the string.
    """

    text: str
    lines: LineMap = _NO_LINES
    shift: int = 0  # where this text starts in the text the map was made for

    def source_offset(self, index: int) -> int:
        """Source offset of a text index (exact within a line, approximate at joins)."""
        at = index + self.shift
        i = bisect.bisect_right(self.lines.keys, at) - 1
        i = max(i, 0)
        return self.lines.offsets[i] + (at - self.lines.keys[i])

    def slice(self, start: int, end: int | None = None) -> Span:
        """The span of text[start:end]."""
        return Span(self.text[start:end], self.lines, self.shift + start)

    @property
    def clean(self) -> str:
        """The text without page and line markers, for facts derived from it (ids, roles)."""
        return strip_markers(self.text)

    def strip(self) -> Span:
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return self.slice(left, max(right, left))


_MARKER_TABLE = {ord(c): None for c in (PB, PB_INFERRED, LB_NOBREAK, FW_OPEN, FW_CLOSE, *FW_TYPES)}


def strip_markers(text: str) -> str:
    """Text with the in-block page and line markers removed."""
    return text.translate(_MARKER_TABLE)


# A stretch of forme work inside a block's text, markers included.
FORME_WORK = re.compile(f"{FW_OPEN}[^{FW_CLOSE}]*{FW_CLOSE}")


def mask_forme_work(text: str) -> str:
    """Text with the forme work in it blanked out, each character a space (offsets stay)."""
    if FW_OPEN not in text:
        return text
    return FORME_WORK.sub(lambda m: " " * len(m.group()), text)


def join_lines(lines: list[str], offsets: list[int], breaks: dict[int, str] | None = None) -> Span:
    """Join hard-wrapped lines with one space; a word hyphenated at a line end keeps its hyphen.

    `breaks` says what stands before some lines: "page" or "inferred" for a page boundary;
    "fw:TYPE" for a line of forme work (a running head or foot, a page number, a stamp),
    "pb-fw:TYPE" for one with the page boundary before it; "fw-end" or "pb-fw-end" for the
    line of text after forme work. "number" and "number-end" are "pb-fw:pageNum" and "fw-end".
    """
    if not breaks:
        trimmed = [line.strip() for line in lines]
        joined = "\n".join(trimmed)
        if "-\n" not in joined:  # no word hyphenated at a line end: the common case
            line_keys = [0, *accumulate(len(text) + 1 for text in trimmed[:-1])]
            line_starts = [offset + len(line) - len(line.lstrip()) for line, offset in zip(lines, offsets)]
            return Span(joined.replace("\n", " "), LineMap(line_keys, line_starts))
    parts: list[str] = []
    keys: list[int] = []
    starts: list[int] = []
    length = 0
    before_fw = ""  # the text line before forme work, for hyphenation across it
    in_fw = False
    for i, (line, offset) in enumerate(zip(lines, offsets)):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        if i:
            kind = breaks.get(i) if breaks else None
            kind = _ALIASES.get(kind, kind) if kind else None
            prev = before_fw if kind in ("fw-end", "pb-fw-end") else parts[-1]
            hyphenated = prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and stripped[:1].isalpha()
            if kind and kind.startswith(("fw:", "pb-fw:")):
                if not in_fw:
                    before_fw = parts[-1]
                pb = PB if kind.startswith("pb-") else ""
                sep = (FW_CLOSE if in_fw else "") + pb + FW_OPEN + FW_MARKS.get(kind.partition(":")[2], "")
                in_fw = True
            elif kind in ("fw-end", "pb-fw-end"):
                sep = FW_CLOSE + (PB if kind == "pb-fw-end" else "") + (LB_NOBREAK if hyphenated else " ")
                in_fw = False
            elif kind:
                sep = (PB if kind == "page" else PB_INFERRED) + (LB_NOBREAK if hyphenated else " ")
            elif hyphenated:
                sep = LB_NOBREAK
            else:
                sep = " "
            parts.append(sep)
            length += len(sep)
        keys.append(length)
        starts.append(offset + lead)
        parts.append(stripped)
        length += len(stripped)
    if in_fw:
        parts.append(FW_CLOSE)  # a block that ends on forme work (cut at a turn) closes it
    return Span("".join(parts), LineMap(keys, starts))


_ALIASES = {"number": "pb-fw:pageNum", "number-end": "fw-end"}


def chunk_span(chunk: Chunk, start_line: int = 0, end_line: int | None = None) -> Span:
    """The joined text of some of a chunk's lines."""
    end_line = len(chunk.lines) if end_line is None else end_line
    breaks = {i - start_line: k for i, k in chunk.breaks.items() if start_line < i < end_line}
    return join_lines(chunk.lines[start_line:end_line], chunk.offsets[start_line:end_line], breaks)


@dataclass(slots=True)
class Block:
    """One structural unit found by a block rule, before inline markup."""

    kind: str  # head, opener, dateline, present, section, turn, p, narration, pb, closer, source-note
    span: Span = field(default_factory=lambda: Span(""))  # empty for blocks without text (pb, section)
    attrs: dict[str, Any] = field(default_factory=dict)
    parts: list[tuple[str, Span]] = field(default_factory=list)  # opener and closer lines


T = TypeVar("T")


class BlockFacts(Generic[T]):
    """What a stage after the block rules finds about some blocks, kept beside them, typed.

    The blocks stay as the block rules made them. A block is a record compared by value, so
    the key is the block's identity; the map holds the block, so that identity stays its own.
    """

    __slots__ = ("_facts",)

    def __init__(self) -> None:
        self._facts: dict[int, tuple[Block, T]] = {}

    def __setitem__(self, block: Block, value: T) -> None:
        self._facts[id(block)] = (block, value)

    def __getitem__(self, block: Block) -> T:
        return self._facts[id(block)][1]

    def __contains__(self, block: Block) -> bool:
        return id(block) in self._facts

    def __len__(self) -> int:
        return len(self._facts)


@dataclass(slots=True)
class Node:
    """An inline element: TEI tag name, attributes, children (text or nodes)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Inline] = field(default_factory=list)


Inline = Union[str, Node]
