"""A blank form (services.write_template) filled in the way a unit fills it, then read back.

The unit finds its cells by their labels (年度资金总额, the 二级 label of each indicator row),
types numbers as numbers and texts as texts, and leaves the labels as printed. Unused rows
get 无 / 无 / 无 / 0 / 0 as in the samples (domain.md §5.3). What jixiao reads back is what
was typed, with each 一级 label read from its merged cell: printed on a block's first row,
filled down (inferred) on the others.
"""

from __future__ import annotations

import docx
import openpyxl
import pytest

from jixiao import services
from jixiao.readers import read_file

# (二级 label, 三级 name, 年度指标值, 实际完成值, 分值, 得分, 偏差原因) for every template row.
ROWS_2022 = [
    ("数量", "培训场次", "≥10场", "12场", 20, 20, None),
    ("质量", "培训合格率", "≥95%", "98%", 10, 10, None),
    ("时效", "完成时间", "12月底前", "12月完成", 10, 10, None),
    ("成本", "成本控制", "≤10万元", "8万元", 10, 10, None),
    ("经济效益", "无", "无", "无", 0, 0, None),
    ("社会效益", "群众获益", "有效提升", "部分提升", 30, 27, "受疫情影响，部分活动改为线上。"),
    ("生态效益", "无", "无", "无", 0, 0, None),
    ("可持续影响", "无", "无", "无", 0, 0, None),
    ("服务对象满意度", "参训人员满意度", "≥90%", "95%", 10, 10, None),
    ("其他满意度", "无", "无", "无", 0, 0, None),
]
LEVEL1_2022 = {"数量": "产出(50分)", "经济效益": "效益(30分)", "服务对象满意度": "满意度(10分)"}
CANONICAL = {"产出(50分)": "产出", "效益(30分)": "效益", "满意度(10分)": "满意度", "产出指标(50分)": "产出", "效益指标(20分)": "效益", "满意度指标(20分)": "满意度"}


def expected_indicators(rows, level1_of_block, suffix=""):
    """The indicators a reader must give for `rows`: the 一级 printed on a block's first row,
    filled down (inferred) below it; the 二级 printed on every row."""
    out = []
    level1_text = None
    for level2, name, target, actual, weight, score, deviation in rows:
        first_of_block = level2 in level1_of_block
        level1_text = level1_of_block.get(level2, level1_text)
        out.append(
            {
                "level1": CANONICAL[level1_text],
                "level1_text": level1_text,
                "level2": level2,
                "level2_text": level2 + suffix,
                "name": name,
                "target": target,
                "actual": actual,
                "weight": float(weight),
                "score_claimed": float(score),
                "deviation": deviation,
                "applicable": target != "无",
                "inferred": [] if first_of_block else ["level1"],
            }
        )
    return out


def without_lines(indicators):
    return [{key: value for key, value in indicator.items() if key != "line"} for indicator in indicators]


def find_row(sheet, column: int, text: str) -> int:
    rows = [row for row in range(1, sheet.max_row + 1) if sheet.cell(row, column).value == text]
    assert len(rows) == 1, f"{text}: rows {rows}"
    return rows[0]


def test_a_filled_2022_workbook_template_reads_back_as_typed(tmp_path):
    path = services.write_template("form-2022", "xlsx", tmp_path / "模板.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    header = find_row(sheet, 1, "项目编码：")
    sheet.cell(header, 2, "440303210301500009999")
    sheet.cell(header, 5, "社区培训")
    sheet.cell(header, 9, 2022)
    sheet.cell(header + 1, 2, "深圳市某区某单位")
    sheet.cell(header + 1, 7, "深圳市某区某局")
    total = find_row(sheet, 2, "年度资金总额")
    for column, value in zip((3, 4, 5, 7, 8), (100000, 120000, 96000, 80.0, 8)):
        sheet.cell(total, column, value)
    fiscal = find_row(sheet, 2, "其中：当年财政拨款")
    for offset, label in enumerate(("其中：当年财政拨款", "上年结转资金", "其他资金")):
        values = (100000, 120000, 96000) if offset == 0 else (0, 0, 0)
        for column, value in zip((3, 4, 5), values):
            sheet.cell(fiscal + offset, column, value)
    goals = find_row(sheet, 2, "预期目标") + 1
    sheet.cell(goals, 2, "开展社区培训，提升居民技能。")
    sheet.cell(goals, 5, "全年开展培训12场。")
    for level2, name, target, actual, weight, score, deviation in ROWS_2022:
        row = find_row(sheet, 3, level2)
        for column, value in zip((4, 5, 6, 7, 8, 9), (name, target, actual, weight, score, deviation)):
            sheet.cell(row, column, value)
    sheet.cell(find_row(sheet, 1, "总分"), 8, 95)
    workbook.save(path)

    result = read_file(path)
    assert [str(error) for error in result.errors] == []
    (form,) = result.forms
    data = form.json()
    assert data["project"] == {
        "name": "社区培训",
        "code": "440303210301500009999",
        "year": 2022,
        "department": None,
        "implementing_unit": "深圳市某区某单位",
        "budget_unit": "深圳市某区某局",
        "amount": None,
    }
    assert data["funds"] == {
        "total": {"initial": 100000.0, "adjusted": 120000.0, "executed": 96000.0},
        "fiscal": {"initial": 100000.0, "adjusted": 120000.0, "executed": 96000.0},
        "carryover": {"initial": 0.0, "adjusted": 0.0, "executed": 0.0},
        "other": {"initial": 0.0, "adjusted": 0.0, "executed": 0.0},
        "weight": 10.0,
        "rate_claimed": 0.8,  # 80.0 under 执行率(%)
        "score_claimed": 8.0,
    }
    assert data["goals"] == {"expected": "开展社区培训，提升居民技能。", "actual": "全年开展培训12场。"}
    assert without_lines(data["indicators"]) == expected_indicators(ROWS_2022, LEVEL1_2022)
    assert data["total"] == {"weight_claimed": 100.0, "score_claimed": 95.0}


def test_a_filled_2021_word_template_reads_back_as_typed(tmp_path):
    path = services.write_template("form-2021", "docx", tmp_path / "模板.docx")
    document = docx.Document(path)
    (table,) = document.tables
    rows = {row.cells[0].text: row for row in table.rows if row.cells[0].text}

    def row_with(column: int, text: str):
        found = [row for row in table.rows if row.cells[column].text == text]
        assert len(found) == 1, text
        return found[0]

    rows["项目名称"].cells[1].text = "社区培训"
    rows["项目名称"].cells[5].text = "360000"
    rows["主管部门"].cells[1].text = "深圳市某区某局"
    rows["主管部门"].cells[5].text = "深圳市某区某单位"
    for column, text in zip((2, 3, 4, 6, 7), ("100000.00", "120000.00", "96000.00", "0.80", "8.00")):
        row_with(1, "年度资金总额").cells[column].text = text
    for column, text in zip((2, 3, 4, 6), ("100000.00", "120000.00", "96000.00", "0.80")):
        row_with(1, "其中：当年财政拨款").cells[column].text = text
    for level2, name, target, actual, weight, score, deviation in ROWS_2022:
        cells = row_with(2, level2 + "指标").cells
        for column, value in zip((3, 4, 5, 6, 7, 8), (name, target, actual, f"{weight}.0", f"{score}.0", deviation)):
            cells[column].text = value or ""
    document.save(path)

    result = read_file(path)
    assert [str(error) for error in result.errors] == []
    (form,) = result.forms
    assert (form.source.layout, form.project.name, form.project.amount.value) == ("form-2021", "社区培训", 360000)
    assert (form.project.department, form.project.implementing_unit) == ("深圳市某区某局", "深圳市某区某单位")
    assert (form.funds.rate.text, float(form.funds.rate_claimed), form.funds.weight.text) == ("0.80", 0.8, "10")
    level1_2021 = {"数量": "产出指标(50分)", "经济效益": "效益指标(20分)", "服务对象满意度": "满意度指标(20分)"}
    expected = expected_indicators(ROWS_2022, level1_2021, suffix="指标")
    assert without_lines(form.json()["indicators"]) == expected


@pytest.mark.parametrize("to", services.TEMPLATE_FORMATS)
def test_an_unfilled_template_reads_as_a_form_without_indicator_rows(tmp_path, to):
    path = services.write_template("form-2022", to, tmp_path / f"空白.{to}")
    result = read_file(path)
    assert result.forms == ()
    assert len(result.errors) == 1 and "未找到绩效指标行" in str(result.errors[0])
