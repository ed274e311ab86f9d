"""The one explicit list of collectors: each module satisfies the Collector protocol."""

from __future__ import annotations

from types import ModuleType
from typing import Protocol

from ..model import Diagnostic, Fact, Limits
from . import dockerfile, dotenv, jenkinsfile, terraform, tfvars, yaml_files


class Collector(Protocol):
    """A collector reads one file format: `matches` picks files, `collect` turns text into facts."""

    NAME: str

    def matches(self, path: str) -> bool: ...

    def collect(self, path: str, text: str, limits: Limits = ...) -> tuple[list[Fact], list[Diagnostic]]: ...


def collectors() -> dict[str, Collector]:
    """Collectors by name, in the order they are offered each file (first match wins)."""
    modules: tuple[ModuleType, ...] = (terraform, tfvars, yaml_files, jenkinsfile, dockerfile, dotenv)
    return {m.NAME: m for m in modules}
