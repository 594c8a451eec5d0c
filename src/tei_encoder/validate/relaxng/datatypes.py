"""Datatypes for `data` and `value`: RELAX NG's built-in library and the XML Schema datatypes.

A Datatype is one type with its parameters (facets), shared by every pattern that names the
same type and parameters. `allows(text)` says whether a string is in its lexical space (after
the type's whitespace normalisation) and meets the facets; `equal(written, text)` compares two
strings in the value space, for `value` patterns. Dates, times, durations, URIs, names and
binary types are parsed by elementpath's XSD 1.0 types; `pattern` facets are XML Schema
regular expressions, translated to Python's by elementpath (implicit anchoring, \\i, \\c,
\\p{..} and character class subtraction included).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import elementpath.datatypes as ept
from elementpath.regex import RegexError, translate_pattern

XSD_LIBRARY = "http://www.w3.org/2001/XMLSchema-datatypes"
BUILTIN_LIBRARY = ""

_WS = re.compile(r"[ \t\n\r]+")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")
_FLOAT = re.compile(r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NaN)\Z")
_QNAME_PART = ept.NCName


class DatatypeError(ValueError):
    """A type or parameter the library does not know, or a bad parameter value."""


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip(" ")


def _replace(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


# ---------------------------------------------------------------- lexical parsers: text -> value, or raise ValueError


def _string(text: str) -> str:
    return text


def _checked(cls: Any) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not cls.is_valid(text):
            raise ValueError(text)
        return text

    return parse


def _parsed(cls: Any) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        return cls.fromstring(text)

    return parse


def _no_hour_24(cls: Any) -> Callable[[str], Any]:
    # jing (as XML Schema 1.0 before its second edition) has no 24:00:00
    def parse(text: str) -> Any:
        clock = text.partition("T")[2] if "T" in text else text
        if clock.startswith("24"):
            raise ValueError(text)
        return cls.fromstring(text)

    return parse


def _uri(text: str) -> str:
    # elementpath's anyURI check: a string a URI reference can be made of (escapes must be %XX).
    ept.AnyURI(text)
    return text


def _boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(text)


def _decimal(text: str) -> Decimal:
    if not _DECIMAL.match(text):
        raise ValueError(text)
    return Decimal(text)


def _integer(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not _INTEGER.match(text):
            raise ValueError(text)
        value = int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(text)
        return value

    return parse


def _float(text: str) -> float:
    if not _FLOAT.match(text):
        raise ValueError(text)
    return float(text.replace("INF", "inf"))


def _qname(text: str) -> str:
    prefix, _, local = text.rpartition(":")
    if (prefix and not _QNAME_PART.is_valid(prefix)) or not _QNAME_PART.is_valid(local):
        raise ValueError(text)
    return text


def _list_of(item: Callable[[str], Any]) -> Callable[[str], tuple[Any, ...]]:
    def parse(text: str) -> tuple[Any, ...]:
        items = text.split()
        if not items:
            raise ValueError(text)
        return tuple(item(i) for i in items)

    return parse


_NCNAME = _checked(ept.NCName)

# name: (whitespace, parser, facet family, readable description)
#   facet family: "string" (length in characters), "list" (length in items), "binary" (length in
#   octets), "ordered" (min/max bounds), "decimal" (bounds and digits), "none".
_TYPES: dict[str, tuple[str, Callable[[str], Any], str, str]] = {
    "string": ("preserve", _string, "string", "a string"),
    "normalizedString": ("replace", _string, "string", "a string"),
    "token": ("collapse", _string, "string", "a token"),
    "language": ("collapse", _checked(ept.Language), "string", "a language tag"),
    "Name": ("collapse", _checked(ept.Name), "string", "an XML name"),
    "NCName": ("collapse", _NCNAME, "string", "an XML name without a colon"),
    "NMTOKEN": ("collapse", _checked(ept.NMToken), "string", "a name token"),
    "NMTOKENS": ("collapse", _list_of(_checked(ept.NMToken)), "list", "name tokens"),
    "ID": ("collapse", _NCNAME, "string", "an identifier (an XML name without a colon)"),
    "IDREF": ("collapse", _NCNAME, "string", "a reference to an identifier"),
    "IDREFS": ("collapse", _list_of(_NCNAME), "list", "references to identifiers"),
    "ENTITY": ("collapse", _NCNAME, "string", "an entity name"),
    "ENTITIES": ("collapse", _list_of(_NCNAME), "list", "entity names"),
    "QName": ("collapse", _qname, "string", "a qualified name"),
    "NOTATION": ("collapse", _qname, "string", "a notation name"),
    "anyURI": ("collapse", _uri, "string", "a URI"),
    "boolean": ("collapse", _boolean, "none", "true, false, 1 or 0"),
    "decimal": ("collapse", _decimal, "decimal", "a decimal number"),
    "integer": ("collapse", _integer(), "decimal", "an integer"),
    "nonNegativeInteger": ("collapse", _integer(0), "decimal", "a whole number (0 or more)"),
    "positiveInteger": ("collapse", _integer(1), "decimal", "a whole number (1 or more)"),
    "nonPositiveInteger": ("collapse", _integer(None, 0), "decimal", "an integer of 0 or less"),
    "negativeInteger": ("collapse", _integer(None, -1), "decimal", "a negative integer"),
    "long": ("collapse", _integer(-(2**63), 2**63 - 1), "decimal", "an integer"),
    "int": ("collapse", _integer(-(2**31), 2**31 - 1), "decimal", "an integer"),
    "short": ("collapse", _integer(-(2**15), 2**15 - 1), "decimal", "an integer"),
    "byte": ("collapse", _integer(-128, 127), "decimal", "an integer"),
    "unsignedLong": ("collapse", _integer(0, 2**64 - 1), "decimal", "a whole number"),
    "unsignedInt": ("collapse", _integer(0, 2**32 - 1), "decimal", "a whole number"),
    "unsignedShort": ("collapse", _integer(0, 2**16 - 1), "decimal", "a whole number"),
    "unsignedByte": ("collapse", _integer(0, 255), "decimal", "a whole number"),
    "float": ("collapse", _float, "ordered", "a number"),
    "double": ("collapse", _float, "ordered", "a number"),
    "date": ("collapse", _parsed(ept.Date10), "ordered", "a date (YYYY-MM-DD)"),
    "dateTime": ("collapse", _no_hour_24(ept.DateTime10), "ordered", "a date and time (YYYY-MM-DDThh:mm:ss)"),
    "time": ("collapse", _no_hour_24(ept.Time), "ordered", "a time (hh:mm:ss)"),
    "gYear": ("collapse", _parsed(ept.GregorianYear10), "ordered", "a year (YYYY)"),
    "gYearMonth": ("collapse", _parsed(ept.GregorianYearMonth10), "ordered", "a year and month (YYYY-MM)"),
    "gMonth": ("collapse", _parsed(ept.GregorianMonth), "ordered", "a month (--MM)"),
    "gMonthDay": ("collapse", _parsed(ept.GregorianMonthDay), "ordered", "a month and day (--MM-DD)"),
    "gDay": ("collapse", _parsed(ept.GregorianDay), "ordered", "a day (---DD)"),
    "duration": ("collapse", _parsed(ept.Duration), "ordered", "a duration (such as PT2S)"),
    "base64Binary": ("collapse", _parsed(ept.Base64Binary), "binary", "base64 data"),
    "hexBinary": ("collapse", _parsed(ept.HexBinary), "binary", "hexadecimal data"),
}

_FACETS = {
    "string": {"length", "minLength", "maxLength", "pattern"},
    "list": {"length", "minLength", "maxLength", "pattern"},
    "binary": {"length", "minLength", "maxLength", "pattern"},
    "ordered": {"pattern", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive"},
    "decimal": {"pattern", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "totalDigits", "fractionDigits"},
    "none": {"pattern"},
}


class Datatype:
    """One datatype with its parameters; shared by every pattern naming the same."""

    __slots__ = ("key", "library", "name", "params", "ws", "parser", "family", "idtype", "patterns",
                 "checks", "about", "_allowed", "_values")

    def __init__(
        self, library: str, name: str, params: tuple[tuple[str, str], ...] = (), translated: tuple[str, ...] | None = None
    ):
        self.key = (library, name, params)
        self.library = library
        self.name = name
        self.params = params
        self.idtype = name if library == XSD_LIBRARY and name in ("ID", "IDREF", "IDREFS") else None
        self._allowed: dict[str, bool] = {}
        self._values: dict[str, Any] = {}
        if library == BUILTIN_LIBRARY:
            if name not in ("string", "token") or params:
                raise DatatypeError(f'the built-in datatype library has no type "{name}" with parameters' if params
                                    else f'the built-in datatype library has no type "{name}"')
            self.ws = "preserve" if name == "string" else "collapse"
            self.parser: Callable[[str], Any] = _string
            self.family, self.about = "none", "a string" if name == "string" else "a token"
            self.patterns: tuple[re.Pattern[str], ...] = ()
            self.checks: tuple[Callable[[str, Any], bool], ...] = ()
            return
        if library != XSD_LIBRARY:
            raise DatatypeError(f'unknown datatype library "{library}"')
        if name not in _TYPES:
            raise DatatypeError(f'unknown XML Schema datatype "{name}"')
        self.ws, self.parser, self.family, self.about = _TYPES[name]
        patterns: list[re.Pattern[str]] = []
        checks: list[Callable[[str, Any], bool]] = []
        ready = iter(translated or ())
        for param, value in params:
            if param not in _FACETS[self.family]:
                raise DatatypeError(f'datatype "{name}" takes no parameter "{param}"')
            if param == "pattern":
                python = next(ready, None) if translated is not None else None
                try:
                    patterns.append(re.compile(python if python is not None else _translate(value)))
                except (RegexError, re.error) as e:
                    raise DatatypeError(f'bad pattern "{value}": {e}') from e
            else:
                checks.append(self._facet(param, value))
        self.patterns = tuple(patterns)
        self.checks = tuple(checks)
        if params:
            shown = ", ".join(f"{p} {v}" for p, v in params)
            self.about = f"{self.about} ({shown})"

    def _facet(self, param: str, value: str) -> Callable[[str, Any], bool]:
        if param in ("length", "minLength", "maxLength", "totalDigits", "fractionDigits"):
            try:
                n = int(value)
            except ValueError as e:
                raise DatatypeError(f'parameter "{param}" must be a whole number, not "{value}"') from e
            if param == "totalDigits":
                return lambda text, v: _digits(v)[0] <= n
            if param == "fractionDigits":
                return lambda text, v: _digits(v)[1] <= n

            def size(text: str, v: Any) -> int:
                if self.family == "list":
                    return len(v)
                if self.family == "binary":
                    return len(bytes(v.value)) if hasattr(v, "value") else len(text)
                return len(text)

            if param == "length":
                return lambda text, v: size(text, v) == n
            if param == "minLength":
                return lambda text, v: size(text, v) >= n
            return lambda text, v: size(text, v) <= n
        try:
            bound = self.parser(self.normalize(value))
        except (ValueError, TypeError, ArithmeticError) as e:
            raise DatatypeError(f'parameter "{param}" of "{self.name}": "{value}" is not {self.about}') from e
        compare = {
            "minInclusive": lambda v: v >= bound,
            "maxInclusive": lambda v: v <= bound,
            "minExclusive": lambda v: v > bound,
            "maxExclusive": lambda v: v < bound,
        }[param]

        def check(text: str, v: Any) -> bool:
            try:
                return bool(compare(v))
            except TypeError:  # incomparable (dates with and without a time zone)
                return False

        return check

    def normalize(self, text: str) -> str:
        if self.ws == "collapse":
            return collapse(text) if _needs_collapse(text) else text
        if self.ws == "replace":
            return _replace(text)
        return text

    def parse(self, text: str) -> Any:
        """The value of text, or raise ValueError when the type or a facet does not allow it."""
        norm = self.normalize(text)
        for rx in self.patterns:
            if rx.match(norm) is None:
                raise ValueError(f'"{norm}" does not match the pattern')
        try:
            value = self.parser(norm)
        except (ValueError, TypeError, ArithmeticError, InvalidOperation) as e:
            raise ValueError(str(e)) from e
        for check in self.checks:
            if not check(norm, value):
                raise ValueError(f'"{norm}" is outside the allowed range')
        return value

    def allows(self, text: str) -> bool:
        got = self._allowed.get(text)
        if got is None:
            try:
                self.parse(text)
                got = True
            except ValueError:
                got = False
            if len(self._allowed) > 50_000:
                self._allowed.clear()
            self._allowed[text] = got
        return got

    def equal(self, written: str, text: str) -> bool:
        """Whether text has the same value as `written` (a `value` pattern's content)."""
        if self.family in ("string", "none") and self.name not in ("boolean",) and not self.patterns:
            return self.normalize(written) == self.normalize(text)
        if written not in self._values:
            try:
                self._values[written] = self.parser(self.normalize(written))
            except (ValueError, TypeError, ArithmeticError, InvalidOperation):
                self._values[written] = _NO_VALUE
        want = self._values[written]
        if want is _NO_VALUE:
            return False
        try:
            got = self.parse(text)
        except ValueError:
            return False
        try:
            return bool(want == got)
        except TypeError:
            return False

    def __repr__(self) -> str:
        return f"Datatype({self.name!r}, {self.params!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The translated regular expressions go along: translating XSD ones is the slow part.
        return (Datatype, (self.library, self.name, self.params, tuple(rx.pattern for rx in self.patterns)))


_NO_VALUE = object()
_TRANSLATED: dict[str, str] = {}


def _translate(xsd: str) -> str:
    """An XML Schema regular expression as an anchored Python one (elementpath's translation)."""
    got = _TRANSLATED.get(xsd)
    if got is None:
        got = _TRANSLATED[xsd] = translate_pattern(xsd, anchors=False)
    return got


def _needs_collapse(text: str) -> bool:
    return text[:1] in " \t\n\r" or text[-1:] in " \t\n\r" or "  " in text or "\t" in text or "\n" in text or "\r" in text


def _digits(value: Any) -> tuple[int, int]:
    """(total digits, fraction digits) of a decimal or integer value."""
    d = Decimal(value).normalize() if not isinstance(value, Decimal) else value.normalize()
    sign, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int)
    fraction = max(0, -exponent)
    total = max(len(digits), fraction) if exponent < 0 else len(digits) + exponent
    if d == 0:
        return 1, 0
    return total, fraction


class Library:
    """Interns datatypes by (library, name, params)."""

    def __init__(self) -> None:
        self.types: dict[tuple[str, str, tuple[tuple[str, str], ...]], Datatype] = {}

    def get(self, library: str, name: str, params: tuple[tuple[str, str], ...] = ()) -> Datatype:
        key = (library, name, params)
        dt = self.types.get(key)
        if dt is None:
            dt = self.types[key] = Datatype(library, name, params)
        return dt
