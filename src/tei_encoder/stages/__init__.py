"""The stages a document passes through, in order; each reads the Document and adds to it."""

from __future__ import annotations

from collections.abc import Callable

from ..document import Document
from . import (
    blocks,
    body,
    dates,
    header,
    header_facts,
    inline_context,
    language,
    meaning,
    persons,
    policies,
    profile,
    register_link,
    translation,
    unwrap,
)

Stage = Callable[[Document], None]

# The order matters: each stage reads only what the stages before it set (see Document).
STAGES: tuple[tuple[str, Stage], ...] = (
    ("profile", profile.stage),
    ("unwrap", unwrap.stage),
    ("blocks", blocks.stage),
    ("persons", persons.stage),
    ("language", language.stage),
    ("dates", dates.stage),
    ("translation", translation.stage),
    ("inline_context", inline_context.stage),
    ("meaning", meaning.stage),
    ("body", body.stage),
    ("header_facts", header_facts.stage),
    ("policies", policies.stage),
    ("header", header.stage),
    ("register_link", register_link.stage),
)


def run(doc: Document, stages: tuple[tuple[str, Stage], ...] = STAGES) -> Document:
    """Pass the document through the stages in order."""
    for _, stage in stages:
        stage(doc)
    return doc
