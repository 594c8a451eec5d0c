"""Stage: the document's date: stated in the text, else the catalogue's, else guessed (cert medium)."""

from __future__ import annotations

from ..document import Document
from ..transforms.document_date import ambiguous_numeric, document_date, guessed_date, guessed_world_date, stated_world_date


def stage(doc: Document) -> None:
    state, world_dates, metadata = doc.state, doc.world_dates, doc.metadata
    # Numeric dates ("6/4/2015") are read month first in English (the American records these
    # profiles meet), day first elsewhere; where both orders make a date, it is marked a guess.
    month_first = doc.language.code == "en"
    date = document_date(state) or (stated_world_date(state, month_first) if world_dates else None)
    cert = "medium" if date and world_dates and ambiguous_numeric(date[1]) else ""
    if metadata is not None and metadata.date:
        if date is None:
            date = (metadata.date, metadata.date)
            doc.from_catalogue.append(f"the date ({metadata.date})")
        elif date[0][:10] != metadata.date:
            doc.reporter.emit(
                "TE421", f"the text dates itself {date[0][:10]} ({date[1]}), {metadata.path} says {metadata.date}; the text's date is kept"
            )
    if date is None:
        date = guessed_world_date(state, month_first) if world_dates else guessed_date(state)
        cert = "medium" if date else ""
    doc.date, doc.date_cert = date, cert
