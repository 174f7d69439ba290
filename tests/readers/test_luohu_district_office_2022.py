"""luohu-district-office-2022.txt: 8 forms of the 2022 layout (domain.md §5.3).

Expected values are read off the sample text by hand (line numbers are the file's).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sample_files import by_line, forms, result, row_view  # noqa: F401  (forms and result are fixtures)

FILE = "luohu-district-office-2022.txt"

# (项目编码, 项目名称, indicator rows counted in the file, printed 执行率, printed 总分 得分)
FORMS = [
    ("440303210301500001427", "干部健康管理", 11, "59.7", "95.98"),
    ("440303210301500001753", "档案管理事务", 10, "99.4", "99.95"),
    ("440303210301500001940", "离退休干部管理和服 务", 10, "52.4", "95.24"),
    ("440303221041500005000", "疫情防控工作经历", 10, "100", "100.00"),
    ("440303210301500001368", "行政运行", 13, "85", "97.50"),
    ("440303210301500001489", "秘书处业务", 10, "75.5", "97.55"),
    ("440303210301500004281", "办文办会事务", 24, "86", "93.60"),
    ("440303210301500001039", "督查及绩效事务", 10, "98.7", "99.87"),
]
UNIT = "深圳市罗湖区委（政府）办本级"


def test_the_file_holds_8_forms_and_no_read_error(result):
    assert len(result.forms) == 8
    assert result.errors == ()


@pytest.mark.parametrize(
    ("index", "code", "name", "rows", "rate", "total_score"), [(i, *form) for i, form in enumerate(FORMS)]
)
def test_each_form_has_its_header_rows_rate_and_printed_total(forms, index, code, name, rows, rate, total_score):
    form = forms[index]
    assert (form.project.code, form.project.name, form.project.year) == (code, name, 2022)
    assert (form.project.implementing_unit, form.project.budget_unit, form.project.department) == (UNIT, UNIT, None)
    assert not form.project.amount.present  # the 2022 layout prints no 项目金额
    assert len(form.indicators) == rows
    assert (form.funds.rate.text, form.funds.rate_scale) == (rate, 100)
    assert (form.total.weight.text, form.total.score.text) == ("100.00", total_score)
    assert form.source.layout == "form-2022"


def test_every_form_gives_funds_and_indicators_100_points(forms):
    for form in forms.values():
        weights = form.funds.weight.value + sum(row.weight.value for row in form.indicators)
        assert weights == 100, form.project.name


def test_every_form_weighs_output_50_benefit_30_satisfaction_10(forms):
    for form in forms.values():
        by_level = {}
        for row in form.indicators:
            by_level[row.level1] = by_level.get(row.level1, 0) + row.weight.value
        assert by_level == {"产出": 50, "效益": 30, "满意度": 10}, form.project.name


def test_the_first_form_reads_field_by_field(forms):
    form = forms[0]
    assert (form.source.index, form.source.rows) == (0, (3, 28))
    funds = form.funds
    total = funds.total
    # 108000.00 and 108000 in the same row (domain.md §7.14)
    assert (total.initial.text, total.adjusted.text, total.executed.text, total.line) == (
        "108000.00",
        "108000",
        "64531",
        9,
    )
    assert (total.initial.value, total.adjusted.value, total.executed.value) == (108000, 108000, 64531)
    assert (funds.weight.text, funds.rate.text, funds.score.text) == ("10", "59.7", "5.98")
    assert funds.rate_claimed == Decimal("0.597")
    fiscal = funds.fiscal
    assert (fiscal.initial.text, fiscal.adjusted.text, fiscal.executed.text, fiscal.line) == (
        "108000.00",
        "108000.00",
        "64531.00",
        10,
    )
    for row in (fiscal, funds.carryover, funds.other):
        assert (row.rate.text, row.rate.value) == ("—", None)  # "—" is no value, never 0
    assert (funds.carryover.executed.text, funds.other.line) == ("0.00", 12)

    assert form.goals.expected == "发放在职处级11人，共44000元，在职局级一人5000元；退休处级11人，共44000元，退休局级3人15000。"
    assert form.goals.actual == "严格按照标准划拨疗养费。受疫情影响，为配合疫情防控工作，未能如期完成干部疗养，预计2023年继续使用"

    assert [row_view(row) for row in form.indicators] == [
        ("产出", "产出(50分)", "数量", "数量", "保障处级干部健康管理人数", "11", "11", "7.50", "7.50", True, ()),
        ("产出", "产出(50分)", "数量", "数量", "保障局级干部健康管理人数", "4", "4", "7.50", "7.50", True, ()),
        ("产出", "产出(50分)", "质量", "质量", "处级以上干部健康管理品质", "优", "100%", "15.00", "15.00", True, ()),
        ("产出", "产出(50分)", "时效", "时效", "及时发放或划转", "12月底前", "12月底前已发放", "10.00", "10.00", True, ()),
        ("产出", "产出(50分)", "成本", "成本", "按标准控制总成本", "100%", "100%", "10.00", "10.00", True, ()),
        ("效益", "效益(30分)", "经济效益", "经济效益", "无", "无", "无", "0", "0.00", False, ()),
        ("效益", "效益(30分)", "社会效益", "社会效益", "提现组织关怀", "效果显著", "100%", "30.00", "30.00", True, ()),
        ("效益", "效益(30分)", "生态效益", "生态效益", "无", "无", "无", "0", "0.00", False, ()),
        ("效益", "效益(30分)", "可持续影响", "可持续影响", "无", "无", "无", "0", "0.00", False, ()),
        ("满意度", "满意度(10分)", "服务对象满意度", "服务对象满意度", "处级以上干部健康管理满意度", "100%", "100%", "10.00", "10.00", True, ()),
        ("满意度", "满意度(10分)", "其他满意度", "其他满意度", "无", "无", "无", "0", "0.00", False, ()),
    ]
    assert [row.line for row in form.indicators] == list(range(17, 28))
    assert all(row.deviation is None for row in form.indicators)  # blank on full-score rows
    assert (form.total.weight.value, form.total.score.value, form.total.line) == (100, Decimal("95.98"), 28)
    assert form.notes == ()


def test_the_weight_suffix_spellings_all_read_as_the_same_level(forms):
    assert by_line(forms[1], 44).level1_text == "产出（50分）"
    assert by_line(forms[2], 70).level1_text == "产出 (50分)"
    assert by_line(forms[0], 17).level1_text == "产出(50分)"
    assert {by_line(forms[i], line).level1 for i, line in ((1, 44), (2, 70), (0, 17))} == {"产出"}
    assert by_line(forms[2], 78).level1 == "满意度"  # 满意度 (10分)


def test_a_broken_header_label_is_still_a_header_label(forms):
    # 项目名称:⇥离退休干部管理和服 务⇥绩效自评年 度:⇥2022 : the value keeps its printed space
    project = forms[2].project
    assert (project.code, project.name, project.year) == ("440303210301500001940", "离退休干部管理和服 务", 2022)


def test_full_width_header_colons_are_header_labels(forms):
    project = forms[7].project  # 项目编码：⇥…⇥项目名称：⇥督查及绩效事务⇥绩效自评年度：⇥2022
    assert (project.code, project.name, project.year, project.budget_unit) == (
        "440303210301500001039",
        "督查及绩效事务",
        2022,
        UNIT,
    )


def test_the_goal_label_may_sit_on_the_data_row(forms):
    goals = forms[2].goals  # 年度总体目标⇥区委组织部划转经费…⇥⇥⇥⇥严格按照标准开展慰问工作…
    assert goals.expected.startswith("区委组织部划转经费（区委区政府局级干部退休人员慰问金）")
    assert goals.actual.startswith("严格按照标准开展慰问工作，发放节日慰问金。")


def test_paragraph_tags_in_goals_become_line_breaks(forms):
    goals = forms[7].goals  # 督查及绩效事务, line 220: <p>1.…</p> <p>2.…</p> …
    assert goals.expected == "研究督查检查考核机制、绩效管理改革创新机制，抓实减轻基层负担，提高工作效能"
    paragraphs = goals.actual.split("\n")
    assert len(paragraphs) == 5
    assert paragraphs[0] == "1.统筹全区年度督查检查考核计划。印发实施《罗湖区2022年度督查检查考核年度计划》，明确区级督查检查考核计划事项18个、备案9个，计划事项比2021年减少8个。"
    assert paragraphs[4].startswith("5.推进区考单位绩效评估工作。")
    assert "<p>" not in goals.actual


def test_blank_lines_inside_the_indicator_block_are_skipped(forms):
    form = forms[6]  # 办文办会事务: a blank line 193 between 经济效益 and 社会效益
    lines = [row.line for row in form.indicators]
    assert 192 in lines and 194 in lines and 193 not in lines
    row = by_line(form, 194)
    assert (row.level1, row.level1_text, row.level2, row.weight.text) == ("效益", "效益 (30分)", "社会效益", "15.00")


def test_section_titles_and_starred_headings_are_not_data(forms):
    form = forms[7]  # 资金使用情况 / 项目目标完成情况 on their own lines, ⇥预期目标⇥* 实际完成情况
    assert form.notes == ()
    assert form.funds.total.line == 212


def test_a_deviation_note_follows_a_score_below_weight(forms):
    row = by_line(forms[4], 122)
    assert (row.name, row.target, row.actual) == ("人员经费发放完成率", "98%", "85%")
    assert (row.weight.text, row.score.text) == ("7.50", "6.50")
    assert row.deviation.startswith("我单位本有8名辅助性人员, 在2月开始档案管理科一名辅助性人员离职")


def test_thousands_separators_stay_in_the_target_text(forms):
    assert by_line(forms[6], 190).target == "≤400,000元"
