"""mypy --strict over the package as it is installed (collectors/, infer/ mapped under archinfer/)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_is_clean(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    # Static tools do not follow the editable install's package-dir mapping: lay the package out as installed.
    package = tmp_path / "archinfer"
    package.mkdir()
    for item in (ROOT / "archinfer").iterdir():
        if item.suffix in (".py", ".typed"):
            os.symlink(item, package / item.name)
    for mapped in ("collectors", "infer", "templates"):
        os.symlink(ROOT / mapped, package / mapped)
    proc = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                           "--cache-dir", str(tmp_path / ".mypy_cache"), "-p", "archinfer"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
