"""Terraform variable files (*.tfvars, *.tfvars.json): the values they assign, each with its line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from posixpath import basename, dirname

from ..hcl import Attribute, Literal
from ..model import Diagnostic, Fact, Limits, Loc, Severity
from .hclparse import HclSyntaxError, parse_hcl

NAME = "tfvars"
KIND_VARS = "tf.vars"


@dataclass(frozen=True)
class TfVarsFile:
    """The assignments of one variable file: `name` is the file name, `dir` its folder."""

    dir: str
    name: str
    assignments: tuple[Attribute, ...]


def matches(path: str) -> bool:
    """`*.tfvars` and `*.tfvars.json`, automatically loaded or not (roots choose later)."""
    return path.endswith((".tfvars", ".tfvars.json"))


def collect(path: str, text: str, limits: Limits = Limits()) -> tuple[list[Fact], list[Diagnostic]]:
    """One fact for the whole file; a parse error is one diagnostic with its line."""
    try:
        assignments = _from_json(text) if path.endswith(".json") else parse_hcl(text).attributes
    except HclSyntaxError as exc:
        return [], [Diagnostic(Loc(path, exc.line), Severity.ERROR, f"cannot parse HCL: {exc.message}")]
    except RecursionError:
        return [], [Diagnostic(Loc(path, 1), Severity.ERROR, "cannot parse JSON: nested too deeply")]
    except ValueError as exc:
        line = getattr(exc, "lineno", 0)
        return [], [Diagnostic(Loc(path, line), Severity.ERROR, f"cannot parse JSON: {exc}")]
    data = TfVarsFile(dirname(path) or ".", basename(path), tuple(assignments))
    return [Fact(KIND_VARS, Loc(path, 1), data)], []


def _from_json(text: str) -> tuple[Attribute, ...]:
    """JSON variable files hold literal values; the line is that of each top-level key."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a .tfvars.json file must hold one JSON object")
    lines = text.splitlines()
    out = []
    for key, value in data.items():
        line = next((i + 1 for i, l in enumerate(lines) if f'"{key}"' in l), 1)
        out.append(Attribute(key, Literal(value, line, json.dumps(value)), line))
    return tuple(out)
