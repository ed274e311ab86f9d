"""Build a real-world benchmark corpus from local git mirrors (bare git dirs, no work tree).

    .venv/bin/python benchmarks/corpus.py /work/.mirror/*/repo --out /tmp/archinfer-corpus
    .venv/bin/python benchmarks/run.py /tmp/archinfer-corpus

Each mirror's HEAD tree is listed with `git ls-tree -r` and the wanted files are read with one
`git cat-file --batch` per mirror (`git archive` stops at the first blob that is missing, which
happens with LFS or partial clones). Each mirror lands in OUT/<mirror name>/. Symbolic links,
submodules, missing blobs, Git LFS pointers and files larger than --max-bytes are skipped and counted.

The corpus is never written inside this repository: OUT must be outside it (default: a new temp folder).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SUFFIXES = (".tf", ".tfvars", ".yaml", ".yml", ".tpl")
DEFAULT_NAMES = ("Dockerfile", "Jenkinsfile", ".gitlab-ci.yml")
LFS_POINTER = b"version https://git-lfs.github.com/spec/"


@dataclass
class Tally:
    """What was extracted from one mirror, and what was skipped and why."""

    name: str
    files: int = 0
    bytes: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        """Count one skipped file."""
        self.skipped[why] = self.skipped.get(why, 0) + 1


@dataclass(frozen=True)
class Entry:
    mode: str
    kind: str
    oid: str
    path: str


def mirror_name(git_dir: Path) -> str:
    """`/work/.mirror/owner+name/repo` -> `owner+name`; a plain `x.git` -> `x`."""
    folder = git_dir.resolve()
    if folder.name in ("repo", ".git"):
        folder = folder.parent
    return folder.name.removesuffix(".git")


def list_tree(git_dir: Path, rev: str) -> list[Entry]:
    """Every entry of the tree at `rev`, recursively (NUL-separated, so any file name is safe)."""
    out = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-z", rev],
                         capture_output=True, check=True).stdout
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        entries.append(Entry(mode, kind, oid, path.decode("utf-8", errors="surrogateescape")))
    return entries


def wanted(path: str, suffixes: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Whether archinfer would read this file (by suffix or name)."""
    name = PurePosixPath(path).name
    return path.endswith(suffixes) or name in names or name.startswith("Dockerfile.")


def safe_target(out: Path, path: str) -> Path | None:
    """Where the file goes, or None for a path that would leave OUT (`..`, absolute)."""
    parts = PurePosixPath(path).parts
    if not parts or ".." in parts or PurePosixPath(path).is_absolute():
        return None
    return out.joinpath(*parts)


def extract(git_dir: Path, out: Path, rev: str, suffixes: tuple[str, ...], names: tuple[str, ...],
            max_bytes: int) -> Tally:
    """Write the wanted blobs of one mirror under `out`."""
    tally = Tally(mirror_name(git_dir))
    entries = []
    for entry in list_tree(git_dir, rev):
        if not wanted(entry.path, suffixes, names):
            continue
        if entry.kind != "blob":
            tally.skip("submodule")
        elif entry.mode == "120000":
            tally.skip("symbolic link")
        else:
            entries.append(entry)
    if not entries:
        return tally
    batch = subprocess.Popen(["git", f"--git-dir={git_dir}", "cat-file", "--batch"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    assert batch.stdin is not None and batch.stdout is not None
    try:
        for entry in entries:
            batch.stdin.write(entry.oid.encode() + b"\n")
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                tally.skip("blob missing from the mirror")
                continue
            data = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)  # the newline after the contents
            write_blob(out, entry.path, data, max_bytes, tally)
    finally:
        batch.stdin.close()
        batch.wait()
    return tally


def write_blob(out: Path, path: str, data: bytes, max_bytes: int, tally: Tally) -> None:
    """Write one blob under `out`, or count why not."""
    target = safe_target(out, path)
    if target is None:
        tally.skip("unsafe path")
    elif len(data) > max_bytes:
        tally.skip(f"larger than {max_bytes} bytes")
    elif data.startswith(LFS_POINTER):
        tally.skip("Git LFS pointer")
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        tally.files += 1
        tally.bytes += len(data)


def check_outside_repo(out: Path) -> None:
    """Refuse to write the corpus into this repository (other people's files must not end up in it)."""
    if out.resolve().is_relative_to(REPO):
        raise SystemExit(f"corpus: {out} is inside {REPO}; give a folder outside the repository")


def main(argv: list[str] | None = None) -> int:
    """Extract every given mirror into OUT and print what was taken and skipped."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("git_dirs", nargs="+", type=Path, help="git directories of the mirrors (bare, no work tree)")
    parser.add_argument("--out", type=Path, help="folder to fill (default: a new temp folder; must be outside the repo)")
    parser.add_argument("--rev", default="HEAD", help="revision to extract (default HEAD)")
    parser.add_argument("--suffix", action="append", help=f"file suffixes to take (default {' '.join(DEFAULT_SUFFIXES)})")
    parser.add_argument("--max-bytes", type=int, default=5 * 1024 * 1024, help="skip larger files (archinfer's limit)")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="archinfer-corpus-"))
    check_outside_repo(out)
    out.mkdir(parents=True, exist_ok=True)
    suffixes = tuple(args.suffix) if args.suffix else DEFAULT_SUFFIXES
    total_files = total_bytes = 0
    for git_dir in args.git_dirs:
        name = mirror_name(git_dir)
        if (out / name).exists():
            raise SystemExit(f"corpus: {out / name} exists; give an empty --out")
        try:
            tally = extract(git_dir, out / name, args.rev, suffixes, DEFAULT_NAMES, args.max_bytes)
        except subprocess.CalledProcessError as exc:
            print(f"{name}: skipped: git failed ({exc.stderr.decode(errors='replace').strip()})", file=sys.stderr)
            continue
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(tally.skipped.items())) or "none"
        print(f"{name}: {tally.files} files, {tally.bytes / 1e6:.2f} MB (skipped: {skipped})")
        total_files += tally.files
        total_bytes += tally.bytes
    print(f"{out}: {total_files} files, {total_bytes / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
