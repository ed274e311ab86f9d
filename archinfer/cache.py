"""A content-addressed cache of what scans computed: parsed files, and whole results; safe to delete.

Entries are keyed by the content they were computed from, archinfer's own code and the versions of the
parsers, so a stale entry is never found, only a missing one. Entries are pickles read back with an
unpickler that only builds archinfer's own types and plain data: a cache folder someone else wrote
cannot run code. A corrupt, foreign or unreadable entry is ignored (and reported once); writes are atomic.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import replace

FORMAT = b"archinfer-cache-1\n"
# Entries no scan has used for this long are deleted (checked at most once per PRUNE_EVERY_HOURS).
MAX_IDLE_DAYS = 30
PRUNE_EVERY_HOURS = 24
# Modules whose classes an entry may hold: our own, and the standard types facts are built from.
_ALLOWED_MODULES = ("archinfer.", "builtins", "collections", "enum", "decimal", "datetime", "pathlib")
_ALLOWED_BUILTINS = frozenset({"set", "frozenset", "tuple", "list", "dict", "str", "bytes", "int", "float", "bool",
                               "complex", "slice", "range", "object", "getattr"})


def default_folder() -> Path:
    """$ARCHINFER_CACHE_DIR, else $XDG_CACHE_HOME/archinfer, else ~/.cache/archinfer."""
    explicit = os.environ.get("ARCHINFER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archinfer"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """archinfer's version, a digest of its own source (so a development change is a new version) and its parsers'."""
    from importlib import metadata

    from . import __version__

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    roots = [package] + [Path(m.__file__).resolve().parent for m in _subpackages()]
    for root in roots:
        for path in sorted(root.rglob("*.py")) + sorted(root.rglob("*.j2")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    for dist in ("python-hcl2", "lark", "PyYAML", "detect-secrets", "helm-python-sdk"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none".encode())
    return digest.hexdigest()


def _subpackages() -> list[Any]:
    from . import collectors, infer, templates

    return [collectors, infer, templates]


def digest(*parts: bytes | str) -> str:
    """A key from its parts (length-prefixed, so parts cannot run into each other)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name not in _ALLOWED_BUILTINS:
            raise pickle.UnpicklingError(f"builtins.{name} is not allowed in a cache entry")
        if module.startswith(_ALLOWED_MODULES) or module in _ALLOWED_MODULES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


@dataclass
class Cache:
    """One cache folder; `problems` collects what was ignored (the caller reports it once)."""

    folder: Path
    hits: int = 0
    misses: int = 0
    _problems: dict[str, tuple[int, str]] = field(default_factory=dict)  # what went wrong -> (times, an example path)

    @property
    def problems(self) -> list[str]:
        """One line per kind of problem (a broken cache must not flood the terminal with one line per entry)."""
        return [f"{example}: {what}" + (f" (and {count - 1} more entries)" if count > 1 else "")
                for what, (count, example) in sorted(self._problems.items())]

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / f"{key}.pickle"

    def get(self, kind: str, key: str) -> Any | None:
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            self.misses += 1
            return None
        except OSError as exc:
            self._problem(path, f"cannot read cache entry ({exc.strerror or exc}); ignored")
            self.misses += 1
            return None
        if not data.startswith(FORMAT):
            self._problem(path, "not an archinfer cache entry (foreign or older format); ignored")
            self.misses += 1
            return None
        try:
            value = _SafeUnpickler(io.BytesIO(data[len(FORMAT):])).load()
        except Exception as exc:  # truncated, corrupt or hostile: never trusted, recomputed instead
            self._problem(path, f"corrupt cache entry ({type(exc).__name__}); ignored")
            self.misses += 1
            return None
        self.hits += 1
        try:
            os.utime(path)  # used: kept by prune() for another MAX_IDLE_DAYS
        except OSError:
            pass
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        try:
            payload = FORMAT + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            replace(path, payload, 0o600)  # parsed copies of the scanned files: the user's alone
        except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError) as exc:
            # A read-only or full disk makes the cache useless, not the scan wrong.
            self._problem(self.folder, f"cannot write the cache ({getattr(exc, 'strerror', None) or type(exc).__name__})")

    def prune(self, now: float | None = None) -> int:
        """Delete entries unused for MAX_IDLE_DAYS, at most once per PRUNE_EVERY_HOURS; the number deleted.

        Entries are keyed by content, so every edited file leaves its old entry behind: without this the
        folder would only grow.
        """
        import time

        now = time.time() if now is None else now
        stamp = self.folder / "last-prune"
        try:
            if now - stamp.stat().st_mtime < PRUNE_EVERY_HOURS * 3600:
                return 0
        except FileNotFoundError:
            pass
        except OSError:
            return 0
        removed = 0
        for entry in self.folder.glob("*/*/*.pickle"):
            try:
                if now - entry.stat().st_mtime > MAX_IDLE_DAYS * 86400:
                    entry.unlink()
                    removed += 1
            except OSError:
                continue  # another scan removed or is replacing it
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp.touch()
            os.utime(stamp, (now, now))
        except OSError:
            pass
        return removed

    def absorb(self, other: "Cache") -> None:
        """Add the problems another copy of this cache met (a pool worker's)."""
        for what, (count, example) in other._problems.items():
            mine, first = self._problems.get(what, (0, example))
            self._problems[what] = (mine + count, first)

    def _problem(self, where: Path, what: str) -> None:
        count, example = self._problems.get(what, (0, str(where)))
        self._problems[what] = (count + 1, example)
