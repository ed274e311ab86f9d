"""The HCL syntax tree archinfer evaluates: blocks, attributes and expressions, each with its line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

# Every node keeps `line` (1-based, in its file) and `text` (its source, shown when unresolved).


@dataclass(frozen=True)
class Literal:
    value: Any  # str, number, bool, None; lists/dicts only from JSON files
    line: int
    text: str


@dataclass(frozen=True)
class Template:
    """A quoted string with interpolations: parts are literal text or expressions."""

    parts: tuple[Union[str, "Expr"], ...]
    line: int
    text: str


@dataclass(frozen=True)
class TupleExpr:
    items: tuple["Expr", ...]
    line: int
    text: str


@dataclass(frozen=True)
class ObjectExpr:
    items: tuple[tuple["Expr", "Expr"], ...]
    line: int
    text: str


@dataclass(frozen=True)
class Variable:
    """A bare name: `var`, `local`, `module`, a resource type, an iterator."""

    name: str
    line: int
    text: str


@dataclass(frozen=True)
class GetAttr:
    obj: "Expr"
    name: str
    line: int
    text: str


@dataclass(frozen=True)
class Index:
    obj: "Expr"
    key: "Expr"
    line: int
    text: str


@dataclass(frozen=True)
class Splat:
    """`obj[*].a.b` or `obj.*.a`: apply `steps` (attribute names or index expressions) to each element."""

    obj: "Expr"
    steps: tuple[Union[str, "Expr"], ...]
    line: int
    text: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple["Expr", ...]
    expand_last: bool
    line: int
    text: str


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Expr"
    right: "Expr"
    line: int
    text: str


@dataclass(frozen=True)
class Unary:
    op: str
    operand: "Expr"
    line: int
    text: str


@dataclass(frozen=True)
class Conditional:
    cond: "Expr"
    if_true: "Expr"
    if_false: "Expr"
    line: int
    text: str


@dataclass(frozen=True)
class ForExpr:
    key_var: str | None
    value_var: str
    collection: "Expr"
    key: "Expr | None"  # None for a tuple-producing `[for ...]`
    value: "Expr"
    cond: "Expr | None"
    grouping: bool
    line: int
    text: str


@dataclass(frozen=True)
class Opaque:
    """Syntax archinfer does not evaluate (template directives, heredocs with interpolation)."""

    reason: str
    line: int
    text: str


Expr = Union[
    Literal, Template, TupleExpr, ObjectExpr, Variable, GetAttr, Index, Splat, Call, BinOp, Unary,
    Conditional, ForExpr, Opaque,
]


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Expr
    line: int


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: "Body"
    line: int
    end_line: int


@dataclass(frozen=True)
class Body:
    attributes: tuple[Attribute, ...]
    blocks: tuple[Block, ...]

    def attr(self, name: str) -> Attribute | None:
        """The attribute called `name`, or None (HCL forbids duplicates, so the first wins)."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None

    def blocks_of(self, block_type: str) -> tuple[Block, ...]:
        """Nested blocks of one type, in file order."""
        return tuple(b for b in self.blocks if b.type == block_type)
