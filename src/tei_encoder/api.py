"""Library entry points: encode a file or bytes, write editions safely, read an edition back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .config import ProjectConfig

# Re-exported: the library's entry points, each defined in the module that owns it.
from .convert import Result as Result
from .encode import encode_bytes as encode_bytes
from .encode import encode_file as encode_file
from .io import SAFE_PARSER as SAFE_PARSER
from .io import parse_edition as parse_edition
from .io import read_edition as read_edition
from .io import write_atomically as write_atomically
from .roundtrip import RoundTrip as RoundTrip
from .roundtrip import check_round_trip as check_round_trip
from .roundtrip import collapse as collapse
from .roundtrip import edition_profile as edition_profile
from .tei.schema_link import schema_hrefs_for as schema_hrefs_for
from .transcripts import TRANSCRIPT_SUFFIXES as TRANSCRIPT_SUFFIXES
from .transcripts import iter_transcripts as iter_transcripts
from .transcripts import transcripts as transcripts

if TYPE_CHECKING:
    from .batch import BatchSummary


def encode_files(
    paths: list[Path], out: Path, profile: str | None = None, config: ProjectConfig | None = None, *,
    check: bool = True, repair_ocr: bool | None = None, fail_on: str = "error", jobs: int = 1, scheduler: str = "processes",
    say: Callable[[str], None] | None = None,
) -> BatchSummary:
    """Encode transcripts (files or folders) into OUT as `tei-encoder convert` does, byte for byte."""
    from .batch import Policy, run_batch

    config = config or ProjectConfig()
    policy = Policy(out=out, profile=profile, config=config, check=check, repair_ocr=repair_ocr, fail_on=fail_on,
                    hrefs=schema_hrefs_for(config, out))
    return run_batch(paths, policy, jobs=jobs, scheduler=scheduler, say=say or (lambda line: None))


