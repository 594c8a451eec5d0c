"""Publishing editions to TEI Publisher: the rendering ODD, its lint, the API client and the publication run."""

from .client import Publisher, PublisherError, odd_errors
from .lint import default_odd, lint_odd
from .pi import odd_named, with_odd
from .run import DocumentResult, PublishReport, publish

__all__ = [
    "DocumentResult",
    "PublishReport",
    "Publisher",
    "PublisherError",
    "default_odd",
    "lint_odd",
    "odd_errors",
    "odd_named",
    "publish",
    "with_odd",
]
