"""The document the stages share: the source, its profile, its blocks and what later stages find about them, its header facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .blocks.state import BlockState
from .config import ProjectConfig
from .diagnostics import Reporter
from .inlines import InlineContext
from .metadata import Metadata
from .model import Block, BlockFacts, Inline
from .profiles import Profile
from .source import Source
from .tei.header import HeaderFacts
from .tei.inline import InlineWriter
from .transforms.language import Detection
from .transforms.persons import Register
from .transforms.register import Mentions
from .transforms.translation import Translation


@dataclass
class Document:
    """One transcript on its way to an edition; each stage reads what earlier ones set and adds its own.

    The first group is what the caller gives; the rest is set by the stage named beside it and
    is not there before that stage has run.
    """

    source: Source
    reporter: Reporter
    config: ProjectConfig = field(default_factory=ProjectConfig)
    metadata: Metadata | None = None  # NAME.meta.toml and the catalogue row
    profile_name: str | None = None  # --profile
    repair_ocr: bool | None = None  # --repair-ocr / --no-repair-ocr; None: the profile's

    profile: Profile = field(init=False)  # stages.profile
    profile_reason: str = field(init=False)
    text: str = field(init=False)  # stages.unwrap: the text with any wrapper masked
    wrapper: tuple[str, str] = field(init=False)  # what the masking blanked before and after
    state: BlockState = field(init=False)  # stages.blocks: blocks and the facts block rules saw
    register: Register = field(init=False)  # stages.persons
    mentions: Mentions = field(init=False)  # stages.persons: who the lists of persons name where
    language: Detection = field(init=False)  # stages.language
    # Facts the catalogue gives where the text states none (named in one policy sentence).
    from_catalogue: list[str] = field(default_factory=list)
    date: tuple[str, str] | None = field(init=False)  # stages.dates: (ISO value, as printed)
    date_cert: str = field(init=False)
    translation: Translation | None = field(init=False)  # stages.translation
    resp: str = field(init=False)  # who made the bracketed insertions (an id, without "#")
    ctx: InlineContext = field(init=False)  # stages.inline_context
    # stages.meaning: the inline content it gives blocks (lists of those present, source
    # notes), which the body stage writes as it is.
    content: BlockFacts[list[Inline]] = field(init=False)
    documents: list[list[Block]] = field(init=False)  # stages.body: the blocks of each document
    root: etree._Element = field(init=False)  # TEI, or teiCorpus for several documents
    # One per document: writes inline content and numbers its page breaks, body and header alike.
    writers: list[InlineWriter] = field(init=False)
    turns: int = field(init=False)  # how many turns (sp) the bodies hold
    header: HeaderFacts = field(init=False)  # stages.header_facts

    @property
    def blocks(self) -> list[Block]:
        """The generic blocks the block rules found, in the order of the text."""
        return self.state.blocks

    @property
    def world_dates(self) -> bool:
        """Whether the profile reads dates in several languages and numeric forms."""
        return bool(self.profile.get("dates", "multilingual"))
