"""An inference written as a commented profile an editor can read, edit and load."""

from __future__ import annotations

import textwrap
from typing import Any

import tomlkit
from tomlkit.items import Table

from .evidence import Setting


def _value(value: Any) -> Any:
    """Patterns as literal strings where TOML allows, so a backslash reads as in Python."""
    if isinstance(value, str):
        literal = "'" not in value and "\n" not in value and value.isprintable()
        return tomlkit.string(value, literal=literal)
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(_value(v) for v in value)
        if sum(len(str(v)) for v in value) > 70:
            array.multiline(True)
        return array
    return value


def _comment(text: str) -> list[Any]:
    return [tomlkit.comment(line) for line in textwrap.wrap(text, 92)]


def render(top: dict[str, Any], settings: list[Setting], header: list[str], observations: list[str]) -> str:
    """TOML text: the top-level keys, then one table per table named, each key under its evidence."""
    doc = tomlkit.document()
    for line in header:
        for item in _comment(line):
            doc.add(item)
    doc.add(tomlkit.nl())
    for key, value in top.items():
        doc.add(key, _value(value))
    tables: dict[str, Table] = {}
    for setting in settings:
        if setting.table == "":
            for item in _comment(setting.why):
                doc.add(item)
            doc[setting.key] = _value(setting.value)
            continue
        if setting.table not in tables:
            tables[setting.table] = tomlkit.table()
        table = tables[setting.table]
        for item in _comment(setting.why):
            table.add(item)
        table.add(setting.key, _value(setting.value))
    for name, table in tables.items():
        doc.add(tomlkit.nl())
        doc.add(name, table)
    if observations:
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment("Also seen in the sample (no setting follows from it; edit the keys above if it should):"))
        for text in observations:
            for n, line in enumerate(textwrap.wrap(text, 90)):
                doc.add(tomlkit.comment(("- " if n == 0 else "  ") + line))
    return tomlkit.dumps(doc)
