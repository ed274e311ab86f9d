"""The progress bar: shown on a terminal after a moment, never in pipes, CI logs or with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archinfer import cli, progress
from archinfer.cli import app


def test_the_bar_appears_after_the_delay_and_is_gone_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    out = io.StringIO()
    monkeypatch.setattr(progress, "_DELAY", 0.0)
    monkeypatch.setattr("rich.console.Console", lambda **kwargs: Console(file=out, force_terminal=True, width=100))
    bar = progress.Bar()
    bar.start(3)
    for rel in ("a.tf", "b/very/long/" + "x" * 60 + ".yaml", "c.tf"):
        bar.advance(rel)
    bar.done()
    shown = out.getvalue()
    assert "1/3" in shown and "3/3" in shown and "c.tf" in shown
    assert shown.endswith("\x1b[2K")  # transient: erased when the scan ends


def test_a_short_scan_shows_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    bar = progress.Bar()
    bar.start(2)
    bar.advance("a.tf")
    bar.advance("b.tf")
    bar.done()
    assert bar._progress is None  # under half a second: never drawn


def test_no_bar_when_stderr_is_not_a_terminal_or_with_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text('provider "azurerm" {\n  features {}\n}\n', encoding="utf-8")
    made: list[object] = []
    real = cli._progress_bar
    monkeypatch.setattr(cli, "_progress_bar", lambda: made.append(real()) or made[-1])
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "-o", "-", "--no-cache"])
    assert result.exit_code == 0 and made == [None]  # CliRunner's stderr is not a terminal
    made.clear()
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "-o", "-", "--no-cache", "--quiet"])
    assert result.exit_code == 0 and made == []  # --quiet does not even ask
