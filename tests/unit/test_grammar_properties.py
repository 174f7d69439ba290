"""Properties of the grammar on any text: it never raises and always gives a well-formed value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.grammar import (
    Direction,
    Kind,
    ParsedValue,
    infer_direction,
    parse_actual,
    parse_target,
    unit_relation,
)
from jixiao.domain.labels import LEVEL2_OF

# Pieces that real cells are made of, so that generated text reaches every class.
TOKENS = (
    "0", "1", "2", "12", "100", "365", "1.5", "0.95", "400,000", "8:00", "-", "~", "%", "％", "万", "亿",
    "≥", "≤", "》", "<=", ">", "约", "近", "余", "以上", "以内", "不少于", "不超过", "至少", "前", "底",
    "季度", "第", "年", "月", "日", "每", "人", "次", "人次", "元", "个", "天", "/", "共", "一", "两", "三",
    "十", "四", "、", ",", "，", ";", "。", "\t", " ", "　", "<p>", "</p>", "&nbsp;", "全年", "开展", "全天",
    "无", "不适用", "投诉", "为零", "控制在", "预算数内", "满意度", "有效提升", "已完成", "未完成", "全市第",
    "2021", "2022", "名",
)  # fmt: skip
cell_texts = st.one_of(
    st.text(),
    st.lists(st.sampled_from(TOKENS), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=8).map("".join),
)
level2s = st.one_of(st.none(), st.sampled_from([label for labels in LEVEL2_OF.values() for label in labels]), st.text(max_size=4))
names = st.one_of(st.none(), st.text(max_size=12), st.lists(st.sampled_from(TOKENS), max_size=5).map("".join))
fiscal_years = st.one_of(st.none(), st.integers(min_value=-10, max_value=10_000), st.integers(min_value=2015, max_value=2030))


def assert_well_formed(value: ParsedValue) -> None:
    assert isinstance(value, ParsedValue)
    assert isinstance(value.kind, Kind)
    numbers = value.value if isinstance(value.value, tuple) else (value.value,)
    for number in numbers:
        assert number is None or isinstance(number, date) or (isinstance(number, Decimal) and number.is_finite())
    for part in value.parts:
        assert part.kind is not Kind.MULTI
        assert_well_formed(part)
    value.json()


@settings(max_examples=400)
@given(cell_texts, level2s, names, fiscal_years)
def test_parse_target_never_raises_and_gives_a_well_formed_value(text, level2, name, fiscal_year):
    assert_well_formed(parse_target(text, level2=level2, name=name, fiscal_year=fiscal_year))


@settings(max_examples=400)
@given(cell_texts, cell_texts, level2s, names, fiscal_years)
def test_parse_actual_never_raises_against_any_target(text, target_text, level2, name, fiscal_year):
    target = parse_target(target_text, level2=level2, name=name, fiscal_year=fiscal_year)
    actual = parse_actual(text, target, level2=level2, name=name, fiscal_year=fiscal_year)
    assert_well_formed(actual)
    assert unit_relation(target, actual) in ("same", "note", "incompatible")


@settings(max_examples=300)
@given(cell_texts, level2s, names)
def test_infer_direction_always_names_a_direction_and_its_source(text, level2, name):
    direction, source = infer_direction(parse_target(text), level2=level2, name=name)
    assert isinstance(direction, Direction)
    assert source in ("operator", "category", "keyword", "default")
