"""YAML front matter ("---" … "---") of a Markdown edition: kept verbatim, its facts read."""

from __future__ import annotations

import yaml

from ..model import Chunk
from .state import BlockState

# libyaml's loader where PyYAML was built with it (the same safe resolver, ten times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_front_matter(state: BlockState) -> bool:
    """Consume a leading YAML block; keep its text for xenoData and its values as facts."""
    if not state.profile.get("markdown", "yaml_front_matter") or not state.chunks:
        return False
    first = state.chunks[state.pos]
    if first.lines[0].strip() != "---":
        return False
    markdown = state.profile.get("markdown", "enabled")
    # The block may span chunks (blank lines inside it): find the closing fence.
    lines: list[str] = []
    for index in range(state.pos, len(state.chunks)):
        chunk = state.chunks[index]
        start = 1 if index == state.pos else 0
        for k in range(start, len(chunk.lines)):
            if chunk.lines[k].strip() == "---":
                raw = "\n".join(lines + chunk.lines[start:k])
                try:
                    data = yaml.load(raw, Loader=_LOADER) if raw.strip() else {}
                except yaml.YAMLError as exc:
                    if not markdown:
                        return False
                    mark = getattr(exc, "problem_mark", None)
                    where = chunk.offsets[0] if mark is None else first.offsets[0]
                    state.warn("TE110", f"front matter is not valid YAML; kept verbatim: {str(exc).splitlines()[0]}", where)
                    data = {}
                if not markdown and not (isinstance(data, dict) and data):
                    # Outside Markdown, "---" may be a rule of the text: only a mapping is front matter.
                    return False
                state.facts["yaml"] = (raw, data if isinstance(data, dict) else {})
                rest = chunk.lines[k + 1 :]
                if rest:  # text right after the fence, with no blank line between
                    state.chunks[index] = Chunk(rest, chunk.offsets[k + 1 :], 0, chunk.first_line + k + 1)
                    state.pos = index
                else:
                    state.pos = index + 1
                return True
        lines += chunk.lines[start:] + [""] * (state.chunks[index + 1].blank_before if index + 1 < len(state.chunks) else 0)
    return False
