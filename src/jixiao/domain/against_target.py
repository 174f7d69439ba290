"""An actual (实际完成值) read against its row's target (target-grammar.md §4).

The target supplies what an actual leaves out (a unit, a % context), decides when a
percentage is a status, and decides whether the two can be compared at all (§7).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from jixiao.domain.normalise import FIX_FRACTION, FIX_STATUS, FIX_UNIT
from jixiao.domain.parsed import (
    DATE_VS_VALUE,
    MULTI_UNMATCHED,
    QUAL_UNMAPPED,
    UNIT_INCOMPATIBLE,
    Kind,
    ParsedValue,
    Status,
)
from jixiao.domain.units import (
    INCOMPATIBLE,
    MONEY_UNIT,
    PERCENT_UNIT,
    STATUS_TARGETS,
    VALUE_KINDS,
    multi_match,
    unit_relation,
)

_HUNDRED = Decimal(100)
_FRACTION_LIMIT = Decimal("1.5")  # a bare decimal ≤ 1.5 in a % context is a fraction (§5)

# Completion words, most specific first: 未完成 and 部分完成 contain 完成, 不满意 contains 满意.
_UNMET_WORDS = re.compile(r"未(?:能|完成|达成|达到|开展|举办|实施|发放|到位|实现)|没有|不满意|取消|暂缓|延期|无法")
_PARTIAL_WORDS = re.compile(r"部分(?:完成|达成|达到|实现)|基本(?:完成|达成|达到|实现|满意)")
# 满意, 完成 and 已完成 read as 达成 (scoring.md §3.10 [D]).
_MET_WORDS = re.compile(r"完成|达成|达到|实现|发放|举办|开展|落实|验收|满意|按时|如期|及时|顺利")


def status_of_words(text: str) -> Status | None:
    """Completion words in an actual: 未完成 ⇒ unmet, 部分完成 ⇒ partial, 已完成 ⇒ met."""
    if _UNMET_WORDS.search(text):
        return Status.UNMET
    if _PARTIAL_WORDS.search(text):
        return Status.PARTIAL
    if _MET_WORDS.search(text):
        return Status.MET
    return None


def target_unit(target: ParsedValue) -> str | None:
    """The unit a bare actual takes from its target, when the target has exactly one."""
    if target.kind in (Kind.MULTI, Kind.DEADLINE):
        return None
    return target.unit


def fit_actual(value: ParsedValue, target: ParsedValue) -> ParsedValue:
    """Complete a single actual value from its target: unit, fraction, status."""
    if value.kind is Kind.QUANT and value.unit is None and value.multiplier is None and value.number is not None:
        value = _assume_unit(value, value.number, target)
    if value.kind is Kind.PCT and target.kind in STATUS_TARGETS and value.number is not None and value.number >= _HUNDRED:
        # 100% on 有效提升 / 全年开展 / 2021年12月31日前 / 无出现重点事故 means "done" (§4).
        value = replace(value, status=Status.MET, fixes=value.fixes + (FIX_STATUS,))
    if value.kind is Kind.QUAL and value.status is None and value.undetermined is None:
        value = replace(value, undetermined=QUAL_UNMAPPED)
    return value


def comparability(target: ParsedValue, actual: ParsedValue) -> str | None:
    """Why an actual cannot be set against its target (§7 reason code), or None."""
    if target.kind in (Kind.NA, Kind.INVALID) or actual.kind in (Kind.NA, Kind.INVALID):
        return None
    if target.kind is Kind.MULTI:
        matched, total = multi_match(target, actual)
        if matched == total > 0:
            return None
        # Parts without a partner; none at all in a comparable unit is a plain unit mismatch
        # (不少于12款海报… → 60%), some is unmatched (2次培训,共500人次 → 752人次).
        return UNIT_INCOMPATIBLE if total and not matched else MULTI_UNMATCHED
    if actual.status is not None and target.kind in STATUS_TARGETS:
        return None
    if target.kind is Kind.DEADLINE:
        return None if actual.kind is Kind.DEADLINE else DATE_VS_VALUE
    if target.kind is Kind.QUAL:
        return None if actual.kind is Kind.PCT or actual.status is not None else QUAL_UNMAPPED
    if actual.kind not in VALUE_KINDS and actual.kind is not Kind.MULTI:
        return None  # a status word against a number: scoring and actual.unit-mismatch judge it
    return UNIT_INCOMPATIBLE if unit_relation(target, actual) == INCOMPATIBLE else None


def _assume_unit(value: ParsedValue, number: Decimal, target: ParsedValue) -> ParsedValue:
    """A bare number takes its target's unit. Against a % or budget target a decimal ≤ 1.5 is
    a fraction (群众文化工作: 0.95 where similar rows write 95%); against a budget a number up
    to 100 is a share of it, a larger one an amount in 元."""
    is_fraction = number.as_tuple().exponent < 0 and number <= _FRACTION_LIMIT  # type: ignore[operator]
    if target.kind in (Kind.PCT, Kind.BUDGET) and is_fraction:
        return _assumed(value, Kind.PCT, number * _HUNDRED, PERCENT_UNIT, FIX_FRACTION)
    if target.kind is Kind.BUDGET:
        if number <= _HUNDRED:
            return _assumed(value, Kind.PCT, number, PERCENT_UNIT, FIX_UNIT)
        return _assumed(value, Kind.QUANT, number, MONEY_UNIT, FIX_UNIT)
    unit = target_unit(target)
    if unit is None:
        return value
    return _assumed(value, Kind.PCT if unit == PERCENT_UNIT else Kind.QUANT, number, unit, FIX_UNIT)


def _assumed(value: ParsedValue, kind: Kind, number: Decimal, unit: str, fix: str) -> ParsedValue:
    return replace(value, kind=kind, value=number, unit=unit, fixes=value.fixes + (fix,))
