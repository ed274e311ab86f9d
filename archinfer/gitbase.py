"""The scanned folder as it was at a git revision, copied out with plumbing commands (no checkout, no hooks)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Plumbing only, with anything a repository's config could make git run switched off.
_SAFE = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "protocol.allow=never"]


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the revision does not exist."""


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", *_SAFE, "-C", str(repo), *args], input=data, capture_output=True, check=False,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0"}, timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than 120 s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return proc.stdout


def export(path: Path, ref: str, dest: Path) -> Path:
    """Write the files under `path` as of `ref` into `dest`; returns the folder that corresponds to `path`."""
    top_and_prefix = _git(path, "rev-parse", "--show-toplevel", "--show-prefix").decode("utf-8").splitlines()
    top = Path(top_and_prefix[0])
    prefix = top_and_prefix[1] if len(top_and_prefix) > 1 else ""
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix or ".")
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind == "blob" and mode != "120000":  # links are not followed in scans either
            entries.append((raw_name.decode("utf-8", "surrogateescape"), sha))
    if entries:
        batch = _git(top, "cat-file", "--batch", data=b"".join(f"{sha}\n".encode() for _, sha in entries))
        position = 0
        for name, sha in entries:
            header_end = batch.index(b"\n", position)
            size = int(batch[position:header_end].split()[2])
            content = batch[header_end + 1: header_end + 1 + size]
            position = header_end + 1 + size + 1
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    folder = dest / prefix
    folder.mkdir(parents=True, exist_ok=True)
    return folder
