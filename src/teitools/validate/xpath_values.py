"""XPath 2's atomic values as :mod:`~teitools.validate.xpath_compile` uses them: ``bool``,
``int`` (xs:integer), ``Decimal`` (xs:decimal), ``float`` (xs:double), ``str`` (xs:string),
:class:`~.xpath_nodes.Untyped` (xs:untypedAtomic) and elementpath's ``Date`` (xs:date); their
casts, string forms, effective boolean value, comparisons and arithmetic, with XPath 2's
dynamic errors (:class:`~.xpath_nodes.XPathError`) where it raises them."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_DOWN, Decimal, DivisionByZero, InvalidOperation, localcontext
from functools import lru_cache
from typing import Any

from elementpath.datatypes import Date

from teitools.validate.xpath_nodes import (
    COMMENT,
    PI,
    Element,
    Untyped,
    XPathError,
    is_node,
    string_value,
)

NUMERIC = (int, Decimal, float)
_SPACE = "[ \t\r\n]"
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def collapse(text: str) -> str:
    """XML Schema's whitespace collapse (what a cast from a string does first)."""
    return re.sub(f"{_SPACE}+", " ", text).strip(" ")


def atomize(sequence: Sequence[Any]) -> list[Any]:
    """The typed values of ``sequence``: a node's is untyped (a comment's or a processing
    instruction's a string)."""
    found = []
    for item in sequence:
        if is_node(item):
            text = string_value(item)
            is_other = isinstance(item, Element) and isinstance(item, COMMENT | PI)
            found.append(text if is_other else Untyped(text))
        else:
            found.append(item)
    return found


def one(sequence: Sequence[Any], what: str) -> Any:
    """The one atomic value of ``sequence``, None if it is empty; two are an error."""
    values = atomize(sequence)
    if len(values) > 1:
        raise XPathError(f"{what}: more than one item")
    return values[0] if values else None


def is_numeric(value: Any) -> bool:
    return isinstance(value, NUMERIC) and not isinstance(value, bool)


def to_double(value: Any) -> float:
    """A cast to xs:double (a string not in its lexical space is an error)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, NUMERIC):
        return float(value)
    if isinstance(value, str):
        text = collapse(value)
        if not _DOUBLE.fullmatch(text):
            raise XPathError(f"cannot cast {text[:40]!r} to xs:double")
        return float(text.replace("INF", "inf").replace("NaN", "nan"))
    raise XPathError(f"cannot cast {type(value).__name__} to xs:double")


def number(value: Any) -> float:
    """``fn:number``: NaN where the cast fails."""
    try:
        return to_double(value)
    except XPathError:
        return math.nan


def to_integer(value: Any) -> int:
    """A cast to xs:integer."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise XPathError("cannot cast NaN or INF to xs:integer")
        return int(value)
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, str):
        text = collapse(value)
        if not _INTEGER.fullmatch(text):
            raise XPathError(f"cannot cast {text[:40]!r} to xs:integer")
        return int(text)
    raise XPathError(f"cannot cast {type(value).__name__} to xs:integer")


def to_decimal(value: Any) -> Decimal:
    """A cast to xs:decimal."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise XPathError("cannot cast NaN or INF to xs:decimal")
        return Decimal(repr(value))
    if isinstance(value, str):
        text = collapse(value)
        if not _DECIMAL.fullmatch(text):
            raise XPathError(f"cannot cast {text[:40]!r} to xs:decimal")
        return Decimal(text)
    raise XPathError(f"cannot cast {type(value).__name__} to xs:decimal")


def to_date(value: Any) -> Date:
    """A cast to xs:date (elementpath's, with XML Schema 1.1's year zero)."""
    if isinstance(value, Date):
        return value
    if not isinstance(value, str):
        raise XPathError(f"cannot cast {type(value).__name__} to xs:date")
    found = _date(str(value))
    if found is None:
        raise XPathError(f"cannot cast {value[:40]!r} to xs:date")
    return found


@lru_cache(maxsize=4096)
def _date(text: str) -> Date | None:
    try:
        return Date.fromstring(collapse(text))
    except (ValueError, TypeError, OverflowError):
        return None


def to_boolean(value: Any) -> bool:
    """A cast to xs:boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, NUMERIC):
        return not (value == 0 or (isinstance(value, float) and math.isnan(value)))
    if isinstance(value, str):
        text = collapse(value)
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
    raise XPathError("cannot cast to xs:boolean")


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _double_text(value: float) -> str:
    """xs:double as XPath 2 writes it: without an exponent from 1e-6 up to 1e6, else in
    scientific notation (``1.0E7``)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    exact = Decimal(repr(value))
    if 1e-6 <= abs(value) < 1e6:
        return _decimal_text(exact)
    sign, digits, exponent = exact.normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    power = exponent + len(text) - 1
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{power}"


def string(value: Any) -> str:
    """An atomic value (or a node) cast to xs:string."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _double_text(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if is_node(value):
        return string_value(value)
    return str(value)


def ebv(sequence: Sequence[Any]) -> bool:
    """The effective boolean value of a sequence."""
    if not sequence:
        return False
    first = sequence[0]
    if is_node(first):
        return True
    if len(sequence) > 1:
        raise XPathError("no effective boolean value for a sequence of atomic values")
    if isinstance(first, bool):
        return first
    if isinstance(first, str):
        return first != ""
    if isinstance(first, float):
        return not (first == 0 or math.isnan(first))
    if isinstance(first, int | Decimal):
        return first != 0
    raise XPathError(f"no effective boolean value for {type(first).__name__}")


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
GENERAL = {"=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, NUMERIC):
        return "numeric"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Date):
        return "date"
    return type(value).__name__


def compare_values(op: str, left: Any, right: Any) -> bool:
    """A value comparison of two atomic values (untyped ones already cast)."""
    kind = _kind(left)
    if kind != _kind(right):
        raise XPathError(f"cannot compare {_kind(left)} with {_kind(right)}")
    if kind == "numeric" and (isinstance(left, float) or isinstance(right, float)):
        left, right = float(left), float(right)
    elif kind == "date" and op not in ("eq", "ne"):
        pass
    elif kind == "boolean" and op not in ("eq", "ne"):
        left, right = int(left), int(right)
    try:
        return _COMPARE[op](left, right)
    except TypeError as error:
        raise XPathError(str(error)) from error


def value_compare(op: str, left: Sequence[Any], right: Sequence[Any]) -> list[Any]:
    """``eq`` ... ``ge``: one value each side (untyped as a string), or the empty sequence."""
    a, b = one(left, op), one(right, op)
    if a is None or b is None:
        return []
    a = str(a) if isinstance(a, Untyped) else a
    b = str(b) if isinstance(b, Untyped) else b
    return [compare_values(op, a, b)]


def _cast_for(untyped: Untyped, other: Any) -> Any:
    """An untyped value cast for a general comparison with ``other``."""
    if isinstance(other, Untyped | str):
        return str(untyped)
    if isinstance(other, bool):
        return to_boolean(untyped)
    if isinstance(other, NUMERIC):
        return to_double(untyped)
    if isinstance(other, Date):
        return to_date(untyped)
    raise XPathError(f"cannot compare untyped with {type(other).__name__}")


def general_compare(op: str, left: Sequence[Any], right: Sequence[Any]) -> bool:
    """``=`` ... ``>=``: whether some pair of values compares true, in order."""
    relation = GENERAL[op]
    rights = atomize(right)
    for a in atomize(left):
        for b in rights:
            x = _cast_for(a, b) if isinstance(a, Untyped) else a
            y = _cast_for(b, a) if isinstance(b, Untyped) else b
            if compare_values(relation, x, y):
                return True
    return False


def _numeric_operand(value: Any) -> Any:
    if isinstance(value, Untyped):
        return to_double(value)
    if not is_numeric(value):
        raise XPathError(f"arithmetic on {_kind(value)}")
    return value


def arithmetic(op: str, left: Sequence[Any], right: Sequence[Any]) -> list[Any]:
    """``+ - * div idiv mod`` on numbers (untyped as doubles); empty if a side is empty."""
    a, b = one(left, op), one(right, op)
    if a is None or b is None:
        return []
    a, b = _numeric_operand(a), _numeric_operand(b)
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
    elif isinstance(a, Decimal) or isinstance(b, Decimal) or op == "div":
        if op == "div" and not isinstance(a, Decimal) and not isinstance(b, Decimal):
            a, b = Decimal(a), Decimal(b)
        a, b = Decimal(a), Decimal(b)
    try:
        return [_arithmetic(op, a, b)]
    except (ZeroDivisionError, DivisionByZero, InvalidOperation, OverflowError) as error:
        raise XPathError(f"{op}: {error}") from error


def _decimal_divide(a: Decimal, b: Decimal) -> Decimal:
    """xs:decimal division as Saxon does it: 18 places, or the operands' own if more,
    rounded half down."""
    if b == 0:
        raise ZeroDivisionError("division by zero")
    places = max(18, *(-min(0, int(d.as_tuple().exponent)) for d in (a, b)))
    with localcontext() as context:
        context.prec = 80
        return (a / b).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_DOWN)


def _arithmetic(op: str, a: Any, b: Any) -> Any:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if isinstance(a, Decimal):
            return _decimal_divide(a, b)
        if isinstance(a, float):
            if b == 0:
                return (
                    math.nan
                    if a == 0 or math.isnan(a)
                    else math.copysign(math.inf, a) * (math.copysign(1.0, b))
                )
            return a / b
        return a / b
    if op == "idiv":
        if isinstance(a, float) and (math.isnan(a) or math.isinf(a) or math.isnan(b)):
            raise XPathError("idiv of NaN or INF")
        quotient = a / b
        return int(quotient)  # truncated towards zero
    if op == "mod":
        if isinstance(a, float):
            return math.fmod(a, b) if b != 0 else math.nan
        result = abs(a) % abs(b)
        return -result if a < 0 else result
    raise XPathError(f"unknown operator {op}")
