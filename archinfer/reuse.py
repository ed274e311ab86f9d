"""Reuse a whole earlier result when none of its inputs changed: the re-scan of an unchanged tree reads no parser.

An entry records every input path of the result with its size, modification time and content digest (or
that it was absent). It is valid while the tree has the same candidate files (those a collector reads)
and every input is unchanged: same size and time, or else the same content. Anything else is a miss.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

_ABSENT = ""


@dataclass(frozen=True)
class Input:
    """One input as it was: size and mtime (a quick check) and a content digest (the real one); '' = absent."""

    path: str
    size: int
    mtime_ns: int
    sha: str


@dataclass(frozen=True)
class Entry:
    """A cached result: what it was computed from, and the result itself."""

    candidates: tuple[str, ...]
    inputs: tuple[Input, ...]
    payload: Any


def snapshot(root: Path, paths: Iterable[str]) -> tuple[Input, ...]:
    return tuple(_input(root, rel) for rel in sorted(set(paths)))


def valid(root: Path, entry: Entry, candidates: tuple[str, ...]) -> bool:
    """Whether `entry` still describes the tree: the same candidate files, and every input unchanged."""
    if entry.candidates != candidates:
        return False
    for recorded in entry.inputs:
        now = _stat(root / recorded.path)
        if now is None:
            if recorded.sha != _ABSENT:
                return False
            continue
        if recorded.sha == _ABSENT:
            return False
        if now == (recorded.size, recorded.mtime_ns):
            continue  # like git's index: same size and time means same content
        if now[0] != recorded.size or _digest(root / recorded.path) != recorded.sha:
            return False
    return True


def _input(root: Path, rel: str) -> Input:
    path = root / rel
    found = _stat(path)
    if found is None:
        return Input(rel, 0, 0, _ABSENT)
    return Input(rel, found[0], found[1], _digest(path) or _ABSENT)


def _stat(path: Path) -> tuple[int, int] | None:
    """(size, mtime) of a regular file that is not a link; None for anything else (what the scan would not read)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return _ABSENT
