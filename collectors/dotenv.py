"""`.env` files: every value in them is a secret; only the names and lines are recorded."""

from __future__ import annotations

import posixpath
import re

from ..model import Diagnostic, Fact, Limits, Loc
from .secrets import KIND_WITHHELD, Withheld

NAME = "dotenv"

_LINE = re.compile(r"^\s*(?:export\s+)?(?P<name>[A-Za-z_][\w.-]*)\s*=\s*(?P<value>.*?)\s*$")


def matches(path: str) -> bool:
    """`.env`, `.env.production`, `prod.env`: the files Docker Compose, dotenv libraries and azd read."""
    name = posixpath.basename(path)
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def collect(path: str, text: str, limits: Limits = Limits()) -> tuple[list[Fact], list[Diagnostic]]:
    """One withheld entry per variable that has a value; nothing else of the file is kept."""
    facts: list[Fact] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line)
        if match and match["value"] not in ("", '""', "''"):
            facts.append(Fact(KIND_WITHHELD, Loc(path, number),
                              Withheld(f"value of {match['name']}", "a .env file: its values are never read into any output")))
    return facts, []
