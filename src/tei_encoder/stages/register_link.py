"""Stage: the edition's persons, places and organisations pointed at the project's register, if it exists yet."""

from __future__ import annotations

from pathlib import Path

from ..document import Document


def stage(doc: Document) -> None:
    if not doc.config.register:
        return
    from ..corpus.link import link_edition, project_register  # only projects with a register need it

    path = Path(doc.config.register)
    if path.is_file():
        link_edition(doc.root, project_register(path), doc.config.register_href or path.name)
