"""Read and write the architecture document: BOM kept, atomic replace, nothing written when nothing changed."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = "\ufeff"


@dataclass(frozen=True)
class Existing:
    text: str
    bom: bool


def read(path: Path) -> Existing | None:
    """The current document, or None when there is none yet."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    text = data.decode("utf-8")
    if text.startswith(BOM):
        return Existing(text[1:], True)
    return Existing(text, False)


def write_atomic(path: Path, text: str, bom: bool = False) -> bool:
    """Replace the file in one step (temporary file + rename); False when the bytes are already the same."""
    data = ((BOM if bom else "") + text).encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False  # same bytes: keep the file and its mtime
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True
