"""Nothing from the scanned repository is executed: a tree full of traps, and every process archinfer starts.

Each trap would create a marker file if anything ran it: git hooks, Terraform provisioners and external data
sources, kustomize exec functions, generators and helmCharts, a Helm chart's plugin and hooks, CI steps,
Dockerfile RUN lines, direnv, npm and setup.py scripts, Makefiles. Every process start is recorded; the only
one allowed is archinfer's own Helm worker (`python -P -c <worker>`), and no argument of it may name a path
of the repository other than the chart folder it renders.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from typer.testing import CliRunner

from archinfer.cli import app

runner = CliRunner()


def traps(root: Path, marker: Path) -> dict[str, str]:
    touch = f"touch {marker}"
    script = f"#!/bin/sh\n{touch}\n"
    return {
        ".git/hooks/post-checkout": script, ".git/hooks/pre-commit": script,
        ".git/HEAD": "ref: refs/heads/main\n",
        "main.tf": f'''provider "azurerm" {{
  features {{}}
}}
resource "azurerm_redis_cache" "c" {{
  name     = "redis-demo"
  sku_name = "Basic"
  provisioner "local-exec" {{
    command = "{touch}"
  }}
}}
data "external" "x" {{
  program = ["sh", "-c", "{touch}"]
}}
module "remote" {{
  source = "git::https://example.invalid/x.git"
}}
''',
        "k/kustomization.yaml": "resources: [d.yaml]\ngenerators: [gen.yaml]\ntransformers: [fn.yaml]\n"
                                "helmCharts:\n  - name: x\n    repo: https://example.invalid\n    version: 1.0.0\n",
        "k/gen.yaml": "apiVersion: example.com/v1\nkind: Gen\nmetadata:\n  name: g\n  annotations:\n"
                      "    config.kubernetes.io/function: |\n      exec:\n        path: ./trap.sh\n",
        "k/fn.yaml": "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n"
                     "    config.kubernetes.io/function: |\n      exec:\n        path: ./trap.sh\n",
        "k/trap.sh": script,
        "k/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                    "      containers:\n        - name: web\n          image: nginx:1.27\n",
        "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
        "chart/values.yaml": "name: web\n",
        "chart/templates/job.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: hook\n  annotations:\n"
                                    "    helm.sh/hook: pre-install\nspec:\n  template:\n    spec:\n      containers:\n"
                                    f"        - name: x\n          image: busybox\n          command: [sh, -c, '{touch}']\n",
        "chart/plugins/trap/plugin.yaml": f"name: trap\nversion: 0.1.0\ncommand: {marker.parent}/x\n"
                                          f"hooks:\n  install: {touch}\n",
        ".github/workflows/ci.yml": f"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {touch}\n",
        ".gitlab-ci.yml": f"build:\n  script:\n    - {touch}\n",
        "Jenkinsfile": f"pipeline {{\n  agent any\n  stages {{\n    stage('a') {{\n      steps {{\n        sh '{touch}'\n"
                       "      }\n    }\n  }\n}\n",
        "Dockerfile": f"FROM alpine:3.20\nRUN {touch}\nCMD [\"sh\"]\n",
        ".envrc": touch + "\n", "Makefile": f"all:\n\t{touch}\n", "setup.py": f"import os\nos.system('{touch}')\n",
        "package.json": f'{{"scripts": {{"postinstall": "{touch}", "preinstall": "{touch}"}}}}\n',
        "conftest.py": f"import os\nos.system('{touch}')\n",
    }


def plant(root: Path, marker: Path) -> None:
    for rel, text in traps(root, marker).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if text.startswith("#!"):
            path.chmod(0o755)


class Recorder:
    """Every process start, through each door Python has (subprocess, os.system, exec*, spawn*, posix_spawn, fork)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def patches(self) -> list[Any]:
        real_popen = subprocess.Popen.__init__

        def popen(this: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
            self.calls.append(("Popen", args))
            real_popen(this, args, *rest, **kwargs)

        def refuse(name: str) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                self.calls.append((name, args))
                raise AssertionError(f"os.{name} called with {args!r}")
            return call

        names = [n for n in ("system", "popen", "execv", "execve", "execvp", "execvpe", "execl", "execlp", "spawnv",
                             "spawnve", "spawnvp", "posix_spawn", "posix_spawnp", "fork", "forkpty") if hasattr(os, n)]
        return [mock.patch.object(subprocess.Popen, "__init__", popen)] + [mock.patch.object(os, n, refuse(n)) for n in names]


@pytest.fixture
def trapped(tmp_path: Path) -> tuple[Path, Path]:
    root, marker = tmp_path / "repo", tmp_path / "EXECUTED"
    plant(root, marker)
    return root, marker


@pytest.mark.parametrize("command", [["scan"], ["scan", "--format", "json"], ["check"], ["diff"], ["scan", "-o", "-"]])
def test_no_trap_runs_and_only_the_helm_worker_starts(command: list[str], trapped: tuple[Path, Path]) -> None:
    root, marker = trapped
    recorder = Recorder()
    patches = recorder.patches()
    for patch in patches:
        patch.start()
    try:
        if command != ["scan"]:
            runner.invoke(app, ["scan", str(root)])  # a document for check and diff to compare
        result = runner.invoke(app, [command[0], str(root), *command[1:]])
    finally:
        for patch in reversed(patches):
            patch.stop()
    assert result.exit_code in (0, 1), result.output
    assert not marker.exists(), "something from the repository was executed"
    for door, args in recorder.calls:
        assert door == "Popen", (door, args)
        assert list(args[:3]) == [sys.executable, "-P", "-c"], args  # archinfer's own Helm worker, nothing else
        assert not any(str(root) in str(a) for a in args), args  # the chart travels on stdin, as JSON
    assert "redis-demo" in (root / "ARCHITECTURE.md").read_text(encoding="utf-8") or "redis-demo" in result.stdout


def test_the_traps_are_reported_as_not_run(trapped: tuple[Path, Path]) -> None:
    """What archinfer declines to run is said, not silently skipped."""
    root, _ = trapped
    result = runner.invoke(app, ["scan", str(root), "-o", "-", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "not run" in result.stderr and "k/kustomization.yaml" in result.stderr


def test_git_is_run_only_for_diff_base_and_with_hooks_off(tmp_path: Path) -> None:
    """`diff --base` reads git objects (ls-tree, cat-file) with hooks, fsmonitor and external tools disabled."""
    from archinfer import gitbase

    recorded: list[list[str]] = []
    real_run = subprocess.run

    def run(args: list[str], *rest: Any, **kwargs: Any) -> Any:
        recorded.append(list(args))
        return real_run(args, *rest, **kwargs)

    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text('provider "azurerm" {\n  features {}\n}\n', encoding="utf-8")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"]):
        real_run(["git", "-C", str(root), *args], check=True, capture_output=True)
    with mock.patch.object(gitbase.subprocess, "run", run):
        result = runner.invoke(app, ["diff", str(root), "--base", "HEAD"])
    assert result.exit_code in (0, 1), result.output
    assert recorded and all(args[0] == "git" for args in recorded)
    subcommands = {next(a for a in args[1:] if not a.startswith("-") and "=" not in a and a != str(root)) for args in recorded}
    assert subcommands <= {"rev-parse", "ls-tree", "cat-file"}, subcommands
    assert all("core.hooksPath=/dev/null" in " ".join(args) for args in recorded), recorded
