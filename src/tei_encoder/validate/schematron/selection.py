"""The nodes a pattern's rules are tried on, read from the XSLT patterns of their contexts."""

from __future__ import annotations

import re


def _split_top(text: str, sep: str) -> list[str]:
    """Split an XPath expression at `sep` where it is outside brackets, braces and string literals."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _strip_predicates(step: str) -> str:
    """A step without its predicates (the bracketed parts at the top level)."""
    out = []
    depth = 0
    quote = ""
    for ch in step:
        if quote:
            if ch == quote:
                quote = ""
            if depth == 0:
                out.append(ch)
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
            continue
        elif ch == "]":
            depth -= 1
            continue
        if depth == 0:
            out.append(ch)
    return "".join(out).strip()


_NCNAME = r"[^\W\d][\w.\-]*"
_NAME_TEST = re.compile(
    rf"^(?:(?P<attr>@|attribute::)|(?:child::|descendant::|self::))?"
    rf"(?P<name>\*|{_NCNAME}:\*|\*:{_NCNAME}|{_NCNAME}(?::{_NCNAME})?|Q\{{[^{{}}]*\}}{_NCNAME})$"
)
_KIND_TEST = re.compile(r"^(?:child::|self::)?(?P<kind>text|comment|processing-instruction)\(\s*\)$")


def _candidates(contexts: list[str]) -> str | None:
    """An expression selecting every node that some of these XSLT patterns could match, or None.

    Each alternative of each pattern is judged by its last step: a name test (element or
    attribute) or a text, comment or processing-instruction test gives the nodes to visit;
    anything else (node(), a function call, a parenthesised union, a variable) gives None,
    and the pattern's mode then walks the whole document.
    """
    steps: set[str] = set()
    root = False
    for context in contexts:
        for alternative in _split_top(context, "|"):
            alternative = alternative.strip()
            if alternative == "/":
                root = True
                continue
            last = _strip_predicates(_split_top(alternative, "/")[-1])
            m = _NAME_TEST.match(last)
            if m:
                steps.add(("@" if m.group("attr") else "") + m.group("name"))
                continue
            m = _KIND_TEST.match(last)
            if m:
                steps.add(m.group("kind") + "()")
                continue
            if last.startswith("(") and last.endswith(")") and len(_split_top(last, ",")) == 1:
                inner = _candidates([last[1:-1]])  # a parenthesised union: its alternatives' last steps
                if inner is not None and "/ " not in inner and not inner.endswith("/)") and inner != "/":
                    steps.update(part.strip().removeprefix("//") for part in inner.strip("()").split(" | "))
                    continue
            return None
    if "*" in steps:
        steps = {s for s in steps if s.startswith("@") or s.endswith("()")} | {"*"}
    if "@*" in steps:
        steps = {s for s in steps if not s.startswith("@")} | {"@*"}
    if not steps:
        return "/" if root else None
    parts = (["/"] if root else []) + ["//" + step for step in sorted(steps)]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


_EVERY_NODE = "(/ | //node() | //@*)"
_KIND_TESTS = {
    "text", "node", "comment", "processing-instruction", "element", "attribute",
    "document-node", "schema-element", "schema-attribute", "namespace-node",
}  # fmt: skip
_LEADING_CALL = re.compile(r"^(?:Q\{[^}]*\})?([^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?)\s*\(")


def _selection(contexts: list[str]) -> str | None:
    """An expression selecting exactly the nodes these XSLT patterns match, when there is a safe one.

    A relative pattern P matches the nodes of root//(P), which for a path is root//P; an absolute
    one (starting with /) the nodes it selects. Patterns that use current() (the matched node in a pattern, the root in an
    expression), or that start with a variable, a function call, a parenthesis or a dot, give None.
    """
    absolute: list[str] = []
    relative: list[str] = []
    for context in contexts:
        if "current(" in context.replace(" ", ""):
            return None
        for alternative in _split_top(context, "|"):
            alternative = alternative.strip()
            if alternative.startswith("/"):
                absolute.append(alternative)
                continue
            call = _LEADING_CALL.match(alternative)
            if not alternative or alternative[0] in "$(." or (call and call.group(1) not in _KIND_TESTS):
                return None
            relative.append(alternative)
    parts = [*absolute, *("//" + r for r in relative)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"
