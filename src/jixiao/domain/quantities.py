"""Numbers in 年度指标值 / 实际完成值: operator, multiplier, unit and per.

target-grammar.md §2 steps 8–9 (prefix, 万/亿) and §3 classes 7–12 (range, approx, ge/gt,
le/lt, period per time, eq), plus clock-time ranges (8:00-9:00) and ranks (全市第一).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jixiao.domain.normalise import FIX_UNIT, cn_number
from jixiao.domain.parsed import NEEDS_MULTIPLIER, SCALE_UNKNOWN, Kind, Op, ParsedValue
from jixiao.domain.units import (
    CLOCK_UNIT,
    MONEY_UNIT,
    PER_JOINER,
    PER_PATTERN,
    PERCENT_UNIT,
    RANK_UNIT,
    UNIT_PATTERN,
    canonical_per,
    canonical_unit,
    is_time_per,
)

_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
_CENT = Decimal("0.01")

# Operator words before a number (§3 classes 8–10). 超过 reads as ≥, as §4 asks for actuals.
_PRE_OPS = {
    "≥": Op.GE, "不少于": Op.GE, "不低于": Op.GE, "至少": Op.GE, "不小于": Op.GE, "大于等于": Op.GE,
    "大于或等于": Op.GE, "超过": Op.GE, ">": Op.GT, "大于": Op.GT, "高于": Op.GT, "多于": Op.GT,
    "≤": Op.LE, "不超过": Op.LE, "不高于": Op.LE, "不大于": Op.LE, "小于等于": Op.LE, "小于或等于": Op.LE,
    "<": Op.LT, "小于": Op.LT, "低于": Op.LT, "少于": Op.LT, "约": Op.APPROX, "大约": Op.APPROX,
    "近": Op.APPROX,
}  # fmt: skip
_POST_OPS = {
    "及以上": Op.GE, "以上": Op.GE, "及以下": Op.LE, "以下": Op.LE, "以内": Op.LE, "之内": Op.LE,
    "内": Op.LE, "左右": Op.APPROX, "上下": Op.APPROX,
}  # fmt: skip
# 节约 and 最近 are words, not 约N / 近N.
_PRE_OP_PATTERN = "|".join(
    r"(?<![节制预契公条])约" if word == "约" else r"(?<![最接附将临])近" if word == "近" else re.escape(word)
    for word in sorted(_PRE_OPS, key=len, reverse=True)
)
# Bounded, so that no cell, however long, can overflow Decimal arithmetic.
_NUMBER = r"[0-9]{1,24}(?:\.[0-9]{1,12})?"
# The value starts at the first number, or at an operator word right before one; what comes
# before it is the prefix (§2 step 8: 预计≥1.5万件, 受理时限≤7个工作日, 调解旅游投诉约1000宗).
_VALUE_START = re.compile(rf"(?:{_PRE_OP_PATTERN})(?=-?[0-9])|-?[0-9]")
_VALUE = re.compile(
    rf"(?P<pre>{_PRE_OP_PATTERN})?"
    rf"(?P<num>-?{_NUMBER})(?P<mult>万|亿)?"
    rf"(?:(?P<pct>%)?(?P<to>[-~至到])(?P<num2>{_NUMBER})(?P<mult2>万|亿)?)?"
    r"(?P<more>余|多)?"
    rf"(?P<unit>%|{UNIT_PATTERN})?"
    rf"(?:/(?P<per>{PER_PATTERN}))?"
    r"(?P<post>及以上|以上|及以下|以下|以内|之内|内(?=完成|办结|$)|左右|上下)?"
    r"(?P<tail>[^0-9]*)"
)
_EACH = re.compile(rf"每个?({PER_PATTERN})")
_CLOCK = re.compile(r"(?P<prefix>[^0-9]*)([0-9]{1,2}):([0-5][0-9])[-~至到]([0-9]{1,2}):([0-5][0-9])(?P<tail>[^0-9]*)")
_RANK = re.compile(
    r"(?P<prefix>[^0-9]*?)(?:(?:全国|全省|全市|全区|全县|全街道)(?:排名)?第(?P<nth>[0-9]+|[一二三四五六七八九十]+)名?"
    r"|(?:排名)?第(?P<place>[0-9]+)名|排名前(?P<top>[0-9]+|[一二三四五六七八九十]+)名?|前(?P<top_named>[0-9]+)名)"
    r"(?P<tail>[^0-9]*)"
)


def read_quantity(
    text: str, base: dict[str, Any], *, money: bool, assumed_unit: str | None, as_target: bool
) -> ParsedValue | None:
    """A number with its operator, multiplier, unit and per; None when `text` is not one.

    A bare 万/亿 is money when `money`, else it takes `assumed_unit` (an actual's target's
    unit, fix `unit_assumed`), else it is `scale_unknown` (§5). `as_target` applies the
    target-only classes: 0 is a zero target, N单位/年 and 每…N次 are periods.
    """
    start = _VALUE_START.search(text)
    if start is None:
        return None
    match = _VALUE.fullmatch(text, start.start())
    if match is None:
        return None
    found = match.groupdict()
    prefix = text[: start.start()] or None
    number = Decimal(found["num"]) * _MULTIPLIERS.get(found["mult"] or "", 1)
    value: Decimal | tuple[Decimal, Decimal] = number
    if found["to"]:
        high = Decimal(found["num2"]) * _MULTIPLIERS.get(found["mult2"] or "", 1)
        # 1-2万人: the multiplier written once applies to both ends.
        low = number if found["mult"] or not found["mult2"] else number * _MULTIPLIERS[found["mult2"]]
        value = (low, high)
    multiplier = _MULTIPLIERS.get(found["mult2"] or found["mult"] or "")
    unit = PERCENT_UNIT if found["pct"] else canonical_unit(found["unit"]) if found["unit"] else None
    per_each = PER_JOINER.join(canonical_per(word) for word in _EACH.findall(prefix or "")) or None
    per = canonical_per(found["per"]) if found["per"] else per_each
    op = _op_of(found)
    kind = Kind.PCT if unit == PERCENT_UNIT else Kind.QUANT
    undetermined = None
    fixes = base["fixes"]
    if multiplier and unit is None:
        if money:
            unit = MONEY_UNIT
        elif assumed_unit is not None:
            unit, fixes = assumed_unit, fixes + (FIX_UNIT,)
            kind = Kind.PCT if unit == PERCENT_UNIT else Kind.QUANT
        else:
            undetermined = SCALE_UNKNOWN
    if as_target and op in (Op.EQ, Op.LE) and number == 0 and not found["to"]:
        kind, op = Kind.ZERO, Op.LE  # 0, 0%, 0次 (§3 class 3)
    elif as_target and op is Op.EQ and per is not None:
        if found["per"] and is_time_per(per):
            kind = Kind.PERIOD  # 365天/年; 20万元/个 stays a quantity per item
        elif not found["per"]:
            # 每人每年一次: at least once per person-year; per person it needs a headcount.
            kind, op = Kind.PERIOD, Op.GE
            undetermined = undetermined or (None if is_time_per(per) else NEEDS_MULTIPLIER)
    return ParsedValue(
        kind,
        op,
        value,
        unit,
        raw=base["raw"],
        normalized=base["normalized"],
        fixes=fixes,
        prefix=prefix,
        multiplier=multiplier,
        per=per,
        word=found["tail"] or None,
        undetermined=undetermined,
    )


def read_clock_range(text: str, base: dict[str, Any]) -> ParsedValue | None:
    """8:00-9:00 (行政运行 (2021), 工作日的早餐、午餐时间): a range of hours of the day."""
    match = _CLOCK.fullmatch(text)
    if match is None:
        return None
    start_hour, start_minute, end_hour, end_minute = (int(match.group(index)) for index in range(2, 6))
    if start_hour > 24 or end_hour > 24:
        return None
    start = (start_hour + Decimal(start_minute) / 60).quantize(_CENT)
    end = (end_hour + Decimal(end_minute) / 60).quantize(_CENT)
    return ParsedValue(
        Kind.QUANT,
        Op.RANGE,
        (start, end),
        CLOCK_UNIT,
        prefix=match["prefix"] or None,
        word=match["tail"] or None,
        **base,
    )


def names_rank(text: str) -> bool:
    """The text names a place in a ranking (保持全市第一)."""
    return _rank_place(text) is not None


def read_rank(text: str, base: dict[str, Any]) -> ParsedValue | None:
    """全市第一 (summary text): a place in unit 名次, 第一 = 1 (§3 notes); 前3名 is ≤ 3."""
    found = _rank_place(text)
    if found is None:
        return None
    match, place = found
    return ParsedValue(
        Kind.QUANT,
        Op.LE if match["top"] or match["top_named"] else Op.EQ,
        Decimal(place),
        RANK_UNIT,
        prefix=match["prefix"] or None,
        word=match["tail"] or None,
        **base,
    )


def _rank_place(text: str) -> tuple[re.Match[str], int] | None:
    if "第" not in text and "前" not in text:
        return None
    match = _RANK.fullmatch(text)
    if match is None:
        return None
    place = cn_number(match["nth"] or match["place"] or match["top"] or match["top_named"])
    return None if place is None else (match, place)


def _op_of(found: dict[str, str | None]) -> Op:
    if found["to"]:
        return Op.RANGE
    if found["pre"]:
        return _PRE_OPS[found["pre"]]
    if found["more"]:
        return Op.GE  # 3000余件
    if found["post"]:
        return _POST_OPS[found["post"]]
    return Op.EQ
