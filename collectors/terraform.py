"""Terraform and OpenTofu configuration (*.tf, *.tofu): one fact per top-level block, with its line."""

from __future__ import annotations

from dataclasses import dataclass
from posixpath import dirname

from ..hcl import Block
from ..model import Diagnostic, Fact, Limits, Loc, Severity
from .hclparse import HclSyntaxError, parse_hcl

NAME = "terraform"
KIND_BLOCK = "tf.block"

# Blocks Terraform knows at the top level of a configuration file.
_TOP_LEVEL = {"resource", "data", "module", "provider", "terraform", "variable", "locals", "output",
              "moved", "import", "check", "removed", "ephemeral"}


@dataclass(frozen=True)
class TfBlock:
    """A top-level block of one configuration file; `module_dir` groups files into a module."""

    module_dir: str
    block: Block


def matches(path: str) -> bool:
    """Configuration files; overrides (`*_override.tf`) too, since Terraform merges them in."""
    return path.endswith((".tf", ".tofu"))


def collect(path: str, text: str, limits: Limits = Limits()) -> tuple[list[Fact], list[Diagnostic]]:
    """Parse one configuration file into block facts, or one diagnostic naming the failing line."""
    try:
        body = parse_hcl(text)
    except HclSyntaxError as exc:
        return [], [Diagnostic(Loc(path, exc.line), Severity.ERROR, f"cannot parse HCL: {exc.message}")]
    module_dir = dirname(path) or "."
    facts: list[Fact] = []
    diagnostics: list[Diagnostic] = []
    for block in body.blocks:
        if block.type not in _TOP_LEVEL:
            diagnostics.append(Diagnostic(Loc(path, block.line), Severity.WARNING,
                                          f"unknown top-level block {block.type!r} ignored"))
            continue
        facts.append(Fact(KIND_BLOCK, Loc(path, block.line), TfBlock(module_dir, block)))
    for attribute in body.attributes:
        diagnostics.append(Diagnostic(Loc(path, attribute.line), Severity.WARNING,
                                      f"top-level attribute {attribute.name!r} is not Terraform configuration"))
    return facts, diagnostics
