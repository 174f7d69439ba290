"""Indicator rows with blank cells read by the header's columns, not shifted (readers/layouts/indicators.py).

A unit may leave 实际完成值, 年度指标值, 分值 or 得分 blank. Read by tokens, the cells right of the
gap would slide left: the name would become the target and the target the actual. A row whose
cells sit in the columns of the block's header row is read by column instead; a row with a stray
tab, or one that lost a leading cell, is still read by tokens. Each variant below is a real sample
row with one cell emptied or one tab added; the expected values are that row's own cells.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from conftest import sample

from jixiao.checks.base import Outcome
from jixiao.checks.review import review
from jixiao.domain.model import Printed
from jixiao.readers import forms_from_grid, read_file
from jixiao.readers.grid import Cell, Grid
from jixiao.readers.layouts.common import Row
from jixiao.readers.layouts.indicators import header_columns
from jixiao.readers.text import grid_from_text

SHENZHEN = "shenzhen-culture-bureau-2021.txt"
LUOHU_2022 = "luohu-district-office-2022.txt"
# shenzhen-culture-bureau-2021.txt, first form (lines 3–23): its header row (line 14) has nine
# cells, 年度绩效指标 … 偏差原因分析及改进措施; line 15 is its first indicator row.
SHENZHEN_ROW = 15
SHENZHEN_FULL = "\t产出指标\t数量指标\t信息化维护\t1次\t1次\t15.0\t15.0\t"


def sample_lines(name: str) -> list[str]:
    return sample(name).read_text(encoding="utf-8").split("\n")


def read_form(name: str, first: int, last: int, replaced: dict[int, str]):
    """The form on lines first–last of a sample (the file's 1-based lines), some lines replaced."""
    lines = sample_lines(name)
    for line, text in replaced.items():
        lines[line - 1] = text
    forms, errors = forms_from_grid(grid_from_text("\n".join(lines[first - 1 : last]), name, first_line=first))
    assert errors == []
    return forms[0]


def shenzhen_row(text: str):
    """The first form of the shenzhen sample with line 15 replaced: (its first row, the form's notes on line 15)."""
    form = read_form(SHENZHEN, 3, 23, {SHENZHEN_ROW: text})
    row = form.indicators[0]
    assert row.line == SHENZHEN_ROW
    return row, [note for note in form.notes if note.startswith(f"第{SHENZHEN_ROW}行")]


def cells_of(row) -> tuple:
    """(一级, 二级, 三级, 年度指标值, 实际完成值, 分值 text, 得分 text, 偏差原因)."""
    return (row.level1, row.level2, row.name, row.target, row.actual, row.weight.text, row.score.text, row.deviation)


def test_the_unchanged_sample_row_reads_its_own_cells():
    row, notes = shenzhen_row(SHENZHEN_FULL)
    assert cells_of(row) == ("产出", "数量", "信息化维护", "1次", "1次", "15.0", "15.0", None)
    assert notes == []


def test_a_blank_actual_stays_blank_and_the_target_stays_the_target():
    row, notes = shenzhen_row("\t产出指标\t数量指标\t信息化维护\t1次\t\t15.0\t15.0\t")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "1次", "", "15.0", "15.0", None)
    assert (row.applicable, row.inferred, notes) == (True, frozenset(), [])


def test_a_blank_target_stays_blank_and_the_actual_stays_the_actual():
    row, notes = shenzhen_row("\t产出指标\t数量指标\t信息化维护\t\t1次\t15.0\t15.0\t")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "", "1次", "15.0", "15.0", None)
    assert notes == []


def test_a_blank_target_and_actual_keep_the_name_and_both_labels():
    row, notes = shenzhen_row("\t产出指标\t数量指标\t信息化维护\t\t\t15.0\t15.0\t")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "", "", "15.0", "15.0", None)
    assert notes == []


def test_a_blank_weight_is_missing_and_the_score_stays_the_score():
    row, notes = shenzhen_row("\t产出指标\t数量指标\t信息化维护\t1次\t1次\t\t15.0\t")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "1次", "1次", "", "15.0", None)
    assert (row.weight.value, row.score.value) == (None, Decimal("15.0"))
    assert notes == ["第15行：分值未填"]


def test_a_blank_score_is_missing_and_the_deviation_note_stays_the_note():
    row, notes = shenzhen_row("\t产出指标\t数量指标\t信息化维护\t1次\t1次\t15.0\t\t待年底统计")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "1次", "1次", "15.0", "", "待年底统计")
    assert (row.weight.value, row.score.value) == (Decimal("15.0"), None)
    assert notes == ["第15行：得分未填"]


def test_a_blank_score_at_the_end_of_the_row_is_missing():
    row, notes = shenzhen_row("\t产出指标\t数量指标\t信息化维护\t1次\t1次\t15.0")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "1次", "1次", "15.0", "", None)
    assert notes == ["第15行：得分未填"]


def test_a_blank_name_under_printed_labels_is_missing_and_no_label_takes_its_place():
    row, notes = shenzhen_row("\t产出指标\t数量指标\t\t1次\t1次\t15.0\t15.0\t")
    assert cells_of(row) == ("产出", "数量", None, "1次", "1次", "15.0", "15.0", None)
    assert notes == ["第15行：三级指标名称缺失"]


def test_a_deviation_note_after_a_blank_actual_is_still_the_note():
    row, _ = shenzhen_row("\t产出指标\t数量指标\t信息化维护\t1次\t\t15.0\t10.0\t受疫情影响尚未统计")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "1次", "", "15.0", "10.0", "受疫情影响尚未统计")


def test_a_blank_deviation_note_reads_as_none_and_a_full_row_keeps_its_note():
    # shenzhen line 22 (满意度指标, 90%) carries a note; lines 15–21 leave the last cell blank.
    form = read_form(SHENZHEN, 3, 23, {})
    assert [row.deviation is None for row in form.indicators] == [True] * 7 + [False]
    assert form.indicators[7].deviation.startswith("用户基本满意")


def test_a_blank_actual_in_the_2022_layout_stays_blank():
    # luohu-district-office-2022.txt line 17: every row repeats 年度绩效指标 and its 一级 (50分).
    form = read_form(LUOHU_2022, 3, 28, {17: "年度绩效指标\t产出(50分)\t数量\t保障处级干部健康管理人数\t11\t\t7.50\t7.50\t"})
    row = form.indicators[0]
    assert cells_of(row) == ("产出", "数量", "保障处级干部健康管理人数", "11", "", "7.50", "7.50", None)


def test_a_row_with_a_stray_extra_tab_is_still_read_by_tokens():
    # One tab too many before the labels: every cell after it sits one column right.
    row, notes = shenzhen_row("\t\t产出指标\t数量指标\t信息化维护\t1次\t1次\t15.0\t15.0\t")
    assert cells_of(row) == ("产出", "数量", "信息化维护", "1次", "1次", "15.0", "15.0", None)
    assert notes == []


def test_a_stray_tab_before_numeric_cells_is_read_by_tokens_even_without_a_note():
    # Nine cells, as many as the header, but 得分 lands in the note column: a number there
    # says the row is shifted.
    row, _ = shenzhen_row("\t\t产出指标\t数量指标\t保障人数\t11\t11\t15.0\t15.0")
    assert cells_of(row) == ("产出", "数量", "保障人数", "11", "11", "15.0", "15.0", None)


def test_a_row_that_lost_a_leading_cell_and_its_note_is_read_by_tokens():
    # shenzhen line 22 without its note: 分值 and 得分 end one column left of the header's.
    form = read_form(SHENZHEN, 3, 23, {22: "满意度指标\t\t用户满意度\t100%\t90%\t20.0\t18.0"})
    row = form.indicators[7]
    assert cells_of(row) == ("满意度", None, "用户满意度", "100%", "90%", "20.0", "18.0", None)


@pytest.mark.parametrize("weight", ["15分", "15.0分", "15 分"])
def test_a_weight_printed_with_points_reads_as_its_number_and_keeps_its_text(weight):
    row, notes = shenzhen_row(f"\t产出指标\t数量指标\t信息化维护\t1次\t1次\t{weight}\t15.0\t")
    assert (row.weight, row.score.value) == (Printed(weight, Decimal(weight.rstrip("分 "))), Decimal("15.0"))
    assert notes == []


def test_points_read_in_a_row_read_by_tokens_too():
    row, notes = shenzhen_row("\t\t产出指标\t数量指标\t信息化维护\t1次\t1次\t15分\t12.5分\t")
    assert (row.weight, row.score) == (Printed("15分", Decimal(15)), Printed("12.5分", Decimal("12.5")))
    assert (row.actual, notes) == ("1次", [])


def test_points_read_in_the_funds_block_and_the_total_row():
    form = read_form(
        SHENZHEN,
        3,
        23,
        {8: "\t年度资金总额\t685600.00\t685600.00\t679600.00\t10分\t0.99\t9.90分\t", 23: "总分\t\t\t\t\t\t100分\t97.9分\t—"},
    )
    assert (form.funds.weight, form.funds.score) == (Printed("10分", Decimal(10)), Printed("9.90分", Decimal("9.90")))
    assert (form.total.weight, form.total.score) == (Printed("100分", Decimal(100)), Printed("97.9分", Decimal("97.9")))


def test_a_blank_actual_on_a_weighted_row_is_reported_as_a_missing_actual(shenzhen):
    form = read_form(SHENZHEN, 3, 23, {SHENZHEN_ROW: "\t产出指标\t数量指标\t信息化维护\t1次\t\t15.0\t15.0\t"})
    results = review(form, shenzhen, pick=["actual.missing", "target.missing"]).results
    assert {(result.code, result.outcome) for result in results if result.indicator == 0} == {
        ("actual.missing", Outcome.FAIL),
        ("target.missing", Outcome.PASS),
    }


def test_header_columns_need_all_five_headings_in_template_order():
    header = ("年度绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "* 实际完成 值", "* 分值", "* 得分", "偏差原因分析及改进措施")
    columns = header_columns(Row(16, header), fixed=False)
    assert columns is not None
    assert (columns.name, columns.target, columns.actual, columns.weight, columns.score, columns.width) == (3, 4, 5, 6, 7, 9)
    assert header_columns(Row(16, header[:5] + header[6:]), fixed=False) is None  # no 实际完成值
    swapped = header[:6] + ("* 得分", "* 分值") + header[8:]
    assert header_columns(Row(16, swapped), fixed=False) is None


def office_grid(rows: dict[int, list]) -> Grid:
    """The shenzhen form (lines 3–23) as a hand-built sheet grid, so every blank keeps its column;
    `rows` replaces lines by cells: a text, a Cell with its merge span, or None where covered."""
    lines = sample_lines(SHENZHEN)[2:23]
    grid_rows = []
    for number, line in enumerate(lines, start=3):
        texts = rows.get(number, line.split("\t"))
        grid_rows.append(tuple(Cell(text) if isinstance(text, str) else text for text in texts))
    return Grid(file="hand.xlsx", rows=tuple(grid_rows), part="Sheet1", first_line=3)


def test_in_an_office_grid_a_blank_score_after_a_numeric_actual_stays_blank():
    # Sheets keep every cell at its column, so two numbers ending at 分值 are 实际完成值 and 分值.
    # 满意度指标 has no 二级 here: merged across both label columns.
    grid = office_grid({22: ["", Cell("满意度指标", (1, 2)), None, "投诉次数", "0", "0", "20.0", "", ""]})
    forms, errors = forms_from_grid(grid)
    assert errors == []
    row = forms[0].indicators[7]
    assert cells_of(row) == ("满意度", None, "投诉次数", "0", "0", "20.0", "", None)


def test_in_an_office_grid_a_blank_actual_stays_blank():
    grid = office_grid({15: ["", "产出指标", "数量指标", "信息化维护", "1次", "", "15.0", "15.0", ""]})
    forms, errors = forms_from_grid(grid)
    assert errors == []
    assert cells_of(forms[0].indicators[0]) == ("产出", "数量", "信息化维护", "1次", "", "15.0", "15.0", None)


def test_a_blank_actual_in_an_xlsx_made_with_openpyxl_stays_blank(tmp_path, shenzhen):
    # The first shenzhen form typed into a sheet from A1, 产出指标 merged down its four rows
    # (B13:B16 on the sheet) and 信息化维护's 实际完成值 (F13) left empty.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, line in enumerate(sample_lines(SHENZHEN)[2:23]):
        for column, text in enumerate(line.split("\t"), start=1):
            if text:
                sheet.cell(offset + 1, column, text)
    sheet.cell(13, 6).value = None
    sheet.merge_cells("B13:B16")
    for row, column in ((13, 7), (13, 8)):
        sheet.cell(row, column, 15.0).number_format = "0.0"
    path = tmp_path / "自评表.xlsx"
    workbook.save(path)
    result = read_file(path)
    assert result.errors == ()
    form = result.forms[0]
    assert [cells_of(row) for row in form.indicators[:2]] == [
        ("产出", "数量", "信息化维护", "1次", "", "15.0", "15.0", None),
        ("产出", "质量", "硬件运维服务", "100%", "100%", "15.0", "15.0", None),
    ]
    missing = review(form, shenzhen, pick=["actual.missing"]).findings
    assert [finding.indicator for finding in missing] == [0]
