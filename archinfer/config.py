"""Project configuration from `.archinfer.toml` or `[tool.archinfer]` in pyproject.toml; unknown keys are errors."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import LIMIT_NAMES

KEYS: dict[str, type | tuple[type, ...]] = {"output": str, "lang": str, "ignore": list, "templates": str, "strict": bool, "limits": dict, "jobs": int,
        "cache": (str, bool)}


class ConfigError(Exception):
    """The configuration file is not valid (a usage error: exit 2)."""


@dataclass(frozen=True)
class Config:
    """Settings a project keeps in its repository; command-line flags win over them."""

    output: str | None = None
    lang: str | None = None
    ignore: tuple[str, ...] = ()  # glob patterns of paths (relative to the scanned folder) not to read
    templates: str | None = None  # a folder whose document.<lang>.md.j2 or sections/<id>.md.j2 override the built-in ones
    strict: bool = False
    limits: tuple[tuple[str, int], ...] = ()  # [limits] max_file_bytes = ..., overriding the defaults of model.Limits
    jobs: int | None = None  # processes that parse files (None: the usable cores)
    cache: str | bool | None = None  # a cache folder relative to the scanned folder, false for none, None: the default
    source: str = field(default="", compare=False)


def load(folder: Path) -> Config:
    """The configuration for a scan of `folder`: its .archinfer.toml, else pyproject.toml's [tool.archinfer]."""
    dedicated = folder / ".archinfer.toml"
    if dedicated.is_file():
        return _parse(_read(dedicated), str(dedicated), folder)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        tool = _read(pyproject).get("tool", {})
        table = tool.get("archinfer") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            return _parse(table, f"{pyproject} [tool.archinfer]", folder)
    return Config()


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _parse(table: dict[str, Any], source: str, folder: Path) -> Config:
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(KEYS))})")
    for key, value in table.items():
        expected = KEYS[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            names = " or ".join(t.__name__ for t in expected) if isinstance(expected, tuple) else expected.__name__
            raise ConfigError(f"{source}: {key} must be a {names}")
    if table.get("jobs", 1) < 1:
        raise ConfigError(f"{source}: jobs must be at least 1")
    if table.get("cache") is True:
        raise ConfigError(f"{source}: cache must be a folder or false")
    if "lang" in table and table["lang"] not in ("ko", "en"):
        raise ConfigError(f"{source}: lang must be ko or en")
    ignore = table.get("ignore", [])
    if not all(isinstance(p, str) for p in ignore):
        raise ConfigError(f"{source}: ignore must be a list of glob patterns")
    templates = table.get("templates")
    return Config(table.get("output"), table.get("lang"), tuple(ignore),
                  str(folder / templates) if templates else None, bool(table.get("strict", False)),
                  _limits(table.get("limits", {}), source), table.get("jobs"), table.get("cache"), source)


def _limits(table: dict[str, Any], source: str) -> tuple[tuple[str, int], ...]:
    unknown = sorted(set(table) - set(LIMIT_NAMES))
    if unknown:
        raise ConfigError(f"{source}: unknown limit(s) {', '.join(unknown)} (known: {', '.join(LIMIT_NAMES)})")
    for name, value in table.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{source}: limits.{name} must be a positive integer")
    return tuple(sorted(table.items()))
