"""Funds-block checks (checks.md §1) on forms rebuilt from the numbers of the samples."""

from __future__ import annotations

from dataclasses import replace

from builders import make_form

from jixiao.checks.review import review
from jixiao.domain.model import Printed, SummaryExtras


def outcomes(form, profile, code):
    """Every result of one check, as (outcome, indicator) pairs, passes and n/a included."""
    return [(result.outcome.value, result.indicator) for result in review(form, profile, pick=[code]).results]


def only_finding(form, profile, code):
    found = review(form, profile, pick=[code]).findings
    assert len(found) == 1, found
    return found[0]


def with_subrow_rate(form, rate):
    """The form with a rate printed on its 当年财政拨款 row, as the 2021 layouts do."""
    funds = form.funds
    return replace(form, funds=replace(funds, fiscal=replace(funds.fiscal, rate=Printed.of(rate))))


def as_summary_row(form):
    return replace(form, summary=SummaryExtras(seq="1"))


# luohu 2022 · 干部健康管理: 64,531 / 108,000 = 59.751%, printed 59.7, score 5.98.
def health_2022(rate="59.7", score="5.98"):
    return make_form(
        initial="108000.00", adjusted="108000", executed="64531", rate=rate, rate_scale=100, score=score, year=2022
    )


# luohu 2021 · 干部健康管理: 55,964 / 100,000, printed 0.56, score 5.60.
def health_2021(rate="0.56", score="5.60"):
    return make_form(adjusted="100000.00", executed="55964.00", rate=rate, score=score)


# luohu 2022 · 秘书处业务: 1,437,356.40 / 1,902,800 = 75.539%, printed 75.5 and 7.55 (full convention).
def secretariat_2022(score="7.55"):
    return make_form(
        initial="2250000.00", adjusted="1902800.00", executed="1437356.40", rate="75.5", rate_scale=100, score=score
    )


class TestRateMismatch:
    code = "funds.rate-mismatch"

    def test_a_fraction_that_is_not_b_over_a_fires(self, shenzhen):
        finding = only_finding(health_2021(rate="0.66"), shenzhen, self.code)
        assert (finding.outcome.value, finding.expected, finding.found) == ("fail", 0.5596, 0.66)
        assert finding.message == "执行率填报0.66，按全年执行数÷全年预算数计算为0.5596"
        assert finding.cells["年度资金总额·执行率"] == "0.66"

    def test_a_truncated_percentage_is_within_one_unit_of_its_last_digit(self, national):
        assert outcomes(health_2022(), national, self.code) == [("pass", None)]

    def test_a_whole_percentage_rounded_from_84_955_passes(self, national):
        form = make_form(adjusted="1091200.00", executed="927026.50", rate="85", rate_scale=100, score="8.50")
        assert outcomes(form, national, self.code) == [("pass", None)]

    def test_one_unit_of_the_last_digit_is_the_whole_tolerance(self, national):
        finding = only_finding(health_2022(rate="59.6"), national, self.code)
        assert (finding.expected, finding.found) == (59.75, 59.6)

    def test_a_rate_on_a_2021_sub_row_is_checked_too(self, shenzhen):
        form = with_subrow_rate(health_2021(), "0.65")
        assert outcomes(form, shenzhen, self.code) == [("pass", None), ("fail", None)]
        finding = only_finding(form, shenzhen, self.code)
        assert finding.cells["当年财政拨款·执行率"] == "0.65"

    def test_a_dash_on_a_sub_row_is_no_rate_to_check(self, national):
        assert outcomes(with_subrow_rate(health_2022(), "—"), national, self.code) == [("pass", None)]

    def test_the_summary_rate_rounded_to_a_whole_percent_passes(self, national):
        # summary · 其他一般管理事务: 76.12 / 76.70 万元 = 99.24%, printed 99%.
        form = as_summary_row(make_form(adjusted="767000", executed="761200", rate="99%", rate_scale=100))
        assert outcomes(form, national, self.code) == [("pass", None)]

    def test_a_summary_rate_with_two_decimals_is_held_to_a_hundredth_of_a_point(self, national):
        # summary · 大芬双年展: 90.07 / 91 万元 = 98.978%, printed 98.98%.
        dafen = as_summary_row(make_form(adjusted="910000", executed="900700", rate="98.98%", rate_scale=100))
        assert outcomes(dafen, national, self.code) == [("pass", None)]
        misprinted = as_summary_row(make_form(adjusted="910000", executed="900700", rate="98.96%", rate_scale=100))
        finding = only_finding(misprinted, national, self.code)
        assert (finding.expected, finding.found) == (98.98, 98.96)
        assert finding.cells["预算支出执行率"] == "98.96%"

    def test_a_rate_cell_without_a_number_is_undetermined(self, shenzhen):
        finding = only_finding(health_2021(rate="—"), shenzhen, self.code)
        assert finding.outcome.value == "undetermined"
        assert "执行率" in finding.message

    def test_a_zero_budget_leaves_the_rate_to_funds_zero_budget(self, shenzhen):
        form = make_form(initial="0.00", adjusted="0.00", executed="0.00", rate="0.00", score="0.00")
        assert outcomes(form, shenzhen, self.code) == [("n/a", None)]


class TestScoreMismatch:
    code = "funds.score-mismatch"

    def test_the_2021_convention_round_the_rate_first_passes_under_its_profile(self, shenzhen):
        # luohu 2021 · 体彩金: 12,210,159.29 / 12,355,000 ⇒ 10 × 0.99 = 9.90 (full would give 9.88).
        form = make_form(
            initial="11900000.00", adjusted="12355000.00", executed="12210159.29", rate="0.99", score="9.90"
        )
        results = review(form, shenzhen, pick=[self.code]).results
        assert [(r.outcome.value, r.note) for r in results] == [("pass", None)]

    def test_the_2022_convention_round_the_score_passes_under_its_profile(self, national):
        assert outcomes(secretariat_2022(), national, self.code) == [("pass", None)]

    def test_the_other_convention_passes_with_a_note_naming_it(self, shenzhen):
        # Under shenzhen-2021 (rate2dp ⇒ 7.60) the printed 7.55 matches only the full convention.
        (result,) = review(secretariat_2022(), shenzhen, pick=[self.code]).results
        assert result.outcome.value == "pass"
        assert "full" in result.note and "shenzhen-2021" in result.note

    def test_a_score_matching_neither_convention_fires(self, national):
        finding = only_finding(secretariat_2022(score="8.00"), national, self.code)
        assert (finding.outcome.value, finding.expected, finding.found) == ("fail", 7.55, 8.0)
        assert finding.message == "预算执行率得分填报8，应为7.55（分值10×执行率）"

    def test_a_missing_score_is_undetermined(self, national):
        finding = only_finding(secretariat_2022(score="—"), national, self.code)
        assert finding.outcome.value == "undetermined"
        assert "得分" in finding.message


class TestSubtotalMismatch:
    code = "funds.subtotal-mismatch"

    # luohu 2021 · 文物保护与管理工作: 年初 3,555,500 + 0 + 150,000 = 3,705,500.
    def heritage(self, other=("150000.00", "0.00", "0.00"), carryover=("0.00", "0.00", "0.00")):
        return make_form(
            initial="3705500.00",
            adjusted="3705500.00",
            executed="3701785.55",
            fiscal=("3555500.00", "3705500.00", "3701785.55"),
            carryover=carryover,
            other=other,
        )

    def test_other_funds_count_in_the_subtotal(self, shenzhen):
        assert outcomes(self.heritage(), shenzhen, self.code) == [("pass", None)] * 3

    def test_a_column_whose_sub_rows_do_not_add_up_fires(self, shenzhen):
        finding = only_finding(self.heritage(other=("0.00", "0.00", "0.00")), shenzhen, self.code)
        assert (finding.outcome.value, finding.expected, finding.found) == ("fail", 3705500.0, 3555500.0)
        assert finding.message == "年初预算数：当年财政拨款+上年结转资金+其他资金=3555500，与年度资金总额3705500不符"

    def test_a_dash_in_a_sub_row_leaves_only_that_column_undetermined(self, shenzhen):
        form = self.heritage(carryover=("—", "0.00", "0.00"))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", None), ("pass", None), ("pass", None)]
        assert "上年结转资金" in only_finding(form, shenzhen, self.code).message


class TestOverBudget:
    code = "funds.over-budget"

    def test_spending_more_than_the_full_year_budget_fires(self, shenzhen):
        form = make_form(adjusted="100000.00", executed="105000.00", rate="1.05", score="10.00")
        finding = only_finding(form, shenzhen, self.code)
        assert finding.message == "全年执行数105000超过全年预算数100000，执行率105%"

    def test_a_printed_rate_above_one_fires_even_within_budget(self, shenzhen):
        form = make_form(adjusted="100000.00", executed="100000.00", rate="1.02")
        assert only_finding(form, shenzhen, self.code).outcome.value == "fail"

    def test_spending_just_under_the_budget_passes(self, shenzhen):
        # luohu 2021 · 文化产业规划及服务: 13,341,667 of 13,341,700.
        form = make_form(initial="1901000.00", adjusted="13341700.00", executed="13341667.00")
        assert outcomes(form, shenzhen, self.code) == [("pass", None)]

    def test_a_missing_expenditure_is_undetermined(self, shenzhen):
        form = make_form(executed="")
        assert only_finding(form, shenzhen, self.code).outcome.value == "undetermined"


class TestZeroBudget:
    code = "funds.zero-budget"

    def test_a_zero_budget_with_spending_fires(self, shenzhen):
        form = make_form(initial="0.00", adjusted="0.00", executed="5000.00", rate="", score="0.00")
        finding = only_finding(form, shenzhen, self.code)
        assert finding.outcome.value == "fail"
        assert finding.message == "全年预算数为0，执行率无法计算，却填报执行数5000或得分0"

    def test_a_zero_budget_with_a_printed_rate_fires(self, shenzhen):
        form = make_form(initial="0.00", adjusted="0.00", executed="0.00", rate="0.00", score="0.00")
        assert only_finding(form, shenzhen, self.code).outcome.value == "fail"

    def test_a_zero_budget_claiming_nothing_cannot_be_assessed(self, shenzhen):
        form = make_form(initial="0.00", adjusted="0.00", executed="0.00", rate="", score="0.00")
        assert only_finding(form, shenzhen, self.code).outcome.value == "undetermined"

    def test_a_zero_initial_budget_is_not_a_zero_budget(self, national):
        # luohu 2022 · 疫情防控工作经历: 年初 0.00, 全年 278,500.00.
        form = make_form(initial="0.00", adjusted="278500.00", executed="278500.00", rate="100", rate_scale=100)
        assert outcomes(form, national, self.code) == [("pass", None)]

    def test_a_missing_full_year_budget_is_undetermined(self, shenzhen):
        form = make_form(adjusted="—")
        assert only_finding(form, shenzhen, self.code).outcome.value == "undetermined"


class TestLowExecution:
    code = "funds.low-execution"

    def test_an_execution_rate_below_the_threshold_fires(self, shenzhen):
        finding = only_finding(health_2021(), shenzhen, self.code)
        assert finding.outcome.value == "fail"
        assert finding.message == "预算执行率55.96%低于80%，请说明原因并核实产出、成本指标得分"

    def test_nothing_spent_of_a_real_budget_fires_at_zero_percent(self, shenzhen):
        # luohu 2021 · 大剧院及莲塘口岸主题雕塑创作前期工作经费: 0 / 800,000.
        form = make_form(initial="0.00", adjusted="800000.00", executed="0.00", rate="0.00", score="0.00")
        assert only_finding(form, shenzhen, self.code).message.startswith("预算执行率0%低于80%")

    def test_a_full_execution_passes(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("pass", None)]

    def test_a_missing_expenditure_is_undetermined(self, shenzhen):
        form = make_form(executed="—")
        assert only_finding(form, shenzhen, self.code).outcome.value == "undetermined"


class TestBigAdjustment:
    code = "funds.big-adjustment"

    def test_a_budget_raised_sevenfold_fires(self, shenzhen):
        # luohu 2021 · 文化产业规划及服务: 1,901,000 → 13,341,700.
        form = make_form(initial="1901000.00", adjusted="13341700.00", executed="13341667.00")
        finding = only_finding(form, shenzhen, self.code)
        assert finding.message == "全年预算数13341700较年初预算数1901000变动+602%，请说明预算调整原因"

    def test_a_raise_just_over_half_fires(self, national):
        # luohu 2022 · 办文办会事务: 1,099,000 → 1,662,200 (+51%).
        form = make_form(initial="1099000.00", adjusted="1662200.00", executed="1429601.95", rate="86", rate_scale=100)
        assert "+51%" in only_finding(form, national, self.code).message

    def test_a_cut_under_half_passes(self, national):
        # luohu 2022 · 督查及绩效事务: 605,550 → 321,750 (−47%).
        form = make_form(initial="605550.00", adjusted="321750.00", executed="317459.17", rate="98.7", rate_scale=100)
        assert outcomes(form, national, self.code) == [("pass", None)]

    def test_a_mid_year_addition_is_not_an_adjustment(self, shenzhen):
        # luohu 2021 · 预留增人增资指标: 年初 0.00, 全年 360,772.00.
        form = make_form(initial="0.00", adjusted="360772.00", executed="360772.00")
        (result,) = review(form, shenzhen, pick=[self.code]).results
        assert (result.outcome.value, result.note) == ("n/a", "年中新增")

    def test_a_missing_initial_budget_is_undetermined(self, shenzhen):
        form = make_form(initial="")
        assert only_finding(form, shenzhen, self.code).outcome.value == "undetermined"
