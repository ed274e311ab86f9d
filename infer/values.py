"""Runtime values of evaluated Terraform expressions, and the marker for what stays unresolved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Unknown:
    """A value the scanned files do not determine; `text` is the source expression shown to readers."""

    text: str
    reason: str = ""


@dataclass(frozen=True)
class ResourceRef:
    """A computed attribute of a managed object (`id`, `fqdn`...): known to exist, value known only after apply."""

    address: str
    attribute: str


def contains_unknown(value: Any) -> bool:
    """True when `value` or anything nested in it is Unknown or a ResourceRef (not a concrete literal)."""
    if isinstance(value, (Unknown, ResourceRef)):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False
