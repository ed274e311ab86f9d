"""The progress bar of long scans: on stderr, shown only after a moment, gone when the scan ends (rich)."""

from __future__ import annotations

import time
from typing import Any

# Scans shorter than this never show a bar (no flicker for the common small repository).
_DELAY = 0.5


class Bar:
    """Satisfies scan.Progress; rich is imported only once a bar is actually shown."""

    def __init__(self) -> None:
        self._total = 0
        self._done = 0
        self._started = 0.0
        self._progress: Any = None
        self._task: Any = None

    def start(self, total: int) -> None:
        self._total, self._done, self._started = total, 0, time.monotonic()

    def advance(self, rel: str) -> None:
        self._done += 1
        if self._progress is None and time.monotonic() - self._started >= _DELAY and self._done < self._total:
            self._show()
        if self._progress is not None:
            self._progress.update(self._task, completed=self._done, description=_short(rel))

    def done(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description}", style="dim"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task("", total=self._total, completed=self._done)
        self._progress.start()


def _short(rel: str, width: int = 40) -> str:
    return rel if len(rel) <= width else "…" + rel[-(width - 1):]
