"""The `archinfer` command: scan writes the document, check compares it; one error handler, clear exit codes."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from .model import Severity

if TYPE_CHECKING:
    from .scan import ClusterOptions

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
DEFAULT_OUTPUT = "ARCHITECTURE.md"

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Fill the infrastructure sections of a High Level architecture document from infrastructure code.\n\n"
    "Example:  archinfer scan ./infra            (writes ./infra/ARCHITECTURE.md)",
)


class Lang(str, Enum):
    ko = "ko"
    en = "en"


class UsageError(Exception):
    """A mistake in how archinfer was called (exit 2)."""


class DocumentError(Exception):
    """The existing document cannot be refreshed safely (exit 1); it is left untouched."""


@dataclass(frozen=True)
class Outcome:
    text: str
    old: str | None
    bom: bool
    conflicts: tuple[tuple[str, int], ...]
    warnings: int


PathArg = typer.Argument(..., help="Folder with the infrastructure code to scan.", show_default=False)
OutputOpt = typer.Option(None, "--output", "-o", help=f"Document to write; '-' for stdout. [default: PATH/{DEFAULT_OUTPUT}]")
LangOpt = typer.Option(Lang.ko, "--lang", help="Language of a new document.")
StrictOpt = typer.Option(False, "--strict", help="Fail (exit 1) when the scan reports warnings.")
TakeNewOpt = typer.Option(False, "--take-new", help="In regions a person edited, replace their text with the new one.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print only errors.")
ClusterOpt = typer.Option(False, "--cluster", help="Also read the live cluster of the current kubeconfig context (read-only; needs archinfer\\[cluster]).")
ContextOpt = typer.Option(None, "--context", help="kubeconfig context for --cluster.")
KubeconfigOpt = typer.Option(None, "--kubeconfig", help="kubeconfig file for --cluster.")


def _output_path(path: Path, output: Optional[str]) -> Optional[Path]:
    if output == "-":
        return None
    return Path(output) if output else path / DEFAULT_OUTPUT


def _produce(path: Path, output: Optional[str], lang: Lang, take_new: bool, quiet: bool,
             cluster: "ClusterOptions | None" = None) -> Outcome:
    """The shared path of scan and check: analyse, render, merge into the existing document."""
    from . import document
    from .merge import MarkerError, merge
    from .render import render_document, render_regions
    from .scan import analyze

    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory (give the folder that holds the infrastructure code)")
    analysis = analyze(path, lang.value, cluster=cluster)
    for diagnostic in analysis.diagnostics:
        if diagnostic.severity is not Severity.INFO and not quiet:
            typer.echo(str(diagnostic), err=True)
    warnings = sum(1 for d in analysis.diagnostics if d.severity is not Severity.INFO)
    target = _output_path(path, output)
    existing = document.read(target) if target is not None else None
    if existing is None:
        return Outcome(render_document(analysis.views, lang.value), None, False, (), warnings)
    try:
        result = merge(existing.text, render_regions(analysis.views, lang.value), take_new)
    except MarkerError as exc:
        raise DocumentError(f"{target}:{exc.line}: {exc}; fix the markers, nothing was written") from exc
    for region_id in result.missing:
        if not quiet:
            typer.echo(f"{target}: warning: region {region_id} is not in the document (removed by a person?); not re-added", err=True)
    return Outcome(result.text, existing.text, existing.bom, result.conflicts, warnings)


@app.command()
def scan(path: Path = PathArg, output: Optional[str] = OutputOpt, lang: Lang = LangOpt, strict: bool = StrictOpt,
         take_new: bool = TakeNewOpt, quiet: bool = QuietOpt, cluster: bool = ClusterOpt,
         context: Optional[str] = ContextOpt, kubeconfig: Optional[str] = KubeconfigOpt) -> None:
    """Create or refresh the document from the infrastructure code under PATH.

    Example:  archinfer scan ./infra -o docs/architecture.md
    Example:  archinfer scan . --cluster --context prod-aks
    """
    from . import document
    from .scan import ClusterOptions

    options = ClusterOptions(context, kubeconfig) if cluster or context or kubeconfig else None
    outcome = _produce(path, output, lang, take_new, quiet, options)
    target = _output_path(path, output)
    if target is None:
        sys.stdout.write(outcome.text)
    else:
        changed = document.write_atomic(target, outcome.text, outcome.bom)
        if not quiet:
            typer.echo(f"{target}: {'written' if changed else 'up to date'}", err=True)
    for region_id, line in outcome.conflicts:
        typer.echo(f"{target}:{line}: conflict: region {region_id} was edited by hand and the infrastructure changed; "
                   "kept the hand edit (use --take-new to replace it)", err=True)
    if outcome.conflicts or (strict and outcome.warnings):
        raise typer.Exit(EXIT_FAIL)


@app.command()
def check(path: Path = PathArg, output: Optional[str] = OutputOpt, lang: Lang = LangOpt, strict: bool = StrictOpt,
          quiet: bool = QuietOpt) -> None:
    """Exit 1 and show the diff when the document is not what scan would write. Never writes.

    Example:  archinfer check ./infra
    """
    outcome = _produce(path, output, lang, False, quiet)
    target = _output_path(path, output) or Path(DEFAULT_OUTPUT)
    stale = outcome.old != outcome.text
    if stale:
        diff = difflib.unified_diff((outcome.old or "").splitlines(keepends=True), outcome.text.splitlines(keepends=True),
                                    f"{target} (committed)", f"{target} (from the infrastructure code)")
        sys.stdout.writelines(diff)
        typer.echo(f"{target}: stale: run `archinfer scan {path}` and commit the result", err=True)
    for region_id, line in outcome.conflicts:
        typer.echo(f"{target}:{line}: conflict: region {region_id} was edited by hand and the infrastructure changed", err=True)
    if stale or outcome.conflicts or (strict and outcome.warnings):
        raise typer.Exit(EXIT_FAIL)
    if not quiet:
        typer.echo(f"{target}: up to date", err=True)


def main() -> None:
    """Entry point: Typer handles usage errors (exit 2); ours become one message and an exit code."""
    try:
        app()
    except UsageError as exc:
        typer.echo(f"archinfer: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except DocumentError as exc:
        typer.echo(f"archinfer: error: {exc}", err=True)
        sys.exit(EXIT_FAIL)
