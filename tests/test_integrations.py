"""The pre-commit hooks and the GitHub Action call commands and options archinfer really has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from typer.testing import CliRunner

from archinfer.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _options(command: str) -> str:
    return CliRunner().invoke(app, [command, "--help"]).stdout


def test_pre_commit_hooks_run_existing_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"archinfer-check", "archinfer-scan"}
    for hook in hooks:
        program, command = hook["entry"].split()
        assert program == "archinfer" and hook["language"] == "python" and hook["pass_filenames"] is False
        help_text = _options(command)
        for arg in hook["args"]:
            assert not arg.startswith("--") or arg in help_text
        assert re.search(hook["files"], "envs/prod/main.tf") and re.search(hook["files"], "k8s/base/deployment.yaml")
        assert not re.search(hook["files"], "README.md")


def test_action_is_a_composite_that_uses_real_options() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    scripts = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    for line in scripts.splitlines():
        line = line.strip()
        if line.startswith("archinfer "):
            words = shlex.split(line.split(">")[0].replace('${OUTPUT:+-o "$OUTPUT"}', "-o x"))
            help_text = _options(words[1])
            for word in words[2:]:
                if word.startswith("--"):
                    assert word in help_text, (word, words[1])
    assert set(action["inputs"]) >= {"path", "mode", "comment", "github-token"}
