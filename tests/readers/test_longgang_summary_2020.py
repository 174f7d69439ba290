"""longgang-industry-center-2020-summary.txt: a department summary table, 7 project rows.

Expected values are read off the sample text by hand (domain.md §6.1; line numbers are
the file's). Amounts are printed in 万元 and kept in 元.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import sample

from jixiao.readers import read_file

FILE = "longgang-industry-center-2020-summary.txt"
UNIT = "深圳市龙岗区文化产业促进中心"
MEDIA = (
    "借助中央重点媒体和省主要媒体,以及高端新媒体平台做好展览前期预热和展览期间重点宣传,活动期间在光明日报、经济日报、"
    "中国新闻网、南方日报、深圳特区报等各级主流媒体及高端专业媒体推出新闻稿件236篇,新华社、今日头条、新浪、腾讯等新媒体"
    "平台宣传稿件转载达上万次,受到社会各界极大关注。"
)

# (序号, 项目名称, 项目年度预算金额, 实际支出金额合计, printed rate without %)
ROWS = [
    ("1", "办公设备购置", "7.78", "7.78", "100"),
    ("2", "文博会", "232.52", "232.52", "100"),
    ("3", "大芬双年展", "91", "90.07", "98.98"),
    ("4", "其他一般管理事务", "76.70", "76.12", "99"),
    ("5", "文化产业管理", "80.653", "79.86", "99.02"),
    ("6", "区经济与科技发展专项资金", "1200", "1199.96", "100.00"),
    ("7", "区人才发展专项", "517.5", "517.5", "100.00"),
]


@pytest.fixture(scope="module")
def result():
    return read_file(sample(FILE))


@pytest.fixture(scope="module")
def forms(result):
    return result.forms


def pairs(form):
    return [(row.target, row.actual) for row in form.indicators]


def test_the_table_yields_exactly_7_forms_and_no_read_error(result):
    assert len(result.forms) == 7  # the stray paragraph on line 18 is neither a form nor an error
    assert result.errors == ()


@pytest.mark.parametrize(("index", "seq", "name", "budget", "spent", "rate"), [(i, *row) for i, row in enumerate(ROWS)])
def test_each_row_has_its_name_amounts_in_yuan_and_rate(forms, index, seq, name, budget, spent, rate):
    form = forms[index]
    assert (form.source.layout, form.source.index, form.source.rows) == ("summary", index, (10 + index, 10 + index))
    assert (form.summary.seq, form.project.name, form.project.year) == (seq, name, 2020)
    total = form.funds.total
    assert (total.adjusted.text, total.adjusted.value) == (budget, Decimal(budget) * 10000)
    assert (total.executed.text, total.executed.value) == (spent, Decimal(spent) * 10000)
    assert not total.initial.present
    assert (form.funds.rate.text, form.funds.rate.value, form.funds.rate_scale, form.funds.unit) == (
        rate,
        Decimal(rate),
        100,
        "万元",
    )
    # the only 其中 amount printed is the 一般公共预算 one, equal to the total spent
    assert (form.summary.general_budget.text, form.summary.general_budget.value) == (spent, Decimal(spent) * 10000)
    assert not form.summary.government_fund.present and not form.summary.non_fiscal.present
    assert (form.summary.issues, form.summary.rectification) == ("无", "无")
    assert not form.funds.weight.present and not form.total.score.present


def test_every_row_has_the_seven_categories_in_order(forms):
    for form in forms:
        assert [(row.level1, row.level2) for row in form.indicators] == [
            ("产出", "数量"),
            ("产出", "质量"),
            ("产出", "时效"),
            ("效益", "经济效益"),
            ("效益", "社会效益"),
            ("效益", "生态效益"),
            ("满意度", None),
        ]
        assert [row.level2_text for row in form.indicators] == [
            "数量指标",
            "质量指标",
            "时效指标",
            "经济效益指标",
            "社会效益指标",
            "生态效益指标",
            None,
        ]
        assert [row.level1_text for row in form.indicators] == ["产出目标"] * 3 + ["效益目标"] * 3 + ["满意度指标"]
        assert all(row.name is None and not row.weight.present and not row.score.present for row in form.indicators)
        assert all(row.inferred == frozenset() for row in form.indicators)


def test_the_row_that_prints_its_unit_reads_field_by_field(forms):
    form = forms[3]  # line 13, the only row printing 单位名称
    assert form.project.implementing_unit == UNIT
    assert form.notes == ()
    assert form.goals.expected == "保障全年文化产业宣传工作需要。"
    assert form.goals.actual == "严格按照宣传方案执行,全面完成全年文化产业整体宣传任务。"
    assert pairs(form) == [
        ("全年在网络平台刊发全年文化产业宣传报道62条,报纸刊发15条报道,得播10条视频宣传报道", "已完成"),
        ("保证文促中心活动安排完成宣传任务", "已完成"),
        ("于2020年5月起至2020年12月期间完成相关宣传报道任务", "及时完成"),
        ("本项目不涉及经济效益指标", "本项目不涉及经济效益指标"),
        ("媒体宣传可以让更多的了解文化产业,有效提高人们的文化意识", "已完成"),
        ("本项目不涉及生态效益指标", "本项目不涉及生态效益指标"),
        ("社会满意度", "社会满意度≥95%"),  # target and outcome swapped, as printed (domain.md §7.15)
    ]
    assert [row.applicable for row in form.indicators] == [True, True, True, False, True, False, True]
    assert all(row.line == 13 for row in form.indicators)
    assert form.funds.total.line == 13
    assert form.summary.general_budget.value == Decimal("761200")


def test_the_unit_name_printed_once_fills_up_and_down_with_a_note(forms):
    for index, form in enumerate(forms):
        assert form.project.implementing_unit == UNIT
        if index != 3:
            assert "单位名称未打印，取自第13行（合并单元格）" in form.notes


def test_a_merged_cell_repeated_once_too_often_keeps_the_columns_aligned(forms):
    form = forms[2]  # 大芬双年展: the media text fills four cells where three are due
    assert pairs(form) == [
        ("组织媒体宣传的数量3次", "3次"),
        ("保证活动顺利开展", "已完成"),
        ("按计划开展宣传活动", "已完成"),
        ("本项目不涉及经济效益指标", "本项目不涉及经济效益指标"),
        ("提高大芬双年展的影响力,吸引更多的艺术家参加双年展活动,充分体现大芬双年展的国际化专业化水平。", MEDIA),
        (MEDIA, MEDIA),
        ("社会大众对举办活动情况的满意度", "社会满意度"),
    ]
    assert (form.summary.issues, form.summary.rectification) == ("无", "无")
    assert "第12行：合并单元格的重复文字多占了单元格，已按列对齐" in form.notes


def test_a_repeat_that_sits_across_two_pairs_is_the_one_dropped(forms):
    form = forms[4]  # 文化产业管理: one extra cell; the 生态效益 pair stays 本项目不涉及…
    assert pairs(form)[5] == ("本项目不涉及生态效益指标", "本项目不涉及生态效益指标")
    assert pairs(form)[6] == ("社会对政策的满意度", "满意度≥90%")
    assert pairs(form)[3][0] == "以政策引导和项目带动的方式,推动龙岗区文化产业的发展。"


def test_a_merged_cell_spanning_whole_pairs_is_read_as_printed(forms):
    form = forms[6]  # 区人才发展专项: one text over 社会效益 and 生态效益, and the row is not too long
    text = "运营管理类人才在企业文化建设、品牌推广、市场营销等方面发挥了重要作用,取得较好的社会效益与经济效益。"
    assert pairs(form)[3][0] == "吸引优秀人才聚集"
    assert pairs(form)[4] == (text, text)
    assert pairs(form)[5] == (text, text)
    assert pairs(form)[6] == ("满意度调查不低于90%", "对部分人才进行了回访,均表示满意。")
    assert not any("合并单元格的重复文字" in note for note in form.notes)


def test_three_decimal_amounts_in_ten_thousands_convert_exactly(forms):
    assert forms[4].funds.total.adjusted.value == Decimal("806530")
    assert forms[5].funds.total.adjusted.value == Decimal("12000000")
