"""Excel workbooks read as grids and forms (readers/xlsx.py, xlsx_package.py, number_format.py).

The central test builds workbooks the way a unit builds one by hand from the paper form:
a title merged across, an empty first column and empty rows, the funds block's label and the
一级/二级 labels merged down over their rows, 年度总体目标 merged over its two rows, amounts
typed as numbers formatted `0.00`, percentages typed as `100%` (a number formatted `0%`), a
footer, and the 总分 得分 as a SUM formula. Every form must read to the same values as the
published text extraction of the same form (form.json() without source, lines and notes).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import xlwt
from conftest import sample
from openpyxl.utils import get_column_letter, range_boundaries

from jixiao.readers import read_file, read_grids

LUOHU_2021 = "luohu-culture-bureau-2021.txt"
SHENZHEN_2021 = "shenzhen-culture-bureau-2021.txt"
LUOHU_2022 = "luohu-district-office-2022.txt"


@dataclass(frozen=True)
class HandMadeForm:
    """One form of a sample, copied into a sheet: its lines, merges and 总分 formula.

    Merges and the formula use A1 references relative to the form: row 1 is the sample's
    first line (the title), column A its first text column.
    """

    sample: str
    first_line: int
    last_line: int
    merges: str
    total_formula: tuple[str, str]  # (cell, formula) of the 总分 得分


# luohu-culture-bureau-2021.txt lines 3–23 (干部健康管理): labels printed once with blanks below.
LUOHU_FORM = HandMadeForm(
    LUOHU_2021,
    3,
    23,
    "A1:I1 B3:D3 F3:I3 B4:D4 F4:I4 A5:A9 A10:A11 B10:D10 E10:I10 B11:D11 E11:I11 "
    "A12:A20 B13:B16 C13:C14 B17:B19 B21:F21",
    ("H21", "=H6+SUM(H13:H20)"),
)
# shenzhen-culture-bureau-2021.txt lines 47–67 (信息安全工作).
SHENZHEN_FORM = HandMadeForm(
    SHENZHEN_2021,
    47,
    67,
    "A1:I1 B3:D3 F3:I3 B4:D4 F4:I4 A5:A9 A10:A11 B10:D10 E10:I10 B11:D11 E11:I11 "
    "A12:A20 B13:B16 B17:B19 A21:F21",
    ("H21", "=H6+SUM(H13:H20)"),
)
# luohu-district-office-2022.txt lines 3–28 (干部健康管理, 2022 layout). The layout prints
# 年度绩效指标 and the 一级指标 on every indicator row, so those stay unmerged.
LUOHU_2022_FORM = HandMadeForm(
    LUOHU_2022,
    3,
    28,
    "A1:I1 F3:I3 D4:I4 A5:I5 A7:A10 A11:I11 A12:A13 B12:D12 E12:I12 B13:D13 E13:I13 A26:F26",
    ("H26", "=H7+SUM(H15:H25)"),
)

_INTEGER = re.compile(r"-?[1-9]\d{0,14}|0")  # longer digit strings are codes: Excel keeps them as text
_DECIMAL = re.compile(r"-?\d+\.(\d+)")
_PERCENT = re.compile(r"(\d+)(?:\.(\d+))?%")


def typed(text: str, percentages: bool = True) -> tuple[object, str]:
    """What a unit's Excel holds for a printed text: (value, number format)."""
    if _INTEGER.fullmatch(text):
        return int(text), "General"
    if match := _DECIMAL.fullmatch(text):
        return float(text), "0." + "0" * len(match[1])
    if percentages and (match := _PERCENT.fullmatch(text)):
        decimals = len(match[2] or "")
        return float(text[:-1]) / 100, "0" + ("." + "0" * decimals if decimals else "") + "%"
    return text, "General"


def sample_lines(form: HandMadeForm) -> list[list[str]]:
    lines = sample(form.sample).read_text(encoding="utf-8").split("\n")
    return [line.split("\t") for line in lines[form.first_line - 1 : form.last_line]]


def merged_ranges(form: HandMadeForm, top: int, left: int) -> list[tuple[int, int, int, int]]:
    """The form's merges as 1-based (first row, first column, last row, last column) on the sheet."""
    ranges = []
    for reference in form.merges.split():
        first_column, first_row, last_column, last_row = range_boundaries(reference)
        ranges.append((first_row + top - 1, first_column + left - 1, last_row + top - 1, last_column + left - 1))
    return ranges


def covered_cells(ranges) -> set[tuple[int, int]]:
    return {
        (row, column)
        for first_row, first_column, last_row, last_column in ranges
        for row in range(first_row, last_row + 1)
        for column in range(first_column, last_column + 1)
        if (row, column) != (first_row, first_column)
    }


def place_form(sheet, form: HandMadeForm, top: int, left: int) -> str:
    """Write the form at (top, left), 1-based; return the sheet cell of its 总分 得分 formula."""
    ranges = merged_ranges(form, top, left)
    covered = covered_cells(ranges)
    formula_column, formula_row, _, _ = range_boundaries(form.total_formula[0])
    formula_cell = (formula_row + top - 1, formula_column + left - 1)
    for offset, cells in enumerate(sample_lines(form)):
        row = top + offset
        for index, text in enumerate(cells):
            column = left + index
            if (row, column) in covered:
                # A unit merges only what the paper form leaves blank: nothing is lost.
                assert not text.strip(), f"{form.sample} line {form.first_line + offset}: merge covers {text!r}"
                continue
            if not text or (row, column) == formula_cell:
                continue
            value, number_format = typed(text)
            cell = sheet.cell(row, column, value)
            cell.number_format = number_format
    for first_row, first_column, last_row, last_column in ranges:
        sheet.merge_cells(start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column)
    formula = re.sub(r"([A-Z])(\d+)", lambda m: _shifted(m, top, left), form.total_formula[1])
    cell = sheet.cell(*formula_cell, formula)
    cell.number_format = typed(sample_lines(form)[formula_row - 1][formula_column - 1])[1]
    return f"{get_column_letter(formula_cell[1])}{formula_cell[0]}"


def _shifted(match: re.Match[str], top: int, left: int) -> str:
    column = ord(match[1]) - ord("A") + left
    return f"{get_column_letter(column)}{int(match[2]) + top - 1}"


def store_cached_values(path: Path, values: dict[str, dict[str, float]]) -> None:
    """Give formulas the value Excel stores with them on saving (openpyxl writes none).

    `values` maps a sheet's zip member to {cell reference: cached value}.
    """
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for member, cells in values.items():
        xml = parts[member].decode("utf-8")
        for reference, value in cells.items():
            xml, count = re.subn(
                rf'(<c r="{reference}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?',
                rf"\g<1><v>{value!r}</v>",
                xml,
            )
            assert count == 1, f"formula cell {reference} not found in {member}"
        parts[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def expected_forms(form: HandMadeForm):
    """The forms the text sample gives for the lines of `form`."""
    result = read_file(sample(form.sample))
    found = [each for each in result.forms if each.source.rows[0] == form.first_line]
    assert len(found) == 1
    return found[0]


def comparable(form) -> dict:
    """form.json() without where it came from: source, line numbers and reader notes."""
    data = form.json()
    del data["source"]
    data.pop("notes", None)
    for indicator in data["indicators"]:
        del indicator["line"]
    return data


@pytest.fixture(scope="module")
def hand_made_workbook(tmp_path_factory) -> Path:
    """Sheet 2021: two forms, an empty column A, blank rows and a footer; sheet 2022: one form;
    a 填表说明 sheet and an empty Sheet3, as Excel's default workbook leaves them."""
    path = tmp_path_factory.mktemp("xlsx") / "单位自评表.xlsx"
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "2021"
    luohu_total = place_form(first, LUOHU_FORM, top=2, left=2)
    first.cell(23, 2, "填表人：")
    first.cell(23, 3, "张三")
    shenzhen_total = place_form(first, SHENZHEN_FORM, top=27, left=2)
    second = workbook.create_sheet("2022")
    office_total = place_form(second, LUOHU_2022_FORM, top=1, left=1)
    notes = workbook.create_sheet("填表说明")
    notes["A1"] = "1. 金额单位为元。"
    notes["A2"] = "2. 执行率保留两位小数。"
    workbook.create_sheet("Sheet3")
    workbook.save(path)
    store_cached_values(
        path,
        {
            "xl/worksheets/sheet1.xml": {luohu_total: 83.6, shenzhen_total: 100},
            "xl/worksheets/sheet2.xml": {office_total: 95.98},
        },
    )
    return path


def test_a_hand_made_workbook_reads_to_the_same_forms_as_the_text_extraction(hand_made_workbook):
    result = read_file(hand_made_workbook)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [
        comparable(expected_forms(LUOHU_FORM)),
        comparable(expected_forms(SHENZHEN_FORM)),
        comparable(expected_forms(LUOHU_2022_FORM)),
    ]


def test_forms_are_numbered_across_the_sheets_of_a_workbook(hand_made_workbook):
    result = read_file(hand_made_workbook)
    assert [form.source.index for form in result.forms] == [0, 1, 2]


def test_form_rows_are_the_rows_of_the_sheet(hand_made_workbook):
    forms = read_file(hand_made_workbook).forms
    # The first form's title is on sheet row 2 and its 总分 on row 22; the second starts on row 27.
    assert forms[0].source.rows == (2, 22)
    assert forms[1].source.rows[0] == 27
    assert forms[0].indicators[0].line == 14


def test_a_formula_reads_as_its_cached_value(hand_made_workbook):
    forms = read_file(hand_made_workbook).forms
    assert forms[0].total.score.text == "83.6"
    assert forms[2].total.score.text == "95.98"


def test_a_percentage_typed_into_excel_reads_as_printed(hand_made_workbook):
    # 实际完成值 "30%" is the number 0.3 formatted 0% in the workbook.
    indicator = read_file(hand_made_workbook).forms[0].indicators[1]
    assert (indicator.target, indicator.actual) == ("100%", "30%")


def test_a_rate_formatted_with_two_decimals_keeps_its_printed_digits(hand_made_workbook):
    # shenzhen line 52 prints 执行率 1.00: the printed digits set the rate check's tolerance.
    funds = read_file(hand_made_workbook).forms[1].funds
    assert funds.rate.text == "1.00"
    assert funds.total.initial.text == "264600.00"


def test_a_merged_range_is_one_anchor_cell_with_its_span_and_covered_cells_are_none(hand_made_workbook):
    sheet = read_grids(hand_made_workbook)[0]
    assert sheet.part == "2021"
    assert sheet.first_line == 2  # the sheet's first filled row; row numbers stay the sheet's
    title = sheet.rows[0]
    assert title[0].text == "项目支出绩效自评表"
    assert title[0].span == (1, 9)
    assert title[1:9] == (None,) * 8
    funds_label = sheet.rows[4][0]  # sheet row 6: 项目资金 (元) merged down over five rows
    assert (funds_label.text, funds_label.span) == ("项目资金 (元)", (5, 1))
    assert all(sheet.rows[index][0] is None for index in range(5, 9))


def test_blank_sheets_and_an_instructions_sheet_beside_the_forms_are_no_error(hand_made_workbook):
    grids = read_grids(hand_made_workbook)
    assert [grid.part for grid in grids] == ["2021", "2022", "填表说明", "Sheet3"]
    assert read_file(hand_made_workbook).errors == ()


def test_a_workbook_without_any_form_says_so_once(tmp_path):
    path = tmp_path / "空表.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "说明"
    workbook.create_sheet("Sheet2")
    workbook.save(path)
    result = read_file(path)
    assert result.forms == ()
    assert [error.message for error in result.errors] == ["未找到项目支出绩效自评表或部门汇总表"]


def test_an_error_inside_a_sheet_names_the_sheet_and_its_row(tmp_path):
    path = tmp_path / "残表.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "汇总"
    broken = workbook.create_sheet("第二张")
    broken["A3"] = "项目支出绩效自评表"
    broken["A4"], broken["B4"] = "项目名称", "某项目"
    workbook.save(path)
    errors = read_file(path).errors
    assert len(errors) == 1
    assert errors[0].message.startswith("第二张：")
    assert errors[0].line == 3


def test_a_hidden_sheet_is_read_and_its_forms_say_so(tmp_path):
    path = tmp_path / "隐藏.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "封面"
    hidden = workbook.create_sheet("旧版")
    place_form(hidden, LUOHU_FORM, top=1, left=1)
    hidden.sheet_state = "hidden"
    workbook.save(path)
    forms = read_file(path).forms
    assert len(forms) == 1
    assert forms[0].notes[-1] == "读自隐藏的工作表“旧版”"


def test_an_xls_workbook_made_with_xlwt_reads_to_the_same_forms(tmp_path):
    # calamine exposes no number formats for .xls, so numbers show as General there: the
    # values are the same, and target and actual texts stay texts, as typed in this sheet.
    path = tmp_path / "单位自评表.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("2021")
    top = 0
    for form in (LUOHU_FORM, SHENZHEN_FORM):
        ranges = merged_ranges(form, top + 1, 1)
        covered = covered_cells(ranges)
        anchors = {(first_row, first_column): (last_row, last_column) for first_row, first_column, last_row, last_column in ranges}
        for offset, cells in enumerate(sample_lines(form)):
            for index, text in enumerate(cells):
                position = (top + offset + 1, index + 1)
                if position in covered:
                    continue
                value, number_format = typed(text, percentages=False)
                style = xlwt.easyxf(num_format_str=number_format)
                if position in anchors:
                    last_row, last_column = anchors[position]
                    sheet.write_merge(position[0] - 1, last_row - 1, position[1] - 1, last_column - 1, value, style)
                elif text:
                    sheet.write(position[0] - 1, position[1] - 1, value, style)
        top += form.last_line - form.first_line + 3
    book.save(str(path))
    result = read_file(path)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [
        comparable(expected_forms(LUOHU_FORM)),
        comparable(expected_forms(SHENZHEN_FORM)),
    ]
    grid = read_grids(path)[0]
    assert grid.rows[0][0].span == (1, 9)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (1, "0.00", "1.00"),
        (0.5600000000000001, "0.00", "0.56"),
        (1, "0%", "100%"),
        (0.597, "0.0%", "59.7%"),
        (2381700, "#,##0.00", "2,381,700.00"),
        (-1234.5, "#,##0.00;(#,##0.00)", "(1,234.50)"),
        (-3, "0.0", "-3.0"),
        (2.675, "0.00", "2.68"),  # half up, as Excel shows it
        (12, '0"元"', "12元"),
        (12, "[Red]0.0", "12.0"),
        (0.30000000000000004, "General", "0.3"),
        (300000.0, "General", "300000"),
        (1e-05, "General", "0.00001"),
        (dt.datetime(2021, 12, 31), 'yyyy"年"m"月"d"日"', "2021年12月31日"),
        (dt.datetime(2021, 1, 2, 13, 5), "yyyy/m/d h:mm", "2021/1/2 13:05"),
        (True, "General", "TRUE"),
    ],
)
def test_a_number_cell_reads_as_the_sheet_displays_it(tmp_path, value, number_format, shown):
    path = tmp_path / "格式.xlsx"
    workbook = openpyxl.Workbook()
    cell = workbook.active.cell(2, 3, value)
    cell.number_format = number_format
    workbook.save(path)
    grid = read_grids(path)[0]
    assert grid.rows[0][0].text == shown


def test_booleans_beside_the_numbers_one_and_zero_read_true_and_false(tmp_path):
    # True == 1 and False == 0 in Python: a boolean must not take a number's cell, nor the reverse.
    path = tmp_path / "布尔.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append([1, True, 0.0, False, 1.0, 0, True])
    workbook.save(path)
    assert read_grids(path)[0].texts(0) == ["1", "TRUE", "0", "FALSE", "1", "0", "TRUE"]


def test_a_number_format_applies_whatever_order_and_quotes_the_cell_attributes_come_in(tmp_path):
    # Excel writes r, s, t in that order with double quotes; other writers may not, and such
    # a sheet takes the exact walk instead of the quick pass (xlsx_package.py).
    path = tmp_path / "属性顺序.xlsx"
    workbook = openpyxl.Workbook()
    for reference in ("A1", "B1", "C1"):
        workbook.active[reference] = 0.5
        workbook.active[reference].number_format = "0.00%"
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(b'<c r="B1" s="1" t="n">', b'<c s="1" r="B1" t="n">')
    sheet = sheet.replace(b'<c r="C1" s="1" t="n">', b"<c r='C1' s='1' t='n'>")
    assert sheet.count(b'r="B1"') == sheet.count(b"r='C1'") == 1
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert read_grids(path)[0].texts(0) == ["50.00%", "50.00%", "50.00%"]


def test_a_date_without_a_chinese_format_reads_as_iso(tmp_path):
    path = tmp_path / "日期.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = dt.date(2023, 6, 15)  # openpyxl's default date format yyyy-mm-dd
    workbook.save(path)
    assert read_grids(path)[0].rows[0][0].text == "2023-06-15"


def test_numbers_in_an_xls_show_as_general(tmp_path):
    path = tmp_path / "数.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    sheet.write(0, 0, 300000.0)
    sheet.write(0, 1, 0.56)
    sheet.write(0, 2, "文本")
    book.save(str(path))
    assert read_grids(path)[0].texts(0) == ["300000", "0.56", "文本"]


def test_a_merge_reaching_past_the_last_filled_cell_is_clipped_to_the_grid(tmp_path):
    path = tmp_path / "合并.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B2"] = "标题", "值"
    sheet.merge_cells("A1:Z1")
    workbook.save(path)
    grid = read_grids(path)[0]
    assert grid.rows[0] == (grid.rows[0][0], None)
    assert grid.rows[0][0].span == (1, 2)


def test_a_form_placed_beyond_column_z_reads_the_same(tmp_path):
    # Cells from column AA on take the exact (slower) sheet walk instead of the quick pass.
    path = tmp_path / "右移.xlsx"
    workbook = openpyxl.Workbook()
    total = place_form(workbook.active, LUOHU_FORM, top=3, left=28)
    workbook.save(path)
    store_cached_values(path, {"xl/worksheets/sheet1.xml": {total: 83.6}})
    forms = read_file(path).forms
    assert [comparable(form) for form in forms] == [comparable(expected_forms(LUOHU_FORM))]
    assert forms[0].indicators[1].actual == "30%"


def test_a_chart_sheet_is_skipped(tmp_path):
    path = tmp_path / "图表.xlsx"
    workbook = openpyxl.Workbook()
    total = place_form(workbook.active, LUOHU_FORM, top=1, left=1)
    workbook.create_chartsheet("图表")
    workbook.save(path)
    store_cached_values(path, {"xl/worksheets/sheet1.xml": {total: 83.6}})
    assert [grid.part for grid in read_grids(path)] == ["Sheet"]
    assert read_file(path).errors == ()


def test_a_titled_table_beside_the_forms_is_no_error_but_headless_form_rows_are(tmp_path):
    path = tmp_path / "附表.xlsx"
    workbook = openpyxl.Workbook()
    total = place_form(workbook.active, LUOHU_FORM, top=1, left=1)
    listing = workbook.create_sheet("审核意见")
    listing.append(["审核意见"])
    listing.append(["序号", "问题", "说明"])
    listing.append([1, "预算执行率偏低", "55.96%"])
    orphan = workbook.create_sheet("续表")
    orphan.append(["", "效益指标", "社会效益指标", "提升幸福度", "有效提升", "100%", 20, 20])
    workbook.save(path)
    store_cached_values(path, {"xl/worksheets/sheet1.xml": {total: 83.6}})
    result = read_file(path)
    assert len(result.forms) == 1
    assert [(error.message, error.line) for error in result.errors] == [("续表：第1行不属于任何自评表，无法识别", 1)]
