"""RELAX NG validation in Python, by the derivative algorithm.

    schema = load_schema(Path("tei_all.rng"))
    for d in schema.validate_file(Path("edition.xml")):
        print(d)

`load_schema` reads a schema in the XML syntax (with its includes and external references)
and simplifies it into a graph of patterns (schema.py, patterns.py); `RelaxNG.validate_*`
streams a document through expat and the derivatives (validator.py, derivative.py) and
returns every error found as a Diagnostic (codes TE500-TE529). The memo tables of the
derivatives live as long as the RelaxNG object, so validating many documents with one
schema gets faster as it goes. A loaded schema may be kept on disk (cache.py).

Decisions, and why:

- Derivatives rather than a compiled automaton: the algorithm handles every pattern
  (interleave, attributes, name classes with except, data/list/value) without special cases,
  and memoised on hash-consed patterns it visits each state of a schema once; the TEI
  schemas give few distinct states, so after the first documents a start tag, attribute or
  end tag costs a few dictionary look-ups.
- expat, not lxml, for documents: it streams (no tree), gives the line and column of every
  event, and lets the validator refuse a DOCTYPE before anything in it is processed.
- IDs as jing checks them: uniqueness of attributes the schema types as ID for that element
  and attribute name, resolution of IDREF/IDREFS; attributes matched by wildcards (as in
  egXML content) are not checked.
- XInclude as jing (Xerces) does it, so that verdicts agree: local files only, xml:base added
  to the included element, xi:fallback used when the file is missing.

Where the verdicts differ from jing's: nowhere on the conformance documents (all twelve
schemas). Messages differ: ours point at the start of a tag or at the attribute itself
(jing: the end of the start tag), and after an error we report what follows from it less
often (an element not allowed is checked against its own definition, not dropped).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ...diagnostics import Diagnostic, InputError
from .cache import cached_grammar
from .derivative import Deriver
from .patterns import split_name
from .schema import Grammar, RngSyntaxError, read_schema
from .validator import Validation

__all__ = ["RelaxNG", "SchemaError", "load_schema"]


class SchemaError(InputError):
    """The schema cannot be read or is not a valid RELAX NG schema (TE520)."""


class RelaxNG:
    """A loaded schema; validates any number of documents."""

    def __init__(self, grammar: Grammar, path: Path | None = None):
        self.grammar = grammar
        self.path = path
        self.deriver = Deriver(grammar.builder)
        namespaces = Counter(split_name(n)[0] for n in grammar.by_name)
        self.home_ns = namespaces.most_common(1)[0][0] if namespaces else ""

    def validate_bytes(self, data: bytes, name: str, *, path: Path | None = None, xinclude: bool = True) -> list[Diagnostic]:
        """Every error in the document `data`, reported under the file name `name`.

        XIncludes are resolved relative to `path` (or to `name` when no path is given)."""
        run = Validation(self.grammar, self.deriver, self.home_ns, xinclude=xinclude)
        where = path if path is not None else Path(name)
        return run.run(data, name, str(where))

    def validate_file(self, path: Path, *, xinclude: bool = True) -> list[Diagnostic]:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as e:
            return [Diagnostic("TE100", f"cannot read: {e.strerror}", str(path))]
        return self.validate_bytes(data, str(path), path=path, xinclude=xinclude)

    def is_valid(self, path: Path) -> bool:
        return not self.validate_file(path)


def load_schema(path: Path, cache_dir: Path | None = None) -> RelaxNG:
    """Read a RELAX NG schema (XML syntax); raises SchemaError with a TE520 diagnostic.

    With cache_dir, the simplified schema is kept there, keyed by the content of the schema
    file and every file it includes, and by this package's version."""
    path = Path(path)
    try:
        if cache_dir is not None:
            grammar = cached_grammar(path, Path(cache_dir))
        else:
            grammar = read_schema(path)
    except RngSyntaxError as e:
        raise SchemaError(Diagnostic("TE520", f"invalid RELAX NG schema: {e.message}", e.file, e.line)) from e
    return RelaxNG(grammar, path)
