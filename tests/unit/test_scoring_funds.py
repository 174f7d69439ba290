"""The funds row (预算执行率): scoring.md §2 and the funds rows of the worked examples (§8, rows 1–4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from builders import make_form
from jixiao.domain.scoring import RowStatus, evaluate_funds


def funds(adjusted: str, executed: str, *, initial: str | None = None, weight: str = "10"):
    form = make_form(initial=initial or adjusted, adjusted=adjusted, executed=executed, weight=weight)
    return form.funds


# --- worked examples (scoring.md §8)


def test_cadre_health_2021_scores_5_60_by_rounding_the_rate_first(shenzhen):
    result = evaluate_funds(funds("100000.00", "55964.00"), shenzhen)  # §8 row 1
    assert result.status is RowStatus.SCORED
    assert result.rate == Decimal("0.55964")
    assert result.score == Decimal("5.60")
    assert result.score_rate2dp == Decimal("5.60")


def test_reserve_fund_2021_scores_9_00_under_rate2dp_where_full_would_give_9_04(shenzhen):
    result = evaluate_funds(funds("300000", "271122.53"), shenzhen)  # §8 row 2: 0.9037
    assert result.score == Decimal("9.00")
    assert result.score_rate2dp == Decimal("9.00")
    assert result.score_full == Decimal("9.04")


def test_cadre_health_2022_scores_5_98_in_full_where_rate2dp_would_give_6_00(national):
    result = evaluate_funds(funds("108000", "64531"), national)  # §8 row 3: 0.59751
    assert result.score == Decimal("5.98")
    assert result.score_full == Decimal("5.98")
    assert result.score_rate2dp == Decimal("6.00")


def test_administration_2022_scores_8_50_in_full(national):
    result = evaluate_funds(funds("1091200", "927026.50"), national)  # §8 row 4: 0.849548
    assert result.score == Decimal("8.50")


@pytest.mark.parametrize(
    ("adjusted", "executed", "rate2dp", "full"),
    [
        ("12355000", "12210159.29", "9.90", "9.88"),  # 体彩金 (luohu 2021)
        ("685600", "679600", "9.90", "9.91"),  # 信息化维护项目 (shenzhen 2021)
        ("1902800", "1437356.40", "7.60", "7.55"),  # 秘书处业务 (luohu 2022)
        ("178000", "177028.64", "9.90", "9.95"),  # 档案管理事务 (luohu 2022)
    ],
)
def test_both_rounding_conventions_are_always_given(national, adjusted, executed, rate2dp, full):
    result = evaluate_funds(funds(adjusted, executed), national)
    assert (result.score_rate2dp, result.score_full) == (Decimal(rate2dp), Decimal(full))


def test_the_profile_s_convention_decides_the_score(national, shenzhen):
    block = funds("12355000", "12210159.29")
    assert evaluate_funds(block, shenzhen).score == Decimal("9.90")
    assert evaluate_funds(block, national).score == Decimal("9.88")


# --- the denominator (§2.1)


def test_the_denominator_is_the_adjusted_budget_not_the_initial_one(shenzhen):
    # 文化产业规划及服务: 年初 1,901,000, 全年 13,341,700, executed 13,341,667 → 1.00, not 7.02
    result = evaluate_funds(funds("13341700", "13341667", initial="1901000"), shenzhen)
    assert result.rate < 1
    assert result.score == Decimal("10.00")


def test_an_initial_budget_of_zero_is_not_a_zero_budget(shenzhen):
    # 预留增人增资指标: 年初 0.00, 全年 360,772.00, all spent
    result = evaluate_funds(funds("360772.00", "360772.00", initial="0.00"), shenzhen)
    assert result.status is RowStatus.SCORED
    assert result.rate == 1
    assert result.score == Decimal("10.00")


# --- over-budget, zero budget, nothing spent (§2.5)


def test_spending_over_the_budget_keeps_the_true_rate_but_caps_the_score_at_the_weight(national):
    result = evaluate_funds(funds("100000", "120000"), national)
    assert result.rate == Decimal("1.2")
    assert result.score == Decimal("10.00")
    assert result.score_rate2dp == Decimal("10.00")
    assert "100.00%" in result.explain


def test_a_zero_budget_leaves_rate_and_score_undetermined(national):
    result = evaluate_funds(funds("0.00", "5000.00"), national)
    assert result.status is RowStatus.UNDETERMINED
    assert (result.rate, result.score, result.score_full, result.score_rate2dp) == (None, None, None, None)
    assert "全年预算数为0" in result.explain


def test_a_missing_budget_cell_is_undetermined_never_zero(national):
    result = evaluate_funds(funds("—", "5000.00"), national)
    assert result.status is RowStatus.UNDETERMINED
    assert result.rate is None


def test_nothing_spent_of_a_real_budget_scores_zero(national):
    # 大剧院及莲塘口岸主题雕塑创作前期工作经费: 0 of 800,000, printed 0.00
    result = evaluate_funds(funds("800000.00", "0.00"), national)
    assert result.status is RowStatus.SCORED
    assert result.rate == 0
    assert result.score == Decimal("0.00")


def test_a_missing_funds_weight_gives_the_rate_but_no_score(national):
    result = evaluate_funds(funds("100000", "55964", weight="—"), national)
    assert result.status is RowStatus.UNDETERMINED
    assert result.rate == Decimal("0.55964")
    assert result.score is None


def test_a_hubei_funds_weight_of_20_scales_the_score(hubei):
    result = evaluate_funds(funds("100000", "55964", weight="20"), hubei)
    assert result.score == Decimal("11.19")  # round(20 × 0.55964, 2), full convention


def test_the_explanation_names_the_inputs_and_the_formula(shenzhen):
    result = evaluate_funds(funds("100000.00", "55964.00"), shenzhen)
    assert "55964" in result.explain and "100000" in result.explain
    assert "10 × 0.56 = 5.60" in result.explain


def test_an_absurd_budget_cell_still_scores_within_the_weight(national):
    result = evaluate_funds(funds("1e-30", "100000"), national)
    assert result.score == Decimal("10.00")
