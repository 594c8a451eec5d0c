"""The state block rules share: the chunks, the position, the blocks found, the facts gathered."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..diagnostics import Reporter
from ..model import Block, Chunk, Span
from ..profiles import Profile
from ..source import Source
from .label_survey import gather_labels
from .labels import LabelEvidence
from .speakers import match_speaker


@dataclass
class BlockState:
    """Everything a block rule reads and writes."""

    source: Source
    profile: Profile
    reporter: Reporter
    chunks: list[Chunk]
    pos: int = 0
    blocks: list[Block] = field(default_factory=list)
    # Facts for the header, by name: "title", "date", "citation", fields of the front matter…
    facts: dict[str, Any] = field(default_factory=dict)
    # Page boundaries that fall before a chunk (index → boundary kind "page" or "inferred").
    # Forme work at a boundary (a page number, a stamp, a running head) is a chunk of its own.
    breaks_before: dict[int, str] = field(default_factory=dict)
    body_started: bool = False
    last_content: int = -1  # index of the last chunk before any trailing source notes
    footnotes_seen: set[str] = field(default_factory=set)
    # Names the project's metadata gives for the participants (NAME.meta.toml).
    participants: tuple[str, ...] = ()

    @property
    def chunk(self) -> Chunk:
        return self.chunks[self.pos]

    def opt(self, key: str) -> Any:
        return self.profile.get("blocks", key)

    @cached_property
    def document_start(self) -> re.Pattern[str] | None:
        pattern = self.opt("document_start_pattern")
        return re.compile(pattern) if pattern else None

    @cached_property
    def source_openings(self) -> tuple[str, ...]:
        """How a source line opens: "[" and one of the profile's prefixes."""
        return tuple("[" + p for p in self.profile.get("brackets", "source_prefixes"))

    @cached_property
    def opener_patterns(self) -> dict[str, re.Pattern[str]]:
        """The profile's opener patterns by the field each classifies, compiled once per document."""
        return {k: re.compile(p) for k, p in self.opt("opener_patterns").items()}

    @cached_property
    def page_marker(self) -> re.Pattern[str] | None:
        pattern = self.opt("page_marker_pattern")
        return re.compile(pattern) if pattern else None

    @cached_property
    def source_prefixes(self) -> tuple[str, ...]:
        return tuple(self.profile.get("brackets", "source_prefixes"))

    @cached_property
    def markdown(self) -> bool:
        return bool(self.profile.get("markdown", "enabled"))

    @cached_property
    def footnote_refs(self) -> frozenset[str]:
        """Numbers of the footnotes the text refers to with Markdown links ([1](#f1))."""
        return frozenset(re.findall(r"\]\(#f(\d+)\)", self.source.text)) if self.markdown else frozenset()

    @cached_property
    def bracketed_footnote_refs(self) -> frozenset[str]:
        """Numbers the text refers to with bracketed markers ("…in 1931.[1]"), not at a line start."""
        return frozenset(re.findall(r"(?<=\S)\s?\[([1-9]\d{0,2})\]", self.source.text))

    @cached_property
    def turns_enabled(self) -> bool:
        return bool(self.profile.get("turns", "enabled"))

    @cached_property
    def reporting_verbs(self) -> frozenset[str]:
        return frozenset(self.profile.get("turns", "reporting_verbs"))

    @cached_property
    def labels(self) -> LabelEvidence | None:
        """The speaker labels the whole document shows, when the profile names label forms."""
        forms = self.profile.get("turns", "label_forms")
        if not forms or not self.turns_enabled:
            return None
        return gather_labels(self.chunks, self.participants, self.profile, frozenset(forms))

    def opens_turn(self, line: str) -> bool:
        """True when a line opens with a speaker's label (or a person reported as speaking)."""
        if not self.turns_enabled:
            return False
        if self.labels is not None:
            return self.labels.match(line, self.reporting_verbs) is not None
        return match_speaker(line, self.reporting_verbs) is not None

    @cached_property
    def heading_res(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.opt("heading_patterns")]

    @cached_property
    def narration_res(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.opt("narration_patterns")]

    def add(self, kind: str, span: Span | None = None, **attrs: Any) -> Block:
        block = Block(kind, span if span is not None else Span(""), dict(attrs))
        self.blocks.append(block)
        return block

    def warn(self, code: str, message: str, offset: int) -> None:
        line, col = self.source.position(offset)
        self.reporter.emit(code, message, line, col)
