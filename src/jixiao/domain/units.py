"""Units of 年度指标值 / 实际完成值 and when two values are comparable (target-grammar.md §5).

Money is kept in 元, percentages in points, durations in the unit written (个工作日 is not
converted to 天). `unit_relation` is the one place that decides whether a target and an
actual measure the same thing; scoring and the checks both ask it.
"""

from __future__ import annotations

import re

from jixiao.domain.parsed import Kind, ParsedValue

MONEY_UNIT = "元"
PERCENT_UNIT = "%"
DATE_UNIT = "date"
CLOCK_UNIT = "时刻"  # 8:00-9:00, in hours of the day
RANK_UNIT = "名次"  # 全市第一 = 1 (target-grammar.md §3 notes)

SAME = "same"
NOTE = "note"
INCOMPATIBLE = "incompatible"

# Units as written after a number. The 22 classifiers of §5 plus a few common ones; the
# value pattern tries the longest first, so 人次 wins over 人 and 个工作日 over 个.
UNIT_WORDS = (
    "个工作日", "工作日", "平方公里", "平方米", "个月", "小时", "分钟", "课时", "学时",
    "人次", "家次", "场次", "户次", "台次", "名次", "平米", "公里",
    "元", "人", "名", "次", "场", "件", "份", "个", "套", "家", "处", "户", "册", "条", "期",
    "支", "项", "宗", "款", "所", "篇", "天", "日", "周", "年", "分", "台", "批", "位", "张",
    "本", "部", "辆", "间", "座", "块", "米", "吨", "轮", "届", "类", "种", "页", "幅", "首",
    "集", "床", "亩", "株", "棵", "起", "笔", "封", "枚", "门", "节", "组", "队", "团", "栋",
    "层", "单", "则", "盏",
)  # fmt: skip
UNIT_PATTERN = "|".join(sorted(UNIT_WORDS, key=len, reverse=True))
# One spelling per unit, so that 2个工作日 and ≤2工作日 compare as equal.
_CANONICAL = {"工作日": "个工作日", "平方米": "平米", "日": "天"}

# What a rate is "per" (365天/年, 20万元/个, 每人每年一次); the time ones need no number
# that the form lacks (§5: 365天/年 compares with 213天).
PER_WORDS = (
    "季度", "半年", "人次", "支部", "年", "月", "周", "天", "日",
    "人", "个", "款", "次", "期", "场", "户", "家", "项", "件", "所",
)  # fmt: skip
PER_PATTERN = "|".join(sorted(PER_WORDS, key=len, reverse=True))
TIME_PERS = frozenset({"年", "半年", "季度", "月", "周", "天"})
PER_JOINER = "·"  # 每人每年 → 人·年

DURATION_UNITS = frozenset({"天", "个工作日", "小时", "个月", "分钟", "周"})

# 人 ≡ 名; 家 vs 家次 (and 场 vs 场次) compare with a note; every other pair is incompatible.
_SYNONYM = {"名": "人"}
_NEAR = frozenset({frozenset({"家", "家次"}), frozenset({"场", "场次"})})

MONEY_LEVEL2 = frozenset({"成本", "经济成本"})
_MONEY_NAME = re.compile(r"费|金额|经费|资金|成本|补贴|投入")

# Targets that a status actual (已完成, 每月发放, 100%) answers (checks.md actual.unit-mismatch).
STATUS_TARGETS = frozenset({Kind.QUAL, Kind.DEADLINE, Kind.PERIOD, Kind.ZERO})
# Parts of a multi target that ask for a value; qualitative and cut-off parts ask for none.
VALUE_KINDS = frozenset({Kind.QUANT, Kind.PCT, Kind.ZERO, Kind.DEADLINE, Kind.PERIOD})
_SEVERITY = {SAME: 0, NOTE: 1, INCOMPATIBLE: 2}


def canonical_unit(word: str) -> str:
    return _CANONICAL.get(word, word)


def canonical_per(word: str) -> str:
    return "天" if word == "日" else word


def is_money(unit: str | None) -> bool:
    """The unit is money, in 元 (万元 and 亿元 are converted when parsed)."""
    return unit == MONEY_UNIT


def is_money_context(level2: str | None, name: str | None) -> bool:
    """A bare 万/亿 on this row means 万元/亿元: a 成本 row, or a name about money (§5)."""
    return level2 in MONEY_LEVEL2 or bool(name and _MONEY_NAME.search(name))


def is_time_per(per: str | None) -> bool:
    return per is not None and all(part in TIME_PERS for part in per.split(PER_JOINER))


def compare_units(first: str | None, second: str | None) -> str:
    """`same`, `note` (家 vs 家次; a unit on one side only) or `incompatible`."""
    if first == second:
        return SAME
    if first is None or second is None:
        return NOTE
    if _SYNONYM.get(first, first) == _SYNONYM.get(second, second):
        return SAME
    return NOTE if frozenset({first, second}) in _NEAR else INCOMPATIBLE


def unit_relation(target: ParsedValue, actual: ParsedValue) -> str:
    """Whether an actual measures what its target measures: `same`, `note` or `incompatible`.

    - `same`: equal units (人 ≡ 名); a status actual on a qual, deadline, period or zero
      target; a percentage on a qual target (banded) or a budget target (share of it); a
      bare actual against a per-year target (365天/年 vs 213天).
    - `note`: comparable with an info note: 家 vs 家次, or a unit missing on one side.
    - `incompatible`: different units or groups (count vs %), a date against a number, a
      rate (per 人, per 个) against a total, or a multi target that the actual answers only
      in part. For a multi on either side every value part must find a comparable partner.
    """
    if target.kind is Kind.MULTI or actual.kind is Kind.MULTI:
        matched, total, worst = _part_matches(target, actual)
        return worst if total and matched == total else INCOMPATIBLE
    if actual.status is not None and target.kind in STATUS_TARGETS:
        return SAME
    if target.kind is Kind.DEADLINE or actual.kind is Kind.DEADLINE:
        return SAME if target.kind is actual.kind else INCOMPATIBLE
    if actual.kind is Kind.PCT and (
        target.kind in (Kind.QUAL, Kind.BUDGET) or (target.kind is Kind.PERIOD and target.unit is None)
    ):
        return SAME
    if target.per != actual.per and not (actual.per is None and is_time_per(target.per)):
        return INCOMPATIBLE
    return compare_units(target.unit, actual.unit)


def multi_match(target: ParsedValue, actual: ParsedValue) -> tuple[int, int]:
    """How many value parts of a multi target find a comparable actual (part), of how many."""
    matched, total, _ = _part_matches(target, actual)
    return matched, total


def _part_matches(target: ParsedValue, actual: ParsedValue) -> tuple[int, int, str]:
    if target.kind is Kind.MULTI:
        offered = actual.parts if actual.kind is Kind.MULTI else (actual,)
        pairs = [[(part, other) for other in offered] for part in _value_parts(target)]
    else:
        # One target, several actual values (19.8万；19.73万): each of them must answer it.
        pairs = [[(target, part)] for part in _value_parts(actual)]
    matched, worst = 0, SAME
    for candidates in pairs:
        usable = [
            relation
            for wanted, other in candidates
            if _answers(wanted, other) and (relation := unit_relation(wanted, other)) != INCOMPATIBLE
        ]
        if usable:
            matched += 1
            worst = max(worst, min(usable, key=_SEVERITY.__getitem__), key=_SEVERITY.__getitem__)
    return matched, len(pairs), worst


def _value_parts(value: ParsedValue) -> tuple[ParsedValue, ...]:
    parts = value.parts if value.kind is Kind.MULTI else (value,)
    return tuple(part for part in parts if part.kind in VALUE_KINDS or part.status is not None)


def _answers(part: ParsedValue, other: ParsedValue) -> bool:
    # A number is answered by a number (or a status), never by a bare word.
    return part.number is None or other.number is not None or other.status is not None
