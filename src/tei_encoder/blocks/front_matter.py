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
    # Labels stand alone on a line. A field runs up to the next label; the last label's
    # field is one chunk (and a <URL> after it), since the document follows it.
    starts = [k for k in range(i, len(chunks)) if len(chunks[k].lines) == 1 and chunks[k].lines[0].strip() in labels]
    if not starts or starts[0] != i:
        return _give_up(state)
    # A label far down the text is a line of the document, not of the front matter.
    starts = [k for n, k in enumerate(starts) if all(starts[m + 1] - starts[m] <= 12 for m in range(n))]
    # A label seen again belongs to the document too: the front matter names each field once.
    kinds = [labels[chunks[k].lines[0].strip()] for k in starts]
    starts = [k for n, k in enumerate(starts) if kinds[n] not in kinds[:n] and len(set(kinds[: n + 1])) == n + 1]
    fields: dict[str, list] = {}
    for n, k in enumerate(starts):
        kind = labels[chunks[k].lines[0].strip()]
        order.append(kind)
        if n + 1 < len(starts):
            end = starts[n + 1]
        else:
            end = min(k + 2, len(chunks))
            while end < len(chunks) and _is_url(chunks[end]):
                end += 1
        fields.setdefault(kind, []).extend(chunk_span(c) for c in chunks[k + 1 : end])
        i = end
    if not fields:
        return _give_up(state)
    state.facts["fields"] = fields
    state.facts["front_matter_order"] = order
    state.pos = i
    return True


def _is_url(chunk) -> bool:
    text = " ".join(chunk.lines).strip()
    return text.startswith("<") and text.endswith(">") and " " not in text


def _give_up(state: BlockState) -> bool:
    state.facts.pop("publication_date", None)
    state.facts.pop("title", None)
    return False
