"""History rows: one per refresh that changed the architecture, with the next version and no date."""

from __future__ import annotations

from archinfer.history import add_row

DOC = "# T\n\n## 문서 이력\n| 버전 | 일자 | 작성자 | 변경 내용 | 승인자 |\n|------|------|--------|-----------|-------|\n| v1.0 |  |  | 초기 작성 |  |\n"


def test_row_added_after_the_last_version() -> None:
    once = add_row(DOC, "8.2.1: redis sku Standard -> Premium")
    assert once.endswith("| v1.0 |  |  | 초기 작성 |  |\n| v1.1 |  | archinfer | 8.2.1: redis sku Standard -> Premium |  |\n")
    twice = add_row(once, "a | b")
    assert "| v1.2 |  | archinfer | a \\| b |  |" in twice


def test_no_table_no_change_and_crlf_kept() -> None:
    assert add_row("# no history here\n", "x") == "# no history here\n"
    crlf = DOC.replace("\n", "\r\n")
    assert "\r\n| v1.1 |" in add_row(crlf, "x")
