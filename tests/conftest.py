"""Shared test helpers: build small infrastructure trees from inline text."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

Tree = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """`tree({"main.tf": "..."})` writes the files (dedented) under a temp folder and returns it."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "repo"
        root.mkdir(exist_ok=True)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return make


@pytest.fixture(autouse=True, scope="session")
def _cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """CLI runs use the default cache: keep it out of the user's ~/.cache during tests."""
    import os

    os.environ["ARCHINFER_CACHE_DIR"] = str(tmp_path_factory.mktemp("archinfer-cache"))
