"""The CLI end to end: written document, stdout, exit codes, idempotence, broken input that does not stop a scan."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from archinfer.cli import app
from tests.conftest import Tree

runner = CliRunner()
MAIN = '''
provider "azurerm" {
  features {}
}
resource "azurerm_redis_cache" "cache" {
  name     = "redis-demo"
  sku_name = "Premium"
  family   = "P"
  capacity = 1
}
'''


def test_scan_writes_the_default_document_and_is_idempotent(tree: Tree) -> None:
    root = tree({"main.tf": MAIN})
    result = runner.invoke(app, ["scan", str(root)])
    assert result.exit_code == 0, result.output
    doc = root / "ARCHITECTURE.md"
    text = doc.read_text(encoding="utf-8")
    assert "Azure Cache for Redis `redis-demo`" in text and "`main.tf:4`" in text
    mtime = doc.stat().st_mtime_ns
    again = runner.invoke(app, ["scan", str(root)])
    assert again.exit_code == 0 and doc.read_text(encoding="utf-8") == text
    assert doc.stat().st_mtime_ns == mtime
    assert runner.invoke(app, ["check", str(root)]).exit_code == 0


def test_people_text_survives_a_refresh(tree: Tree) -> None:
    root = tree({"main.tf": MAIN})
    runner.invoke(app, ["scan", str(root)])
    doc = root / "ARCHITECTURE.md"
    text = doc.read_text(encoding="utf-8").replace("- **비즈니스 목적**: ", "- **비즈니스 목적**: 이벤트 마케팅 자동화")
    doc.write_text(text, encoding="utf-8")
    (root / "main.tf").write_text(MAIN.replace('"Premium"', '"Standard"'), encoding="utf-8")
    check = runner.invoke(app, ["check", str(root)])
    assert check.exit_code == 1 and "+" in check.stdout and "Standard" in check.stdout
    assert runner.invoke(app, ["scan", str(root)]).exit_code == 0
    refreshed = doc.read_text(encoding="utf-8")
    assert "이벤트 마케팅 자동화" in refreshed and "SKU Standard" in refreshed and "SKU Premium" not in refreshed


def test_stdout_english_and_usage_errors(tree: Tree) -> None:
    root = tree({"main.tf": MAIN})
    result = runner.invoke(app, ["scan", str(root), "-o", "-", "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# High Level Architecture Definition")
    assert "Not detected in the scanned files" in result.stdout
    assert not (root / "ARCHITECTURE.md").exists()
    assert runner.invoke(app, ["scan", str(root), "--lang", "fr"]).exit_code == 2
    assert runner.invoke(app, ["scan"]).exit_code == 2


def test_missing_path_exits_2_through_the_real_entry_point(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "archinfer", "scan", str(tmp_path / "nope")],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 2
    assert "no such file or directory" in proc.stderr


def test_broken_file_is_reported_and_the_rest_is_scanned(tree: Tree) -> None:
    root = tree({"main.tf": MAIN, "broken.tf": 'resource "x" "y" {\n  a = \n}\n'})
    result = runner.invoke(app, ["scan", str(root), "-o", "-"])
    assert result.exit_code == 0
    assert "broken.tf:" in result.stderr and "cannot parse HCL" in result.stderr
    assert "redis-demo" in result.stdout
    assert runner.invoke(app, ["scan", str(root), "-o", "-", "--strict"]).exit_code == 1


def test_empty_tree_says_so_loudly(tree: Tree) -> None:
    root = tree({"README.md": "nothing here\n"})
    result = runner.invoke(app, ["scan", str(root), "-o", "-"])
    assert result.exit_code == 0
    assert "읽을 수 있는 인프라 코드를 찾지 못했습니다" in result.stdout
    assert "스캔한 파일에서 탐지되지 않음" in result.stdout


def test_help_shows_examples() -> None:
    assert "archinfer scan ./infra" in runner.invoke(app, ["--help"]).stdout
    assert "Example" in runner.invoke(app, ["scan", "--help"]).stdout
    assert "Example" in runner.invoke(app, ["check", "--help"]).stdout


def test_bom_survives_and_an_interrupted_write_leaves_the_old_document(tree: Tree, monkeypatch: object) -> None:
    import pytest as _pytest

    from archinfer import document

    root = tree({"main.tf": MAIN})
    assert runner.invoke(app, ["scan", str(root)]).exit_code == 0
    doc = root / "ARCHITECTURE.md"
    doc.write_bytes(b"\xef\xbb\xbf" + doc.read_bytes())
    (root / "main.tf").write_text(MAIN.replace('"Premium"', '"Standard"'), encoding="utf-8")
    before = doc.read_bytes()

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing the temporary file and renaming it

    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(document.os, "replace", interrupted)
        with _pytest.raises(KeyboardInterrupt):
            document.write_atomic(doc, "new text")
    assert doc.read_bytes() == before
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []
    assert runner.invoke(app, ["scan", str(root)]).exit_code == 0
    after = doc.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"SKU Standard" in after


def test_the_terminal_says_what_was_read_in_one_line(tree: Tree) -> None:
    root = tree({"main.tf": 'provider "azurerm" {\n  features {}\n}\nvariable "db_password" {\n  sensitive = true\n}\n',
                 "notes.yaml": "a: 1\n", "broken.yaml": "a: [\n", "big.tf": "# " + "x" * 300 + "\n"})
    (root / ".archinfer.toml").write_text("[limits]\nmax_file_bytes = 200\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(root), "-o", "-", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ("archinfer: 4 files read (terraform 2, yaml 2): 1 parsed, 1 not infrastructure, 1 skipped, 1 unreadable; "
            "2 warning(s); 1 value(s) withheld") in result.stderr
    quiet = CliRunner().invoke(app, ["scan", str(root), "-o", "-", "--quiet"])
    assert "files read" not in quiet.stderr
