"""Running jing on editions against a RELAX NG schema, with its messages as diagnostics."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ..diagnostics import Diagnostic

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|fatal): (?P<msg>.*)$")


def find_schema(start: Path) -> Path | None:
    """tei_all.rng: $TEI_ALL_RNG, or ../shared/tei/reference/ beside the project."""
    env = os.environ.get("TEI_ALL_RNG")
    if env:
        return Path(env) if Path(env).is_file() else None
    for folder in [start, *start.parents]:
        candidate = folder / "shared" / "tei" / "reference" / "tei_all.rng"
        if candidate.is_file():
            return candidate
    return None


def jing_available() -> bool:
    return shutil.which("jing") is not None


def run_jing(schema: Path, files: list[Path]) -> list[Diagnostic]:
    """Validate files with jing; every error it reports, as a diagnostic."""
    if not files:
        return []
    done = subprocess.run(
        ["jing", str(schema), *map(str, files)], capture_output=True, text=True, check=False
    )
    found: list[Diagnostic] = []
    for line in done.stdout.splitlines():
        m = _LINE.match(line)
        if m:
            found.append(Diagnostic("TE902", m.group("msg"), m.group("file"), int(m.group("line")), int(m.group("col"))))
    if done.returncode != 0 and not found:
        found.append(Diagnostic("TE902", f"jing failed: {done.stderr.strip().splitlines()[-1:]}", str(schema)))
    return found
