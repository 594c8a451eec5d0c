"""Compiling a TEI ODD customisation into RELAX NG and ISO Schematron, in pure Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from ..diagnostics import Diagnostic
from .chain import customise
from .errors import OddError, SpecError
from .names import SPEC_KINDS
from .p5source import P5Source, find_p5, load_p5
from .relaxng import build_grammar
from .schematron import build_schematron

__all__ = ["Compiled", "OddError", "compile_odd", "find_p5", "load_p5"]

AnyElementRequire = Literal["honour", "ignore"]


@dataclass
class Compiled:
    """A compiled schema: its ident, RELAX NG and Schematron bytes, and any warnings."""

    ident: str
    rng: bytes
    sch: bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)


def compile_odd(
    odd: Path,
    p5: Path | P5Source,
    *,
    odd_path: Sequence[Path] = (),
    any_element_require: AnyElementRequire = "honour",
) -> Compiled:
    """Compile the first schemaSpec of an ODD file against the TEI source.

    `odd_path`: folders where a schemaSpec/@source naming another ODD (or a TEI release's
    p5subset.xml) is looked for after the ODD's own folder. `any_element_require`: "honour"
    (the Guidelines: anyElement/@require limits the namespaces) or "ignore" (as the TEI
    Stylesheets do).
    """
    source = p5 if isinstance(p5, P5Source) else load_p5(Path(p5))
    selection, base = customise(Path(odd), source, [Path(p) for p in odd_path])
    order = {kind: {ident: n for n, ident in enumerate(base.specs[kind])} for kind in SPEC_KINDS}
    try:
        grammar = build_grammar(selection, order["elementSpec"], honour_require=any_element_require == "honour")
    except SpecError as exc:
        raise exc.located(str(odd)) from None
    schematron = build_schematron(selection, order)
    return Compiled(
        ident=selection.ident,
        rng=etree.tostring(grammar, xml_declaration=True, encoding="UTF-8", pretty_print=True),
        sch=etree.tostring(schematron, xml_declaration=True, encoding="UTF-8", pretty_print=True),
        diagnostics=[*base.warnings, *selection.warnings],
    )
