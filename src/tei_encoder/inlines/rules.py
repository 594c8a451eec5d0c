"""The inline rules in the order they run over each stretch of text, each `rule(pieces, run) -> pieces`.

A rule rewrites the strings among the pieces and passes nodes through; the brackets are read
before (they can span what these rules see as separate stretches).
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Inline
from .dates import find_dates, find_world_dates
from .emphasis import emphasis
from .markers import markers
from .names import find_names
from .quotes import quotes
from .repair import repair
from .run import InlineRun

InlineRule = Callable[[list[Inline], InlineRun], list[Inline]]


def dates(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    """Dates as date with @when, in English or (with [dates] multilingual) other languages too."""
    out: list[Inline] = []
    year, warn = run.ctx.doc_year, run.warn_date
    for piece in pieces:
        if not isinstance(piece, str):
            out.append(piece)
        elif run.ctx.world_dates:
            # The other languages' forms first: "25th September 2011" is one date, not "September 2011".
            for part in find_world_dates(piece):
                out.extend(find_dates(part, year, lambda i, m, p=part: warn(p, i, m)) if isinstance(part, str) else [part])
        else:
            out.extend(find_dates(piece, year, lambda i, m, p=piece: warn(p, i, m)))
    return out


def names(pieces: list[Inline], run: InlineRun) -> list[Inline]:
    """The document's persons where the text names them, as persName pointing at the person."""
    out: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.extend(find_names(piece, run.ctx.names))
        else:
            out.append(piece)
    return out


# (name, whether it runs here, rule), in order: the page and line markers first, in every text;
# the rest only in text read for its meaning, not taken as printed. Emphasis and quotations wrap
# text whose dates and names are then found inside them; dates before names, so "July 9" is
# not read as a person.
INLINE_RULES: tuple[tuple[str, Callable[[InlineRun], bool], InlineRule], ...] = (
    ("markers", lambda run: True, markers),
    ("emphasis", lambda run: not run.printed and run.ctx.markdown, emphasis),
    ("quotes", lambda run: not run.printed, quotes),
    ("ocr_repair", lambda run: not run.printed and run.ctx.repair_ocr, repair),
    ("dates", lambda run: not run.printed and run.ctx.dates, dates),
    ("names", lambda run: not run.printed and run.names, names),
)
