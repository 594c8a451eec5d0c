"""Front matter of an archive export: a date line, a marked title, then "Label:" fields."""

from __future__ import annotations

from ..inlines.dates import parse_date
from ..model import chunk_span
from .state import BlockState


def front_matter(state: BlockState) -> bool:
    """Consume the labelled fields before the document and keep them as header facts."""
    fm = state.profile.data["front_matter"]
    if not fm["enabled"]:
        return False
    labels = {f"{f['label']}:": f["kind"] for f in fm["fields"]}
    order: list[str] = []
    chunks = state.chunks
    i = state.pos
    marker = fm["title_marker"]
    # Before the first label: an optional line holding only a date, then the title.
    while i < len(chunks) and chunks[i].lines[0].strip() not in labels:
        chunk = chunks[i]
        span = chunk_span(chunk)
        text = span.text
        if "publication_date" not in state.facts and len(chunk.lines) == 1 and parse_date(text):
            state.facts["publication_date"] = span
            order.append("publication-date")
        elif "title" not in state.facts and marker and text.startswith(marker) and text.endswith(marker) and len(text) > 2 * len(marker):
            state.facts["title"] = span.slice(len(marker), len(text) - len(marker))
            state.facts["title_marker"] = marker
            order.append("title")
        else:
            return _give_up(state)
        i += 1
    fields: dict[str, list] = {}
    last_kind = ""
    while i < len(chunks):
        first = chunks[i].lines[0].strip()
        if first in labels and len(chunks[i].lines) == 1:
            last_kind = labels[first]
            fields[last_kind] = []
            order.append(last_kind)
            i += 1
            continue
        if not last_kind:
            break
        # The last field's value is a single chunk: what follows it is the document.
        if fields[last_kind] and last_kind == fm["fields"][-1]["kind"]:
            break
        fields[last_kind].append(chunk_span(chunks[i]))
        i += 1
    if not fields:
        return _give_up(state)
    state.facts["fields"] = fields
    state.facts["front_matter_order"] = order
    state.pos = i
    return True


def _give_up(state: BlockState) -> bool:
    state.facts.pop("publication_date", None)
    state.facts.pop("title", None)
    return False
