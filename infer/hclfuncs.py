"""Terraform's built-in functions, evaluated statically on already-evaluated argument values."""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import functools
import hashlib
import inspect
import io
import ipaddress
import itertools
import json
import math
import re
import unicodedata
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Any

import yaml

from .values import ResourceRef, Unknown, contains_unknown

Value = Any
Number = int | float
Fn = Callable[..., Value]


class FunctionError(Exception):
    """Bad arguments for a Terraform function (the message says which function and why)."""


# --------------------------------------------------------------------------- value helpers

# Terraform's `range` refuses to build longer sequences; mirrored to keep evaluation bounded.
_RANGE_LIMIT = 1024
# setproduct can explode combinatorially; past this many tuples the result is left unresolved.
_PRODUCT_LIMIT = 10_000
# Strings longer than this are left unresolved: padding widths and indents can ask for gigabytes.
STRING_LIMIT = 1_000_000
# Decimal exponents beyond this would build gigantic Python ints; Terraform's numbers do not go there.
_EXPONENT_LIMIT = 4096


def _unresolved(reason: str) -> Unknown:
    return Unknown("", reason)


def _is_unknown(value: Value) -> bool:
    return isinstance(value, (Unknown, ResourceRef))


def _is_number(value: Value) -> bool:
    # bool is an int subclass in Python but a distinct type in Terraform.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_name(value: Value) -> str:
    """Terraform's word for the type of `value`, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if _is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    return "unknown"


def _normalize(number: Number | Decimal) -> Number:
    """int when integral, float otherwise (Terraform has a single number type)."""
    if isinstance(number, bool):
        raise FunctionError("number required")
    if isinstance(number, int):
        return number
    if isinstance(number, float):
        if not math.isfinite(number):
            return number
        number = Decimal(repr(number))
    if not number.is_finite():
        return float(number)
    if abs(number.adjusted()) > _EXPONENT_LIMIT:
        raise FunctionError("number is out of the supported range")
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _decimal(number: Number) -> Decimal:
    """The decimal a number was written as (shortest repr for floats)."""
    if isinstance(number, int):
        return Decimal(number)
    if not math.isfinite(number):
        raise FunctionError("infinite numbers are not supported")
    return Decimal(repr(number))


def _big_decimal(number: Number) -> Decimal:
    """The exact value Terraform holds for `number`: the decimal rounded to a 512-bit binary mantissa.

    Terraform keeps numbers as 512-bit big.Float values, so ties in `%.Nf` rounding follow that
    binary value, not the decimal literal (format("%.1f", 0.15) is "0.2").
    """
    if isinstance(number, int):
        return Decimal(number)
    exact = Fraction(_decimal(number))
    if exact == 0:
        return Decimal(0)
    negative = exact < 0
    num, den = abs(exact.numerator), exact.denominator
    shift = 512 - (num.bit_length() - den.bit_length())
    while True:
        top, bottom = (num << shift, den) if shift >= 0 else (num, den << -shift)
        mantissa, remainder = divmod(top, bottom)
        if mantissa >= 1 << 512:
            shift -= 1
        elif mantissa < 1 << 511:
            shift += 1
        else:
            break
    if 2 * remainder > bottom or (2 * remainder == bottom and mantissa & 1):
        mantissa += 1
    # Built from text: Decimal arithmetic would round to the context's 28 digits.
    value = Decimal(mantissa << -shift) if shift <= 0 else Decimal(f"{mantissa * 5**shift}E-{shift}")
    return value.copy_negate() if negative else value


def _number_text(number: Number) -> str:
    """Terraform's string form of a number: shortest digits, never an exponent."""
    if isinstance(number, int):
        return str(number)
    text = format(_decimal(number), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _parse_number(text: str) -> Number | None:
    """A decimal number literal as Terraform's string-to-number conversion accepts it, else None."""
    if not _NUMBER_RE.fullmatch(text):
        return None
    try:
        return _normalize(Decimal(text))
    except InvalidOperation:
        return None


def _to_string(value: Value, what: str = "argument") -> str:
    """Terraform's automatic conversion to string (numbers and bools convert, null and collections do not)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return _number_text(value)
    if value is None:
        raise FunctionError(f"{what} must not be null")
    raise FunctionError(f"{what}: string required, got {_type_name(value)}")


def _to_number(value: Value, what: str = "argument") -> Number:
    if _is_number(value):
        return _normalize(value)
    if isinstance(value, str):
        parsed = _parse_number(value)
        if parsed is None:
            raise FunctionError(f"{what}: cannot convert {value!r} to number")
        return parsed
    if value is None:
        raise FunctionError(f"{what} must not be null")
    raise FunctionError(f"{what}: number required, got {_type_name(value)}")


def _to_int(value: Value, what: str = "argument") -> int:
    number = _to_number(value, what)
    if not isinstance(number, int):
        raise FunctionError(f"{what}: value must be a whole number, got {_number_text(number)}")
    return number


def _to_bool(value: Value, what: str = "argument") -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    if value is None:
        raise FunctionError(f"{what} must not be null")
    raise FunctionError(f"{what}: bool required, got {_type_name(value)}")


def _to_list(value: Value, what: str = "argument") -> list[Value]:
    if isinstance(value, list):
        return value
    if value is None:
        raise FunctionError(f"{what} must not be null")
    raise FunctionError(f"{what}: list, set, or tuple required, got {_type_name(value)}")


def _to_map(value: Value, what: str = "argument") -> dict[str, Value]:
    if isinstance(value, dict):
        return value
    if value is None:
        raise FunctionError(f"{what} must not be null")
    raise FunctionError(f"{what}: map or object required, got {_type_name(value)}")


def _sorted_map(mapping: dict[str, Value]) -> dict[str, Value]:
    # Terraform maps and objects iterate in lexical key order; keep that order in results.
    return {key: mapping[key] for key in sorted(mapping)}


def _equal(left: Value, right: Value) -> bool:
    """Terraform equality: no conversion between types (1 != "1", true != 1)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    return type(left) is type(right) and bool(left == right)


def _kind(value: Value) -> str:
    if isinstance(value, bool):
        return "bool"
    if _is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return "null" if value is None else "unknown"


def _unify(items: list[Value], what: str) -> list[Value]:
    """Convert elements to one type as Terraform does when a tuple becomes a list, set or map.

    Strings absorb numbers and bools (["a", 1] -> ["a", "1"]); numbers and bools do not mix;
    nulls and unresolved elements are kept as they are.
    """
    kinds = {_kind(item) for item in items} - {"null", "unknown"}
    if len(kinds) <= 1:
        return list(items)
    if kinds <= {"string", "number", "bool"} and "string" in kinds:
        return [item if item is None or _is_unknown(item) else _to_string(item) for item in items]
    raise FunctionError(f"cannot convert {what} to a collection of any single type")


def _dedupe(items: list[Value]) -> list[Value]:
    out: list[Value] = []
    for item in items:
        if not any(_equal(item, seen) for seen in out):
            out.append(item)
    return out


def _as_set(items: list[Value], what: str = "argument") -> list[Value]:
    """A Terraform set in this package's representation: unified, de-duplicated, sorted when primitive.

    Terraform orders strings lexically, numbers numerically and false before true; sets of
    collections are ordered by hash in Terraform, which cannot be reproduced, so they keep first-seen
    order.
    """
    unique = _dedupe(_unify(items, what))
    kinds = {_kind(item) for item in unique}
    if kinds <= {"string"} or kinds <= {"number"} or kinds <= {"bool"}:
        return sorted(unique)
    return unique


def _graphemes(text: str) -> list[str]:
    """Approximate user-perceived characters (Terraform counts grapheme clusters, not code points)."""
    clusters: list[str] = []
    for char in text:
        joins = bool(clusters) and (
            unicodedata.category(char).startswith("M")
            or char == "\u200d"
            or clusters[-1].endswith("\u200d")
            or 0x1F3FB <= ord(char) <= 0x1F3FF
            or (char == "\n" and clusters[-1] == "\r")
        )
        if joins:
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


# --------------------------------------------------------------------------- numeric functions


def _abs(number: Value) -> Number:
    return _normalize(abs(_to_number(number)))


def _ceil(number: Value) -> int:
    return math.ceil(_to_number(number))


def _floor(number: Value) -> int:
    return math.floor(_to_number(number))


def _log(number: Value, base: Value) -> Number:
    return _normalize(math.log(_to_number(number), _to_number(base)))


def _pow(base: Value, exponent: Value) -> Number:
    b, e = _to_number(base), _to_number(exponent)
    if isinstance(b, int) and isinstance(e, int) and e >= 0:
        if abs(b) > 1 and e * abs(b).bit_length() > 16 * _EXPONENT_LIMIT:
            raise FunctionError("result is too large")
        return int(b**e)  # exact, as Terraform's arbitrary-precision numbers are
    return _normalize(math.pow(b, e))


def _signum(number: Value) -> int:
    n = _to_int(number)  # Terraform's signum only accepts whole numbers
    return (n > 0) - (n < 0)


def _extreme(name: str, numbers: tuple[Value, ...], pick: Callable[..., Number]) -> Number:
    if not numbers:
        raise FunctionError("must pass at least one number")
    return _normalize(pick(_to_number(n, f"{name} argument") for n in numbers))


def _max(*numbers: Value) -> Number:
    return _extreme("max", numbers, max)


def _min(*numbers: Value) -> Number:
    return _extreme("min", numbers, min)


def _sum(items: Value) -> Number:
    values = _to_list(items, "list")
    if not values:
        raise FunctionError("cannot sum an empty list")
    if any(v is None or isinstance(v, (bool, list, dict)) for v in values):
        raise FunctionError("argument must be list, set, or tuple of number values")
    # Decimal addition so that sum([0.1, 0.2]) is 0.3, as with Terraform's decimal-exact numbers.
    with localcontext() as context:
        context.prec = _EXPONENT_LIMIT  # exact for any realistic input, like Terraform's big numbers
        total = sum((_decimal(_to_number(v, "list element")) for v in values), Decimal(0))
    return _normalize(total)


def _digit_value(char: str, base: int) -> int:
    """Go's big.Int digit for `char`: case-insensitive up to base 36, a-z then A-Z above it."""
    if char.isascii() and char.isdigit():
        return ord(char) - ord("0")
    if "a" <= char <= "z":
        return ord(char) - ord("a") + 10
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + (10 if base <= 36 else 36)
    return base


def _parseint(number: Value, base: Value) -> int:
    if not isinstance(number, str):
        raise FunctionError(f"first argument must be a string, not {_type_name(number)}")
    radix = _to_number(base, "base")
    if not isinstance(radix, int) or not 2 <= radix <= 62:
        raise FunctionError("base must be a whole number between 2 and 62 inclusive")
    digits = number[1:] if number[:1] in "+-" else number
    values = [_digit_value(char, radix) for char in digits]
    if not values or any(v >= radix for v in values):
        raise FunctionError(f"cannot parse {json.dumps(number)} as a base {radix} integer")
    result = 0
    for value in values:
        result = result * radix + value
    return -result if number.startswith("-") else result


# --------------------------------------------------------------------------- string functions


def _chomp(text: Value) -> str:
    return _to_string(text).rstrip("\r\n")


def _endswith(text: Value, suffix: Value) -> bool:
    return _to_string(text).endswith(_to_string(suffix))


def _startswith(text: Value, prefix: Value) -> bool:
    return _to_string(text).startswith(_to_string(prefix))


def _strcontains(text: Value, substr: Value) -> bool:
    return _to_string(substr) in _to_string(text)


def _indent(spaces: Value, text: Value) -> str:
    count = _to_int(spaces, "spaces")
    if count < 0:
        raise FunctionError("spaces must not be negative")
    if count * _to_string(text).count("\n") > STRING_LIMIT:
        raise FunctionError(f"the result would be longer than {STRING_LIMIT} characters")
    return _to_string(text).replace("\n", "\n" + " " * count)


def _join(separator: Value, *lists: Value) -> str:
    sep = _to_string(separator, "separator")
    if not lists:
        raise FunctionError("at least one list is required")
    parts: list[str] = []
    for items in lists:
        for index, item in enumerate(_to_list(items, "lists")):
            if item is None:
                raise FunctionError(f"element {index} is null; cannot concatenate null values")
            parts.append(_to_string(item, f"element {index}"))
    return sep.join(parts)


def _case_map(text: str, convert: Callable[[str], str]) -> str:
    # Go maps rune by rune; Python's full case mapping can change lengths ("ß".upper() == "SS").
    out = []
    for char in text:
        mapped = convert(char)
        out.append(mapped if len(mapped) == 1 else char)
    return "".join(out)


def _lower(text: Value) -> str:
    return _case_map(_to_string(text), str.lower)


def _upper(text: Value) -> str:
    return _case_map(_to_string(text), str.upper)


def _is_title_separator(char: str) -> bool:
    """Go's strings.Title word boundary: ASCII non-alphanumerics (except _) and Unicode spaces."""
    if char.isascii():
        return not (char.isalnum() or char == "_")
    if char.isalpha() or unicodedata.category(char) == "Nd":
        return False
    return char.isspace()


def _title(text: Value) -> str:
    out = []
    previous = " "
    for char in _to_string(text):
        out.append(_case_map(char, str.title) if _is_title_separator(previous) else char)
        previous = char
    return "".join(out)


def _split(separator: Value, text: Value) -> list[str]:
    sep, value = _to_string(separator, "separator"), _to_string(text)
    return list(value) if sep == "" else value.split(sep)


def _strrev(text: Value) -> str:
    return "".join(reversed(_graphemes(_to_string(text))))


def _substr(text: Value, offset: Value, length: Value) -> str:
    clusters = _graphemes(_to_string(text))
    start, count = _to_int(offset, "offset"), _to_int(length, "length")
    # Mirrors Terraform: a negative offset counts from the end (clamped at 0), any negative length
    # means "to the end", and an offset past the end gives "".
    if start < 0:
        start = max(start + len(clusters), 0)
    if count < 0:
        return "".join(clusters[start:])
    return "".join(clusters[start : start + count])


# Go's unicode.IsSpace set (Python's str.strip() also strips \x1c-\x1f, which Go keeps).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def _trimspace(text: Value) -> str:
    return _to_string(text).strip(_GO_SPACE)


def _trim(text: Value, cutset: Value) -> str:
    return _to_string(text).strip(_to_string(cutset, "cutset"))


def _trimprefix(text: Value, prefix: Value) -> str:
    return _to_string(text).removeprefix(_to_string(prefix, "prefix"))


def _trimsuffix(text: Value, suffix: Value) -> str:
    return _to_string(text).removesuffix(_to_string(suffix, "suffix"))


def _replace(text: Value, substr: Value, replacement: Value) -> str:
    value, pattern, repl = _to_string(text), _to_string(substr, "substr"), _to_string(replacement, "replace")
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        compiled = _compile_re2(pattern[1:-1])
        out: list[str] = []
        position = 0
        for match in _re2_matches(compiled, value):
            out.append(value[position : match.start()])
            out.append(_expand_template(repl, match))
            position = match.end()
        out.append(value[position:])
        return "".join(out)
    return value.replace(pattern, repl)


# --------------------------------------------------------------------------- format / formatlist

_FORMAT_SPEC = re.compile(
    r"%(?P<flags>[-+# 0]*)(?:\[(?P<index1>[0-9]*)\])?(?P<width>[0-9]+)?"
    r"(?:\.(?P<precision>[0-9]*))?(?:\[(?P<index2>[0-9]*)\])?"
)
_FORMAT_VERBS = frozenset("vtbdoxXeEfFgGsq")


def _pad(body: str, sign: str, flags: str, width: int | None, zero_ok: bool = True) -> str:
    """Go fmt padding: `-` pads right with spaces, `0` pads after the sign with zeros, else left spaces."""
    text = sign + body
    if width is None or len(text) >= width:
        return text
    fill = width - len(text)
    if "-" in flags:
        return text + " " * fill
    if "0" in flags and zero_ok:
        return sign + "0" * fill + body
    return " " * fill + text


def _sign(negative: bool, flags: str) -> str:
    if negative:
        return "-"
    return "+" if "+" in flags else " " if " " in flags else ""


def _significant(value: Decimal, digits: int) -> tuple[str, int]:
    """`value` (non-negative, non-zero) rounded half-even to `digits` significant digits.

    Returns (digit string, decimal point position), i.e. value ~= 0.<digits> * 10**position.
    """
    top = value.adjusted()
    with localcontext() as context:
        context.prec = max(digits, 1) + 20
        rounded = value.quantize(Decimal(1).scaleb(top - digits + 1), rounding=ROUND_HALF_EVEN)
    coefficient = "".join(str(d) for d in rounded.as_tuple().digits)
    return coefficient[:digits].ljust(digits, "0"), rounded.adjusted() + 1


def _exponent_text(mantissa: str, exponent: int, upper: bool) -> str:
    text = f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return text.upper() if upper else text


def _format_e(value: Decimal, precision: int, upper: bool) -> str:
    if value == 0:
        return _exponent_text("0" + ("." + "0" * precision if precision else ""), 0, upper)
    digits, point = _significant(value, precision + 1)
    mantissa = digits[0] + ("." + digits[1:] if precision else "")
    return _exponent_text(mantissa, point - 1, upper)


def _format_g(value: Decimal, precision: int | None, upper: bool) -> str:
    """Go's %g: shortest digits (or `precision` significant ones), exponent form outside [-4, eprec)."""
    if value == 0:
        return "0"
    if precision is None:
        normal = value.normalize()
        digits = "".join(str(d) for d in normal.as_tuple().digits)
        point = normal.adjusted() + 1
        eprec = 6
    else:
        digits, point = _significant(value, max(precision, 1))
        digits = digits.rstrip("0") or "0"
        eprec = max(precision, 1)
    exponent = point - 1
    if exponent < -4 or exponent >= eprec:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return _exponent_text(mantissa, exponent, upper)
    decimals = max(len(digits) - point, 0)
    return format(Decimal(f"{digits}E{point - len(digits)}"), f".{decimals}f")


def _format_number(verb: str, number: Number, flags: str, precision: int | None) -> tuple[str, bool]:
    """The digits of a numeric verb, and whether the number is negative."""
    if verb in "bdoxX":
        if not isinstance(number, int):
            raise FunctionError("an integer is required")
        body = format(abs(number), verb)
        if precision is not None:
            body = body.rjust(precision, "0")
        if "#" in flags and verb in "xXo":
            body = {"x": "0x", "X": "0X", "o": "0"}[verb] + body
        return body, number < 0
    exact = _big_decimal(number)
    magnitude = exact.copy_abs()  # abs() would round to the context's 28 digits
    if verb in "eE":
        body = _format_e(magnitude, 6 if precision is None else precision, verb == "E")
    elif verb in "fF":
        body = format(magnitude, f".{6 if precision is None else precision}f")
    else:
        shortest = _decimal(number).copy_abs() if precision is None else magnitude
        body = _format_g(shortest, precision, verb == "G")
    return body, exact < 0


def _format_value(verb: str, value: Value, flags: str, width: int | None, precision: int | None) -> str:
    if verb == "v" and "#" in flags:
        return _pad(_json_encode(value), "", flags, width)
    if verb == "v":
        if isinstance(value, (list, dict)) or value is None:
            return _pad(_json_encode(value), "", flags, width)
        if _is_number(value):
            body, negative = _format_number("g", value, flags, None)
            return _pad(body, _sign(negative, flags), flags, width)
        return _pad(_to_string(value), "", flags, width)
    if verb == "t":
        return _pad("true" if _to_bool(value) else "false", "", flags, width)
    if verb in "sq":
        text = _to_string(value)
        if verb == "q":
            return _pad(_json_string(text), "", flags, width)
        if precision is not None:
            text = "".join(_graphemes(text)[:precision])
        return _pad(text, "", flags, width)
    if isinstance(value, (bool, list, dict)):
        raise FunctionError("number required")
    number = _to_number(value)
    body, negative = _format_number(verb, number, flags, precision)
    return _pad(body, _sign(negative, flags), flags, width)


def _format(spec: Value, *args: Value) -> str | Unknown:
    template = _to_string(spec, "format")
    # Terraform's format() yields an unknown result for null arguments rather than failing.
    if any(arg is None for arg in args):
        return _unresolved("format() with a null argument")
    out: list[str] = []
    position = 0
    next_arg = 0
    highest = 0
    while position < len(template):
        percent = template.find("%", position)
        if percent < 0:
            out.append(template[position:])
            break
        out.append(template[position:percent])
        if template.startswith("%%", percent):
            out.append("%")
            position = percent + 2
            continue
        match = _FORMAT_SPEC.match(template, percent)
        assert match is not None  # the pattern matches any "%" (all its parts are optional)
        end = match.end()
        if end >= len(template):
            raise FunctionError(f"invalid format string starting at offset {percent + 1}")
        verb = template[end]
        if verb not in _FORMAT_VERBS:
            if verb.isalpha():
                raise FunctionError(f"unsupported format verb {verb!r} in {template[percent : end + 1]!r}")
            raise FunctionError(f"unrecognized format character {verb!r} at offset {end}")
        index_text = match["index2"] if match["index2"] is not None else match["index1"]
        if index_text is not None:
            if not index_text or int(index_text) < 1:
                raise FunctionError(f"unrecognized format character {index_text[:1] or ']'!r}")
            next_arg = int(index_text) - 1
        if next_arg >= len(args):
            raise FunctionError(
                f"not enough arguments for {template[percent : end + 1]!r} at {percent}: "
                f"need index {next_arg + 1} but have {len(args)} total"
            )
        width = int(match["width"]) if match["width"] else None
        precision = int(match["precision"] or 0) if match["precision"] is not None else None
        if max(width or 0, precision or 0) > STRING_LIMIT:
            raise FunctionError(f"width or precision over {STRING_LIMIT} in {template[percent : end + 1]!r}")
        try:
            out.append(_format_value(verb, args[next_arg], match["flags"], width, precision))
        except FunctionError as exc:
            raise FunctionError(f"unsupported value for {template[percent : end + 1]!r} at {next_arg}: {exc}") from None
        next_arg += 1
        highest = max(highest, next_arg)
        position = end + 1
    if highest < len(args):
        raise FunctionError(f"too many arguments; only {highest} used by format string")
    return "".join(out)


def _formatlist(spec: Value, *args: Value) -> list[Value] | Unknown:
    length: int | None = None
    for index, arg in enumerate(args):
        if isinstance(arg, list):
            if length is not None and len(arg) != length:
                raise FunctionError(
                    f"argument {index + 1} has length {len(arg)}, which is inconsistent with "
                    f"an earlier argument of length {length}"
                )
            length = len(arg)
    results: list[Value] = []
    for row in range(1 if length is None else length):
        line = _format(spec, *(arg[row] if isinstance(arg, list) else arg for arg in args))
        if isinstance(line, Unknown):
            return line
        results.append(line)
    return results


# --------------------------------------------------------------------------- regular expressions

# RE2 syntax is translated to Python's `re`; what `re` cannot express the same way is refused
# rather than approximated. Perl classes are ASCII in RE2, so they become explicit ranges.
_MAX_CODE_POINT = 0x10FFFF
_Ranges = list[tuple[int, int]]
_PERL_CLASSES: dict[str, _Ranges] = {
    "d": [(0x30, 0x39)],
    "s": [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)],
    "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
}
_POSIX_CLASSES: dict[str, _Ranges] = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0x00, 0x7F)],
    "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)],
    "digit": [(0x30, 0x39)],
    "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)],
    "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)],
    "upper": [(0x41, 0x5A)],
    "word": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}
_SIMPLE_ESCAPES = {"a": 0x07, "f": 0x0C, "t": 0x09, "n": 0x0A, "r": 0x0D, "v": 0x0B}
_WORD = "[0-9A-Za-z_]"
_WORD_BOUNDARY = f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))"
_NOT_WORD_BOUNDARY = f"(?:(?<={_WORD})(?={_WORD})|(?<!{_WORD})(?!{_WORD}))"


def _complement(ranges: _Ranges) -> _Ranges:
    out: _Ranges = []
    low = 0
    for start, end in sorted(ranges):
        if start > low:
            out.append((low, start - 1))
        low = max(low, end + 1)
    if low <= _MAX_CODE_POINT:
        out.append((low, _MAX_CODE_POINT))
    return out


def _class_text(ranges: _Ranges, negate: bool = False) -> str:
    if not ranges:
        return "(?!)" if not negate else "(?s:.)"
    body = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return f"[{'^' if negate else ''}{body}]"


class _Re2Translator:
    """Translates one RE2 pattern into an equivalent Python `re` pattern, or raises FunctionError."""

    def __init__(self, pattern: str) -> None:
        self.src = pattern
        self.pos = 0
        self.out: list[str] = []
        # Per open group, the RE2 flags Python cannot carry itself: m (RE2 `$` is otherwise the end
        # of text only, Python's also matches before a final newline) and U (ungreedy).
        self.flags: list[frozenset[str]] = [frozenset()]

    def fail(self, what: str) -> FunctionError:
        return FunctionError(f"invalid regexp pattern: {what}")

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.src[index] if index < len(self.src) else ""

    def translate(self) -> str:
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "\\":
                self.out.append(self.escape_outside())
            elif char == "[":
                self.pos += 1
                self.out.append(self.char_class())
            elif char == "(":
                self.group()
            elif char == ")":
                if len(self.flags) > 1:
                    self.flags.pop()
                self.out.append(")")
                self.pos += 1
            elif char == "$":
                self.out.append("$" if "m" in self.flags[-1] else r"\Z")
                self.pos += 1
            elif char in "*+?{":
                self.quantifier()
            elif char == "}":
                self.out.append(r"\}")
                self.pos += 1
            else:
                self.out.append(char)
                self.pos += 1
        return "".join(self.out)

    def quantifier(self) -> None:
        if self.peek() == "{":
            counted = re.match(r"\{(\d+)(,(\d*))?\}", self.src[self.pos :])
            if not counted:
                # RE2 reads a brace that starts no valid repeat as a literal (Python would take {,n}).
                self.out.append(r"\{")
                self.pos += 1
                return
            if any(int(n) > 1000 for n in (counted[1], counted[3]) if n):
                raise self.fail(f"invalid repeat count: {counted[0]}")
            self.out.append(counted[0])
            self.pos += counted.end()
        else:
            self.out.append(self.peek())
            self.pos += 1
        lazy = self.peek() == "?"
        if lazy:
            self.pos += 1
        if lazy != ("U" in self.flags[-1]):
            self.out.append("?")
        if self.peek() in ("+", "*", "?", "{") and self.peek():
            # Python 3.11 reads "*+" as possessive; RE2 rejects any repeated repetition.
            raise self.fail("invalid nested repetition operator")

    def group(self) -> None:
        rest = self.src[self.pos :]
        if not rest.startswith("(?"):
            self.out.append("(")
            self.pos += 1
            self.flags.append(self.flags[-1])
            return
        named = re.match(r"\(\?P?<([A-Za-z0-9_]+)>", rest)
        if named:
            self.out.append(f"(?P<{named[1]}>")
            self.pos += named.end()
            self.flags.append(self.flags[-1])
            return
        flags = re.match(r"\(\?([imsU]*)(?:-([imsU]*))?([:)])", rest)
        if not flags or flags[0] == "(?)":
            # Lookarounds, atomic groups, comments and backreferences are not RE2 syntax.
            raise self.fail(f"invalid or unsupported Perl syntax in {rest[:3]!r}")
        on, off, closer = flags[1], flags[2] or "", flags[3]
        active = (self.flags[-1] | set(on)) - set(off)
        python_on, python_off = on.replace("U", ""), off.replace("U", "")
        self.pos += flags.end()
        if closer == ":":
            self.out.append(f"(?{python_on}{'-' + python_off if python_off else ''}:")
            self.flags.append(active)
            return
        # Python only accepts inline global flags at the very start of the pattern.
        if "".join(self.out) or len(self.flags) > 1 or off:
            raise self.fail("inline flags are only supported at the start of the pattern")
        if python_on:
            self.out.append(f"(?{python_on})")
        self.flags[-1] = active

    def octal_or_fail(self) -> int:
        digits = re.match(r"[0-7]{1,3}", self.src[self.pos :])
        first = self.peek()
        if first in "89" or (first != "0" and (not digits or len(digits[0]) == 1)):
            raise self.fail(f"invalid escape sequence: \\{first} (backreferences are not supported)")
        assert digits is not None
        self.pos += len(digits[0])
        return int(digits[0], 8)

    def hex_escape(self) -> int:
        braced = re.match(r"\{([0-9A-Fa-f]{1,8})\}", self.src[self.pos :])
        plain = re.match(r"[0-9A-Fa-f]{2}", self.src[self.pos :])
        match = braced or plain
        if not match:
            raise self.fail("invalid escape sequence: \\x")
        value = int(match[1] if braced else match[0], 16)
        if value > _MAX_CODE_POINT:
            raise self.fail("invalid escape sequence: \\x")
        self.pos += match.end()
        return value

    def escape_char(self) -> int | _Ranges:
        """A backslash escape valid both inside and outside classes: a code point or a class."""
        self.pos += 1  # the backslash
        char = self.peek()
        if not char:
            raise self.fail("trailing backslash at end of expression")
        if char.isdigit():
            return self.octal_or_fail()
        self.pos += 1
        if char == "x":
            return self.hex_escape()
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        if char.lower() in _PERL_CLASSES:
            ranges = _PERL_CLASSES[char.lower()]
            return ranges if char.islower() else _complement(ranges)
        if char.isascii() and not char.isalnum():
            return ord(char)
        self.pos -= 1
        raise self.fail(f"invalid escape sequence: \\{char}")

    def escape_outside(self) -> str:
        nxt = self.peek(1)
        if nxt in ("A", "b", "B", "z", "Q", "p", "P"):
            self.pos += 2
            if nxt == "Q":
                end = self.src.find("\\E", self.pos)
                literal = self.src[self.pos :] if end < 0 else self.src[self.pos : end]
                self.pos = len(self.src) if end < 0 else end + 2
                return re.escape(literal)
            if nxt in "pP":
                return self.unicode_class(negate=nxt == "P")
            return {"A": r"\A", "b": _WORD_BOUNDARY, "B": _NOT_WORD_BOUNDARY, "z": r"\Z"}[nxt]
        value = self.escape_char()
        if isinstance(value, int):
            return re.escape(chr(value))
        return _class_text(value)

    def unicode_class(self, negate: bool) -> str:
        braced = re.match(r"\{\^?([A-Za-z_]+)\}", self.src[self.pos :])
        name = braced[1] if braced else self.peek()
        if braced and braced[0].startswith("{^"):
            negate = not negate
        self.pos += braced.end() if braced else 1
        # Only letters are expressible with `re` (as "word characters minus digits and underscore").
        if name != "L":
            raise self.fail(f"Unicode class \\p{{{name}}} is not supported by this evaluator")
        return r"[\W\d_]" if negate else r"[^\W\d_]"

    def class_atom(self) -> int | _Ranges:
        if self.src.startswith("[:", self.pos):
            match = re.match(r"\[:(\^?)([a-z]+):\]", self.src[self.pos :])
            if match and match[2] in _POSIX_CLASSES:
                self.pos += match.end()
                ranges = _POSIX_CLASSES[match[2]]
                return _complement(ranges) if match[1] else ranges
        if self.peek() == "\\":
            if self.peek(1) in ("p", "P", "Q"):
                raise self.fail(f"\\{self.peek(1)} inside a character class is not supported by this evaluator")
            return self.escape_char()
        char = self.peek()
        self.pos += 1
        return ord(char)

    def char_class(self) -> str:
        negate = self.peek() == "^"
        if negate:
            self.pos += 1
        ranges: _Ranges = []
        first = True
        while True:
            char = self.peek()
            if not char:
                raise self.fail("missing closing ]")
            if char == "]" and not first:
                self.pos += 1
                break
            first = False
            atom = self.class_atom()
            if isinstance(atom, list):
                ranges.extend(atom)
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                high = self.class_atom()
                if isinstance(high, list) or high < atom:
                    raise self.fail("invalid character class range")
                ranges.append((atom, high))
            else:
                ranges.append((atom, atom))
        return _class_text(sorted(ranges), negate)


def _compile_re2(pattern: str) -> re.Pattern[str]:
    translated = _Re2Translator(pattern).translate()
    try:
        compiled = re.compile(translated)
    except (re.error, OverflowError, RecursionError) as exc:
        raise FunctionError(f"invalid regexp pattern: {exc}") from None
    if compiled.groupindex and len(compiled.groupindex) != compiled.groups:
        raise FunctionError("invalid regexp pattern: cannot mix both named and unnamed capture groups")
    return compiled


def _re2_matches(compiled: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Successive matches as Go finds them: an empty match right after a previous match is skipped."""
    previous_end = -1
    for match in compiled.finditer(text):
        if match.start() == match.end() == previous_end:
            continue
        previous_end = match.end()
        yield match


def _captures(match: re.Match[str]) -> Value:
    compiled = match.re
    if compiled.groups == 0:
        return match.group(0)
    if compiled.groupindex:
        return {name: match.group(name) for name in sorted(compiled.groupindex)}
    return [match.group(index) for index in range(1, compiled.groups + 1)]


_TEMPLATE_REFERENCE = re.compile(r"\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))")


def _expand_template(template: str, match: re.Match[str]) -> str:
    """Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is "$"; missing groups expand to ""."""
    out: list[str] = []
    position = 0
    while position < len(template):
        dollar = template.find("$", position)
        if dollar < 0:
            out.append(template[position:])
            break
        out.append(template[position:dollar])
        if template.startswith("$$", dollar):
            out.append("$")
            position = dollar + 2
            continue
        found = _TEMPLATE_REFERENCE.match(template, dollar)
        if not found:
            out.append("$")  # malformed reference: Go keeps the dollar as text
            position = dollar + 1
            continue
        name = found[1] or found[2]
        if name.isdigit():
            group = int(name)
            if group <= match.re.groups:
                out.append(match.group(group) or "")
        elif name in match.re.groupindex:
            out.append(match.group(name) or "")
        position = found.end()
    return "".join(out)


def _regex(pattern: Value, text: Value) -> Value:
    compiled = _compile_re2(_to_string(pattern, "pattern"))
    for match in _re2_matches(compiled, _to_string(text)):
        return _captures(match)
    raise FunctionError("pattern did not match any part of the given string")


def _regexall(pattern: Value, text: Value) -> list[Value]:
    compiled = _compile_re2(_to_string(pattern, "pattern"))
    return [_captures(match) for match in _re2_matches(compiled, _to_string(text))]


# --------------------------------------------------------------------------- collection functions


def _alltrue(items: Value) -> bool | Unknown:
    values = _to_list(items, "list")
    converted = [v if v is None or _is_unknown(v) else _to_bool(v, f"element {i}") for i, v in enumerate(values)]
    if any(v is False or v is None for v in converted):
        return False
    if any(_is_unknown(v) for v in converted):
        return _unresolved("alltrue() depends on an unresolved value")
    return True


def _anytrue(items: Value) -> bool | Unknown:
    values = _to_list(items, "list")
    converted = [v if v is None or _is_unknown(v) else _to_bool(v, f"element {i}") for i, v in enumerate(values)]
    if any(v is True for v in converted):
        return True
    if any(_is_unknown(v) for v in converted):
        return _unresolved("anytrue() depends on an unresolved value")
    return False


def _chunklist(items: Value, size: Value) -> list[Value]:
    values, chunk = _to_list(items, "list"), _to_int(size, "size")
    if chunk < 0:
        raise FunctionError("the size argument must be positive")
    if not values:
        return []
    if chunk == 0:
        return [list(values)]
    return [values[i : i + chunk] for i in range(0, len(values), chunk)]


def _coalesce(*args: Value) -> Value:
    concrete = [arg for arg in args if arg is not None and not _is_unknown(arg)]
    kinds = {_kind(arg) for arg in concrete}
    if not args or (len(kinds) > 1 and not (kinds <= {"string", "number", "bool"} and "string" in kinds)):
        raise FunctionError("all arguments must have the same type")
    as_string = "string" in kinds
    for arg in args:
        if _is_unknown(arg):
            return _unresolved("coalesce() depends on an unresolved value")
        if arg is None:
            continue
        converted = _to_string(arg) if as_string else arg
        if converted == "" and as_string:
            continue
        return converted
    raise FunctionError("no non-null, non-empty-string arguments")


def _coalescelist(*lists: Value) -> Value:
    if any(not _is_unknown(arg) and not isinstance(arg, list) for arg in lists):
        raise FunctionError("coalescelist arguments must be lists or tuples")
    for arg in lists:
        if _is_unknown(arg):
            return _unresolved("coalescelist() depends on an unresolved value")
        if arg:
            return arg
    raise FunctionError("no non-null arguments")


def _compact(items: Value) -> list[str]:
    values = _to_list(items, "list")
    return [text for text in (_to_string(v) for v in values if v is not None) if text != ""]


def _concat(*lists: Value) -> list[Value]:
    if not lists:
        raise FunctionError("at least one argument is required")
    out: list[Value] = []
    for arg in lists:
        if not isinstance(arg, list):
            raise FunctionError(f"all arguments must be lists or tuples; got {_type_name(arg)}")
        out.extend(arg)
    return out


def _search(items: Value, needle: Value, name: str) -> int | Unknown | None:
    """Index of the first element equal to `needle`, None if absent, Unknown if it depends on one."""
    values = _to_list(items, "list")
    if contains_unknown(needle):
        return _unresolved(f"{name}() depends on an unresolved value")
    for index, value in enumerate(values):
        if contains_unknown(value):
            return _unresolved(f"{name}() depends on an unresolved value")
        if _equal(value, needle):
            return index
    return None


def _contains(items: Value, needle: Value) -> bool | Unknown:
    found = _search(items, needle, "contains")
    return found if isinstance(found, Unknown) else found is not None


def _index(items: Value, needle: Value) -> int | Unknown:
    found = _search(items, needle, "index")
    if found is None:
        raise FunctionError("item not found")
    return found


def _distinct(items: Value) -> list[Value]:
    return _dedupe(_unify(_to_list(items, "list"), "tuple"))


def _element(items: Value, index: Value) -> Value:
    values, position = _to_list(items, "list"), _to_int(index, "index")
    if not values:
        raise FunctionError("cannot use element function with an empty list")
    if position < 0:
        raise FunctionError("cannot use element function with a negative index")
    return values[position % len(values)]


def _flatten(items: Value) -> list[Value] | Unknown:
    out: list[Value] = []

    def walk(values: list[Value]) -> bool:
        for value in values:
            if isinstance(value, Unknown):
                return False  # might itself be a list to flatten: the shape is unknown
            if isinstance(value, list):
                if not walk(value):
                    return False
            else:
                out.append(value)
        return True

    if not walk(_to_list(items, "list")):
        return _unresolved("flatten() depends on an unresolved value")
    return out


def _keys(mapping: Value) -> list[str]:
    return sorted(_to_map(mapping, "inputMap"))


def _values(mapping: Value) -> list[Value]:
    values = _to_map(mapping, "mapping")
    return [values[key] for key in sorted(values)]


def _length(value: Value) -> int:
    if isinstance(value, str):
        return len(_graphemes(value))
    if isinstance(value, (list, dict)):
        return len(value)
    if value is None:
        raise FunctionError("argument must not be null")
    raise FunctionError("argument must be a string, a collection type, or a structural type")


_MISSING = object()


def _lookup(mapping: Value, key: Value, default: Value = _MISSING) -> Value:
    if _is_unknown(mapping) or contains_unknown(key):
        return _unresolved("lookup() depends on an unresolved value")
    values = _to_map(mapping, "inputMap")
    name = _to_string(key, "key")
    if name in values:
        return values[name]
    if default is _MISSING:
        raise FunctionError(f'the given object has no attribute "{name}"')
    return default


def _matchkeys(values: Value, keys: Value, searchset: Value) -> list[Value] | Unknown:
    candidates, labels, wanted = _to_list(values, "values"), _to_list(keys, "keys"), _to_list(searchset, "searchset")
    if len(candidates) != len(labels):
        raise FunctionError("length of keys and values should be equal")
    if contains_unknown(labels) or contains_unknown(wanted):
        return _unresolved("matchkeys() depends on an unresolved value")
    return [value for value, label in zip(candidates, labels, strict=True) if any(_equal(label, w) for w in wanted)]


def _merge(*maps: Value) -> dict[str, Value]:
    merged: dict[str, Value] = {}
    for arg in maps:
        if arg is None:
            continue
        if not isinstance(arg, dict):
            raise FunctionError(f'arguments must be maps or objects, got "{_type_name(arg)}"')
        merged.update(arg)
    return _sorted_map(merged)


def _one(items: Value) -> Value:
    values = _to_list(items, "list")
    if len(values) > 1:
        raise FunctionError("must be a list, set, or tuple value with either zero or one elements")
    return values[0] if values else None


def _range(*params: Value) -> list[Number]:
    if not 1 <= len(params) <= 3:
        raise FunctionError("must have one, two, or three arguments")
    # Decimal steps so that range(0, 1, 0.1) does not drift, as Terraform's exact numbers do not.
    numbers = [_decimal(_to_number(p, "params")) for p in params]
    if len(numbers) == 1:
        start, end, step = Decimal(0), numbers[0], Decimal(-1 if numbers[0] < 0 else 1)
    elif len(numbers) == 2:
        start, end = numbers
        step = Decimal(-1 if end < start else 1)
    else:
        start, end, step = numbers
    descending = step < 0
    if descending and end > start:
        raise FunctionError("end must be less than start when step is negative")
    if not descending and end < start:
        raise FunctionError("end must be greater than start when step is positive")
    out: list[Number] = []
    current = start
    with localcontext() as context:
        context.prec = _EXPONENT_LIMIT
        while (current > end) if descending else (current < end):
            if len(out) >= _RANGE_LIMIT:
                raise FunctionError(
                    f"more than {_RANGE_LIMIT} values were generated; either decrease the difference "
                    "between start and end or use a smaller step"
                )
            out.append(_normalize(current))
            current += step
    return out


def _reverse(items: Value) -> list[Value]:
    if not isinstance(items, list):
        raise FunctionError("can only reverse list or tuple values")
    return items[::-1]


def _setproduct(*sets: Value) -> list[Value] | Unknown:
    if len(sets) < 2:
        raise FunctionError("at least two arguments are required")
    groups = [_to_list(s, "sets") for s in sets]
    if math.prod(len(g) for g in groups) > _PRODUCT_LIMIT:
        return _unresolved("setproduct() result is too large to evaluate statically")
    return [list(combination) for combination in itertools.product(*groups)]


def _all_sets(name: str, sets: tuple[Value, ...]) -> list[list[Value]]:
    if not sets:
        raise FunctionError(f"{name} requires at least one argument")
    lists = [_to_list(s, "sets") for s in sets]
    # One element type across all the sets, as Terraform unifies them before combining.
    flat = _unify([item for items in lists for item in items], "sets")
    out, position = [], 0
    for items in lists:
        out.append(_dedupe(flat[position : position + len(items)]))
        position += len(items)
    return out


def _setintersection(first: Value, *others: Value) -> list[Value]:
    head, *rest = _all_sets("setintersection", (first, *others))
    return _as_set([v for v in head if all(any(_equal(v, w) for w in other) for other in rest)])


def _setsubtract(first: Value, second: Value) -> list[Value]:
    head, other = _all_sets("setsubtract", (first, second))
    return _as_set([v for v in head if not any(_equal(v, w) for w in other)])


def _setunion(*sets: Value) -> list[Value]:
    return _as_set([v for items in _all_sets("setunion", sets) for v in items])


def _slice(items: Value, start_index: Value, end_index: Value) -> list[Value]:
    values, start, end = _to_list(items, "list"), _to_int(start_index, "start_index"), _to_int(end_index, "end_index")
    if start < 0:
        raise FunctionError("start index must not be less than zero")
    if start > end:
        raise FunctionError("start index must not be greater than end index")
    if end > len(values):
        raise FunctionError("end index must not be greater than the length of the list")
    return values[start:end]


def _sort(items: Value) -> list[str]:
    values = _to_list(items, "list")
    for index, value in enumerate(values):
        if value is None:
            raise FunctionError(f"given list element {index} is null; a null string cannot be sorted")
    return sorted(_to_string(v, f"element {i}") for i, v in enumerate(values))


def _transpose(mapping: Value) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    source = _to_map(mapping, "values")
    for key in sorted(source):
        for item in _to_list(source[key], f"values[{key!r}]"):
            out.setdefault(_to_string(item, f"values[{key!r}] element"), []).append(key)
    return _sorted_map(out)


def _zipmap(keys: Value, values: Value) -> dict[str, Value] | Unknown:
    names, items = _to_list(keys, "keys"), _to_list(values, "values")
    if len(names) != len(items):
        raise FunctionError(f"number of keys ({len(names)}) does not match number of values ({len(items)})")
    if contains_unknown(names):
        return _unresolved("zipmap() depends on an unresolved key")
    return _sorted_map({_to_string(k, "key"): v for k, v in zip(names, items, strict=True)})


# --------------------------------------------------------------------------- type conversion


def _tobool(value: Value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str) and value not in ("true", "false"):
        raise FunctionError(f'cannot convert "{value}" to bool; only the strings "true" or "false" are allowed')
    if not isinstance(value, (bool, str)):
        raise FunctionError(f"cannot convert {_type_name(value)} to bool")
    return _to_bool(value)


def _tonumber(value: Value) -> Number | None:
    if value is None:
        return None
    if isinstance(value, str) and _parse_number(value) is None:
        raise FunctionError(
            f"cannot convert {json.dumps(value)} to number; given string must be a decimal representation of a number"
        )
    if not (_is_number(value) or isinstance(value, str)):
        raise FunctionError(f"cannot convert {_type_name(value)} to number")
    return _to_number(value)


def _tostring(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise FunctionError(f"cannot convert {_type_name(value)} to string")
    return _to_string(value)


def _tolist(value: Value) -> list[Value] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise FunctionError(f"cannot convert {_type_name(value)} to list")
    return _unify(value, "tuple")


def _toset(value: Value) -> list[Value] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise FunctionError(f"cannot convert {_type_name(value)} to set")
    return _as_set(value, "tuple")


def _tomap(value: Value) -> dict[str, Value] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FunctionError(f"cannot convert {_type_name(value)} to map")
    keys = sorted(value)
    return dict(zip(keys, _unify([value[k] for k in keys], "object"), strict=True))


def _passthrough(value: Value) -> Value:
    # Sensitivity is not tracked here: sensitive()/nonsensitive() return their argument.
    return value


# --------------------------------------------------------------------------- encoding


def _json_string(text: str) -> str:
    """A JSON string as Go's encoding/json writes it (HTML-safe escapes for <, >, &, U+2028/9)."""
    encoded = json.dumps(text, ensure_ascii=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        encoded = encoded.replace(char, escape)
    return encoded


def _json_encode(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        if isinstance(value, float) and not math.isfinite(value):
            raise FunctionError("cannot serialize infinity as JSON")
        return _number_text(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, list):
        return "[" + ",".join(_json_encode(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_json_string(k)}:{_json_encode(value[k])}" for k in sorted(value)) + "}"
    raise FunctionError(f"cannot encode {type(value).__name__} as JSON")


def _sorted_tree(value: Value) -> Value:
    if isinstance(value, dict):
        return {str(key): _sorted_tree(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_tree(item) for item in value]
    return value


def _reject_constant(name: str) -> Value:
    raise FunctionError(f"invalid character {name[0]!r} looking for beginning of value")


def _jsondecode(text: Value) -> Value:
    source = _to_string(text)
    try:
        parsed = json.loads(
            source,
            parse_float=lambda s: _normalize(Decimal(s)),
            parse_int=lambda s: _normalize(Decimal(s)),
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise FunctionError(str(exc)) from None
    return _sorted_tree(parsed)


def _jsonencode(value: Value) -> str:
    return _json_encode(value)


# YAML: Terraform resolves plain scalars with its own YAML-1.1-like table (go-cty-yaml), which
# differs from PyYAML's (y/n are booleans, 0777 is 777, 1_000 stays a string, 1e3 is a number).
_YAML_PLAIN_TAG = "tag:archinfer,2024:plain"
_YAML_CONSTANTS: dict[str, Value] = {
    **dict.fromkeys(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], True),
    **dict.fromkeys(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], False),
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], None),
    **dict.fromkeys([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"], math.inf),
    **dict.fromkeys(["-.inf", "-.Inf", "-.INF"], -math.inf),
}
_YAML_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?"
)


def _yaml_timestamp(text: str) -> str | None:
    """RFC 3339 text of a YAML timestamp in the forms go-cty-yaml accepts, else None."""
    match = _YAML_TIMESTAMP.fullmatch(text)
    if not match:
        return None
    year, month, day = (int(match[i]) for i in (1, 2, 3))
    clock = match.group(4, 5, 6) if match[4] else match.group(8, 9, 10) if match[8] else ("0", "0", "0")
    hour, minute, second = (int(part) for part in clock)
    zone = match[7] or "Z"
    try:
        offset = (
            timedelta(0)
            if zone == "Z"
            else (1 if zone[0] == "+" else -1) * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        )
        moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError:
        return None
    suffix = "Z" if zone in ("Z", "+00:00") else zone
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + suffix


def _yaml_plain(text: str) -> Value:
    if text in _YAML_CONSTANTS:
        return _YAML_CONSTANTS[text]
    if text in (".nan", ".NaN", ".NAN"):
        raise FunctionError("floating point NaN is not supported")
    if not text or text[0] not in "+-.0123456789":
        return text
    stamp = _yaml_timestamp(text)
    if stamp is not None:
        return stamp
    number = _parse_number(text)
    if number is not None:
        return number
    prefixed = re.fullmatch(r"0x([0-9A-Fa-f]+)|0o([0-7]+)", text)
    if prefixed:
        value = int(prefixed[1], 16) if prefixed[1] else int(prefixed[2], 8)
        if value >= 1 << 64:
            raise FunctionError(f'cannot parse "{text}" as tag:yaml.org,2002:int')
        return value
    return text


_YamlBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_YamlBase):  # type: ignore[misc]
    """PyYAML's safe loader with Terraform's rules for untagged plain scalars."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0] and value != "<<":  # "<<" stays a merge key
            return _YAML_PLAIN_TAG
        resolved: str = super().resolve(kind, value, implicit)
        return resolved

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Value]:
        # Keys become strings while building: in a Python dict the keys 1 and true would collide.
        self.flatten_mapping(node)  # expands "<<" merge keys
        return {
            _yaml_key(self.construct_object(key, deep=deep)): self.construct_object(value, deep=deep)
            for key, value in node.value
        }


def _yaml_construct_plain(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> Value:
    return _yaml_plain(str(loader.construct_scalar(node)))


def _yaml_construct_binary(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> str:
    # Terraform keeps !!binary as its base64 text (there is no bytes type), after checking it.
    text = str(loader.construct_scalar(node))
    try:
        base64.b64decode("".join(text.split()), validate=True)
    except binascii.Error:
        raise FunctionError(f'cannot parse "{text}" as tag:yaml.org,2002:binary: not valid base64') from None
    return text


_YamlLoader.add_constructor(_YAML_PLAIN_TAG, _yaml_construct_plain)
_YamlLoader.add_constructor("tag:yaml.org,2002:binary", _yaml_construct_binary)
_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _yaml_construct_plain)


def _yaml_key(key: Value) -> str:
    if key is None:
        return "null"
    if isinstance(key, (str, bool, int, float)):
        return _to_string(key)
    raise FunctionError("only scalar mapping keys are supported")


def _yamldecode(text: Value) -> Value:
    source = _to_string(text)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in source.splitlines()):
        raise FunctionError("on line 1, column 1: missing start of document")
    try:
        loaded = yaml.load(source, Loader=_YamlLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        raise FunctionError(" ".join(str(exc).split())) from None
    return _sorted_tree(loaded)


def _csvdecode(text: Value) -> list[dict[str, str]]:
    rows = [row for row in csv.reader(io.StringIO(_to_string(text), newline=""), strict=True) if row]
    if not rows:
        raise FunctionError("missing header line")
    header, records = rows[0], rows[1:]
    for number, row in enumerate(records, start=2):
        if len(row) != len(header):
            raise FunctionError(f"CSV parse error on line {number}: wrong number of fields")
    return [_sorted_map(dict(zip(header, row, strict=True))) for row in records]


def _base64encode(text: Value) -> str:
    return base64.b64encode(_to_string(text).encode()).decode("ascii")


def _base64decode(text: Value) -> str:
    source = _to_string(text)
    try:
        # Go's StdEncoding ignores CR and LF but is otherwise strict about alphabet and padding.
        raw = base64.b64decode(source.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        raise FunctionError(f'failed to decode base64 data "{source}"') from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FunctionError("the result of decoding the provided string is not valid UTF-8") from None


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise FunctionError(f'"{name}" is not a supported IANA encoding name or alias') from None


def _textencodebase64(text: Value, encoding: Value) -> str:
    codec = _codec(_to_string(encoding, "encoding"))
    try:
        return base64.b64encode(_to_string(text).encode(codec)).decode("ascii")
    except UnicodeEncodeError as exc:
        raise FunctionError(
            f"the given string contains characters that cannot be represented in {codec}: {exc}"
        ) from None


def _textdecodebase64(text: Value, encoding: Value) -> str:
    codec = _codec(_to_string(encoding, "encoding"))
    try:
        return base64.b64decode(_to_string(text), validate=True).decode(codec)
    except (binascii.Error, ValueError) as exc:
        raise FunctionError(f"the given value is not valid base64 text in {codec}: {exc}") from None


def _urlencode(text: Value) -> str:
    # Go's url.QueryEscape: space becomes "+", only A-Z a-z 0-9 - _ . ~ stay as they are.
    return urllib.parse.quote_plus(_to_string(text), safe="")


def _hasher(algorithm: str, encode: Callable[[bytes], str]) -> Fn:
    def digest(text: Value) -> str:
        return encode(hashlib.new(algorithm, _to_string(text).encode()).digest())

    return digest


def _hex(raw: bytes) -> str:
    return raw.hex()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


_UUID_NAMESPACES = {
    "dns": uuid.NAMESPACE_DNS,
    "url": uuid.NAMESPACE_URL,
    "oid": uuid.NAMESPACE_OID,
    "x500": uuid.NAMESPACE_X500,
}


def _uuidv5(namespace: Value, name: Value) -> str:
    space = _to_string(namespace, "namespace")
    if space in _UUID_NAMESPACES:
        base = _UUID_NAMESPACES[space]
    else:
        try:
            base = uuid.UUID(space)
        except ValueError:
            raise FunctionError(f"uuidv5() doesn't support namespace {space}") from None
    return str(uuid.uuid5(base, _to_string(name, "name")))


# --------------------------------------------------------------------------- filesystem paths


def _go_clean(path: str) -> str:
    """Go's filepath.Clean for slash-separated paths."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(segment)
    cleaned = ("/" if rooted else "") + "/".join(parts)
    return cleaned or "."


def _abspath(path: Value) -> str | Unknown:
    text = _to_string(path, "path")
    if not text.startswith("/"):
        return _unresolved("abspath() of a relative path depends on the working directory")
    return _go_clean(text)


def _dirname(path: Value) -> str:
    text = _to_string(path, "path")
    return _go_clean(text[: text.rfind("/") + 1])


def _basename(path: Value) -> str:
    text = _to_string(path, "path")
    if not text:
        return "."
    text = text.rstrip("/")
    return text[text.rfind("/") + 1 :] if text else "/"


def _pathexpand(path: Value) -> str | Unknown:
    text = _to_string(path, "path")
    if text.startswith("~"):
        return _unresolved("pathexpand() depends on the home directory")
    return text


# --------------------------------------------------------------------------- IP networks

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse_prefix(value: Value) -> _Network:
    text = _to_string(value, "prefix")
    address, slash, bits = text.partition("/")
    if not slash or not bits.isdigit():
        raise FunctionError(f"invalid CIDR expression: invalid CIDR address: {text}")
    if re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", address):
        # Terraform's parser reads zero-padded IPv4 octets as decimal ("010" is 10).
        address = ".".join(str(int(octet)) for octet in address.split("."))
    try:
        return ipaddress.ip_network(f"{address}/{int(bits)}", strict=False)
    except ValueError:
        raise FunctionError(f"invalid CIDR expression: invalid CIDR address: {text}") from None


def _network_at(network: _Network, start: int, prefix: int) -> str:
    return str(type(network)((start, prefix)))


def _cidrhost(prefix: Value, hostnum: Value) -> str:
    network = _parse_prefix(prefix)
    host = _to_int(hostnum, "hostnum")
    size = network.num_addresses
    requested = host
    if host < 0:
        host += size
    if not 0 <= host < size:
        shown = requested if requested >= 0 else host
        raise FunctionError(f"prefix of {network.prefixlen} does not accommodate a host numbered {shown}")
    return str(network.network_address + host)


def _cidrnetmask(prefix: Value) -> str:
    network = _parse_prefix(prefix)
    if network.version != 4:
        raise FunctionError(f"IPv6 addresses cannot have a netmask: {_to_string(prefix)}")
    return str(network.netmask)


def _cidrsubnet(prefix: Value, newbits: Value, netnum: Value) -> str:
    network = _parse_prefix(prefix)
    extra, number = _to_int(newbits, "newbits"), _to_int(netnum, "netnum")
    total = network.max_prefixlen
    new_prefix = network.prefixlen + extra
    if extra < 0 or new_prefix > total:
        raise FunctionError(f"insufficient address space to extend prefix of {network.prefixlen} by {extra}")
    if number < 0:
        raise FunctionError("negative netnum is not supported")
    if number >= 1 << extra:
        raise FunctionError(f"prefix extension of {extra} does not accommodate a subnet numbered {number}")
    start = int(network.network_address) | (number << (total - new_prefix))
    return _network_at(network, start, new_prefix)


def _cidrsubnets(prefix: Value, *newbits: Value) -> list[str]:
    network = _parse_prefix(prefix)
    total, base_len = network.max_prefixlen, network.prefixlen
    family = "IPv4" if network.version == 4 else "IPv6"
    modulus = 1 << total
    lengths: list[int] = []
    for bits in newbits:
        extra = _to_int(bits, "newbits")
        if extra < 1:
            raise FunctionError("must extend prefix by at least one bit")
        if extra > 32:
            raise FunctionError("may not extend prefix by more than 32 bits")
        if base_len + extra > total:
            raise FunctionError(
                f"would extend prefix to {base_len + extra} bits, which is too long for an {family} address"
            )
        lengths.append(base_len + extra)
    if not lengths:
        return []

    def mask(address: int, length: int) -> int:
        return address & ~((1 << (total - length)) - 1) & (modulus - 1)

    # Same allocation walk as Terraform (go-cidr PreviousSubnet/NextSubnet): start from the block just
    # before the base prefix, then repeatedly take the next aligned block of the requested size.
    base = int(network.network_address)
    current_start, current_len = mask(base - 1, lengths[0]), lengths[0]
    out: list[str] = []
    for length in lengths:
        current_last = current_start + (1 << (total - current_len)) - 1
        block_last = mask(current_last, length) + (1 << (total - length)) - 1
        following = block_last + 1
        if following >= modulus or not base <= following <= int(network.broadcast_address):
            previous = _network_at(network, current_start, current_len)
            raise FunctionError(
                f"not enough remaining address space for a subnet with a prefix of {length} bits after {previous}"
            )
        current_start, current_len = mask(following, length), length
        out.append(_network_at(network, current_start, current_len))
    return out


# --------------------------------------------------------------------------- registry


def _not_static(name: str, min_args: int, max_args: int) -> Fn:
    """A function whose result depends on files, clocks or randomness: always unresolved here."""

    def unresolved(*args: Value) -> Unknown:
        if not min_args <= len(args) <= max_args:
            raise FunctionError(f"expects {_arity_text(min_args, max_args)}, got {len(args)}")
        return _unresolved(f"{name}() is not evaluated statically")

    unresolved.__name__ = f"_{name}"
    return unresolved


def _strict(name: str, function: Fn) -> Fn:
    """Wrap `function` so that arguments holding an unresolved value give an unresolved result."""

    @functools.wraps(function)
    def wrapper(*args: Value) -> Value:
        if any(contains_unknown(arg) for arg in args):
            return _unresolved(f"{name}() depends on an unresolved value")
        return function(*args)

    return wrapper


_VARIADIC = 1 << 30  # "no upper bound" in argument-count ranges


def _arity_text(min_args: int, max_args: int) -> str:
    if min_args == max_args:
        return f"{min_args} argument{'s' if min_args != 1 else ''}"
    if max_args == _VARIADIC:
        return f"at least {min_args} argument{'s' if min_args != 1 else ''}"
    return f"{min_args} to {max_args} arguments"


# Functions that cope with unresolved values nested in their arguments themselves, because
# their result does not (or not always) depend on them: length(["a", x]) is 2.
_UNKNOWN_AWARE: dict[str, Fn] = {
    "alltrue": _alltrue,
    "anytrue": _anytrue,
    "chunklist": _chunklist,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "concat": _concat,
    "contains": _contains,
    "element": _element,
    "flatten": _flatten,
    "index": _index,
    "keys": _keys,
    "length": _length,
    "lookup": _lookup,
    "matchkeys": _matchkeys,
    "merge": _merge,
    "nonsensitive": _passthrough,
    "one": _one,
    "reverse": _reverse,
    "sensitive": _passthrough,
    "slice": _slice,
    "tolist": _tolist,
    "tomap": _tomap,
    "values": _values,
    "zipmap": _zipmap,
}

_VALUE_DEPENDENT: dict[str, Fn] = {
    "abs": _abs,
    "abspath": _abspath,
    "base64decode": _base64decode,
    "base64encode": _base64encode,
    "base64sha256": _hasher("sha256", _b64),
    "base64sha512": _hasher("sha512", _b64),
    "basename": _basename,
    "ceil": _ceil,
    "chomp": _chomp,
    "cidrhost": _cidrhost,
    "cidrnetmask": _cidrnetmask,
    "cidrsubnet": _cidrsubnet,
    "cidrsubnets": _cidrsubnets,
    "compact": _compact,
    "csvdecode": _csvdecode,
    "dirname": _dirname,
    "distinct": _distinct,
    "endswith": _endswith,
    "floor": _floor,
    "format": _format,
    "formatlist": _formatlist,
    "indent": _indent,
    "join": _join,
    "jsondecode": _jsondecode,
    "jsonencode": _jsonencode,
    "log": _log,
    "lower": _lower,
    "max": _max,
    "md5": _hasher("md5", _hex),
    "min": _min,
    "parseint": _parseint,
    "pathexpand": _pathexpand,
    "pow": _pow,
    "range": _range,
    "regex": _regex,
    "regexall": _regexall,
    "replace": _replace,
    "setintersection": _setintersection,
    "setproduct": _setproduct,
    "setsubtract": _setsubtract,
    "setunion": _setunion,
    "sha1": _hasher("sha1", _hex),
    "sha256": _hasher("sha256", _hex),
    "sha512": _hasher("sha512", _hex),
    "signum": _signum,
    "sort": _sort,
    "split": _split,
    "startswith": _startswith,
    "strcontains": _strcontains,
    "strrev": _strrev,
    "substr": _substr,
    "sum": _sum,
    "textdecodebase64": _textdecodebase64,
    "textencodebase64": _textencodebase64,
    "title": _title,
    "tobool": _tobool,
    "tonumber": _tonumber,
    "toset": _toset,
    "tostring": _tostring,
    "transpose": _transpose,
    "trim": _trim,
    "trimprefix": _trimprefix,
    "trimspace": _trimspace,
    "trimsuffix": _trimsuffix,
    "upper": _upper,
    "urlencode": _urlencode,
    "uuidv5": _uuidv5,
    "yamldecode": _yamldecode,
}

# name -> (min, max) argument counts of functions that read files, clocks, randomness or keys.
# base64gzip is deterministic in Terraform, but Go's and zlib's deflate output differ, so a
# computed value would be wrong rather than unknown.
_NOT_STATIC: dict[str, tuple[int, int]] = {
    "base64gzip": (1, 1),
    "bcrypt": (1, 2),
    "file": (1, 1),
    "filebase64": (1, 1),
    "filebase64sha256": (1, 1),
    "filebase64sha512": (1, 1),
    "fileexists": (1, 1),
    "filemd5": (1, 1),
    "fileset": (2, 2),
    "filesha1": (1, 1),
    "filesha256": (1, 1),
    "filesha512": (1, 1),
    "formatdate": (2, 2),
    "plantimestamp": (0, 0),
    "rsadecrypt": (2, 2),
    "templatefile": (2, 2),
    "templatestring": (2, 2),
    "timeadd": (2, 2),
    "timecmp": (2, 2),
    "timestamp": (0, 0),
    "uuid": (0, 0),
}

FUNCTIONS: dict[str, Fn] = {
    **_UNKNOWN_AWARE,
    **{name: _strict(name, function) for name, function in _VALUE_DEPENDENT.items()},
    **{name: _not_static(name, low, high) for name, (low, high) in _NOT_STATIC.items()},
}

_SPECIAL_FORMS = frozenset({"try", "can"})
# Functions that still give a result when a whole argument is unresolved (a lookup default, a
# later coalesce candidate); for all others such an argument makes the result unresolved.
_TOP_LEVEL_UNKNOWN_OK = frozenset({"coalesce", "coalescelist", "lookup", "nonsensitive", "sensitive"})


def _check_arity(name: str, function: Fn, args: list[Value]) -> None:
    if name in _NOT_STATIC:
        return  # those check their own argument count
    params = list(inspect.signature(function).parameters.values())
    required = sum(1 for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty)
    variadic = any(p.kind is p.VAR_POSITIONAL for p in params)
    allowed = _VARIADIC if variadic else sum(1 for p in params if p.kind is p.POSITIONAL_OR_KEYWORD)
    if not required <= len(args) <= allowed:
        raise FunctionError(f"{name}() expects {_arity_text(required, allowed)}, got {len(args)}")


def call_function(name: str, args: list[Any]) -> Any:
    """Evaluate Terraform function `name` on evaluated `args`; Unknown when the result is not determined."""
    if name.startswith("core::"):
        name = name[len("core::") :]  # Terraform accepts core:: as an explicit prefix for built-ins
    if "::" in name:
        raise FunctionError(f"{name}(): provider function not evaluated")
    if name in _SPECIAL_FORMS:
        raise FunctionError(f"{name}() is a special form evaluated by the caller")
    function = FUNCTIONS.get(name)
    if function is None:
        raise FunctionError(f"{name}(): there is no function named {name!r}")
    _check_arity(name, function, args)
    if name not in _TOP_LEVEL_UNKNOWN_OK and name not in _NOT_STATIC and any(_is_unknown(a) for a in args):
        return _unresolved(f"{name}() depends on an unresolved value")
    try:
        result = function(*args)
    except FunctionError as exc:
        raise FunctionError(f"{name}(): {exc}") from None
    except Exception as exc:  # any Python failure is a bad argument to the caller
        raise FunctionError(f"{name}(): {type(exc).__name__}: {exc}") from None
    if isinstance(result, str) and len(result) > STRING_LIMIT:
        return _unresolved(f"{name}() result longer than {STRING_LIMIT} characters")
    return result
