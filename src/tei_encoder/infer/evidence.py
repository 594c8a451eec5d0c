"""What inference found: proposed profile settings, each with the evidence it rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sample:
    """One transcript of the sample, as text."""

    name: str
    text: str


@dataclass(frozen=True)
class Setting:
    """A profile key the evidence decides, with why, in words an editor can check."""

    table: str  # "" for the top level
    key: str
    value: Any
    why: str
    examples: tuple[str, ...] = ()


@dataclass
class Findings:
    """Settings and observations of one survey (or of all of them)."""

    settings: list[Setting] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)  # facts worth reading that set no key

    def set(self, table: str, key: str, value: Any, why: str, examples: list[str] | tuple[str, ...] = ()) -> None:
        self.settings.append(Setting(table, key, value, why, tuple(examples)))

    def note(self, text: str) -> None:
        self.observations.append(text)

    def extend(self, other: Findings) -> None:
        self.settings.extend(other.settings)
        self.observations.extend(other.observations)

    def value(self, table: str, key: str, default: Any = None) -> Any:
        """The last value set for a key, or the default."""
        found = [s.value for s in self.settings if (s.table, s.key) == (table, key)]
        return found[-1] if found else default


def shown(examples: list[str], most: int = 3, width: int = 40) -> str:
    """A few examples, quoted and shortened, for a comment line."""
    cut = [e if len(e) <= width else e[: width - 1] + "…" for e in examples[:most]]
    return ", ".join(f'"{e}"' for e in cut)
