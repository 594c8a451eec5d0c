"""Validation results as text, JSON or JUnit XML."""

from __future__ import annotations

import json

from lxml import etree

from .runner import Outcome


def as_text(outcomes: list[Outcome]) -> str:
    """One diagnostic a line, like a compiler: file:line:col: severity[CODE] message."""
    return "".join(d.format() + "\n" for o in outcomes for d in o.diagnostics)


def as_json(outcomes: list[Outcome]) -> str:
    """One JSON list, an object per document."""
    return json.dumps(
        [
            {
                "path": o.path,
                "valid": o.valid,
                "errors": [
                    {"line": d.line, "col": d.col, "code": d.code, "severity": str(d.level), "message": d.message,
                     **dict(d.details)}
                    for d in o.diagnostics
                ],
            }
            for o in outcomes
        ],
        ensure_ascii=False,
        indent=2,
    ) + "\n"


def as_junit(outcomes: list[Outcome], name: str = "tei-encoder validate") -> str:
    """A JUnit testsuite: a testcase per document, a failure listing its errors."""
    suite = etree.Element(
        "testsuite", name=name, tests=str(len(outcomes)),
        failures=str(sum(1 for o in outcomes if not o.valid and not o.unreadable)),
        errors=str(sum(1 for o in outcomes if o.unreadable)),
    )
    for outcome in outcomes:
        case = etree.SubElement(suite, "testcase", classname="validate", name=outcome.path)
        if outcome.valid:
            continue
        tag = "error" if outcome.unreadable else "failure"
        failure = etree.SubElement(case, tag, message=f"{len(outcome.errors)} errors", type="invalid")
        failure.text = "\n".join(d.format() for d in outcome.errors)
    return etree.tostring(suite, encoding="unicode", pretty_print=True)
