"""The facts collectors record and the diagnostics every stage reports, each with its path:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


@dataclass(frozen=True, order=True)
class Loc:
    """Where a fact was read: a path relative to the scanned root, and a 1-based line (0 = whole file)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class Severity(str, Enum):
    """How bad a diagnostic is: INFO is never printed; WARNING and ERROR are, and fail the run with --strict."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A message about the input, always naming the file (and the line where there is one)."""

    loc: Loc
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity.value}: {self.message}"


@dataclass(frozen=True)
class Limits:
    """Explicit bounds on what one scan reads (each configurable under [limits] in .archinfer.toml).

    Past a bound, archinfer says so in a diagnostic naming the file (and line) and goes on with the rest.
    """

    max_file_bytes: int = 5 * 1024 * 1024  # larger files are skipped
    max_yaml_aliases: int = 100  # alias uses per YAML file; real manifests use a few
    max_yaml_nodes: int = 1_000_000  # nodes a YAML document may expand to through aliases
    max_nesting: int = 200  # YAML nesting depth (HCL expressions stop at Python's own recursion limit)
    max_eval_steps: int = 200_000  # Terraform expressions evaluated per deployment
    max_facts: int = 2_000_000  # facts per scan; files past it are skipped
    ignore: tuple[str, ...] = ()  # glob patterns of paths not to read at all (not a bound; kept with the others)


LIMIT_NAMES = ("max_file_bytes", "max_yaml_aliases", "max_yaml_nodes", "max_nesting", "max_eval_steps", "max_facts")


@dataclass(frozen=True)
class Fact:
    """One thing a file says, as the file says it: `kind` names the collector's record type."""

    kind: str
    loc: Loc
    data: Any = field(compare=False)


@dataclass(frozen=True)
class FileReport:
    """What happened to one scanned file: which collector read it, and whether it parsed."""

    path: str
    kind: str
    status: str  # "parsed" | "error" | "skipped"
    detail: str = ""


@dataclass(frozen=True)
class CollectResult:
    """Everything the collectors produced for a tree: facts, per-file outcomes and diagnostics."""

    facts: tuple[Fact, ...]
    files: tuple[FileReport, ...]
    diagnostics: tuple[Diagnostic, ...]
    inputs: tuple[str, ...] = ()  # every path the result depends on (read, tried, or rendered by Helm), sorted

    def read_infrastructure(self) -> bool:
        """Whether any infrastructure file parsed (a scan that read nothing useful must say so loudly)."""
        return any(f.status == "parsed" and f.kind != "dotenv" for f in self.files)


def internal_error(what: str, exc: BaseException) -> str:
    """A diagnostic message for a bug of ours: where it happened, never the exception's text (it may quote a secret)."""
    import traceback

    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        folder, _, name = frame.filename.replace("\\", "/").rpartition("/")
        package = folder.rpartition("/")[2]
        if package in ("archinfer", "collectors", "infer"):  # our packages (collectors/infer ship inside archinfer)
            where = f" at {package}/{name}:{frame.lineno} in {frame.name}"
            break
    return f"internal error in {what}: {type(exc).__name__}{where}; the rest of the scan went on (please report this)"
