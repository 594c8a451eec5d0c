"""A static web edition: one HTML page per TEI edition, an index with facets, a register, search."""

from .build import SiteReport, build_site

__all__ = ["SiteReport", "build_site"]
