"""shenzhen-culture-bureau-2021.txt: 3 forms of the 2021 layout, city variant (domain.md §5.2).

Expected values are read off the sample text by hand (line numbers are the file's).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sample_files import forms, result, row_view  # noqa: F401  (forms and result are fixtures)

FILE = "shenzhen-culture-bureau-2021.txt"

# (项目名称, 项目金额, indicator rows counted in the file, printed 总分 得分)
FORMS = [
    ("深圳市文化广电旅游体育局信息化维护项目", "2742400", 8, "97.9"),
    ("文化活动预告及文化新闻发布", "322800", 8, "98"),
    ("信息安全工作", "1058400", 8, "100"),
]


def test_the_file_holds_3_forms_and_no_read_error(result):
    assert len(result.forms) == 3
    assert result.errors == ()


@pytest.mark.parametrize(
    ("index", "name", "amount", "rows", "total_score"), [(i, *form) for i, form in enumerate(FORMS)]
)
def test_each_form_has_its_header_rows_and_printed_total(forms, index, name, amount, rows, total_score):
    form = forms[index]
    assert (form.project.name, form.project.amount.text) == (name, amount)
    # 主管部门 is a code and 实施单位 is left empty (domain.md §5.2)
    assert (form.project.department, form.project.implementing_unit) == ("0102017", None)
    assert len(form.indicators) == rows
    assert (form.total.weight.text, form.total.score.text) == ("100", total_score)
    assert (form.source.layout, form.funds.rate_scale) == ("form-2021", 1)


def test_every_form_gives_funds_and_indicators_100_points_split_15_15_10_10(forms):
    for form in forms.values():
        weights = form.funds.weight.value + sum(row.weight.value for row in form.indicators)
        assert weights == 100
        output = [row.weight.value for row in form.indicators if row.level1 == "产出"]
        assert output == [15, 15, 10, 10]


def test_the_first_form_reads_field_by_field(forms):
    form = forms[0]
    assert (form.source.index, form.source.rows) == (0, (3, 23))
    assert form.project.amount.value == Decimal(2742400)  # 4 × the annual 685,600: never the denominator
    funds = form.funds
    assert (funds.total.initial.text, funds.total.adjusted.text, funds.total.executed.text, funds.total.rate.text) == (
        "685600.00",
        "685600.00",
        "679600.00",
        "0.99",
    )
    assert (funds.fiscal.executed.text, funds.fiscal.rate.text, funds.fiscal.line) == ("679600.00", "0.99", 9)
    assert (funds.carryover.adjusted.value, funds.other.executed.value) == (0, 0)
    assert (funds.weight.text, funds.rate.text, funds.score.text) == ("10", "0.99", "9.90")
    assert form.goals.expected.startswith("完成我局市民中心本局局机关、文化大楼、中成体育大厦系统软件")
    assert form.goals.actual.endswith("应急响应时间为1小时，使得满意度达到95%")
    assert [row_view(row) for row in form.indicators] == [
        ("产出", "产出指标", "数量", "数量指标", "信息化维护", "1次", "1次", "15.0", "15.0", True, ()),
        ("产出", "产出指标", "质量", "质量指标", "硬件运维服务", "100%", "100%", "15.0", "15.0", True, ("level1",)),
        ("产出", "产出指标", "时效", "时效指标", "硬件运维完成", "2021年12月", "2021年12月", "10.0", "10.0", True, ("level1",)),
        ("产出", "产出指标", "成本", "成本指标", "预算资金下达", "100%", "100%", "10.0", "10.0", True, ("level1",)),
        ("效益", "效益指标", "经济效益", "经济效益指标", "无", "无", "无", "0.0", "0.0", False, ()),
        ("效益", "效益指标", "社会效益", "社会效益指标", "应急响应时间", "<2小时", "1小时", "20.0", "20.0", True, ("level1",)),
        ("效益", "效益指标", "生态效益", "生态效益指标", "无", "无", "无", "0.0", "0.0", False, ("level1",)),
        ("满意度", "满意度指标", None, None, "用户满意度", "100%", "90%", "20.0", "18.0", True, ()),
    ]
    assert [row.deviation for row in form.indicators[:7]] == [None] * 7
    assert form.indicators[7].deviation.startswith("用户基本满意，希望能提供更多的硬件设备的备用零配件")
    assert (form.total.weight.value, form.total.score.value, form.total.line) == (100, Decimal("97.9"), 23)


def test_a_placeholder_row_with_a_different_actual_is_not_applicable(forms):
    row = forms[1].indicators[4]  # ⇥效益指标⇥经济效益指标⇥无⇥无⇥不适用⇥0.0⇥0.0
    assert (row.name, row.target, row.actual, row.applicable) == ("无", "无", "不适用", False)


def test_a_bare_satisfaction_name_after_the_satisfaction_label_is_the_name(forms):
    row = forms[1].indicators[7]  # 满意度指标⇥⇥服务对象满意度⇥满意⇥90%⇥20.0⇥18.0
    assert row_view(row)[:9] == ("满意度", "满意度指标", None, None, "服务对象满意度", "满意", "90%", "20.0", "18.0")


def test_a_satisfaction_label_in_the_second_column_is_the_first_level(forms):
    row = forms[2].indicators[7]  # ⇥⇥满意度指标⇥服务对象人员满意度⇥满意⇥满意⇥20.0⇥20.0
    assert row_view(row)[:7] == ("满意度", "满意度指标", None, None, "服务对象人员满意度", "满意", "满意")
    assert row.inferred == frozenset()
