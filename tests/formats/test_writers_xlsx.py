"""The official form as .xlsx (writers/form_xlsx.py): merges, numbers, styles, print setup, findings.

The form is luohu-culture-bureau-2021.txt lines 3–23 (干部健康管理): rows 1 title, 2–3
header, 4 funds heading, 5–8 funds rows, 9–10 goals, 11 indicator heading, 12–19 the eight
indicator rows (lines 15–22), 20 总分.
"""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest
from exported_forms import LUOHU_2021, form_named
from openpyxl.utils import get_column_letter

from jixiao.checks.review import review
from jixiao.writers import findings_table, form_table, write_forms
from jixiao.writers.findings import HEADINGS


@pytest.fixture(scope="module")
def health_form():
    return form_named(LUOHU_2021, "干部健康管理")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, health_form, shenzhen):
    path = tmp_path_factory.mktemp("xlsx") / "干部健康管理.xlsx"
    write_forms(path, "xlsx", [form_table(health_form)], findings_table([review(health_form, shenzhen)]))
    return openpyxl.load_workbook(path)


def test_the_workbook_has_the_form_sheet_then_the_findings_sheet(workbook):
    assert workbook.sheetnames == ["干部健康管理", "审核意见"]


def test_merged_ranges_are_those_of_the_paper_form(workbook):
    merged = {str(cell_range) for cell_range in workbook["干部健康管理"].merged_cells.ranges}
    assert merged == {
        "A1:I1",  # title
        "B2:D2", "F2:I2", "B3:D3", "F3:I3",  # 项目名称 / 项目金额, 主管部门 / 实施单位
        "A4:A8", "H4:I4", "H5:I5", "H6:I6", "H7:I7", "H8:I8",  # 项目资金（元） over its rows; 得分
        "A9:A10", "B9:D9", "E9:I9", "B10:D10", "E10:I10",  # 年度总体目标
        "A11:A19",  # 年度绩效指标 over the heading and the eight rows
        "B12:B15", "C12:C13", "B16:B18",  # 产出指标 (lines 15–18), 数量指标 (15–16), 效益指标 (19–21)
        "A20:F20",  # 总分
    }


def test_numbers_are_stored_as_numbers_formatted_as_printed(workbook):
    sheet = workbook["干部健康管理"]
    cells = {ref: (sheet[ref].value, sheet[ref].number_format) for ref in ("F2", "C5", "E5", "F5", "G5", "H5", "G12", "H12", "G20", "H20")}
    assert cells == {
        "F2": (300000, "0"),  # 项目金额 300000
        "C5": (100000.0, "0.00"),  # 年初预算数 100000.00
        "E5": (55964.0, "0.00"),
        "F5": (10, "0"),  # 分值 10
        "G5": (0.56, "0.00"),  # 执行率 0.56
        "H5": (5.6, "0.00"),  # 得分 5.60
        "G12": (10.0, "0.0"),  # 分值 10.0
        "H12": (5.0, "0.0"),
        "G20": (100, "0"),  # 总分 100 / 83.6
        "H20": (83.6, "0.0"),
    }
    assert sheet["F6"].value == "—" and sheet["B6"].value == "其中：当年财政拨款"


def test_every_cell_of_the_table_is_ruled_with_thin_lines_in_the_song_typeface(workbook):
    sheet = workbook["干部健康管理"]
    ranges = [cell_range.bounds for cell_range in sheet.merged_cells.ranges]  # (min_col, min_row, max_col, max_row)
    for row in range(2, 21):
        for column in range(1, 10):
            left, top, right, bottom = next(
                (bounds for bounds in ranges if bounds[0] <= column <= bounds[2] and bounds[1] <= row <= bounds[3]),
                (column, row, column, row),
            )
            border = sheet.cell(row, column).border
            # Inside a merged range no line is drawn; on its edges (and around a plain cell) one is.
            edges = {"left": column == left, "right": column == right, "top": row == top, "bottom": row == bottom}
            for side, on_edge in edges.items():
                if on_edge:
                    assert getattr(border, side).style == "thin", (sheet.cell(row, column).coordinate, side)
    assert sheet["B5"].font.name == "宋体" and sheet["E10"].font.name == "宋体"
    title = sheet["A1"]
    assert (title.value, title.font.size, title.font.bold) == ("项目支出绩效自评表", 16, True)
    assert title.border.left.style is None


def test_narratives_wrap_left_aligned_in_rows_tall_enough_for_them(workbook):
    sheet = workbook["干部健康管理"]
    assert sheet["E10"].alignment.wrap_text and sheet["E10"].alignment.horizontal == "left"
    assert sheet["C5"].alignment.horizontal == "center"
    assert sheet.row_dimensions[10].height > 2 * sheet.row_dimensions[2].height
    widths = [sheet.column_dimensions[get_column_letter(column)].width for column in range(1, 10)]
    assert widths[8] == max(widths)  # 偏差原因分析及改进措施 is the widest column


def test_the_sheet_prints_on_a4_landscape_one_page_wide(workbook):
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9: A4 in SpreadsheetML
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_the_findings_sheet_lists_each_finding_with_its_evidence(workbook, health_form, shenzhen):
    sheet = workbook["审核意见"]
    assert sheet["A1"].value == "审核意见"
    assert [cell.value for cell in sheet[2]] == list(HEADINGS)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    findings = review(health_form, shenzhen).findings
    assert len(rows) == len(findings)
    by_code = {row[2]: row for row in rows}
    # 执行率 55964/100000 = 55.96% is under shenzhen-2021's 80% (checks.md funds.low-execution).
    low = by_code["funds.low-execution"]
    assert (low[1], low[3], low[4], low[5], low[6]) == ("干部健康管理", "警告", "不通过", None, None)
    for row, finding in zip(rows, findings):
        if finding.indicator is not None:
            indicator = health_form.indicators[finding.indicator]
            assert row[5] == str(indicator.line)
            assert row[6].startswith(f"第{finding.indicator + 1}项")


def test_sheet_names_are_made_valid_and_unique(tmp_path, health_form):
    path = tmp_path / "two.xlsx"
    table = form_table(health_form)
    odd = form_table(replace(health_form, project=replace(health_form.project, name="a/b:c*[d]?" + "长" * 40)))
    write_forms(path, "xlsx", [table, table, odd])
    names = openpyxl.load_workbook(path).sheetnames
    assert names[:2] == ["干部健康管理", "干部健康管理(2)"]
    assert names[2].startswith("a_b_c_") and len(names[2]) == 31


def test_a_form_without_findings_says_so_on_the_findings_sheet(tmp_path, health_form):
    path = tmp_path / "clean.xlsx"
    write_forms(path, "xlsx", [form_table(health_form)], findings_table([]))
    sheet = openpyxl.load_workbook(path)["审核意见"]
    assert [cell.value for cell in sheet[3]][7] == "未发现问题"
