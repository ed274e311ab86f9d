"""Refreshing regions: human text outside and edited regions survives; bad markers are errors with a line."""

from __future__ import annotations

import pytest

from archinfer.merge import MarkerError, merge, parse_regions
from archinfer.render import wrap

DOC = "# Title\n\nPeople wrote this.\n\n" + wrap("7.1.2", "- old generated") + "\n\nMore human text.\n"


def test_unedited_region_is_replaced_and_everything_else_kept() -> None:
    result = merge(DOC, {"7.1.2": "- new generated"})
    assert result.text == DOC.replace(wrap("7.1.2", "- old generated"), wrap("7.1.2", "- new generated"))
    assert result.conflicts == () and result.missing == ()


def test_hand_edit_is_kept_when_the_infrastructure_did_not_change() -> None:
    edited = DOC.replace("- old generated", "- old generated, and a note by a person")
    result = merge(edited, {"7.1.2": "- old generated"})
    assert result.text == edited
    assert result.kept_edits == ("7.1.2",) and result.conflicts == ()


def test_hand_edit_and_infrastructure_change_is_a_conflict_naming_the_line() -> None:
    edited = DOC.replace("- old generated", "- edited by a person")
    result = merge(edited, {"7.1.2": "- new generated"})
    assert result.text == edited
    assert result.conflicts == (("7.1.2", 5),)
    taken = merge(edited, {"7.1.2": "- new generated"}, take_new=True)
    assert "- new generated" in taken.text and taken.conflicts == ()


def test_removed_region_is_not_re_added() -> None:
    assert merge("# only people\n", {"7.1.2": "x"}).missing == ("7.1.2",)


def test_crlf_documents_stay_crlf() -> None:
    crlf = DOC.replace("\n", "\r\n")
    result = merge(crlf, {"7.1.2": "- new"})
    assert "\r\n" in result.text and "\n" not in result.text.replace("\r\n", "")


@pytest.mark.parametrize("text, line", [
    ("<!-- archinfer:begin a -->\nx\n", 1),
    ("x\n<!-- archinfer:end a sum=00 -->\n", 2),
    ("<!-- archinfer:begin a -->\n<!-- archinfer:begin b -->\n", 2),
    (wrap("a", "x") + "\n" + wrap("a", "y") + "\n", 4),
])
def test_broken_markers_are_errors_with_a_line(text: str, line: int) -> None:
    with pytest.raises(MarkerError) as info:
        parse_regions(text)
    assert info.value.line == line
