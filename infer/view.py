"""The building blocks of a section view (bullets, tables, diagrams) and how values become cell text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Union

from ..model import Loc
from .fields import as_text
from .values import ResourceRef, Unknown


@dataclass(frozen=True)
class Cell:
    """A value as the document shows it, and the path:line locations that prove it."""

    text: str
    evidence: tuple[Loc, ...] = ()
    unresolved: bool = False


@dataclass(frozen=True)
class Bullet:
    """`- **label**: cells`; no cells means the scanned files show nothing for it."""

    label: str
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Diagram:
    title: str
    mermaid: str


@dataclass(frozen=True)
class Note:
    text: str


Block = Union[Bullet, Table, Diagram, Note]


@dataclass(frozen=True)
class SectionView:
    """What archinfer writes into one generated region of the document."""

    id: str
    blocks: tuple[Block, ...]


def tr(lang: str, ko: str, en: str) -> str:
    """The text in the document's language (Korean is the default)."""
    return en if lang == "en" else ko


def not_detected(lang: str) -> str:
    return tr(lang, "스캔한 파일에서 탐지되지 않음", "Not detected in the scanned files")


# Keys whose values are credentials: shown as withheld, never printed, wherever they sit in a value.
_SECRET_KEY = re.compile(r"pass(word|wd)?|secret|token|credential|private_?key|access_?key|api_?key|connection_?string|sas", re.I)


def show(value: Any, lang: str) -> str:
    """A value as text: scalars as Terraform prints them, lists joined, unresolved expressions marked."""
    if isinstance(value, Unknown):
        why = tr(lang, "미해결", "unresolved")
        return f"{value.text} ({why})"
    if isinstance(value, ResourceRef):
        return f"{value.address}.{value.attribute}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return as_text(int(value))
    if isinstance(value, list):
        return ", ".join(show(v, lang) for v in value) if value else "[]"
    if isinstance(value, dict):
        withheld = tr(lang, "(비공개)", "(withheld)")
        return ", ".join(f"{key}={withheld if _SECRET_KEY.search(key) else show(v, lang)}"
                         for key, v in ((as_text(k), v) for k, v in value.items())) if value else "{}"
    return as_text(value)  # an int too long for str() shows as (number too large) instead of raising


def is_unresolved(value: Any) -> bool:
    return isinstance(value, Unknown) or (isinstance(value, list) and any(isinstance(v, Unknown) for v in value))


def merge_evidence(*groups: Iterable[Loc]) -> tuple[Loc, ...]:
    """Locations in first-seen order without repeats."""
    seen: dict[Loc, None] = {}
    for group in groups:
        for loc in group:
            seen.setdefault(loc, None)
    return tuple(seen)


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    # Mermaid's own entity codes: no raw HTML (or marker-like text) from the repository reaches the document.
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;").replace("\n", " ")
