"""Properties that hold for any cell text: scoring never raises and never leaves [0, weight]
(scoring.md §3.0 "0 ≤ score ≤ weight", §2.5 the capped funds rate)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import make_form, row
from jixiao import profiles
from jixiao.domain.scoring import evaluate, evaluate_funds

PROFILES = profiles.load_all()

# Pieces of real target and actual texts (target-grammar.md §3, §4), and junk around them.
FRAGMENTS = st.sampled_from(
    [
        "≥", "≤", ">", "<", "<=", "》", "约", "以上", "以内", "左右", "不少于", "不超过", "余", "近",
        "%", "万", "亿", "元", "万元", "场", "人次", "家", "个工作日", "小时", "天/年", "元/个", "分", "名",
        "2021年", "2022年", "12月", "底前", "31日前", "第3季度", "第四季度前完成", "全年开展", "每年至少两次",
        "每人每年一次", "全市第一", "投诉为零", "控制在预算数内", "有效提升", "满意", "已完成", "未完成",
        "部分达成", "不适用", "无", "—", "0", "0.95", "100%", "、", ",", "；", "共", "-", "~", ".", " ",
        "<p>", "</p>", "（", "）",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-1000, max_value=10**12).map(str),
    st.decimals(min_value=-100, max_value=10**6, places=3, allow_nan=False, allow_infinity=False).map(str),
)
TEXTS = st.lists(st.one_of(FRAGMENTS, NUMBERS, st.text(max_size=3)), max_size=6).map("".join)
WEIGHTS = st.decimals(min_value=0, max_value=30, places=2)
LEVEL2 = st.sampled_from(["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", None])
AMOUNTS = st.decimals(min_value=0, max_value=10**10, places=2)


@st.composite
def indicator_rows(draw):
    weight = draw(WEIGHTS)
    name = draw(st.one_of(st.none(), TEXTS))
    indicator = row(name, draw(TEXTS), draw(TEXTS), str(weight), level2=draw(LEVEL2))
    return indicator, weight


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(indicator_rows(), min_size=1, max_size=4),
    st.sampled_from(sorted(PROFILES)),
    AMOUNTS,
    AMOUNTS,
    st.one_of(st.none(), st.integers(min_value=2000, max_value=2030)),
)
def test_any_texts_score_within_zero_and_the_weight_and_never_raise(rows, profile_name, adjusted, executed, year):
    form = make_form(
        indicators=tuple(indicator for indicator, _ in rows), adjusted=str(adjusted), executed=str(executed), year=year
    )
    evaluation = evaluate(form, PROFILES[profile_name])
    assert len(evaluation.indicators) == len(rows)
    for result, (_, weight) in zip(evaluation.indicators, rows):
        assert result.score is None or Decimal(0) <= result.score <= weight, result.explain
        if result.band is not None:
            assert Decimal(0) <= result.band.lo <= result.band.hi <= round(weight, 2)


@settings(max_examples=400, deadline=None)
@given(AMOUNTS, AMOUNTS, WEIGHTS, st.sampled_from(sorted(PROFILES)))
def test_the_funds_score_lies_within_zero_and_the_funds_weight_for_any_amounts(adjusted, executed, weight, profile):
    form = make_form(adjusted=str(adjusted), executed=str(executed), weight=str(weight))
    result = evaluate_funds(form.funds, PROFILES[profile])
    for score in (result.score, result.score_full, result.score_rate2dp):
        assert score is None or Decimal(0) <= score <= weight
    assert (result.score is None) == (adjusted == 0)
