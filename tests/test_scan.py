"""Walking the tree: bad files become diagnostics naming the file (and line), and the scan goes on."""

from __future__ import annotations

import os
from pathlib import Path

from archinfer.model import Severity
from archinfer.scan import Limits, collect, decode, walk
from tests.conftest import Tree

GOOD = 'provider "azurerm" {\n  features {}\n}\n'


def messages(root: Path, limits: Limits = Limits()) -> dict[str, str]:
    return {d.loc.path: d.message for d in collect(root, limits).diagnostics}


def test_binary_invalid_utf8_and_huge_files_are_skipped_with_a_reason(tree: Tree) -> None:
    root = tree({"good.tf": GOOD, "nul.tf": b"resource \x00", "latin1.tf": b"# caf\xe9\nx = 1\n",
                 "big.tf": "# " + "x" * 200 + "\n"})
    result = collect(root, Limits(max_file_bytes=100))
    found = messages(root, Limits(max_file_bytes=100))
    assert "NUL byte" in found["nul.tf"]
    assert "not UTF-8" in found["latin1.tf"]
    assert "larger than 100 bytes" in found["big.tf"]
    latin = [d for d in result.diagnostics if d.loc.path == "latin1.tf"][0]
    assert latin.loc.line == 1
    assert [f.path for f in result.files if f.status == "parsed"] == ["good.tf"]


def test_utf16_and_bom_are_read(tree: Tree) -> None:
    assert decode("\ufeffx = 1\n".encode("utf-8")) == "x = 1\n"
    assert decode("x = 1\n".encode("utf-16")) == "x = 1\n"
    root = tree({"a.tf": GOOD.encode("utf-16"), "b.tf": b"\xef\xbb\xbf" + GOOD.encode()})
    assert all(f.status == "parsed" for f in collect(root).files)


def test_symlinks_are_never_followed(tree: Tree, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tf").write_text(GOOD, encoding="utf-8")
    root = tree({"main.tf": GOOD})
    os.symlink(outside / "secret.tf", root / "link.tf")
    os.symlink(outside, root / "linkdir")
    os.symlink(root, root / "loop")
    assert "linkdir/secret.tf" not in walk(root)
    result = collect(root)
    assert [f.path for f in result.files if f.status == "parsed"] == ["main.tf"]
    assert any(d.loc.path == "link.tf" and d.severity is Severity.INFO for d in result.diagnostics)


def test_unreadable_file(tree: Tree) -> None:
    root = tree({"main.tf": GOOD, "locked.tf": GOOD})
    (root / "locked.tf").chmod(0)
    try:
        if os.access(root / "locked.tf", os.R_OK):  # root ignores permissions: nothing to test
            return
        assert "cannot read" in messages(root)["locked.tf"]
    finally:
        (root / "locked.tf").chmod(0o644)


def test_tool_state_folders_are_skipped(tree: Tree) -> None:
    root = tree({"main.tf": GOOD, ".terraform/modules/x/main.tf": GOOD, ".git/config.tf": GOOD})
    assert walk(root) == ["main.tf"]
