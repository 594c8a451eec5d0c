"""One finding of the rules, and the severity its role gives it."""

from __future__ import annotations

from dataclasses import dataclass

from ...diagnostics import Severity

# How an assertion without a role of its own is governed: "own" (ISO Schematron and the
# reference engine, SchXslt: a rule's or pattern's role describes the rule or pattern, not its
# assertions) or "inherit" (the assertion takes its rule's role, else its pattern's).
ROLE_MODES = ("own", "inherit")

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
    # Where the governing role comes from: "assert"/"report" (its own), "rule", "pattern", or "" (none).
    role_from: str = ""
    # In "own" mode, the role of the rule or pattern that was not applied to this assertion.
    unapplied: str = ""
    unapplied_from: str = ""  # "rule" or "pattern"
    unapplied_role: str = ""

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.kind == "error" else role_severity(self.role)

    @property
    def governing(self) -> str:
        """The role that governs the finding and where it comes from, as a diagnostic says it."""
        if self.kind == "error":
            return ""
        if self.role_from in ("rule", "pattern"):
            return f"role {self.role!r} from its {self.role_from}"
        if self.unapplied:
            return f"no role of its own; its {self.unapplied} is not applied (ISO Schematron)"
        return ""

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        """The governing role for a report: the role, where it comes from, and any not applied."""
        if self.kind == "error":
            return ()
        found: tuple[tuple[str, str], ...] = (("role", self.role), ("role_from", self.role_from or "none"))
        if self.unapplied_role:
            found += (("role_not_applied", self.unapplied_role), ("role_not_applied_from", self.unapplied_from))
        return found

    def text(self) -> str:
        """The message, with the governing role when a rule or pattern has one."""
        extra = self.governing
        return f"{self.message} [{extra}]" if extra else self.message

    @property
    def code(self) -> str:
        return {Severity.ERROR: "TE530", Severity.WARNING: "TE531", Severity.INFO: "TE532"}[self.severity]
