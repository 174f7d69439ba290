"""The department summary table drafted from forms (domain/summary.py).

Expected values are worked out by hand from the sample forms (line numbers are the files'):
amounts in 元 as printed, 万元 = 元 ÷ 10,000, rates = 全年执行数 ÷ 全年预算数 rounded half-up
to 0.01%, and the texts as the forms print them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import make_form, row
from conftest import sample

from jixiao.checks.review import review
from jixiao.domain.summary import (
    KINDS,
    AmountUnit,
    is_government_fund,
    kind_of,
    shown_amount,
    shown_rate,
    split_deviation,
    summary_row,
    summary_table,
)
from jixiao.readers import read_file

LOW = Decimal("0.80")  # thresholds.low_execution of every shipped profile
LUOHU_2022_UNIT = "深圳市罗湖区委（政府）办本级"
LUOHU_2021_BUREAU = "深圳市罗湖区文化广电旅游体育局"


@pytest.fixture(scope="module")
def luohu_2022():
    return read_file(sample("luohu-district-office-2022.txt")).forms


@pytest.fixture(scope="module")
def luohu_2021():
    return read_file(sample("luohu-culture-bureau-2021.txt")).forms


@pytest.fixture(scope="module")
def shenzhen_2021():
    return read_file(sample("shenzhen-culture-bureau-2021.txt")).forms


def named(forms, name):
    return next(form for form in forms if form.project.name == name)


# --- luohu 2022 · 干部健康管理, lines 3–28


@pytest.fixture(scope="module")
def health(luohu_2022):
    return summary_row(named(luohu_2022, "干部健康管理"), 1, low_execution=LOW)


def test_the_budget_is_the_full_year_budget_and_the_spending_its_execution(health):
    # line 9: 年度资金总额 108000.00 | 108000 | 64531
    assert (health.budget, health.spent) == (Decimal("108000"), Decimal("64531"))
    assert (health.unit, health.project, health.seq) == (LUOHU_2022_UNIT, "干部健康管理", 1)


def test_fiscal_money_and_the_carryover_are_the_general_budget_and_other_money_is_non_fiscal(health):
    # line 10: 当年财政拨款 64531.00; line 11: 上年结转资金 0.00; line 12: 其他资金 0.00
    assert health.general_budget == Decimal("64531.00")
    assert health.government_fund is None
    assert health.non_fiscal == Decimal("0.00")


def test_the_execution_rate_is_recomputed_not_the_printed_59_7(health):
    # 64531 / 108000 = 0.597509…; the form prints 59.7 (truncated)
    assert shown_rate(health.rate) == Decimal("59.75")


def test_each_kind_lists_its_applicable_rows_as_name_and_target(health):
    assert health.target_text("数量") == "保障处级干部健康管理人数：11\n保障局级干部健康管理人数：4"
    assert health.actual_text("数量") == "保障处级干部健康管理人数：11\n保障局级干部健康管理人数：4"
    assert (health.target_text("质量"), health.actual_text("质量")) == ("处级以上干部健康管理品质：优", "处级以上干部健康管理品质：100%")
    assert (health.target_text("时效"), health.actual_text("时效")) == ("及时发放或划转：12月底前", "及时发放或划转：12月底前已发放")
    assert (health.target_text("社会效益"), health.actual_text("社会效益")) == ("提现组织关怀：效果显著", "提现组织关怀：100%")
    # 服务对象满意度 counts; 其他满意度 is 无 (line 27) and does not
    assert health.target_text("满意度") == health.actual_text("满意度") == "处级以上干部健康管理满意度：100%"


def test_a_kind_with_only_placeholder_rows_reads_not_involved_as_the_sample_prints_it(health):
    assert health.target_text("经济效益") == health.actual_text("经济效益") == "本项目不涉及经济效益指标"
    assert health.target_text("生态效益") == "本项目不涉及生态效益指标"


def test_cost_and_sustainability_rows_have_no_column(health):
    names = [item.name for kind in KINDS for item in health.items[kind]]
    assert "按标准控制总成本" not in names  # 成本, line 21
    assert len(names) == 6  # 2 数量 + 质量 + 时效 + 社会效益 + 服务对象满意度


def test_a_rate_below_the_threshold_is_the_first_problem_and_nothing_was_corrected(health):
    assert health.issues == ("预算执行率59.75%，低于80%",)
    assert health.rectification == ()
    assert (health.issues_text, health.rectification_text) == ("预算执行率59.75%，低于80%", "无")


def test_every_value_names_the_lines_it_was_read_from(health):
    assert health.source.file.endswith("luohu-district-office-2022.txt")
    assert (health.source.index, health.source.rows) == (0, (3, 28))
    assert health.lines["budget"] == health.lines["spent"] == (9,)
    assert health.lines["general_budget"] == (10, 11)
    assert health.lines["non_fiscal"] == (12,)
    assert health.lines["数量"] == (17, 18)
    assert health.lines["满意度"] == (26,)
    assert health.lines["issues"] == (9,)


def test_the_goals_are_the_expected_and_achieved_overall_goals(health):
    assert health.goal == "发放在职处级11人，共44000元，在职局级一人5000元；退休处级11人，共44000元，退休局级3人15000。"
    assert health.outcome.startswith("严格按照标准划拨疗养费。受疫情影响")


# --- luohu 2022 · 办文办会事务, lines 163–202


@pytest.fixture(scope="module")
def documents(luohu_2022):
    return summary_row(named(luohu_2022, "办文办会事务"), 7, low_execution=LOW)


def test_a_deviation_note_splits_into_the_problem_and_its_correction(documents):
    # line 191: 受疫情影响，上级未测评。改进措施：2023年会积极推进测评工作。
    name = "罗湖区电子政务内网终端延伸部署建设项目尾款费用"
    assert documents.issues == (f"{name}：受疫情影响，上级未测评。",)
    assert documents.rectification == (f"{name}：2023年会积极推进测评工作。",)
    assert documents.lines["issues"] == (191,)


def test_an_execution_of_86_percent_is_no_problem(documents):
    # 1429601.95 / 1662200 = 0.860066…
    assert shown_rate(documents.rate) == Decimal("86.01")
    assert not any(line.startswith("预算执行率") for line in documents.issues)


def test_rows_of_one_kind_keep_their_order_and_lines(documents):
    assert documents.lines["时效"] == (185, 186, 187, 188, 189)
    assert documents.target_text("时效").split("\n")[2:] == ["做好会务筹备工作：第二季度", "做好会务筹备工作：第三季度", "做好会务筹备工作：第四季度"]
    assert documents.lines["社会效益"] == (194, 195)  # a blank line 193 sits inside the block
    assert len(documents.items["满意度"]) == 3


def test_amounts_in_ten_thousands_keep_every_yuan(documents):
    assert shown_amount(documents.budget, "万元") == Decimal("166.22")
    # 1429601.95 元 = 142.960195 万元: to the 元, half-up
    assert shown_amount(documents.spent, "万元") == Decimal("142.9602")
    assert shown_amount(documents.spent, "元") == Decimal("1429601.95")


# --- shenzhen 2021 · 信息化维护项目 and luohu 2021


def test_a_form_without_an_implementing_unit_is_listed_under_its_department_code(shenzhen_2021):
    maintenance = summary_row(shenzhen_2021[0], 1)
    assert maintenance.unit == "0102017"  # line 6: 主管部门 0102017, 实施单位 blank
    assert (maintenance.budget, maintenance.spent) == (Decimal("685600.00"), Decimal("679600.00"))
    assert shown_rate(maintenance.rate) == Decimal("99.12")  # 679600 / 685600 = 0.991248…
    assert (shown_amount(maintenance.budget, "万元"), shown_amount(maintenance.spent, "万元")) == (Decimal("68.56"), Decimal("67.96"))
    assert (maintenance.target_text("社会效益"), maintenance.actual_text("社会效益")) == ("应急响应时间：<2小时", "应急响应时间：1小时")


def test_a_note_with_a_next_step_gives_both_a_problem_and_a_correction(shenzhen_2021):
    maintenance = summary_row(shenzhen_2021[0], 1)  # line 22, 用户满意度 90% of 100%
    assert maintenance.issues == ("用户满意度：用户基本满意，希望能提供更多的硬件设备的备用零配件",)
    assert maintenance.rectification == ("用户满意度：下一步加强运维人员技能培训提升运维人员服务水平，配置更多零配件资源，优化服务体验。",)


def test_a_lottery_fund_project_is_paid_from_the_government_fund(luohu_2021):
    lottery = summary_row(named(luohu_2021, "体彩金"), 6)  # lines 139–159
    assert lottery.government_fund == Decimal("12210159.29")
    assert lottery.general_budget is None
    assert lottery.non_fiscal == Decimal("0.00")
    assert shown_amount(lottery.spent, "万元") == Decimal("1221.0159")
    assert shown_rate(lottery.rate) == Decimal("98.83")  # 12210159.29 / 12355000 = 0.988277…
    # 满意度指标 printed in the 二级 column still goes to the 满意度 column (line 158)
    assert lottery.target_text("满意度") == "群众对活动的满意度：有效提升"


def test_a_note_copied_onto_two_rows_is_one_problem_naming_both(luohu_2021):
    health = summary_row(named(luohu_2021, "干部健康管理"), 1, low_execution=LOW)  # lines 15–16
    assert health.issues == (
        "预算执行率55.96%，低于80%",
        "退休干部健康管理次数、数量指标：受疫情影响，多数人无法安排前往消费。",
    )
    assert health.rectification == ("退休干部健康管理次数、数量指标：充分考虑疫情影响，合理编制年度指标值。",)
    assert health.lines["issues"] == (8, 15, 16)
    # line 16 lost its 二级 and name; the reader filled 数量 down, so it is listed by its target
    assert health.target_text("数量") == "退休干部健康管理次数：每人每年一次\n100%"
    assert health.actual_text("数量") == "退休干部健康管理次数：5次\n30%"


# --- the table


def test_the_title_names_the_year_and_the_department_most_forms_print(luohu_2022, luohu_2021):
    assert summary_table(luohu_2022).title == f"2022年{LUOHU_2022_UNIT}部门预算项目绩效自评表"
    # the 2021 layout prints no year; most forms name 2021 in their texts, the rest none
    table = summary_table(luohu_2021)
    assert (table.year, table.department) == (2021, LUOHU_2021_BUREAU)
    assert [row.seq for row in table.rows] == list(range(1, 23))


def test_a_given_department_year_and_unit_override_what_the_forms_say(luohu_2022):
    table = summary_table(luohu_2022, department="罗湖区委办", year=2023, unit="元")
    assert (table.title, table.unit, table.unit_line) == ("2023年罗湖区委办部门预算项目绩效自评表", AmountUnit.YUAN, "单位：元")


def test_store_unit_names_replace_the_printed_units(luohu_2022):
    forms = luohu_2022[:2]
    table = summary_table(forms, unit_names=["甲单位", None])
    assert [row.unit for row in table.rows] == ["甲单位", LUOHU_2022_UNIT]


def test_a_row_of_a_summary_table_is_carried_over_as_printed():
    forms = read_file(sample("longgang-industry-center-2020-summary.txt")).forms
    table = summary_table(forms)
    assert table.title == "2020年深圳市龙岗区文化产业促进中心部门预算项目绩效自评表"
    management = table.rows[4]  # line 14, 文化产业管理: 80.653 | 79.86 | 79.86 | 99.02%
    assert (management.budget, management.spent, management.general_budget) == (
        Decimal("806530"),
        Decimal("798600"),
        Decimal("798600"),
    )
    assert shown_amount(management.budget, "万元") == Decimal("80.653")
    assert shown_rate(management.rate) == Decimal("99.02")
    assert management.target_text("经济效益") == "以政策引导和项目带动的方式,推动龙岗区文化产业的发展。"
    assert management.target_text("生态效益") == "本项目不涉及生态效益指标"
    assert (management.issues, management.rectification) == ((), ())
    # 其他一般管理事务 prints 99% for 76.12 / 76.70: the summary recomputes 99.24%
    assert shown_rate(table.rows[3].rate) == Decimal("99.24")


# --- mapping rules on hand-built forms


def test_other_money_is_non_fiscal_and_the_carryover_adds_to_the_fiscal_money():
    form = make_form(
        adjusted="125000.00",
        executed="99000.00",
        fiscal=("100000.00", "100000.00", "80000.00"),
        carryover=("20000.00", "20000.00", "15000.00"),
        other=("5000.00", "5000.00", "4000.00"),
    )
    summary = summary_row(form, 1)
    assert (summary.general_budget, summary.government_fund, summary.non_fiscal) == (
        Decimal("95000.00"),
        None,
        Decimal("4000.00"),
    )


def test_sub_rows_printed_as_dashes_leave_the_sources_blank():
    form = make_form(fiscal=("—", "—", "—"), carryover=("—", "—", "—"), other=("—", "—", "—"))
    summary = summary_row(form, 1)
    assert (summary.general_budget, summary.government_fund, summary.non_fiscal) == (None, None, None)


def test_a_zero_budget_has_no_rate():
    assert summary_row(make_form(adjusted="0.00", executed="0.00"), 1).rate is None


def test_a_row_whose_category_was_lost_is_left_out_with_a_note():
    lost = row("神秘指标", "≥5次", "6次", level1="产出指标", level2=None)
    form = make_form(indicators=(lost,))
    summary = summary_row(form, 1)
    assert all(not items for items in summary.items.values())
    assert summary.notes == ("第1项指标“神秘指标”的二级指标不明，未列入汇总表",)


@pytest.mark.parametrize(
    ("level1", "level2", "kind"),
    [
        ("产出指标", "数量指标", "数量"),
        ("产出指标", "成本指标", None),
        ("效益指标", "可持续影响", None),
        ("满意度指标", None, "满意度"),
        ("满意度", "其他满意度", "满意度"),
        ("效益指标", "满意度指标", "满意度"),
    ],
)
def test_each_category_has_its_column(level1, level2, kind):
    assert kind_of(row(level1=level1, level2=level2)) == kind


@pytest.mark.parametrize(
    ("name", "fund"),
    [("体彩金", True), ("2021年彩票公益金项目", True), ("政府性基金安排的支出", True), ("群众体育工作", False), (None, False)],
)
def test_only_a_name_that_says_so_makes_a_government_fund_project(name, fund):
    assert is_government_fund(name) is fund


@pytest.mark.parametrize(
    ("note", "cause", "action"),
    [
        ("偏差原因：根据实际工作情况进行调整。 改进措施：充分考虑偏差因素，合理设置指标值。", "根据实际工作情况进行调整。", "充分考虑偏差因素，合理设置指标值。"),
        ("我单位本有8名辅助性人员, 故去年发放率约为85%。", "我单位本有8名辅助性人员, 故去年发放率约为85%。", None),
        ("下一步加强培训。", None, "下一步加强培训。"),
        ("无偏差", None, None),
        (" 无 ", None, None),
        (None, None, None),
        ("", None, None),
    ],
)
def test_a_deviation_note_splits_at_its_corrective_part(note, cause, action):
    assert split_deviation(note) == (cause, action)


@pytest.mark.parametrize(
    ("yuan", "unit", "shown"),
    [
        ("806530", "万元", "80.653"),  # the sample's three decimals
        ("64531", "万元", "6.4531"),
        ("108000", "万元", "10.80"),
        ("12000000", "万元", "1200.00"),
        ("5", "万元", "0.0005"),
        ("177028.64", "万元", "17.7029"),
        ("64531", "元", "64531.00"),
        ("177028.64", "元", "177028.64"),
        ("0.00", "万元", "0.00"),
    ],
)
def test_an_amount_shows_in_its_unit_with_two_to_four_decimals(yuan, unit, shown):
    assert str(shown_amount(Decimal(yuan), unit)) == shown


def test_rates_round_half_up_to_hundredths_of_a_percent():
    assert shown_rate(Decimal("0.98985")) == Decimal("98.99")
    assert shown_rate(Decimal("1")) == Decimal("100.00")
    assert shown_rate(None) is None


# --- the rows as forms for the summary checks


def test_a_row_reviewed_as_a_summary_form_runs_the_summary_checks_only(health, national):
    result = review(health.as_form(), national)
    codes = {item.code for item in result.results}
    assert "funds.low-execution" in codes and "score.formula" not in codes
    assert ("funds.low-execution", "fail") in result.flatten("code", "outcome")
    assert ("funds.rate-mismatch", "pass") in [(item.code, item.outcome) for item in result.results]


def test_a_kind_of_several_rows_is_not_one_indicator_with_several_targets(documents, national):
    result = review(documents.as_form(), national)
    assert "target.multi" not in {code for (code,) in result.flatten("code")}
    form = documents.as_form()
    assert sum(1 for indicator in form.indicators if indicator.level2 == "数量") == 5
    assert [indicator.line for indicator in form.indicators if indicator.level2 == "数量"] == [177, 178, 179, 180, 181]


def test_a_row_as_a_form_keeps_its_amounts_in_yuan_and_its_printed_rate(health):
    form = health.as_form()
    assert form.is_summary
    assert (form.funds.total.adjusted.value, form.funds.total.executed.value) == (Decimal("108000"), Decimal("64531"))
    assert (form.funds.rate.text, form.funds.rate_scale) == ("59.75", 100)
    placeholders = [indicator for indicator in form.indicators if not indicator.applicable]
    assert [indicator.target for indicator in placeholders] == ["本项目不涉及经济效益指标", "本项目不涉及生态效益指标"]


def test_the_json_gives_amounts_in_yuan_rates_as_fractions_and_the_source_lines(health):
    data = health.json()
    assert (data["budget"], data["spent"], data["government_fund"]) == (108000.0, 64531.0, None)
    assert data["rate"] == pytest.approx(64531 / 108000)
    assert data["lines"]["数量"] == [17, 18]
    assert data["kinds"]["数量"][1] == {"name": "保障局级干部健康管理人数", "target": "4", "actual": "4", "line": 18}
