"""Compiling a TEI ODD customisation into RELAX NG and ISO Schematron, in pure Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from .customise import select
from .errors import Locator, OddError
from .names import PARSER, SPEC_KINDS, T
from .p5source import P5Source, find_p5, load_p5
from .relaxng import build_grammar
from .schematron import build_schematron

__all__ = ["Compiled", "OddError", "compile_odd", "find_p5", "load_p5"]


@dataclass
class Compiled:
    """A compiled schema: its ident, RELAX NG and Schematron bytes, and any warnings."""

    ident: str
    rng: bytes
    sch: bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)


def compile_odd(odd: Path, p5: Path | P5Source) -> Compiled:
    """Compile the first schemaSpec of an ODD file against the TEI source."""
    odd = Path(odd)
    try:
        text = odd.read_bytes()
    except OSError as exc:
        raise OddError("TE601", f"cannot read ODD: {exc.strerror or exc}", str(odd)) from None
    try:
        tree = etree.ElementTree(etree.fromstring(text, PARSER, base_url=str(odd)))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        raise OddError("TE601", f"ODD is not well-formed XML: {exc.msg}", str(odd), line, col) from None
    loc = Locator(str(odd), text.decode("utf-8", "replace"))
    source = p5 if isinstance(p5, P5Source) else load_p5(Path(p5))
    schema_spec = next(tree.getroot().iter(T + "schemaSpec"), None)
    if schema_spec is None:
        raise OddError("TE609", "the ODD holds no schemaSpec", str(odd), 1, 1)
    selection = select(schema_spec, source, loc)
    order = {kind: {ident: n for n, ident in enumerate(source.specs[kind])} for kind in SPEC_KINDS}
    grammar = build_grammar(selection, order["elementSpec"])
    schematron = build_schematron(selection, order)
    return Compiled(
        ident=selection.ident,
        rng=etree.tostring(grammar, xml_declaration=True, encoding="UTF-8", pretty_print=True),
        sch=etree.tostring(schematron, xml_declaration=True, encoding="UTF-8", pretty_print=True),
        diagnostics=selection.warnings,
    )
