"""longgang-special-fund-2022-report.txt: the Longgang 2022 evaluation report of a special fund,
read into the report model and checked (checks.md §9).

Expected values are read off the report: the 附表 (17 三级 rows, its header repeated at two
page breaks, both 效益 rows printed "实施效益满意度"), 综合评价得分 96.98 分 and 等级“优”, the
four categories of 一、3., and the formulas of 四、.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import sample

from jixiao import profiles
from jixiao.checks.base import Outcome
from jixiao.checks.reports import review_report
from jixiao.readers.grid import ReadError
from jixiao.readers.report_text import read_report_text, report_from_text

FRAMEWORK = profiles.report_framework()
NATIONAL = profiles.load("national-2020")
NAME = "longgang-special-fund-2022-report.txt"


@pytest.fixture(scope="module")
def text() -> str:
    return sample(NAME).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report():
    return read_report_text(sample(NAME), FRAMEWORK)


def test_the_header_names_the_organisation_the_fund_the_year_and_the_date(report):
    assert report.organisation == "深圳市龙岗区文化广电旅游体育局"
    assert report.title == "2022年度文化广电旅游体育专项资金绩效评价报告"
    assert (report.subject, report.year, report.date) == ("文化广电旅游体育专项资金", 2022, "2023年6月15日")


def test_the_framework_table_has_17_rows_despite_the_repeated_headers(report):
    assert [(row.level1, row.name, row.weight.value, row.score.value) for row in report.rows] == [
        ("决策", "立项依据充分性", 5, 5), ("决策", "立项程序规范性", 2, 2), ("决策", "绩效目标合理性", 4, 4),
        ("决策", "绩效指标明确性", 3, 3), ("决策", "预算编制科学性", 4, 4), ("决策", "资金分配合理性", 2, 2),
        ("过程", "资金到位率", 2, 2), ("过程", "预算执行率", 5, Decimal("4.98")), ("过程", "资金使用合规性", 4, 4),
        ("过程", "管理制度健全性", 4, 4), ("过程", "制度执行有效性", 5, 5),
        ("产出", "实际完成率", 10, Decimal("7.8")), ("产出", "质量达标率", 10, Decimal("9.2")),
        ("产出", "完成及时性", 10, 10), ("产出", "成本节约率", 10, 10),
        ("效益", "实施效益", 10, 10), ("效益", "满意度", 10, 10),
    ]  # fmt: skip


def test_the_merged_cells_are_filled_down_and_the_level1_weights_kept_where_printed(report):
    assert [(row.level1_text, row.level1_weight.value) for row in report.rows if row.level1_weight.present] == [
        ("决策 (20分)", 20), ("过程 (20分)", 20), ("产出 (40分)", 40), ("效益 (20分)", 20)
    ]
    assert report.rows[4].level2 == "资金投入"  # the first row after a page break: its 一级 cell is blank


def test_both_benefit_rows_printed_as_one_merged_name_map_to_their_indicators_by_order(report):
    assert [(row.name_text, row.name) for row in report.rows[-2:]] == [
        ("实施效益满意度", "实施效益"), ("实施效益满意度", "满意度")
    ]


def test_the_stated_total_grade_and_table_total(report):
    assert (report.total.value, report.grade_claimed) == (Decimal("96.98"), "优")
    assert (report.table_weight.value, report.table_score.value) == (100, Decimal("96.98"))


def test_the_four_fund_categories_are_read_and_the_funds_total_statement_is_not_one_of_them(report):
    assert [(c.name, c.budget.value, c.spent.value, c.rate.text) for c in report.categories] == [
        ("体育产业类", 49_400_000, 49_100_000, "99.39%"),
        ("旅游产业类", 400_000, 396_500, "99.13%"),
        ("文化产业类", 27_000_000, 27_000_000, "100%"),
        ("人才发展专项", 4_600_000, 4_600_000, "100%"),
    ]


def test_the_tex_formulas_are_read_with_their_amounts_results_and_scores(report):
    stated = {c.indicator: (c.numerator, c.denominator, c.result.text, c.score.text) for c in report.computations}
    assert stated == {
        "资金到位率": ((8140,), (8140,), "100%", ""),
        "预算执行率": ((Decimal("8109.65"),), (8140,), "99.63%", "4.98"),
        "实际完成率": ((15, 10, 20, 20, 5), (15, 20, 20, 20, 15), "78%", "7.8"),
    }


def test_the_planned_and_actual_costs_are_both_8109_65_wan(report):
    assert (report.costs.planned.value, report.costs.actual.value) == (81_096_500, 81_096_500)


def test_a_paragraph_cut_by_a_page_break_is_joined_again(report):
    overview = next(section for section in report.sections if section.key == "overview")
    assert not any(paragraph == "岗，提升我区文体人才队伍的整体素质。" for paragraph in overview.paragraphs)
    decisions = next(section for section in report.sections if section.heading == "（一）项目决策情况")
    assert any("吸引优秀文体产业人才集聚龙岗，提升我区" in paragraph for paragraph in decisions.paragraphs)


def test_report_formula_flags_the_cost_saving_rate_stated_as_100_percent(report):
    review = review_report(report, NATIONAL)
    failed = [result for result in review.results if result.outcome is Outcome.FAIL]
    assert [(r.code, report.rows[r.indicator].name, r.expected, r.found) for r in failed] == [
        ("report.formula", "成本节约率", "0%", "100%")
    ]
    assert failed[0].message == "“成本节约率”按“成本节约率=[(计划成本-实际成本)/计划成本]×100%”计算应为0%，报告为100%"
    assert failed[0].note == "以预算资金8140万元为计划成本时为0.37%"
    assert review.has_errors


def test_the_stated_rates_of_arrival_execution_and_completion_pass_and_quality_is_undetermined(report):
    review = review_report(report, NATIONAL, pick=["report.formula"])
    outcomes = {report.rows[r.indicator].name: r.outcome for r in review.results}
    assert outcomes == {
        "资金到位率": Outcome.PASS,
        "预算执行率": Outcome.PASS,  # 8109.65 ÷ 8140 = 99.63%; 5 × 99.63% = 4.98
        "实际完成率": Outcome.PASS,  # 70 ÷ 90 = 77.78% ≈ 78% (last printed digit); 7.78 ≈ 7.8
        "质量达标率": Outcome.UNDETERMINED,  # "92%" with no amounts in the text
        "成本节约率": Outcome.FAIL,
    }


def test_report_weights_total_and_grade_pass_on_the_sample(report):
    review = review_report(report, NATIONAL, pick=["report.weights", "report.total", "grade.mismatch"])
    assert [(r.code, r.outcome) for r in review.results] == [
        ("grade.mismatch", Outcome.PASS), ("report.total", Outcome.PASS), ("report.weights", Outcome.PASS)
    ]


def test_a_cost_saving_rate_that_matches_the_stated_costs_passes(text):
    fixed = text.replace("一般以项目预算为参考。 | 100% | 10 |", "一般以项目预算为参考。 | 0% | 10 |")
    review = review_report(report_from_text(fixed, NAME, FRAMEWORK), NATIONAL, pick=["report.formula"])
    assert [r.outcome for r in review.results if r.indicator == 14] == [Outcome.PASS]


def test_a_printed_total_that_is_not_the_sum_of_the_scores_fails_report_total(text):
    changed = text.replace("综合评价得分 96.98 分", "综合评价得分 98.98 分")
    review = review_report(report_from_text(changed, NAME, FRAMEWORK), NATIONAL, pick=["report.total"])
    assert [(r.outcome, r.expected, r.found) for r in review.results] == [(Outcome.FAIL, 96.98, 98.98)]
    assert review.results[0].message == "综合评价得分填报98.98，各指标得分合计为96.98"


def test_a_level1_weight_its_rows_do_not_add_up_to_fails_report_weights(text):
    changed = text.replace("| 过程 (20分) |", "| 过程 (25分) |")
    review = review_report(report_from_text(changed, NAME, FRAMEWORK), NATIONAL, pick=["report.weights"])
    assert [(r.outcome, r.indicator, r.expected, r.found) for r in review.results] == [(Outcome.FAIL, 6, 25, 20)]
    assert review.results[0].message == "指标体系权重合计100（应为100）；“过程”下属权重合计20，与其权重25不符"


def test_a_wrongly_computed_execution_score_fails_report_formula(text):
    # 5 × 99.63% = 4.98; a printed 5 would be within the 0.05 tolerance, 4.5 is not.
    changed = text.replace("| 99.63% | 4.98 |", "| 99.63% | 4.5 |")
    review = review_report(report_from_text(changed, NAME, FRAMEWORK), NATIONAL, pick=["report.formula"])
    failed = [(r.expected, r.found) for r in review.results if r.outcome is Outcome.FAIL]
    assert ("4.98分", "4.5分") in failed


def test_a_text_without_the_framework_table_is_a_read_error_naming_the_file(text):
    with pytest.raises(ReadError) as raised:
        report_from_text(text.split("附表：")[0], NAME, FRAMEWORK)
    assert raised.value.file == NAME
    assert "没有找到评价指标体系表" in raised.value.message
