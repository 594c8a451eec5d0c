"""Running jing on editions against a RELAX NG schema, with its messages as diagnostics."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..diagnostics import Diagnostic

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|fatal): (?P<msg>.*)$")


def run_jing(schema: Path, files: list[Path]) -> list[Diagnostic]:
    """Validate files with jing; every error it reports, as a diagnostic.

    jing stops at the first file that is not well-formed and checks none after it, so the
    files after such a one are run again until every file has been checked.
    """
    found: list[Diagnostic] = []
    remaining = [Path(f) for f in files]
    while remaining:
        done = subprocess.run(
            ["jing", str(schema), *map(str, remaining)], capture_output=True, text=True, check=False
        )
        fatal_in: str | None = None
        for line in done.stdout.splitlines():
            m = _LINE.match(line)
            if m:
                found.append(Diagnostic("TE902", m.group("msg"), m.group("file"), int(m.group("line")), int(m.group("col"))))
                if " fatal: " in line:
                    fatal_in = m.group("file")
        if done.returncode != 0 and not found:
            found.append(Diagnostic("TE902", f"jing failed: {done.stderr.strip().splitlines()[-1:]}", str(schema)))
        if fatal_in is None:
            break
        stopped = [i for i, f in enumerate(remaining) if _same(f, fatal_in)]
        if not stopped:
            break
        remaining = remaining[stopped[0] + 1:]
    return found


def _same(path: Path, reported: str) -> bool:
    """Whether jing's name for a file (made absolute, not normalised) is this path."""
    return os.path.normpath(os.path.abspath(path)) == os.path.normpath(os.path.abspath(reported))
