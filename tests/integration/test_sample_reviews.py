"""The reviews the issue asks for, on the real published forms (shared/samples).

Expected numbers come from the forms and the rules (scoring.md §8, checks.md examples),
worked by hand: e.g. 15 ÷ 19 × 3 = 2.368… → 2.37.
"""

from __future__ import annotations

from functools import cache

import pytest

from conftest import sample
from jixiao import services
from jixiao.checks.base import Outcome

LUOHU_2021 = "luohu-culture-bureau-2021.txt"
FILES = [LUOHU_2021, "luohu-district-office-2022.txt", "shenzhen-culture-bureau-2021.txt"]


@cache
def reviews():
    run = services.check_files([sample(name) for name in FILES])
    assert run.errors == []
    return run.reviews


def review_of(name, file=LUOHU_2021):
    matches = [r for r in reviews() if r.form.project.name == name and r.form.source.file.endswith(file)]
    assert len(matches) == 1, name
    return matches[0]


def failures(item, code):
    return [r for r in item.results if r.code == code and r.outcome is Outcome.FAIL]


def row_named(item, name):
    return next(i for i, row in enumerate(item.form.indicators) if row.name == name)


def test_all_33_forms_are_read_and_reviewed():
    assert len(reviews()) == 33


@pytest.mark.parametrize(("project", "expected"), [("宣传文化事业发展专项经费", 100), ("文化体育市场", 94)])
def test_a_printed_total_of_10_is_reported_with_the_sum_of_the_rows(project, expected):
    [finding] = failures(review_of(project), "score.total-mismatch")
    assert finding.found == 10
    assert finding.expected == pytest.approx(expected)


def test_only_those_two_forms_have_a_wrong_total():
    wrong = {item.form.project.name for item in reviews() if failures(item, "score.total-mismatch")}
    assert wrong == {"宣传文化事业发展专项经费", "文化体育市场"}


def test_19_planned_15_done_scored_2_of_3_is_reported_against_the_rule_s_2_37():
    item = review_of("文物保护与管理工作")
    index = row_named(item, "文博单位保养维护数量")
    [finding] = [f for f in failures(item, "score.formula") if f.indicator == index]
    assert finding.expected == pytest.approx(2.37)
    assert finding.found == pytest.approx(2.0)


def test_250_or_more_played_208_scored_4_of_5_is_reported_against_4_16():
    item = review_of("群众体育工作")
    found = {item.form.indicators[f.indicator].target: (f.expected, f.found) for f in failures(item, "score.formula")}
    assert found["250场以上"] == (pytest.approx(4.16), pytest.approx(4.0))
    assert found["350场以上"] == (pytest.approx(4.16), pytest.approx(4.0))


def test_low_execution_of_cadre_health_management_is_reported_beside_full_marks_for_staying_in_budget():
    item = review_of("干部健康管理")
    [low] = failures(item, "funds.low-execution")
    assert "0.8" in low.message or "80" in low.message
    cost = row_named(item, "年度预算支出总金额")
    assert [f.indicator for f in failures(item, "inflation.cost-underspend")] == [cost]


def test_a_shortfall_scored_by_the_rule_stays_silent():
    item = review_of("扶贫工作")
    index = row_named(item, "驻村工作时间")  # 365天/年 → 213天: 2.92 by the rule, 2.9 printed
    assert not [f for f in failures(item, "score.formula") if f.indicator == index]


@pytest.mark.parametrize(
    "code",
    ["funds.rate-mismatch", "funds.score-mismatch", "funds.subtotal-mismatch", "funds.over-budget", "weights.total", "score.over-weight", "score.na-weighted"],
)
def test_arithmetic_checks_stay_silent_where_the_forms_are_right(code):
    # checks.md: no sample fails these (all 33 forms pass)
    assert [item.form.project.name for item in reviews() if failures(item, code)] == []


def test_the_2022_forms_carry_their_printed_weights_per_block():
    forms_2022 = [item for item in reviews() if item.form.source.layout == "form-2022"]
    assert len(forms_2022) == 8
    assert all(not failures(item, "weights.level1") for item in forms_2022)
