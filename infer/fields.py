"""Typed reads of YAML data (Kubernetes manifests, values): a field of the wrong type reads as absent, never crashes.

Every view reads manifest fields through these helpers instead of `.get()` chains: YAML that parses can still
hold a string where a mapping belongs (`annotations: oops`), a number where a list belongs (`tls: 1.5`), or an
int too long to print (`replicas: 0xfff…`). What the file does not say in the expected shape is not a fact.
"""

from __future__ import annotations

from typing import Any

# An int longer than sys.get_int_max_str_digits() (4300 by default) makes str() and f-strings raise ValueError.
TOO_LARGE = "(number too large)"

SCALAR_TYPES = (str, int, float)  # bool is an int: YAML's true/false count as scalars (shown as true/false)


def dig(data: Any, *path: str | int) -> Any:
    """The value at `path` (str: mapping key, int: list index); None where a step is missing or of the wrong type."""
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and 0 <= part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def mapping(data: Any, *path: str | int) -> dict[Any, Any]:
    """The mapping at `path`; empty when absent or not a mapping."""
    found = dig(data, *path)
    return found if isinstance(found, dict) else {}


def sequence(data: Any, *path: str | int) -> list[Any]:
    """The list at `path`; empty when absent or not a list."""
    found = dig(data, *path)
    return found if isinstance(found, list) else []


def mappings(data: Any, *path: str | int) -> list[dict[Any, Any]]:
    """The mapping items of the list at `path`; items of another type are skipped."""
    return [item for item in sequence(data, *path) if isinstance(item, dict)]


def text(data: Any, *path: str | int) -> str | None:
    """The string at `path`; None when absent or not a string."""
    found = dig(data, *path)
    return found if isinstance(found, str) else None


def integer(data: Any, *path: str | int) -> int | None:
    """The int at `path`; None when absent or another type, a bool included (Python's bool is an int, YAML's is not)."""
    found = dig(data, *path)
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def scalar(data: Any, *path: str | int) -> str | None:
    """The string, number or bool at `path` as text; None when absent, a mapping, a list or anything else."""
    found = dig(data, *path)
    return as_text(found) if isinstance(found, SCALAR_TYPES) else None


def scalars(data: Any, *path: str | int) -> list[str]:
    """The scalar items of the list at `path` as text; items of another type are skipped."""
    return [as_text(item) for item in sequence(data, *path) if isinstance(item, SCALAR_TYPES)]


def entries(data: Any, *path: str | int) -> tuple[tuple[str, str], ...]:
    """The mapping at `path` as (key, value) texts in file order; entries whose value is not a scalar are left out."""
    found = ((as_text(key), scalar(value)) for key, value in mapping(data, *path).items())
    return tuple((key, value) for key, value in found if value is not None)


def pairs(data: Any, *path: str | int) -> tuple[tuple[str, str], ...]:
    """entries() sorted: labels, requests and limits compare equal however the file orders them."""
    return tuple(sorted(entries(data, *path)))


def as_text(value: Any) -> str:
    """A scalar (or mapping key) as text: bools and null as YAML spells them, TOO_LARGE for an int str() refuses."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        return str(value)
    except ValueError:  # an int over sys.get_int_max_str_digits(); CPython checks the size before converting
        return TOO_LARGE
