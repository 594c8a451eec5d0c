"""tei-encoder: plain-text transcripts of archival documents to faithful TEI P5 editions."""

__version__ = "0.1.0"
