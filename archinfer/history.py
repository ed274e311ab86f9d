"""Add a row to the document's history table when a refresh changed what the infrastructure says."""

from __future__ import annotations

import re

_HEADING = re.compile(r"^#{1,3} *(문서 이력|Document History)\s*$", re.IGNORECASE)
_VERSION_ROW = re.compile(r"^\|\s*v(\d+)\.(\d+)\s*\|")
MAX_SUMMARY = 300


def add_row(text: str, summary: str, author: str = "archinfer") -> str:
    """The document with one more history row (next minor version); unchanged when there is no history table."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    start = next((i for i, line in enumerate(lines) if _HEADING.match(line)), None)
    if start is None:
        return text
    last_row, version = None, (1, 0)
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("#"):
            break
        match = _VERSION_ROW.match(lines[i])
        if match:
            last_row = i
            version = max(version, (int(match.group(1)), int(match.group(2))))
    if last_row is None:
        return text
    cell = summary.replace("|", "\\|").replace("\n", " ")
    if len(cell) > MAX_SUMMARY:
        cell = cell[: MAX_SUMMARY - 1] + "…"
    # No date: the same input must give the same bytes; git records when.
    row = f"| v{version[0]}.{version[1] + 1} |  | {author} | {cell} |  |"
    return newline.join(lines[: last_row + 1] + [row] + lines[last_row + 1:])
