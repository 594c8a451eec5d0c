"""CITATION.cff for the site: the collection, and one reference per edition."""

from __future__ import annotations

import yaml

from .facts import Facts


def _person(name: str) -> dict[str, str]:
    parts = name.split()
    if len(parts) >= 2:
        return {"given-names": " ".join(parts[:-1]), "family-names": parts[-1]}
    return {"name": name}


def citation_cff(title: str, publisher: str, editions: list[Facts]) -> str:
    """A Citation File Format 1.2.0 document, in a fixed key order (deterministic)."""
    references = []
    for facts in editions:
        reference: dict[str, object] = {
            "type": "generic",
            "title": facts.title,
            "authors": [{"name": facts.publisher or facts.archive or publisher}],
        }
        if facts.translators:
            reference["translators"] = [_person(n) for n in facts.translators]
        if facts.year:
            reference["year"] = int(facts.year)
        if facts.source_url:
            reference["url"] = facts.source_url
        if facts.citation:
            reference["notes"] = facts.citation
        references.append(reference)
    document = {
        "cff-version": "1.2.0",
        "message": "If you use these editions, please cite them as below.",
        "type": "dataset",
        "title": title,
        "authors": [{"name": publisher}],
        "references": references,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)
