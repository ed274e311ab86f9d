"""Put freshly rendered regions into an existing document without touching a byte people wrote."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .render import checksum, wrap

# A marker is a whole line; `\r` before the line end belongs to a CRLF line ending, not to the marker.
_MARKER = re.compile(r"^<!-- archinfer:(begin|end) (\S+)(?: sum=([0-9a-f]+))? -->[ \t]*(?=\r?$)", re.MULTILINE)


class MarkerError(Exception):
    """Markers that do not pair up; the document is left alone."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Region:
    id: str
    start: int  # offset of the begin marker
    end: int  # offset just past the end marker
    body: str  # with LF line endings, as generated
    recorded_sum: str
    line: int
    newline: str = "\n"  # the line ending this region is written with

    @property
    def edited(self) -> bool:
        return checksum(self.body) != self.recorded_sum


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: tuple[tuple[str, int], ...]  # (region id, line) a person edited while the generated text changed too
    missing: tuple[str, ...]  # regions the document no longer has (a person removed them): not re-added
    kept_edits: tuple[str, ...]  # regions edited by a person whose generated text did not change


def parse_regions(text: str) -> list[Region]:
    """The regions of a document, in order; raises MarkerError for unpaired, nested or duplicate markers."""
    regions: list[Region] = []
    open_marker: re.Match[str] | None = None
    seen: set[str] = set()
    for match in _MARKER.finditer(text):
        kind, region_id = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if kind == "begin":
            if open_marker is not None:
                raise MarkerError(f"region {region_id!r} begins inside region {open_marker.group(2)!r}", line)
            if region_id in seen:
                raise MarkerError(f"region {region_id!r} appears twice", line)
            open_marker = match
            continue
        if open_marker is None or open_marker.group(2) != region_id:
            raise MarkerError(f"end of region {region_id!r} without its begin", line)
        newline = "\r\n" if text.startswith("\r\n", open_marker.end()) else "\n"
        raw = text[open_marker.end() + len(newline):match.start()]
        body = raw.removesuffix(newline).replace("\r\n", "\n")
        begin_line = text.count("\n", 0, open_marker.start()) + 1
        regions.append(Region(region_id, open_marker.start(), match.end(), body, match.group(3) or "", begin_line, newline))
        seen.add(region_id)
        open_marker = None
    if open_marker is not None:
        raise MarkerError(f"region {open_marker.group(2)!r} is never closed", text.count("\n", 0, open_marker.start()) + 1)
    return regions


def merge(existing: str, bodies: dict[str, str], take_new: bool = False) -> MergeResult:
    """Replace each region's body with the new one unless a person edited it.

    Edited and the generated text is unchanged: keep the edit. Edited and the generated text
    changed: keep the edit and report a conflict (or take the new text with `take_new`).
    """
    text = existing  # never normalised: bytes outside regions must come back exactly as they were
    regions = parse_regions(text)
    out: list[str] = []
    position = 0
    conflicts: list[tuple[str, int]] = []
    kept: list[str] = []
    for region in regions:
        out.append(text[position:region.start])
        position = region.end
        new_body = bodies.get(region.id)
        if new_body is None:  # a region this version no longer generates: leave it as it is
            out.append(text[region.start:region.end])
            continue
        if region.edited and not take_new:
            if checksum(new_body) != region.recorded_sum:
                # The line in the document as written now: earlier regions may have changed length.
                conflicts.append((region.id, sum(part.count("\n") for part in out) + 1))
            else:
                kept.append(region.id)
            out.append(text[region.start:region.end])
            continue
        out.append(wrap(region.id, new_body).replace("\n", region.newline))
    out.append(text[position:])
    merged = "".join(out)
    present = {r.id for r in regions}
    missing = tuple(sorted(set(bodies) - present))
    return MergeResult(merged, tuple(conflicts), missing, tuple(kept))
