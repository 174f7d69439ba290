"""Totals, grades, the fiscal year and the profile a form fits: scoring.md §5–7."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from builders import make_form, row, standard_rows, with_row
from jixiao.domain.model import Goals, SummaryExtras
from jixiao.domain.scoring import RowStatus, evaluate, fiscal_year, infer_profile_name, level1_sums, nearest_profile


def cadre_health_2021():
    """luohu 2021 · 干部健康管理, as printed (domain.md §5.1; printed total 83.6)."""
    rows = (
        row("退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0"),
        row(None, "100%", "30%", "10.0", "3.0"),  # lost its 二级 and name; filled down to 数量
        row("完成此项任务", "在组织部文件规定时限内", "100%", "15.0", "15.0", level2="时效指标"),
        row("年度预算支出总金额", "控制在预算数内", "56%", "15.0", "15.0", level2="成本指标"),
        row("不适用", "不适用", "不适用", "0.0", "0.0", level1="效益指标", level2="经济效益指标"),
        row("提升老干部退休生活幸福度", "有效提升", "100%", "20.0", "20.0", level1="效益指标", level2="社会效益指标"),
        row("不适用", "不适用", "不适用", "0.0", "0.0", level1="效益指标", level2="生态效益指标"),
        row("退休老干部投诉率", "0", "0", "20.0", "20.0", level1="效益指标", level2="满意度指标"),
    )
    return make_form(
        adjusted="100000.00",
        executed="55964.00",
        rate="0.56",
        score="5.60",
        indicators=rows,
        total_score="83.6",
        year=None,
        layout="form-2021",
        name="干部健康管理",
    )


def with_total(national, points: str):
    """A form whose total is 10 (funds) + a qualitative row's printed score, which stands in."""
    rows = (row("群众获得感", "有效提升", "100%", "90", points, level1="效益指标", level2="社会效益指标"),)
    return evaluate(make_form(indicators=rows), national)


# --- totals (§5)


def test_cadre_health_2021_totals_83_6_both_expected_and_printed(shenzhen):
    evaluation = evaluate(cadre_health_2021(), shenzhen)
    # 5.60 + 5.0 (undetermined: printed) + 3.00 + 15.0 (qual: printed) + 15.00 + 0 + 20.0 (qual: printed) + 0 + 20.00
    assert evaluation.funds.score == Decimal("5.60")
    assert evaluation.total == Decimal("83.6")
    assert evaluation.total_printed == Decimal("83.6")
    assert evaluation.grade == "良"
    assert [item.status for item in evaluation.indicators] == [
        RowStatus.UNDETERMINED,
        RowStatus.SCORED,
        RowStatus.MANUAL,
        RowStatus.SCORED,
        RowStatus.SCORED,
        RowStatus.MANUAL,
        RowStatus.SCORED,
        RowStatus.SCORED,
    ]


def test_the_expected_total_uses_the_rule_where_a_row_is_scored_and_the_print_elsewhere(shenzhen):
    form = cadre_health_2021()
    inflated = with_row(form, 1, row(None, "100%", "30%", "10.0", "10.0"))  # 3.00 by the rule
    evaluation = evaluate(inflated, shenzhen)
    assert evaluation.total == Decimal("83.6")
    assert evaluation.total_printed == Decimal("90.6")


def test_a_missing_row_score_makes_the_printed_total_unknown_never_a_zero(shenzhen):
    form = with_row(cadre_health_2021(), 2, row("完成此项任务", "在组织部文件规定时限内", "100%", "15.0", "—", level2="时效指标"))
    evaluation = evaluate(form, shenzhen)
    assert evaluation.total_printed is None
    assert evaluation.total is None  # the row is manual, so its printed score was needed
    assert evaluation.grade is None


def test_a_missing_printed_funds_score_makes_the_printed_total_unknown(national):
    evaluation = evaluate(make_form(score="—"), national)
    assert evaluation.total_printed is None
    assert evaluation.total == Decimal("100.00")


def test_a_tidy_form_totals_100_and_grades_excellent(shenzhen):
    evaluation = evaluate(make_form(), shenzhen)
    assert (evaluation.total, evaluation.total_printed, evaluation.grade) == (Decimal(100), Decimal(100), "优")
    assert (evaluation.profile, evaluation.profile_version) == ("shenzhen-2021", 1)


# --- grades (§6)


@pytest.mark.parametrize(
    ("points", "total", "grade"),
    [("80", "90", "优"), ("79.99", "89.99", "良"), ("70", "80", "良"), ("50", "60", "中"), ("49.99", "59.99", "差")],
)
def test_each_grade_bound_is_inclusive(national, points, total, grade):
    evaluation = with_total(national, points)
    assert (evaluation.total, evaluation.grade) == (Decimal(total), grade)


def test_hubei_does_not_grade(hubei):
    evaluation = evaluate(make_form(), hubei)
    assert evaluation.total is not None
    assert evaluation.grade is None


# --- fiscal year


def test_the_printed_evaluation_year_is_the_fiscal_year():
    assert fiscal_year(make_form(year=2022)) == 2022


def test_a_2021_layout_takes_the_year_its_texts_name_most():
    rows = (
        row("完成时间", "2021年12月31日前", "100%", "10.0"),
        row("开馆时间", "2021年三季度前", "已完成", "10.0"),
        row("思月书院保养维护工程", "2022年完成", "100%", "10.0"),
        row("档案整理件数", "≥2000件", "2510件", "10.0"),  # 2000 is no year
    )
    assert fiscal_year(make_form(year=None, indicators=rows)) == 2021


def test_a_deadline_beyond_the_year_does_not_outvote_the_year_of_the_goals():
    # 文物保护与管理工作 (luohu 2021): 2022年完成 → 2022年完成 on a FY2021 form whose goals name 2021
    rows = (row("思月书院保养维护工程", "2022年完成", "2022年完成", "2.0", level2="时效指标"),)
    form = replace(make_form(year=None, indicators=rows), goals=Goals(expected="深财预〔2020〕183号提前下达2021年转移支付"))
    assert fiscal_year(form) == 2021


def test_background_years_in_the_plan_yield_to_the_year_the_report_names():
    # 预算项目 (luohu 2021): the 预期目标 cites 2020年市本级体彩公益金, the 实际完成情况 2021年5月22日
    goals = Goals(expected="下达2020年市本级体彩公益金的通知", actual="我局于2021年5月22日举办了骑行活动")
    assert fiscal_year(replace(make_form(year=None), goals=goals)) == 2021


def test_a_form_that_names_no_year_has_no_fiscal_year():
    assert fiscal_year(make_form(year=None, indicators=(row("档案整理件数", "≥2000件", "2510件", "10.0"),))) is None


# --- level-1 sums and the nearest profile (§7)


def test_level1_sums_group_row_weights_by_canonical_block():
    assert level1_sums(make_form()) == {"产出": Decimal(50), "效益": Decimal(20), "满意度": Decimal(20)}


def test_satisfaction_printed_in_the_second_column_counts_as_satisfaction():
    sums = level1_sums(cadre_health_2021())
    assert sums == {"产出": Decimal(50), "效益": Decimal(20), "满意度": Decimal(20)}


def test_a_block_with_a_missing_weight_has_no_sum_and_unknown_blocks_sit_under_none():
    rows = standard_rows()[:-1] + (row("群众满意度", "≥90%", "95%", "", level1="满意度指标", level2=None),)
    rows += (row("党员满意度指标", "≥90%", "95%", "5", level1="党建", level2=None),)
    sums = level1_sums(make_form(indicators=rows))
    assert sums["满意度"] is None
    assert sums["产出"] == Decimal(50)
    assert sums[None] == Decimal(5)


def test_a_50_30_10_form_is_nearest_to_the_national_profile(national, shenzhen, hubei):
    sums = {"产出": Decimal(50), "效益": Decimal(30), "满意度": Decimal(10)}  # 文化体育市场执法 (2021)
    assert nearest_profile(sums, Decimal(10), [shenzhen, national, hubei]).name == "national-2020"


def test_a_50_20_20_form_is_nearest_to_the_shenzhen_profile(national, shenzhen, hubei):
    sums = {"产出": Decimal(50), "效益": Decimal(20), "满意度": Decimal(20)}
    assert nearest_profile(sums, Decimal(10), [national, shenzhen, hubei]).name == "shenzhen-2021"


def test_hubei_compares_benefit_and_satisfaction_combined(national, shenzhen, hubei):
    sums = {"产出": Decimal(40), "效益": Decimal(25), "满意度": Decimal(15)}
    assert nearest_profile(sums, Decimal(20), [national, shenzhen, hubei]).name == "hubei"


# --- the default profile of a form


@pytest.mark.parametrize(("layout", "name"), [("form-2021", "shenzhen-2021"), ("form-2022", "national-2020")])
def test_a_layout_names_its_default_profile(layout, name):
    assert infer_profile_name(make_form(layout=layout)) == name


def test_a_summary_row_defaults_to_the_national_profile():
    summary = replace(make_form(layout="other"), summary=SummaryExtras(seq="1"))
    assert infer_profile_name(summary) == "national-2020"


def test_another_layout_takes_the_profile_its_weights_fit(national, shenzhen, hubei):
    form = make_form(layout="xlsx-unknown")  # 10 + 50/20/20
    assert infer_profile_name(form, [national, shenzhen, hubei]) == "shenzhen-2021"
    assert infer_profile_name(form) == "national-2020"
