"""ISO Schematron validation: the rules compiled to XSLT 3.0 and run by Saxon (saxonche).

`compile_schematron` turns an ISO Schematron schema (query bindings xslt, xslt2, xslt3) into
an XSLT 3.0 stylesheet of this package's own design:

- every active pattern becomes one mode, and each rule of the pattern a template rule of that
  mode whose priority falls with the rule's place, so that within a pattern a node is the
  context of the first matching rule only, as ISO Schematron requires;
- a pattern's templates are applied to the nodes its rule contexts can match, selected from
  the document node: the contexts themselves where they are wildcards (an XSLT pattern P
  matches the nodes of root//(P)), the names their last steps test otherwise, every node when
  the contexts tell nothing; unmatched nodes are skipped;
- schema-, phase- and pattern-level `let`s become global variables (a pattern-level `let`
  whose name another pattern also binds is evaluated inside each rule of its pattern, with the
  document node as context); rule-level `let`s become local variables, in order;
- abstract patterns are instantiated by substituting their `$param` names, abstract rules are
  copied into the rules that `extend` them, and `include` elements are resolved from local
  files only; quick fixes (sqf) are left out; xsl:key and xsl:function are kept;
- every failed `assert` and successful `report` writes one `f` element to a small XML report:
  its role, its message (text, `name` and `value-of` evaluated on the rule's context, so
  `current()` keeps its meaning) and the path of the node it is about, as
  `/Q{ns}TEI[1]/Q{ns}text[1]/@Q{}who`. A dynamic error in a test is reported as a finding
  instead of stopping the run.

`Schematron` compiles a schema once per process and schema content. A document without a
DOCTYPE goes to Saxon as it is; any other is parsed by lxml first (no DTD, no external
entity, no network) and handed over without its DOCTYPE; Saxon may not open any URI (no
doc(), no unparsed-text()). Every finding's path is mapped back to the line and column of the
node's start tag (or of the attribute, or of the text) in the source.

The modules, in the order a check goes through them:

- names.py: the namespaces and query bindings;
- schema.py: reading the schema (includes, abstract patterns and rules, phases) and SchematronError;
- selection.py: the nodes a pattern's rules are tried on;
- xslt.py: writing the stylesheet (compile_schematron);
- document.py: reading the document to check safely;
- findings.py: Finding, and the severity a role gives;
- locate.py: from a finding's path to a line and column;
- engine.py: Saxon, and the Schematron class.
"""

from .document import SAFE_PARSER, parse_document
from .engine import Schematron
from .findings import INFO_ROLES, WARNING_ROLES, Finding, role_severity
from .names import OWN, QUERY_BINDINGS, SCH, SCH15, SQF, XS, XSL
from .schema import SchematronError
from .selection import _candidates as _candidates  # checked directly by the compiler's tests
from .selection import _selection as _selection
from .xslt import Compiled, compile_schematron, compile_schematron_full

__all__ = [
    "INFO_ROLES",
    "OWN",
    "QUERY_BINDINGS",
    "SAFE_PARSER",
    "SCH",
    "SCH15",
    "SQF",
    "WARNING_ROLES",
    "XS",
    "XSL",
    "Compiled",
    "Finding",
    "Schematron",
    "SchematronError",
    "compile_schematron",
    "compile_schematron_full",
    "parse_document",
    "role_severity",
]
