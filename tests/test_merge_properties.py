"""Property-based tests of the region merge: people's text is never touched, generated text stays fresh.

Every test draws a *model* of a document -- human text chunks interleaved with regions, some regions
edited by hand, some with changed generated text -- builds the document from it with `wrap`, and
checks `merge` against what the model says must happen. Documents are all-LF, all-CRLF, or mixed
(a CRLF line pasted into an LF file, stray carriage returns, regions written with either ending).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from archinfer.merge import MarkerError, MergeResult, merge, parse_regions
from archinfer.render import BEGIN, END, checksum, md_escape, wrap

PREFIX = "<!-- archinfer:"  # a line starting with this is a marker by definition
IDS = ("7.2.1", "8.2.1", "archinfer", "7.1.2", "10.1.2", "3", "a-b_c.9")

MAIN = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------------------------
# Strategies
# ----------------------------------------------------------------------------------------------

# Any character except surrogates (not in a document read as UTF-8) and "\r": line endings are chosen
# per document -- all LF, all CRLF, or mixed (then with stray "\r" too), see `_gap_text`.
_any_char = st.characters(codec="utf-8", exclude_characters="\r")
_korean = st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=12)

# Text that looks almost like a marker, but is not one: never at the start of a line.
ALMOST_MARKERS = (
    "Markers look like <!-- archinfer:begin 7.2.1 --> in the middle of a sentence.",
    "`<!-- archinfer:end 7.2.1 sum=3718b14ffc2a -->`",
    " <!-- archinfer:begin 8.2.1 -->",  # leading space
    "\t<!-- archinfer:end 8.2.1 sum=000000000000 -->",
    "<!--archinfer:begin archinfer -->",  # no space after <!--
    "<!-- ARCHINFER:begin 7.2.1 -->",  # wrong case
    "<!- archinfer:begin 7.2.1 -->",
    "&lt;!-- archinfer:begin 7.2.1 --&gt;",
    "\ufeff<!-- archinfer:begin 7.2.1 -->",  # a BOM in front
    "x<!-- archinfer:end archinfer sum=abc -->",
    "> <!-- archinfer:begin 3 -->",
    "<!-- archinfer begin 7.2.1 -->",
    "<!-- archinfer:begin",
)
HUMAN_FRAGMENTS = ALMOST_MARKERS + (
    "# 아키텍처 문서",
    "## 7.2 배포 구조\n\n사람이 쓴 설명입니다. 자동으로 바뀌면 안 됩니다.",
    "| 이름 | 값 |\n|---|---|\n| `aks-prod` | 3 \\| 5 |",
    "| a | b |\n| --- | :-: |",
    "```\n<!-- archinfer:begin 7.2.1 --> inside a fence, mid-line\ncode `x`\n```",
    "``double `backticks` here``",
    "  trailing spaces   ",
    "\t\ttabs\t",
    "emoji 🚀 and combining é and zero-width\u200bspace",
    "\u2028line separator\u2029and\x0bvertical\x0cfeed\x85next",
    "-->",
    "<!-- a plain comment -->",
    "",
)


def _no_marker_lines(text: str) -> bool:
    return not any(line.startswith(PREFIX) for line in text.split("\n"))


_human_piece = st.one_of(
    st.sampled_from(HUMAN_FRAGMENTS),
    st.text(_any_char, max_size=20),
    _korean,
    st.sampled_from(("\n", "\n\n", " ", "\n- ", "\n| ")),
)
human_text = st.lists(_human_piece, max_size=4).map("".join).filter(_no_marker_lines)

# A body line as the renderer writes it: fixed template text or values passed through md_escape.
_template_line = st.sampled_from((
    "- `aks-prod` (`main.tf:12`)",
    "| 리소스 | 위치 |",
    "|---|---|",
    "해당 없음",
    "_not detected_",
    "",
    "  - nested",
))
_escaped_value = st.one_of(
    st.text(_any_char, max_size=15),
    st.sampled_from(ALMOST_MARKERS),
    st.sampled_from(tuple(f"<!-- archinfer:{k} {i} -->" for k in ("begin", "end") for i in IDS)),
    st.builds(lambda i: wrap(i, "inner"), st.sampled_from(IDS)),  # a whole region as a value
    st.text(st.characters(codec="utf-8"), max_size=15),  # "\r" and "\n" allowed: md_escape folds them
).map(md_escape)
_raw_line = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=15).filter(
    lambda line: not line.startswith(PREFIX)
)
body_line = st.one_of(_template_line, _escaped_value, _raw_line, st.builds("".join, st.lists(_escaped_value, max_size=3)))
body_text = st.lists(body_line, max_size=4).map("\n".join)

# What a person types into a region: never empty, never a marker line (checked after insertion too).
insertion = st.one_of(
    st.sampled_from(("\n추가 메모: 사람이 씀", " — note by a person", "\n| x | y |", "\n", "`", "x")),
    st.text(_any_char, min_size=1, max_size=15),
)


EOL_MODES = ("lf", "crlf", "mixed")


@dataclass
class RegionModel:
    id: str
    original: str  # the body as generated (what the recorded sum is for); LF, as the renderer makes it
    newline: str = "\n"  # the line ending the region is written with in the document
    edited: str | None = None  # the body after a person's edit, if any (LF)
    new: str | None = None  # the body the next run generates; None: no longer generated

    @property
    def body_in_doc(self) -> str:
        return self.original if self.edited is None else self.edited

    @property
    def text(self) -> str:
        """The region as it sits in the document."""
        if self.edited is None:
            lf = wrap(self.id, self.original)
        else:
            lf = "\n".join([BEGIN.format(id=self.id), self.edited, END.format(id=self.id, sum=checksum(self.original))])
        return lf.replace("\n", self.newline)

    def rewritten(self, body: str) -> str:
        return wrap(self.id, body).replace("\n", self.newline)

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.original


@dataclass
class DocModel:
    gaps: list[str]  # human text between regions, exactly as in the document; len(gaps) == len(regions) + 1
    regions: list[RegionModel]
    eol: str  # "lf", "crlf" or "mixed" (for the failure message)
    extra: dict[str, str] = field(default_factory=dict)  # bodies for regions the document does not have

    @property
    def doc(self) -> str:
        parts = [self.gaps[0]]
        for region, gap in zip(self.regions, self.gaps[1:]):
            parts += [region.text, gap]
        return "".join(parts)

    @property
    def new_bodies(self) -> dict[str, str]:
        bodies = {r.id: r.new for r in self.regions if r.new is not None}
        bodies.update(self.extra)
        return bodies

    @property
    def original_bodies(self) -> dict[str, str]:
        return {r.id: r.original for r in self.regions}

    def expected(self, take_new: bool) -> str:
        """The merged document as the rules say it must be."""
        parts = [self.gaps[0]]
        for region, gap in zip(self.regions, self.gaps[1:]):
            if region.new is None or (region.edited is not None and not take_new):
                parts.append(region.text)
            else:
                parts.append(region.rewritten(region.new))
            parts.append(gap)
        return "".join(parts)

    def describe(self) -> str:
        lines = [f"line endings: {self.eol}"]
        for r in self.regions:
            lines.append(f"  {r.id} ({r.newline!r}): original={r.original!r} edited={r.edited!r} new={r.new!r}")
        lines.append(f"  extra={self.extra!r}")
        return "\n".join(lines)


# Only in documents with mixed line endings: carriage returns that are not part of a CRLF.
_stray_cr = st.sampled_from(("\r", "old Mac\rline", "\r\r", "표\r"))


@st.composite
def _gap_text(draw: st.DrawFn, eol: str) -> str:
    """Human text (LF) with the document's line endings applied."""
    text = draw(human_text)
    if eol == "lf":
        return text
    if eol == "crlf":
        return text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text += draw(_stray_cr)
    lines = text.split("\n")
    ends = draw(st.lists(st.sampled_from(("\n", "\r\n")), min_size=len(lines) - 1, max_size=len(lines) - 1))
    return lines[0] + "".join(end + line for end, line in zip(ends, lines[1:]))


@st.composite
def documents(draw: st.DrawFn, edits: bool = True, changes: bool = True, min_regions: int = 0) -> DocModel:
    eol = draw(st.sampled_from(EOL_MODES))
    newline_choice = {"lf": ("\n",), "crlf": ("\r\n",), "mixed": ("\n", "\r\n")}[eol]

    def newline() -> str:
        return draw(st.sampled_from(newline_choice))

    ids = draw(st.lists(st.sampled_from(IDS), unique=True, min_size=min_regions, max_size=4))
    regions = [RegionModel(region_id, draw(body_text), newline()) for region_id in ids]
    for region in regions:
        if edits and draw(st.booleans()):
            at = draw(st.integers(0, len(region.original)))
            edited = region.original[:at] + draw(insertion) + region.original[at:]
            if _no_marker_lines(edited):
                region.edited = edited
        mode = draw(st.sampled_from(("same", "changed", "dropped") if changes else ("same",)))
        if mode == "same":
            region.new = region.original
        elif mode == "changed":
            new = draw(body_text)
            region.new = new if new != region.original else new + " (changed)"
    extra: dict[str, str] = {}
    if changes:
        for region_id in draw(st.lists(st.sampled_from([i for i in IDS if i not in ids] or ["zz"]), unique=True, max_size=2)):
            extra[region_id] = draw(body_text)

    # Gaps: markers always at the start of a line, end markers always followed by a line end or the end.
    gap = _gap_text(eol)
    if not regions:
        gaps = [draw(gap)]
    else:
        first = draw(gap)
        gaps = [first + newline() if first else ""]
        for _ in regions[1:]:
            middle = draw(gap)
            gaps.append(newline() + middle + (newline() if middle and not middle.endswith("\n") else ""))
        last = draw(gap)
        gaps.append(newline() + last if last else draw(st.sampled_from(("", newline()))))
    return DocModel(gaps, regions, eol, extra)


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def outside_segments(text: str) -> list[str]:
    """The text outside every region, split at parse_regions' offsets."""
    segments, position = [], 0
    for region in parse_regions(text):
        segments.append(text[position:region.start])
        position = region.end
    segments.append(text[position:])
    return segments


def bodies_after(text: str) -> dict[str, str]:
    return {r.id: r.body for r in parse_regions(text)}


def line_of_begin(text: str, region_id: str) -> int:
    marker = BEGIN.format(id=region_id)
    lines = text.split("\n")
    return next(i for i, line in enumerate(lines, 1) if line in (marker, marker + "\r"))


def show(model: DocModel, result: MergeResult | None = None) -> str:
    out = f"\nmodel:\n{model.describe()}\ndocument:\n{model.doc!r}"
    if result is not None:
        out += f"\nmerged:\n{result.text!r}\nconflicts={result.conflicts} kept={result.kept_edits} missing={result.missing}"
    return out


# ----------------------------------------------------------------------------------------------
# 1. Human text outside regions is preserved byte for byte
# ----------------------------------------------------------------------------------------------


@MAIN
@given(documents(), st.booleans())
def test_human_text_outside_regions_is_preserved_byte_for_byte(model: DocModel, take_new: bool) -> None:
    doc = model.doc
    assert outside_segments(doc) == model.gaps, "test construction: the document does not split as built" + show(model)
    result = merge(doc, model.new_bodies, take_new)
    after = outside_segments(result.text)
    assert after == model.gaps, "text outside the regions changed" + show(model, result)
    assert result.text.startswith(model.gaps[0]) and result.text.endswith(model.gaps[-1]), show(model, result)


# ----------------------------------------------------------------------------------------------
# 2. A fresh render is a fixed point
# ----------------------------------------------------------------------------------------------


@MAIN
@given(documents(edits=False, changes=False))
def test_fresh_render_merged_with_its_own_bodies_is_unchanged(model: DocModel) -> None:
    doc = model.doc
    result = merge(doc, model.original_bodies)
    assert result.text == doc, "merging a fresh render with the bodies it came from changed it" + show(model, result)
    assert result.conflicts == () and result.kept_edits == () and result.missing == (), show(model, result)


# ----------------------------------------------------------------------------------------------
# 3. Idempotence
# ----------------------------------------------------------------------------------------------


@SMALL
@given(documents(), st.booleans())
def test_merge_is_idempotent(model: DocModel, take_new: bool) -> None:
    once = merge(model.doc, model.new_bodies, take_new)
    twice = merge(once.text, model.new_bodies, take_new)
    assert twice.text == once.text, "a second merge with the same bodies changed the document again" + show(model, once)
    assert twice.conflicts == once.conflicts, show(model, once)
    assert twice.kept_edits == once.kept_edits, show(model, once)
    assert twice.missing == once.missing, show(model, once)


# ----------------------------------------------------------------------------------------------
# 4. An untouched region takes the new content
# ----------------------------------------------------------------------------------------------


@SMALL
@given(documents(edits=False))
def test_untouched_regions_take_the_new_body(model: DocModel) -> None:
    result = merge(model.doc, model.new_bodies)
    after = {r.id: r for r in parse_regions(result.text)}
    assert list(after) == [r.id for r in model.regions], show(model, result)
    for region in model.regions:
        want = region.original if region.new is None else region.new
        assert after[region.id].body == want, f"region {region.id}: body {after[region.id].body!r}, want {want!r}" + show(model, result)
        assert not after[region.id].edited, f"region {region.id}: recorded sum does not match its body" + show(model, result)
    assert result.conflicts == () and result.kept_edits == (), show(model, result)
    assert result.missing == tuple(sorted(model.extra)), show(model, result)


# ----------------------------------------------------------------------------------------------
# 5. A hand edit survives when the infrastructure did not change
# ----------------------------------------------------------------------------------------------


@st.composite
def edited_documents(draw: st.DrawFn) -> DocModel:
    model = draw(documents(edits=False, changes=False, min_regions=1))
    chosen = draw(st.lists(st.sampled_from(model.regions), unique_by=lambda r: r.id, min_size=1))
    for region in chosen:
        at = draw(st.integers(0, len(region.original)))
        edited = region.original[:at] + draw(insertion) + region.original[at:]
        assume(_no_marker_lines(edited))
        region.edited = edited
    return model


@SMALL
@given(edited_documents())
def test_hand_edit_is_kept_when_the_generated_text_did_not_change(model: DocModel) -> None:
    doc = model.doc
    result = merge(doc, model.original_bodies)
    edited_ids = tuple(r.id for r in model.regions if r.edited is not None)
    assert result.text == doc, "a hand edit (or something else) was lost" + show(model, result)
    assert result.conflicts == (), show(model, result)
    assert result.kept_edits == edited_ids, f"kept_edits {result.kept_edits}, want {edited_ids}" + show(model, result)
    bodies = bodies_after(result.text)
    for region in model.regions:
        assert bodies[region.id] == region.body_in_doc, f"region {region.id}" + show(model, result)


# ----------------------------------------------------------------------------------------------
# 6. A conflict is reported exactly when both changed; take_new takes the new text everywhere
# ----------------------------------------------------------------------------------------------


@MAIN
@given(documents())
def test_conflict_exactly_when_both_the_person_and_the_generator_changed_a_region(model: DocModel) -> None:
    doc = model.doc
    result = merge(doc, model.new_bodies)
    both = [r for r in model.regions if r.edited is not None and r.changed]
    assert [c[0] for c in result.conflicts] == [r.id for r in both], "wrong conflicts" + show(model, result)
    for region_id, line in result.conflicts:  # the line in the document as merged (what the CLI writes)
        assert line == line_of_begin(result.text, region_id), f"conflict {region_id}: line {line}" + show(model, result)
    kept = [r.id for r in model.regions if r.edited is not None and r.new is not None and not r.changed]
    assert list(result.kept_edits) == kept, "wrong kept_edits" + show(model, result)
    assert result.missing == tuple(sorted(model.extra)), show(model, result)
    bodies = bodies_after(result.text)
    for region in both:
        assert bodies[region.id] == region.edited, f"region {region.id}: the person's text was not kept" + show(model, result)
    assert result.text == model.expected(take_new=False), "merged document differs from the model" + show(model, result)


@SMALL
@given(documents())
def test_take_new_never_conflicts_and_every_generated_region_has_the_new_body(model: DocModel) -> None:
    result = merge(model.doc, model.new_bodies, take_new=True)
    assert result.conflicts == () and result.kept_edits == (), show(model, result)
    after = {r.id: r for r in parse_regions(result.text)}
    for region in model.regions:
        if region.new is None:  # no longer generated: left exactly as it was, edit and all
            assert after[region.id].body == region.body_in_doc, f"region {region.id}" + show(model, result)
        else:
            assert after[region.id].body == region.new, f"region {region.id}: not the new body" + show(model, result)
            assert not after[region.id].edited, f"region {region.id}: stale sum" + show(model, result)
    assert result.text == model.expected(take_new=True), "merged document differs from the model" + show(model, result)


# ----------------------------------------------------------------------------------------------
# 7. Bodies with marker-like text (escaped as the renderer does) do not create or break regions
# ----------------------------------------------------------------------------------------------

_marker_bait = st.sampled_from(
    tuple(f"<!-- archinfer:{k} {i} -->" for k in ("begin", "end") for i in IDS)
    + tuple(END.format(id=i, sum="0" * 12) for i in IDS)
    + ("<!-- archinfer:end 7.2.1 sum=3718b14ffc2a -->\r\n<!-- archinfer:begin 8.2.1 -->",)
)
escaped_body = st.lists(st.one_of(_marker_bait, st.text(st.characters(codec="utf-8"), max_size=20)), max_size=5).map(
    lambda lines: "\n".join(md_escape(line) for line in lines)
)


@SMALL
@given(documents(edits=False), st.data())
def test_escaped_marker_text_in_bodies_does_not_change_the_regions(model: DocModel, data: st.DataObject) -> None:
    for region in model.regions:
        region.new = data.draw(escaped_body, label=f"new body of {region.id}")
        assert not any(line.startswith(PREFIX) for line in region.new.split("\n")), region.new
    result = merge(model.doc, model.new_bodies)
    after = parse_regions(result.text)
    assert [r.id for r in after] == [r.id for r in model.regions], "regions appeared or vanished" + show(model, result)
    assert {r.id: r.body for r in after} == {r.id: r.new for r in model.regions}, show(model, result)
    assert outside_segments(result.text) == model.gaps, show(model, result)
    again = merge(result.text, model.new_bodies)
    assert again.text == result.text and again.conflicts == (), show(model, result)


# ----------------------------------------------------------------------------------------------
# 8. Broken markers are errors with a line, never silently damaged text
# ----------------------------------------------------------------------------------------------


@st.composite
def broken_documents(draw: st.DrawFn) -> tuple[DocModel, str, str]:
    model = draw(documents(min_regions=1))
    doc = model.doc
    lines = doc.split("\n")  # a CRLF line keeps its "\r": deleting or copying a line keeps its ending
    marker_lines = [i for i, line in enumerate(lines) if line.startswith(PREFIX)]
    assert len(marker_lines) == 2 * len(model.regions), "test construction: marker lines" + show(model)
    how = draw(st.sampled_from(("delete marker line", "duplicate marker line", "duplicate region")))
    if how == "delete marker line":
        del lines[draw(st.sampled_from(marker_lines))]
        broken = "\n".join(lines)
    elif how == "duplicate marker line":
        k = draw(st.sampled_from(marker_lines))
        lines.insert(draw(st.sampled_from(marker_lines + [0])), lines[k])
        broken = "\n".join(lines)
    else:
        regions = parse_regions(doc)
        copy = draw(st.sampled_from(regions))
        at = draw(st.sampled_from([0] + [r.start for r in regions]))  # always the start of a line
        broken = doc[:at] + doc[copy.start:copy.end] + copy.newline + doc[at:]
    return model, how, broken


@SMALL
@given(broken_documents(), st.booleans())
def test_broken_markers_raise_marker_error_with_a_line(case: tuple[DocModel, str, str], take_new: bool) -> None:
    model, how, broken = case
    with pytest.raises(MarkerError) as info:
        result = merge(broken, model.new_bodies, take_new)
        pytest.fail(f"{how}: merge returned instead of raising: {result.text!r}" + show(model))
    lines = broken.split("\n")
    line = info.value.line
    assert 1 <= line <= len(lines), f"{how}: line {line} outside 1..{len(lines)} in {broken!r}"
    assert lines[line - 1].startswith(PREFIX), f"{how}: line {line} is not a marker line: {lines[line - 1]!r} in {broken!r}"
    assert str(info.value).startswith(f"line {line}: "), str(info.value)


# ----------------------------------------------------------------------------------------------
# Regressions: two bugs of the earlier merge.py (newline normalisation, conflict lines of the input).
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", [
    "pasted from Windows\r\nwritten on Linux\n" + wrap("7.2.1", "x") + "\n",  # LF document with one CRLF line
    "written on Linux\n" + wrap("7.2.1", "x").replace("\n", "\r\n") + "\r\n",  # CRLF document with one bare LF
    "old Mac\rline\r\n" + wrap("7.2.1", "x") + "\r\n\r\n",
])
def test_mixed_line_endings_outside_regions_are_preserved(doc: str) -> None:
    # Was: newline style = "CRLF if any \r\n anywhere", then every \n in the document rewritten to \r\n.
    result = merge(doc, {"7.2.1": "x"})
    assert result.text == doc, f"merge with the same body rewrote human text: {doc!r} -> {result.text!r}"
    changed = merge(doc, {"7.2.1": "y"})
    assert outside_segments(changed.text) == outside_segments(doc), f"{doc!r} -> {changed.text!r}"


def test_conflict_line_points_at_the_region_in_the_merged_document() -> None:
    # Was: the line of the begin marker in the document *before* the merge, printed by the CLI next to the
    # path of the document it had just rewritten (here: 5, which in the merged document is the end of 7.2.1).
    edited_b = "\n".join(["<!-- archinfer:begin 8.2.1 -->", "edited by a person", END.format(id="8.2.1", sum=checksum("old"))])
    doc = wrap("7.2.1", "1\n2\n3") + "\n" + edited_b + "\n"
    result = merge(doc, {"7.2.1": "x", "8.2.1": "new"})
    assert [c[0] for c in result.conflicts] == ["8.2.1"]
    line = result.conflicts[0][1]
    merged_lines = result.text.split("\n")
    assert merged_lines[line - 1] == "<!-- archinfer:begin 8.2.1 -->", (
        f"conflict reported at line {line}, which in the merged document is {merged_lines[line - 1]!r}"
    )
