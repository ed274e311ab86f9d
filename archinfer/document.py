"""Read and write the architecture document: BOM kept, atomic replace, nothing written when nothing changed."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = "\ufeff"


class UnreadableDocument(Exception):
    """The path given for the document holds something archinfer must not overwrite or cannot read as text."""


@dataclass(frozen=True)
class Existing:
    text: str
    bom: bool


def read(path: Path) -> Existing | None:
    """The current document, or None when there is none yet; UnreadableDocument when it is not a UTF-8 text file."""
    if path.is_dir():
        raise UnreadableDocument(f"{path}: is a directory, not a document (give a file path with -o)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UnreadableDocument(f"{path}: cannot read the document: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Refreshing would mean rewriting bytes we cannot read: a person's text could be lost.
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableDocument(f"{path}:{line}: the document is not UTF-8 text ({exc.reason}); "
                                 "nothing was written") from None
    if "\x00" in text:
        raise UnreadableDocument(f"{path}:{text[: text.index(chr(0))].count(chr(10)) + 1}: the document holds NUL bytes "
                                 "(a binary file?); nothing was written")
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
    replace(path, data, path.stat().st_mode & 0o7777 if path.exists() else 0o644, durable=True)
    return True


def replace(path: Path, data: bytes, mode: int = 0o644, durable: bool = False) -> None:
    """Write `data` to a temporary file beside `path` and rename it over `path`: readers see old or new, never half.

    `durable` also syncs the data to disk first (the document; a cache entry can be recomputed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
