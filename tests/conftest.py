"""Shared fixtures: where the project and ../shared are, and jing when it is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
EDITIONS = ROOT / "editions"
SHARED = ROOT.parent / "shared"
TEI_ALL = SHARED / "tei" / "reference" / "tei_all.rng"
GOOD = b"RECORD OF CONVERSATION\n\nThe talk began at noon.\n"  # a small transcript that encodes cleanly


@pytest.fixture(scope="session")
def jing() -> str:
    """The jing command, skipping the test where it is not installed."""
    found = shutil.which("jing")
    if found is None:
        pytest.skip("jing is not installed (Debian package jing)")
    return found


@pytest.fixture(scope="session")
def tei_all() -> Path:
    """The reference tei_all.rng, skipping the test where jing or the schema is absent."""
    if shutil.which("jing") is None:
        pytest.skip("jing is not installed (Debian package jing)")
    if not TEI_ALL.is_file():
        pytest.skip(f"reference schema not found at {TEI_ALL} (../shared is absent)")
    return TEI_ALL
