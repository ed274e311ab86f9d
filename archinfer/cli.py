"""The `archinfer` command: scan writes the document, check compares it; one error handler, clear exit codes."""

from __future__ import annotations

import difflib
import functools
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import typer

from .model import Limits, Severity
from .redact import redact
from .render import TemplateProblem

if TYPE_CHECKING:
    from .cache import Cache
    from .infer.state import Entry
    from .model import Diagnostic
    from .scan import Analysis, Progress
    from .infer.redactions import Redaction
    from .infer.state import Change
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


class DiffFormat(str, Enum):
    md = "md"
    json = "json"


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
    state: str = ""  # the new state file's text
    old_state: str | None = None  # the recorded state file's text, if any
    changes: tuple["Change", ...] = ()  # recorded state -> new state
    redactions: tuple[tuple[str, str, str], ...] = ()  # (path:line, what, why) withheld, for --show-redactions


PathArg = typer.Argument(..., help="Folder with the infrastructure code to scan.", show_default=False)
OutputOpt = typer.Option(None, "--output", "-o", help=f"Document to write; '-' for stdout. [default: PATH/{DEFAULT_OUTPUT}]")
LangOpt = typer.Option(None, "--lang", help="Language of a new document [default: ko, or the config file's].")
StrictOpt = typer.Option(False, "--strict", help="Fail (exit 1) when the scan reports warnings.")
TakeNewOpt = typer.Option(False, "--take-new", help="In regions a person edited, replace their text with the new one.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print only errors (and no progress bar).")
JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="Processes that parse files [default: the usable CPU cores].")
CacheDirOpt = typer.Option(None, "--cache-dir", help="Cache of parsed files and results [default: $ARCHINFER_CACHE_DIR, "
                                                     "else ~/.cache/archinfer]; safe to delete.")
NoCacheOpt = typer.Option(False, "--no-cache", help="Neither read nor write the cache.")
RedactionsOpt = typer.Option(False, "--show-redactions", help="List on stderr what was withheld as secret, and why (names and lines only).")
ClusterOpt = typer.Option(False, "--cluster", help="Also read the live cluster of the current kubeconfig context (read-only; needs archinfer\\[cluster]).")
ContextOpt = typer.Option(None, "--context", help="kubeconfig context for --cluster.")
KubeconfigOpt = typer.Option(None, "--kubeconfig", help="kubeconfig file for --cluster.")


def _output_path(path: Path, output: Optional[str]) -> Optional[Path]:
    if output == "-":
        return None
    return Path(output) if output else path / DEFAULT_OUTPUT


@dataclass(frozen=True)
class Settings:
    """Flags merged over the project's config file (flags win)."""

    output: Optional[str]
    lang: str
    strict: bool
    ignore: tuple[str, ...]
    templates: Optional[str]
    limits: tuple[tuple[str, int], ...] = ()
    jobs: int = 1
    cache_dir: Optional[str] = None  # None: no cache

    def scan_limits(self) -> Limits:
        """The bounds of this scan: the defaults, with the config file's [limits] over them."""
        return Limits(ignore=self.ignore, **dict(self.limits))


def _settings(path: Path, output: Optional[str], lang: Optional[Lang], strict: bool, jobs: Optional[int] = None,
              cache_dir: Optional[str] = None, no_cache: bool = False) -> Settings:
    from .config import ConfigError, load

    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory (give the folder that holds the infrastructure code)")
    try:
        config = load(path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    configured_output = str(path / config.output) if config.output else None
    _check_output(output if output is not None else configured_output)
    if no_cache or config.cache is False:
        cache = None
    else:
        from .cache import default_folder

        cache = cache_dir or (str(path / config.cache) if isinstance(config.cache, str) else str(default_folder()))
    return Settings(output if output is not None else configured_output, lang.value if lang else (config.lang or "ko"),
                    strict or config.strict, config.ignore, config.templates, config.limits,
                    jobs or config.jobs or _cores(), cache)


def _cores() -> int:
    """The cores this process may use (a CI container's CPU set, not the host's count)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _analyze(path: Path, settings: Settings, quiet: bool, cluster: "ClusterOptions | None" = None,
             label: Optional[str] = None, cache: "Cache | None" = None) -> "Analysis":
    """analyze() with this run's processes, cache and progress bar; cache problems are printed, never fatal.

    Given `cache`, the caller (which keeps using it) prints its problems; else this run's own is opened here.
    """
    from .scan import analyze

    own = cache is None and settings.cache_dir is not None
    if cache is None and settings.cache_dir is not None:
        from .cache import Cache

        cache = Cache(Path(settings.cache_dir))
    progress = None if quiet else _progress_bar()
    analysis = analyze(path, settings.lang, settings.scan_limits(), cluster=cluster, label=label, jobs=settings.jobs,
                       cache=cache, progress=progress)
    if cache is not None:
        cache.prune()
        if own:
            _cache_problems(cache, quiet)
    return analysis


def _cache_problems(cache: "Cache", quiet: bool) -> None:
    if not quiet:
        for problem in cache.problems:
            typer.echo(f"archinfer: warning: cache: {problem}", err=True)


def _progress_bar() -> "Progress | None":
    """A progress bar on stderr when it is a terminal (never in CI logs or pipes)."""
    if not sys.stderr.isatty():
        return None
    from .progress import Bar

    return Bar()


def _check_output(output: Optional[str]) -> None:
    """Refuse an output path that is a folder before spending a scan on it."""
    if output not in (None, "-") and Path(output).is_dir():
        raise UsageError(f"{output}: is a directory, not a document (give a file path with -o)")


@dataclass(frozen=True)
class Result:
    """What a scan of the tree yields before it meets the existing document (the part a cache can keep)."""

    # Plain data only (and model types): a cache hit then imports neither the inference code nor the collectors.
    diagnostics: tuple["Diagnostic", ...]
    withheld: tuple[tuple[str, str, str], ...]  # (path:line, what, why)
    state_text: str  # the inferred architecture as the state file holds it
    regions: dict[str, str]  # each region's body, for refreshing a document
    document: str  # the whole document, for a first scan
    files: tuple[tuple[str, str], ...] = ()  # (collector, status) of every file handed to a collector


def _result(path: Path, settings: Settings, quiet: bool, cluster: "ClusterOptions | None") -> Result:
    """The scan's result: reused from the cache when none of its inputs changed, else computed (and kept)."""
    cache, key = None, ""
    candidates: tuple[str, ...] = ()
    if settings.cache_dir is not None and cluster is None:  # a live cluster is an input no digest covers
        from .cache import Cache

        cache = Cache(Path(settings.cache_dir))
        key, candidates = _result_key(path, settings), _candidates(path, settings)
        entry = cache.get("result", key)
        from . import reuse

        if isinstance(entry, reuse.Entry) and reuse.valid(path, entry, candidates) and isinstance(entry.payload, Result):
            return entry.payload
    result, inputs = _compute(path, settings, quiet, cluster, cache)
    if cache is not None:
        from . import reuse

        cache.put("result", key, reuse.Entry(candidates, reuse.snapshot(path, inputs), result))
        _cache_problems(cache, quiet)
    return result


def _compute(path: Path, settings: Settings, quiet: bool, cluster: "ClusterOptions | None",
             cache: "Cache | None" = None) -> tuple[Result, tuple[str, ...]]:
    from .infer import state
    from .infer.redactions import redactions
    from .render import render_document, render_regions

    from .scan import without_gc

    with without_gc():  # the output half builds as many objects as the scan; the same reasoning holds
        analysis = _analyze(path, settings, quiet, cluster, cache=cache)
        withheld = redactions(analysis.inputs, analysis.collected.facts) if analysis.inputs is not None else ()
        regions = render_regions(analysis.views, settings.lang, settings.templates)
        result = Result(analysis.diagnostics, tuple((str(r.loc), r.what, r.why) for r in withheld),
                        state.dumps(analysis.state), regions,
                        render_document(analysis.views, settings.lang, settings.templates, regions),
                        tuple((f.kind, f.status) for f in analysis.collected.files))
    return result, analysis.collected.inputs


def _result_key(path: Path, settings: Settings) -> str:
    """Everything besides the tree that shapes the result: archinfer's code, the settings, the user's templates."""
    from .cache import code_version, digest

    templates = b""
    if settings.templates is not None:
        folder = Path(settings.templates)
        templates = b"".join(p.as_posix().encode() + p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())
    return digest(code_version(), "result", str(path.resolve()), settings.lang, repr(settings.scan_limits()), templates)


def _candidates(path: Path, settings: Settings) -> tuple[str, ...]:
    """Every file the scan walks: one that appears or goes away may change the result.

    (Stricter than needed, a new README also recomputes, but it needs none of the collectors' imports.)
    """
    from .scan import walk

    return tuple(walk(path, settings.ignore))


def _produce(path: Path, output: Optional[str], lang: Lang | str, take_new: bool, quiet: bool,
             cluster: "ClusterOptions | None" = None, settings: "Settings | None" = None) -> Outcome:
    """The shared path of scan and check: the scan's result, merged into the existing document."""
    from . import document
    from .merge import MarkerError, merge

    settings = settings or _settings(path, output, Lang(lang) if isinstance(lang, str) else lang, False)
    output = settings.output
    scanned = _result(path, settings, quiet, cluster)
    for diagnostic in scanned.diagnostics:
        if diagnostic.severity is not Severity.INFO and not quiet:
            typer.echo(redact(str(diagnostic)), err=True)
    warnings = sum(1 for d in scanned.diagnostics if d.severity is not Severity.INFO)
    if not quiet:
        typer.echo(_coverage_line(scanned, warnings), err=True)
    target = _output_path(path, output)
    old_state = _read_state(target, validate=False)
    changes: tuple["Change", ...] = ()
    if old_state is not None and old_state != scanned.state_text:
        from .infer import state

        _read_state(target)  # a state that differs must at least be one archinfer can read
        changes = state.compare(state.loads(old_state), state.loads(scanned.state_text))
    try:
        existing = document.read(target) if target is not None else None
    except document.UnreadableDocument as exc:
        raise DocumentError(str(exc)) from None
    if existing is None:
        return Outcome(scanned.document, None, False, (), warnings, scanned.state_text, old_state, changes, scanned.withheld)
    try:
        result = merge(existing.text, scanned.regions, take_new)
    except MarkerError as exc:
        raise DocumentError(f"{target}:{exc.line}: {exc}; fix the markers, nothing was written") from exc
    for region_id in result.missing:
        if not quiet:
            typer.echo(f"{target}: warning: region {region_id} is not in the document (removed by a person?); not re-added", err=True)
    text = result.text
    if text != existing.text and changes:
        from .history import add_row

        text = add_row(text, _summary(changes))
    return Outcome(text, existing.text, existing.bom, result.conflicts, warnings, scanned.state_text, old_state, changes,
                   scanned.withheld)


def _coverage_line(scanned: Result, warnings: int) -> str:
    """What the scan read, in one line for the terminal (the document's first region has the details)."""
    from collections import Counter

    kinds = Counter(kind for kind, _ in scanned.files)
    statuses = Counter(status for _, status in scanned.files)
    read = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())) or "none"
    return (f"archinfer: {len(scanned.files)} files read ({read}): {statuses['parsed']} parsed, "
            f"{statuses['ignored']} not infrastructure, {statuses['skipped']} skipped, {statuses['error']} unreadable; "
            f"{warnings} warning(s); {len(scanned.withheld)} value(s) withheld (--show-redactions lists them)")


def _print_redactions(withheld: tuple[tuple[str, str, str], ...]) -> None:
    typer.echo(f"withheld: {len(withheld)} (values never written anywhere; names and lines only)", err=True)
    for loc, what, why in withheld:
        typer.echo(f"  {loc}: {what}: {why}", err=True)


def state_path(target: Path) -> Path:
    """The file beside the document that records the state it was generated from (`X.md` -> `X.archinfer.jsonl`)."""
    return target.with_name(f"{target.stem}.archinfer.jsonl")


def _read_state(target: Optional[Path], validate: bool = True) -> Optional[str]:
    """The recorded state file's text; `validate` parses it (not needed when it equals the new state)."""
    if target is None:
        return None
    try:
        text = state_path(target).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{state_path(target)}: cannot read the recorded state: {exc}") from exc
    if not validate:
        return text
    from .infer import state

    try:
        state.loads(text)
    except ValueError as exc:
        raise DocumentError(f"{state_path(target)}: {exc}; delete the file to start a new record") from exc
    return text


def _summary(changes: tuple["Change", ...], limit: int = 3) -> str:
    """One line for the history table: the first changes, then how many more."""
    parts = [c.headline() for c in changes[:limit]]
    more = f" (+{len(changes) - limit})" if len(changes) > limit else ""
    return "; ".join(parts) + more


def _errors(command: Callable[..., None]) -> Callable[..., None]:
    """The one error handler: our errors become a message and an exit code, here and under CliRunner alike."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except UsageError as exc:
            typer.echo(f"archinfer: error: {exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        except DocumentError as exc:
            typer.echo(f"archinfer: error: {exc}", err=True)
            raise typer.Exit(EXIT_FAIL) from None
        except TemplateProblem as exc:
            typer.echo(f"archinfer: error: template: {exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None

    return run


@app.command()
@_errors
def scan(path: Path = PathArg, output: Optional[str] = OutputOpt, lang: Optional[Lang] = LangOpt, strict: bool = StrictOpt,
         take_new: bool = TakeNewOpt, quiet: bool = QuietOpt, cluster: bool = ClusterOpt,
         context: Optional[str] = ContextOpt, kubeconfig: Optional[str] = KubeconfigOpt,
         show_redactions: bool = RedactionsOpt,
         fmt: DiffFormat = typer.Option(DiffFormat.md, "--format",
                                        help="md: the document; json: facts and sections with provenance (stdout unless -o)."),
         jobs: Optional[int] = JobsOpt, cache_dir: Optional[str] = CacheDirOpt, no_cache: bool = NoCacheOpt) -> None:
    """Create or refresh the document from the infrastructure code under PATH.

    Example:  archinfer scan ./infra -o docs/architecture.md
    Example:  archinfer scan . --cluster --context prod-aks
    Example:  archinfer scan ./infra --format json > architecture.json
    """
    from . import document
    from .scan import ClusterOptions

    options = ClusterOptions(context, kubeconfig) if cluster or context or kubeconfig else None
    if fmt is DiffFormat.json:
        _scan_json(path, output, quiet, options, _settings(path, None, lang, strict, jobs, cache_dir, no_cache))
        return
    settings = _settings(path, output, lang, strict, jobs, cache_dir, no_cache)
    outcome = _produce(path, settings.output, settings.lang, take_new, quiet, options, settings)
    if show_redactions:
        _print_redactions(outcome.redactions)
    target = _output_path(path, settings.output)
    if target is None:
        sys.stdout.write(outcome.text)
    else:
        changed = document.write_atomic(target, outcome.text, outcome.bom)
        document.write_atomic(state_path(target), outcome.state)
        if not quiet:
            typer.echo(f"{target}: {'written' if changed else 'up to date'}", err=True)
            for change in outcome.changes:
                typer.echo(f"  {change.describe()}", err=True)
    for region_id, line in outcome.conflicts:
        typer.echo(f"{target}:{line}: conflict: region {region_id} was edited by hand and the infrastructure changed; "
                   "kept the hand edit (use --take-new to replace it)", err=True)
    if outcome.conflicts or (settings.strict and outcome.warnings):
        raise typer.Exit(EXIT_FAIL)


def _scan_json(path: Path, output: Optional[str], quiet: bool, options: "ClusterOptions | None",
               settings: Settings) -> None:
    """The JSON form of a scan (schema/archinfer-output.schema.json): written whole, never merged."""
    from . import document
    from .jsonout import dumps, to_json

    _check_output(output)
    label = path.resolve().name or "."
    analysis = _analyze(path, settings, quiet, options, label)
    for diagnostic in analysis.diagnostics:
        if diagnostic.severity is not Severity.INFO and not quiet:
            typer.echo(redact(str(diagnostic)), err=True)
    text = dumps(to_json(analysis, label))
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        document.write_atomic(Path(output), text)
    if settings.strict and any(d.severity is not Severity.INFO for d in analysis.diagnostics):
        raise typer.Exit(EXIT_FAIL)


@app.command()
@_errors
def check(path: Path = PathArg, output: Optional[str] = OutputOpt, lang: Optional[Lang] = LangOpt, strict: bool = StrictOpt,
          quiet: bool = QuietOpt, jobs: Optional[int] = JobsOpt, cache_dir: Optional[str] = CacheDirOpt,
          no_cache: bool = NoCacheOpt) -> None:
    """Exit 1 and show the diff when the document is not what scan would write. Never writes.

    Example:  archinfer check ./infra
    """
    settings = _settings(path, output, lang, strict, jobs, cache_dir, no_cache)
    strict, output = settings.strict, settings.output
    outcome = _produce(path, output, settings.lang, False, quiet, settings=settings)
    target = _output_path(path, output) or Path(DEFAULT_OUTPUT)
    stale = outcome.old != outcome.text or (_output_path(path, output) is not None and outcome.old_state != outcome.state)
    if stale:
        if outcome.changes:
            sys.stdout.write("What changed in the architecture:\n" + "".join(f"- {c.describe()}\n" for c in outcome.changes) + "\n")
        diff = difflib.unified_diff((outcome.old or "").splitlines(keepends=True), outcome.text.splitlines(keepends=True),
                                    f"{target} (committed)", f"{target} (from the infrastructure code)")
        sys.stdout.writelines(redact(line) for line in diff)
        if outcome.old_state != outcome.state and outcome.old == outcome.text:
            sys.stdout.write(f"{state_path(target)}: the recorded state differs from the infrastructure code\n")
        typer.echo(f"{target}: stale: run `archinfer scan {path}` and commit the result", err=True)
    for region_id, line in outcome.conflicts:
        typer.echo(f"{target}:{line}: conflict: region {region_id} was edited by hand and the infrastructure changed", err=True)
    if stale or outcome.conflicts or (strict and outcome.warnings):
        raise typer.Exit(EXIT_FAIL)
    if not quiet:
        typer.echo(f"{target}: up to date", err=True)


@app.command()
@_errors
def diff(path: Path = PathArg, output: Optional[str] = OutputOpt, lang: Optional[Lang] = LangOpt, quiet: bool = QuietOpt,
         base: Optional[str] = typer.Option(None, "--base", help="Compare with the code at this git revision instead of the recorded state."),
         fmt: DiffFormat = typer.Option(DiffFormat.md, "--format", help="md for a PR comment, json for tools."),
         jobs: Optional[int] = JobsOpt, cache_dir: Optional[str] = CacheDirOpt, no_cache: bool = NoCacheOpt) -> None:
    """How the inferred architecture changed: against the state the document was generated from, or a git revision.

    Example:  archinfer diff ./infra --base origin/main --format md
    """
    import json
    import tempfile

    from .gitbase import GitError, export
    from .infer import state

    settings = _settings(path, output, lang, False, jobs, cache_dir, no_cache)
    output = settings.output
    label = path.resolve().name
    current = _analyze(path, settings, quiet, label=label).state
    if base is not None:
        with tempfile.TemporaryDirectory(prefix="archinfer-base-") as tmp:
            try:
                old_root = export(path, base, Path(tmp))
            except GitError as exc:
                raise UsageError(f"--base {base}: {exc}") from exc
            previous = _analyze(old_root, settings, quiet, label=label).state
        against = base
    else:
        recorded = _read_state(_output_path(path, output) or path / DEFAULT_OUTPUT)
        if recorded is None:
            raise UsageError(f"no recorded state beside the document: run `archinfer scan {path}` first, or use --base REF")
        previous, against = state.loads(recorded), "the document"
    changes = state.compare(previous, current)
    if fmt is DiffFormat.json:
        sys.stdout.write(redact(json.dumps({"against": against, "changes": [_change_json(c) for c in changes]},
                                           ensure_ascii=False, indent=2)) + "\n")
        return
    if not changes:
        sys.stdout.write(f"No architecture change against {against}.\n")
        return
    sys.stdout.write(f"### archinfer: architecture changes against {against}\n\n")
    sys.stdout.write(redact("".join(f"- {_md_change(c)}\n" for c in changes)))


def _change_json(change: "Change") -> dict[str, object]:
    return {"kind": change.kind, "section": change.section, "subject": change.subject, "property": change.prop,
            "old": change.old, "new": change.new, "evidence": [str(e) for e in change.evidence]}


def _md_change(change: "Change") -> str:
    from .render import format_evidence, md_escape

    return md_escape(change.headline()) + format_evidence(change.evidence)


def main() -> None:
    """Entry point: usage errors exit 2 (Typer's own and ours), stale or conflicting documents 1."""
    app()
