"""scan records the state, check and diff report what changed, --base reads an older git revision."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archinfer.cli import app
from tests.conftest import Tree

runner = CliRunner()
MAIN = 'provider "azurerm" {\n  features {}\n}\nresource "azurerm_redis_cache" "cache" {\n  name     = "redis-demo"\n  sku_name = "%s"\n}\n'


def test_scan_records_state_and_diff_reports_against_it(tree: Tree) -> None:
    root = tree({"main.tf": MAIN % "Standard"})
    assert runner.invoke(app, ["scan", str(root), "-q"]).exit_code == 0
    assert (root / "ARCHITECTURE.archinfer.jsonl").exists()
    assert "No architecture change" in runner.invoke(app, ["diff", str(root)]).stdout
    (root / "main.tf").write_text(MAIN % "Premium", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(root)])
    assert "sku_name" not in result.stdout  # props are named by role, not attribute
    assert "Azure Cache for Redis redis-demo sku Standard -&gt; Premium" in result.stdout or "sku Standard -> Premium" in result.stdout
    assert "`main.tf:6`" in result.stdout
    as_json = runner.invoke(app, ["diff", str(root), "--format", "json"]).stdout
    assert '"old": "Standard"' in as_json and '"new": "Premium"' in as_json
    check = runner.invoke(app, ["check", str(root)])
    assert check.exit_code == 1 and "What changed in the architecture" in check.stdout
    assert runner.invoke(app, ["scan", str(root), "-q"]).exit_code == 0
    text = (root / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert "| v1.1 |  | archinfer | 8.2.1:" in text and "Standard -> Premium" in text
    assert runner.invoke(app, ["check", str(root)]).exit_code == 0
    again = text
    assert runner.invoke(app, ["scan", str(root), "-q"]).exit_code == 0
    assert (root / "ARCHITECTURE.md").read_text(encoding="utf-8") == again  # no history row without a change


def test_diff_without_recorded_state_is_a_usage_error(tree: Tree) -> None:
    root = tree({"main.tf": MAIN % "Basic"})
    assert runner.invoke(app, ["diff", str(root)]).exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_diff_base_reads_an_older_revision_without_touching_the_work_tree(tree: Tree) -> None:
    root = tree({"infra/main.tf": MAIN % "Standard", "README.md": "x\n"})

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", ".")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "first")
    (root / "infra/main.tf").write_text(MAIN % "Premium", encoding="utf-8")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qam", "second")
    (root / "infra/main.tf").write_text(MAIN % "Premium", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(root / "infra"), "--base", "HEAD~1"])
    assert result.exit_code == 0, result.output
    assert "against HEAD~1" in result.stdout and "Standard -&gt; Premium" not in result.stdout
    assert "sku Standard -> Premium" in result.stdout
    assert (root / "infra/main.tf").read_text(encoding="utf-8") == MAIN % "Premium"
    assert runner.invoke(app, ["diff", str(root / "infra"), "--base", "no-such-ref"]).exit_code == 2
