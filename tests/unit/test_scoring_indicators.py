"""Indicator rows: scoring.md §3 and the row examples of §8 (rows 5–17), built by hand.

Every expected number is worked from the rule: e.g. 15 ÷ 19 × 3 = 2.368… → 2.37.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from builders import make_form, row
from jixiao.domain.grammar import Direction
from jixiao.domain.scoring import RowStatus, evaluate


def scored(profile, target, actual, weight="10.0", *, name="指标", level1="产出指标", level2="数量指标", year=2021, **funds):
    form = make_form(indicators=(row(name, target, actual, weight, level1=level1, level2=level2),), year=year, **funds)
    return evaluate(form, profile).indicators[0]


# --- worked examples (scoring.md §8)


def test_365_days_a_year_done_in_213_scores_2_92_of_5(shenzhen):
    result = scored(shenzhen, "365天/年", "213天", "5.0", name="驻村工作时间")  # row 5
    assert (result.status, result.score) == (RowStatus.SCORED, Decimal("2.92"))


def test_99_percent_paid_94_97_scores_2_49_of_2_6(shenzhen):
    result = scored(shenzhen, "99%", "94.97%", "2.6", name="人员经费发放完成率", level2="质量指标")  # row 6
    assert (result.status, result.score) == (RowStatus.SCORED, Decimal("2.49"))


def test_satisfaction_of_100_percent_reached_95_2_scores_7_62_of_8(shenzhen):
    result = scored(shenzhen, "100%", "95.2%", "8.0", name="旅游行业满意度", level1="满意度指标", level2=None)  # row 7
    assert (result.status, result.score) == (RowStatus.SCORED, Decimal("7.62"))


def test_19_sites_planned_15_maintained_scores_2_37_of_3_by_the_positive_formula(shenzhen):
    result = scored(shenzhen, "19家", "15家", "3.0", name="文博单位保养维护数量")  # row 8
    assert (result.status, result.score, result.rule) == (RowStatus.SCORED, Decimal("2.37"), "正向指标公式")
    assert result.met is False
    assert result.explain == "正向指标：实际15家 < 目标19家，得分 = 15 ÷ 19 × 3 = 2.37"


@pytest.mark.parametrize(("target", "actual", "expected"), [("250场以上", "208场", "4.16"), ("350场以上", "291场", "4.16")])
def test_sports_events_short_of_their_minimum_score_4_16_of_5(shenzhen, target, actual, expected):
    result = scored(shenzhen, target, actual, "5.0")  # rows 9 and 10
    assert (result.status, result.score) == (RowStatus.SCORED, Decimal(expected))


def test_about_1000_complaints_mediated_is_manual_with_the_positive_hint_1_25(shenzhen):
    result = scored(shenzhen, "调解旅游投诉约1000宗。", "313宗", "4.0", name="指标2:旅游投诉处理")  # row 11
    assert (result.status, result.score, result.reason) == (RowStatus.MANUAL, Decimal("1.25"), "approx")


def test_a_complaint_rate_target_of_0_met_with_0_scores_the_full_20(shenzhen):
    result = scored(shenzhen, "0", "0", "20.0", name="退休老干部投诉率", level1="效益指标", level2="满意度指标")  # row 12
    assert (result.kind, result.status, result.rule) == ("zero", RowStatus.SCORED, "零目标")
    assert result.score == Decimal("20.00")


def test_two_working_days_met_in_two_scores_the_full_2(national):
    result = scored(national, "≤2个工作日", "2个工作日", "2.00", name="文稿签批后制发与印发时间", level2="时效", year=2022)  # row 13
    assert (result.status, result.score, result.met) == (RowStatus.SCORED, Decimal("2.00"), True)
    assert result.direction is Direction.REVERSE


def test_a_cost_ceiling_with_nothing_spent_is_manual_without_a_hint(national):
    result = scored(national, "≤133,500元", "0", "5.00", name="尾款费用", level2="成本", year=2022)  # row 14
    assert (result.status, result.score, result.reason) == (RowStatus.MANUAL, None, "zero_cost_actual")


def test_a_qualitative_80_percent_sits_on_the_edge_and_belongs_to_the_upper_band(shenzhen):
    result = scored(shenzhen, "有所提升", "80%", "20.0", name="文化产业营商环境", level1="效益指标", level2="社会效益指标")  # row 15
    assert result.kind == "qual"
    assert result.status is RowStatus.MANUAL
    assert (result.band.label, result.band.rank) == ("达成年度指标", 0)
    assert (result.band.lo, result.band.hi, result.band.hi_inclusive) == (Decimal("16.00"), Decimal("20.00"), True)
    assert result.score == Decimal("16.00")


def test_a_qualitative_75_percent_is_partly_achieved_between_4_80_and_6_40(shenzhen):
    target = "改善辖区旅游业,促进行业发展。"
    result = scored(shenzhen, target, "75%", "8.0", name="指标3:企业做强做大", level1="效益指标", level2="经济效益指标")  # row 16
    assert result.band.label == "部分达成年度指标并具有一定效果"
    assert (result.band.lo, result.band.hi, result.band.hi_inclusive) == (Decimal("4.80"), Decimal("6.40"), False)
    assert result.score == Decimal("6.00")
    assert result.met is False


def test_a_fair_held_one_quarter_late_is_manual_without_a_hint(shenzhen):
    # row 17; the luohu 2021 form prints no year, so the quarters compare within one year
    fair = "第十六届中国（深圳）文化产业博览交易会"
    result = scored(shenzhen, "第2季度举办", "第3季度举办", "2.0", name=fair, level2="成本指标", year=None)
    assert (result.kind, result.status, result.score, result.met) == ("deadline", RowStatus.MANUAL, None, False)
    assert result.reason == "late_deadline"


# --- positive and equal (§3.1, 3.2)


def test_meeting_a_minimum_scores_the_weight_and_reports_the_ratio(national):
    result = scored(national, "≥1500件", "3567件", "5.0")
    assert (result.score, result.met) == (Decimal("5.00"), True)
    assert result.ratio == Decimal(3567) / Decimal(1500)


def test_a_strict_greater_than_target_counts_equality_as_met(national):
    assert scored(national, ">10场", "10场", "4.0").score == Decimal("4.00")


def test_a_bare_count_exceeded_scores_the_weight_with_no_bonus(national):
    result = scored(national, "4次", "8次", "3.0", name="区领导企业服务次数")
    assert (result.score, result.ratio) == (Decimal("3.00"), Decimal(2))


def test_a_negative_actual_counts_as_zero(national):
    assert scored(national, "≥10场", "-5场", "4.0").score == Decimal("0.00")


def test_a_score_target_is_positive(national):
    assert scored(national, "≥90分", "92.4分", "5.0", name="考核得分", level2="质量指标").score == Decimal("5.00")
    assert scored(national, "≥90分", "81分", "5.0", name="考核得分", level2="质量指标").score == Decimal("4.50")


# --- reverse (§3.4)


def test_three_days_against_at_most_two_scores_1_00_under_linear_2t(national):
    result = scored(national, "≤2个工作日", "3个工作日", "2", name="文稿签批后制发与印发时间", level2="时效", year=2022)
    assert (result.score, result.met, result.rule) == (Decimal("1.00"), False, "反向指标公式")
    assert result.ratio == Decimal(2) / Decimal(3)


def test_three_days_against_at_most_two_scores_1_33_under_the_ratio_mode(hubei):
    result = scored(hubei, "≤2个工作日", "3个工作日", "2", name="文稿签批后制发与印发时间", level2="时效", year=2022)
    assert result.score == Decimal("1.33")


def test_twice_the_ceiling_or_more_scores_zero_under_linear_2t(national):
    assert scored(national, "≤2个工作日", "4个工作日", "2", level2="时效").score == Decimal("0.00")


def test_a_bare_amount_on_a_cost_row_is_a_ceiling(national):
    # 3万元 for 用于戏曲专场活动的场均费用: 成本 makes a bare number reverse (§3.2)
    result = scored(national, "3万元", "4万元", "10", name="用于戏曲专场活动的场均费用", level2="成本指标")
    assert result.direction is Direction.REVERSE
    assert result.score == Decimal("6.67")  # (1 − (40000 − 30000) ÷ 30000) × 10


def test_a_per_unit_cost_with_nothing_spent_is_manual(shenzhen):
    result = scored(shenzhen, "20万元/个", "0元/个", "10.0", name="雕塑创作费用", level2="成本指标")
    assert (result.status, result.score, result.reason) == (RowStatus.MANUAL, None, "zero_cost_actual")


def test_an_explicit_minimum_on_a_cost_row_stays_positive(national):
    result = scored(national, "≥0.79%", "2.98%", "10", name="表扬书、批评书制作费用", level2="成本")
    assert (result.direction, result.score) == (Direction.POSITIVE, Decimal("10.00"))


def test_a_rank_target_is_reverse_with_first_as_one(national, hubei):
    first = scored(national, "全市第一", "全市第一", "5", name="全市排名", level2="质量指标")
    assert (first.direction, first.score) == (Direction.REVERSE, Decimal("5.00"))
    third = scored(national, "全市第一", "全市第三", "5", name="全市排名", level2="质量指标")
    assert third.score == Decimal("0.00")  # 3 ≥ 2 × 1 under linear_2T
    assert scored(hubei, "全市第一", "全市第三", "5", name="全市排名", level2="质量指标").score == Decimal("1.67")


def test_a_rate_of_zero_on_a_cost_row_is_no_zero_spending(shenzhen):
    # 党建工作: 项目投入总金额偏差率 ≤10% → 0% is a perfect rate, scored like any reverse row
    result = scored(shenzhen, "≤10%", "0%", "2.0", name="项目投入总金额偏差率", level2="成本指标")
    assert (result.status, result.score) == (RowStatus.SCORED, Decimal("2.00"))


def test_several_amounts_against_one_ceiling_are_manual_with_the_lowest_part(national):
    # 秘书处业务 (2022): 单个课题经费 ≤40万 → 改革课题经费19.8万；放管服课题经费19.73万。
    actual = "改革课题经费19.8万；放管服课题经费19.73万。"
    result = scored(national, "≤40万", actual, "10.00", name="单个课题经费", level2="成本", year=2022)
    assert (result.status, result.score, result.reason) == (RowStatus.MANUAL, Decimal("10.00"), "multi")
    assert result.met is True


# --- zero (§3.3)


def test_any_complaint_against_a_zero_target_scores_nothing(national):
    result = scored(national, "投诉为零", "3次", "10", name="投诉次数", level1="满意度指标", level2=None)
    assert (result.score, result.met) == (Decimal("0.00"), False)


def test_none_as_the_actual_of_a_zero_target_means_nothing_happened(national):
    assert scored(national, "投诉为零", "无", "10", name="投诉次数", level2="质量指标").score == Decimal("10.00")


def test_a_100_percent_actual_on_a_zero_target_reads_as_met(national):
    result = scored(national, "无出现重点事故", "100%", "10", name="安全事故", level2="质量指标")
    assert result.score == Decimal("10.00")


# --- budget control (§3.8)


def test_staying_within_the_budget_scores_the_weight_whatever_the_share_spent(shenzhen):
    funds = {"adjusted": "100000.00", "executed": "55964.00"}
    result = scored(shenzhen, "控制在预算数内", "56%", "15.0", name="年度预算支出总金额", level2="成本指标", **funds)
    assert (result.kind, result.status, result.rule) == ("budget", RowStatus.SCORED, "预算控制")
    assert result.score == Decimal("15.00")
    assert result.target.number == Decimal("100000.00")


def test_a_fraction_written_for_the_share_is_read_as_a_percentage(shenzhen):
    result = scored(shenzhen, "控制在预算数内", "0.95", "10", level2="成本指标")
    assert (result.score, result.met) == (Decimal("10.00"), True)


def test_spending_over_the_budget_scores_by_the_reverse_formula(national):
    result = scored(national, "控制在预算数内", "105%", "10", level2="成本指标")
    assert (result.score, result.met) == (Decimal("9.50"), False)  # (1 − 5 ÷ 100) × 10


def test_an_overspent_funds_block_outweighs_an_actual_that_claims_to_be_within_budget(national):
    result = scored(national, "控制在预算数内", "100%", "10", level2="成本指标", adjusted="100000", executed="120000")
    assert (result.score, result.met) == (Decimal("8.00"), False)  # (1 − 0.2) × 10


def test_a_budget_target_without_a_budget_is_undetermined(national):
    result = scored(national, "控制在预算数内", "90%", "10", level2="成本指标", adjusted="0.00", executed="0.00")
    assert (result.status, result.reason) == (RowStatus.UNDETERMINED, "needs_budget")


# --- deadline and period (§3.6, 3.7)


def test_done_in_june_against_end_of_july_scores_the_weight(national):
    result = scored(national, "7月底前", "6月", "2.00", name="做好会务筹备工作", level2="时效", year=2022)
    assert (result.status, result.score, result.met) == (RowStatus.SCORED, Decimal("2.00"), True)


def test_a_100_percent_actual_on_a_deadline_reads_as_met(shenzhen):
    result = scored(shenzhen, "2021年12月31日前", "100%", "10.0", level2="时效指标")
    assert (result.status, result.score) == (RowStatus.SCORED, Decimal("10.00"))


def test_a_deadline_on_a_form_without_a_year_is_met_by_a_100_percent_status(shenzhen):
    # 文化体育市场执法 (luohu 2021) names no year anywhere
    result = scored(shenzhen, "培训完成时间12月底前", "100%", "2.0", level2="时效指标", year=None)
    assert (result.status, result.score, result.met) == (RowStatus.SCORED, Decimal("2.00"), True)


def test_a_deadline_without_a_year_or_a_status_is_undetermined(shenzhen):
    result = scored(shenzhen, "12月底前", "95", "2.0", level2="时效指标", year=None)
    assert (result.status, result.score) == (RowStatus.UNDETERMINED, None)


def test_a_year_round_activity_done_all_year_scores_the_weight(shenzhen):
    result = scored(shenzhen, "全年开展", "100%", "10.0", name="活动开展时间", level2="时效指标")
    assert (result.kind, result.score) == ("period", Decimal("10.00"))


def test_twice_a_year_done_once_scores_half(national):
    # target-grammar.md §8 expands 每年至少两次 to ≥2 次 per 年, scored as positive (§3.7)
    result = scored(national, "每年至少两次", "1次", "4", name="培训次数")
    assert (result.status, result.score, result.met) == (RowStatus.SCORED, Decimal("2.00"), False)


def test_once_per_person_per_year_needs_a_headcount_and_is_undetermined(shenzhen):
    result = scored(shenzhen, "每人每年一次", "5次", "10.0", name="退休干部健康管理次数")
    assert (result.status, result.score, result.reason) == (RowStatus.UNDETERMINED, None, "needs_multiplier")


# --- qualitative bands (§3.10)


@pytest.mark.parametrize(
    ("actual", "label", "lo", "hi"),
    [
        ("79%", "部分达成年度指标并具有一定效果", "6.00", "8.00"),
        ("60%", "部分达成年度指标并具有一定效果", "6.00", "8.00"),
        ("59%", "未达成年度指标且效果较差", "0.00", "6.00"),
    ],
)
def test_national_bands_put_each_edge_in_the_upper_band(national, actual, label, lo, hi):
    band = scored(national, "有效提升", actual, "10", level1="效益指标", level2="社会效益指标").band
    assert (band.label, band.lo, band.hi) == (label, Decimal(lo), Decimal(hi))


@pytest.mark.parametrize(("actual", "rank"), [("50%", 1), ("49%", 2)])
def test_hubei_bands_split_at_half(hubei, actual, rank):
    band = scored(hubei, "有效提升", actual, "10", level1="效益指标", level2="社会效益指标").band
    assert band.rank == rank
    assert band.label.endswith("预期指标并具有一定效果" if rank == 1 else "预期指标且效果较差")


def test_a_satisfied_word_is_achieved_with_no_hint(national):
    result = scored(national, "及时", "满意", "10", level2="时效指标")
    assert (result.status, result.band.rank, result.score) == (RowStatus.MANUAL, 0, None)


@pytest.mark.parametrize(("actual", "rank"), [("已完成", 0), ("部分达成", 1), ("未完成", 2), ("不满意", 2)])
def test_band_words_in_the_actual_pick_the_band(national, actual, rank):
    result = scored(national, "有效提升", actual, "10", level1="效益指标", level2="社会效益指标")
    assert (result.band.rank, result.score, result.met) == (rank, None, rank == 0)


def test_a_qualitative_actual_with_no_band_word_or_percentage_is_undetermined(national):
    result = scored(national, "有效提升", "见附件", "10", level1="效益指标", level2="社会效益指标")
    assert (result.status, result.reason) == (RowStatus.UNDETERMINED, "qual_unmapped")


# --- not applicable, multi-value (§3.11, 3.12)


def test_a_not_applicable_row_is_scored_zero(national):
    result = scored(national, "不适用", "不适用", "0.0", name="不适用", level1="效益指标", level2="经济效益指标")
    assert (result.kind, result.status, result.score, result.rule) == ("na", RowStatus.SCORED, Decimal("0.00"), "不适用")


def test_a_multi_value_target_without_a_count_of_trainings_is_unmatched(shenzhen):
    result = scored(shenzhen, "2次培训,共500人次", "752人次", "4.0", name="旅游培训")
    assert (result.status, result.reason) == (RowStatus.UNDETERMINED, "multi_unmatched")


def test_a_multi_value_target_hints_the_lowest_part(national):
    result = scored(national, "2次培训,共500人次", "2次培训,共400人次", "5", name="旅游培训")
    assert (result.status, result.score, result.met) == (RowStatus.MANUAL, Decimal("4.00"), False)


# --- rows that cannot be scored


def test_a_row_without_a_weight_is_undetermined(national):
    result = scored(national, "≥10场", "12场", "")
    assert (result.status, result.score, result.reason) == (RowStatus.UNDETERMINED, None, "weight_missing")


def test_a_row_without_a_weight_still_says_whether_its_target_was_met(national):
    result = scored(national, "≥10场", "12场", "—")
    assert (result.status, result.score) == (RowStatus.UNDETERMINED, None)
    assert (result.met, result.ratio) == (True, Decimal("1.2"))
    assert result.rule == "正向指标公式"


def test_a_weight_above_the_100_point_total_is_invalid(national):
    result = scored(national, "≥10场", "12场", "1000")
    assert (result.status, result.score, result.reason) == (RowStatus.UNDETERMINED, None, "weight_invalid")


def test_a_percentage_against_a_count_is_undetermined_for_units(shenzhen):
    result = scored(shenzhen, "不少于12场", "60%", "5")
    assert (result.status, result.reason) == (RowStatus.UNDETERMINED, "unit_incompatible")


def test_a_truncated_target_is_undetermined(shenzhen):
    result = scored(shenzhen, "每周巡查星级宾馆酒店、网吧、", "100%", "3")
    assert (result.status, result.score, result.reason) == (RowStatus.UNDETERMINED, None, "truncated")


def test_a_profile_that_drops_approx_from_its_manual_kinds_scores_the_hint(national):
    settled = replace(national, manual_kinds=frozenset({"late_deadline", "multi", "zero_cost_actual"}))
    result = scored(settled, "约1000宗", "313宗", "4.0")
    assert (result.status, result.score) == (RowStatus.SCORED, Decimal("1.25"))
