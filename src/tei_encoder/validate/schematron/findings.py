"""One finding of the rules, and the severity its role gives it."""

from __future__ import annotations

from dataclasses import dataclass

from ...diagnostics import Severity

# Roles that make a finding a warning or information rather than an error.
WARNING_ROLES = frozenset({"warning", "warn"})
INFO_ROLES = frozenset({"information", "info"})


def role_severity(role: str | None) -> Severity:
    """A finding's severity from its role: warning/warn, information/info, anything else an error."""
    r = (role or "").strip().lower()
    if r in WARNING_ROLES:
        return Severity.WARNING
    if r in INFO_ROLES:
        return Severity.INFO
    return Severity.ERROR


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed assert or successful report, before it becomes a diagnostic."""

    kind: str  # assert, report, or error (a test that could not be evaluated)
    role: str
    message: str
    pattern: str
    path: str
    line: int | None = None
    col: int | None = None

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.kind == "error" else role_severity(self.role)

    @property
    def code(self) -> str:
        return {Severity.ERROR: "TE530", Severity.WARNING: "TE531", Severity.INFO: "TE532"}[self.severity]
