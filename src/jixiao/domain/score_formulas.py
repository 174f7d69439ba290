"""The scoring formulas and a row's scored result (指标得分): scoring.md §1, §3.0–3.4.

`indicator_scoring` decides which rule a row falls under; the arithmetic every rule shares
lives here: positive (X ÷ T × w), reverse (linear_2T or ratio), zero (binary), half-up
rounding, and the way a row is marked manual or undetermined. `jixiao.domain.scoring`
re-exports the public types.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from jixiao.domain.grammar import Direction, Kind, Op, ParsedValue
from jixiao.domain.profiles import Profile

CENT = Decimal("0.01")
ZERO = Decimal(0)
NIL = Decimal("0.00")
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals, as units print (scoring.md §1)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class RowStatus(StrEnum):
    SCORED = "scored"  # a settled formula gave the expected score
    MANUAL = "manual"  # data complete, but the rule needs a reviewer; `score` is a hint
    UNDETERMINED = "undetermined"  # target or actual cannot be parsed or compared


@dataclass(frozen=True, slots=True)
class QualBand:
    """The band a qualitative actual falls in, with its score range [lo, hi] (or [lo, hi))."""

    label: str  # 达成年度指标 …
    rank: int  # 0 = 达成, 1 = 部分达成, 2 = 未达成
    lo: Decimal
    hi: Decimal
    hi_inclusive: bool


@dataclass(frozen=True, slots=True)
class IndicatorEvaluation:
    """One row's expected score, with how it was reached."""

    kind: str  # the target's grammar kind (quant, pct, zero, …); "na" for 不适用 rows
    status: RowStatus
    score: Decimal | None  # expected when scored, hint when manual, None when undetermined
    explain: str  # short Chinese explanation: rule, inputs, result
    rule: str  # the rule's Chinese name for messages (正向指标, 反向指标, 定性指标 …)
    target: ParsedValue
    actual: ParsedValue
    direction: Direction | None
    direction_source: str | None
    met: bool | None  # target met? None when it cannot be decided
    ratio: Decimal | None  # X/T (positive, eq) or T/X (reverse), for over-completion
    band: QualBand | None = None  # qualitative rows
    reason: str | None = None  # undetermined reason code (target-grammar.md §7) or manual kind

    def json(self) -> dict[str, Any]:
        return {
            "score": None if self.score is None else float(self.score),
            "kind": self.kind,
            "status": self.status.value,
            "explain": self.explain,
        }


@dataclass(frozen=True, slots=True)
class RowRules:
    """What scoring a row needs from the profile and the rest of the form, looked up once a form."""

    reverse_ratio: bool  # profile.reverse_mode == "ratio" (else linear_2T)
    edges: tuple[Decimal, Decimal]  # qualitative band edges, as fractions of the weight
    labels: tuple[str, str, str]
    manual_kinds: frozenset[str]
    fiscal_year: int | None
    budget: Decimal | None  # A: 全年预算数 of 年度资金总额, the value of a `budget` target
    executed: Decimal | None  # B: 全年执行数

    @classmethod
    def of(
        cls, profile: Profile, *, fiscal_year: int | None, budget: Decimal | None, executed: Decimal | None
    ) -> RowRules:
        return cls(
            reverse_ratio=profile.reverse_mode == "ratio",
            edges=profile.qualitative.edges,
            labels=profile.qualitative.labels,
            manual_kinds=profile.manual_kinds,
            fiscal_year=fiscal_year,
            budget=budget,
            executed=executed,
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """A rule's outcome for one row, before it is joined with the parsed cells."""

    score: Decimal | None
    met: bool | None
    ratio: Decimal | None
    explain: str
    rule: str
    status: RowStatus = RowStatus.SCORED
    reason: str | None = None
    band: QualBand | None = None


# Rule names shown in messages ("按{rule}计算应得…", checks.md score.formula).
POSITIVE = "正向指标公式"
REVERSE = "反向指标公式"
ZERO_TARGET = "零目标"
QUALITATIVE = "定性指标"
BUDGET = "预算控制"
DEADLINE = "完成时限"
PERIOD = "周期指标"
APPROX = "约数指标"
MULTI = "多值指标"
NOT_APPLICABLE = "不适用"
ZERO_COST = "成本零支出"

RULE_OF_KIND = {
    Kind.ZERO: ZERO_TARGET,
    Kind.BUDGET: BUDGET,
    Kind.DEADLINE: DEADLINE,
    Kind.PERIOD: PERIOD,
    Kind.QUAL: QUALITATIVE,
    Kind.MULTI: MULTI,
    Kind.NA: NOT_APPLICABLE,
}

# Reason codes of target-grammar.md §7 (and the grammar's no_year, bad_date), plus the two
# weight cases, as a reviewer reads them.
REASON_TEXT = {
    "empty": "指标值或实际完成值为空",
    "truncated": "指标值填写不完整",
    "label_only": "只填写了类别或指标名称",
    "qual_unmapped": "定性完成情况无法对应等级（无等级用语或百分比）",
    "multi_unmatched": "多值指标的各项找不到对应的实际值",
    "needs_multiplier": "需要表外数据（如人数）才能换算指标值",
    "needs_budget": "缺少全年预算数，无法判断是否控制在预算内",
    "date_vs_value": "时限指标的实际值既非日期也非完成状态",
    "unit_incompatible": "指标值与实际完成值口径（单位）不一致",
    "scale_unknown": "万/亿无法确定计量单位",
    "no_year": "表内未载明年度，时限无法换算为日期",
    "bad_date": "日期不存在",
    "weight_missing": "分值缺失",
    "weight_invalid": "分值为负数或超过总分100",
}


def positive(x: Decimal, t: Decimal, weight: Decimal, shown: tuple[str, str], *, with_ratio: bool = True) -> Verdict:
    """X ≥ T → w, else X ÷ T × w; a `>` target counts X = T as met (scoring.md §3.1)."""
    actual, target = shown
    ratio = x / t if with_ratio and t > 0 else None
    if x >= t:
        explain = f"正向指标：实际{actual} ≥ 目标{target}，得满分{num(weight)}"
        return Verdict(round2(weight), True, ratio, explain, POSITIVE)
    score = round2(x / t * weight)
    explain = f"正向指标：实际{actual} < 目标{target}，得分 = {num(x)} ÷ {num(t)} × {num(weight)} = {score}"
    return Verdict(score, False, ratio, explain, POSITIVE)


def reverse(x: Decimal, t: Decimal, weight: Decimal, rules: RowRules, shown: tuple[str, str]) -> Verdict:
    """X ≤ T → w; beyond it, linear_2T or ratio as the profile says (scoring.md §3.4)."""
    actual, target = shown
    ratio = t / x if x > 0 else None
    if x <= t:
        explain = f"反向指标：实际{actual} ≤ 目标{target}，得满分{num(weight)}"
        return Verdict(round2(weight), True, ratio, explain, REVERSE)
    if rules.reverse_ratio:
        score = round2(t / x * weight)
        formula = f"{num(t)} ÷ {num(x)} × {num(weight)} = {score}"
    elif x >= 2 * t:
        explain = f"反向指标：实际{actual}达到目标{target}的2倍及以上，得0分"
        return Verdict(NIL, False, ratio, explain, REVERSE)
    else:
        score = round2((1 - (x - t) / t) * weight)
        formula = f"(1 − ({num(x)} − {num(t)}) ÷ {num(t)}) × {num(weight)} = {score}"
    return Verdict(score, False, ratio, f"反向指标：实际{actual} > 目标{target}，得分 = {formula}", REVERSE)


def zero_verdict(met: bool, weight: Decimal, actual: str) -> Verdict:
    """A zero target is binary: w when nothing happened, else 0 (scoring.md §3.3)."""
    if met:
        explain = f"零目标：实际{actual}，未发生，得满分{num(weight)}"
        return Verdict(round2(weight), True, None, explain, ZERO_TARGET)
    return Verdict(NIL, False, None, f"零目标：实际{actual}，大于0，得0分", ZERO_TARGET)


def manual(kind: str, hint: Verdict, rules: RowRules) -> Verdict:
    """A rule that needs a reviewer (profile `manual_kinds`). Its hint becomes the expected
    score only when a profile drops the kind from that list and there is a hint."""
    if kind in rules.manual_kinds or hint.score is None:
        return replace(hint, status=RowStatus.MANUAL, reason=kind)
    return hint


def undetermined(reason: str, rule: str) -> Verdict:
    text = REASON_TEXT.get(reason, reason)
    return Verdict(None, None, None, f"无法判定：{text}", rule, RowStatus.UNDETERMINED, reason)


def rule_of(kind: Kind, op: Op | None, direction: Direction | None) -> str:
    """The rule a row of this kind would be scored by, to name it when it cannot be."""
    named = RULE_OF_KIND.get(kind)
    if named:
        return named
    if op is Op.APPROX:
        return APPROX
    return REVERSE if is_reverse(op, direction) else POSITIVE


def is_reverse(op: Op | None, direction: Direction | None) -> bool:
    """≤ and < are reverse, ≥ and > positive; a bare value follows the row's direction."""
    if op in (Op.LE, Op.LT):
        return True
    if op in (Op.GE, Op.GT):
        return False
    return direction is Direction.REVERSE


def non_negative(value: Decimal | None) -> Decimal:
    # A negative actual is set to 0 before scoring (scoring.md §3.0).
    return ZERO if value is None or value < 0 else value


def shown(value: ParsedValue) -> str:
    """A cell as the explanation quotes it."""
    return value.normalized or value.raw


def num(value: Decimal) -> str:
    """A number as a person writes it: no exponent, no trailing zeros (10.0 → 10, 6E+4 → 60000)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
