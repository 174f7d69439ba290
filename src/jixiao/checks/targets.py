"""Checks of the target values (年度指标值): checks.md §4.

They read the parsed target (target-grammar.md) that scoring attached to each row; only
target.vague looks at the raw text again, for the vague word a qualitative target uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.checks.rows import cells, judge_over_completion, judge_rows, label, with_suffix
from jixiao.domain import grammar
from jixiao.domain.direction import CATEGORY, DEFAULT
from jixiao.domain.grammar import Kind, Op, ParsedValue, infer_direction
from jixiao.domain.model import Indicator
from jixiao.domain.scoring import IndicatorEvaluation

FORM = frozenset({Scope.FORM})
FORM_AND_SUMMARY = frozenset({Scope.FORM, Scope.SUMMARY})

# Words that make a target unmeasurable (checks.md target.vague), longest first so that the
# note names 按时完成 rather than a shorter word inside it.
VAGUE_WORDS = ("有效提升", "有所提升", "明显提高", "效果显著", "有效保障", "达到目标", "按时完成", "长期", "及时", "满意", "优")
# Categories whose indicators should be quantitative (checks.md target.vague).
QUANTITATIVE_CATEGORIES = frozenset({"数量", "质量", "成本"})
_DIGIT = re.compile(r"\d")
_VAGUE = re.compile("|".join(word if len(word) > 1 else f"^{word}$" for word in VAGUE_WORDS))

OPERATOR_SYMBOL = {Op.GE: "≥", Op.GT: ">", Op.LE: "≤", Op.LT: "<"}
DIRECTION_TEXT = {grammar.Direction.POSITIVE: "正向指标", grammar.Direction.REVERSE: "反向指标"}
NO_ROWS = "无适用的指标行"


def vague_word(target: str) -> str | None:
    """The vague word a target uses; 优 only as the whole target (优秀, 优化 are other words)."""
    match = _VAGUE.search(target.strip())
    return match.group(0) if match else None


@register
class Vague(Check):
    """定性指标值 that cannot be measured (有效提升, 及时, 优 …)."""

    code = "target.vague"
    severity = Severity.WARNING
    scopes = FORM_AND_SUMMARY
    message = "指标“{name}”的指标值“{target}”不可衡量，建议量化"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            kind = evaluation.target.kind
            if kind == Kind.INVALID:
                return None  # an empty or cut-off target is target.missing's
            if kind != Kind.QUAL:
                return self.passed(indicator=index)
            word = vague_word(row.target)
            # A qualitative target with a number in it still names something to count.
            if word is None and _DIGIT.search(row.target):
                return self.passed(indicator=index)
            result = self.failed(
                indicator=index,
                found=row.target,
                cells=cells(row),
                note=f"模糊用语“{word}”" if word else "无可衡量的要素",
                name=label(row, index),
                target=row.target,
            )
            if row.level2 in QUANTITATIVE_CATEGORIES:
                result = with_suffix(result, "（该类指标应为定量）")
            return result

        return judge_rows(self, context, judge, none_note=NO_ROWS, among=context.rows.applicable)


@register
class Missing(Check):
    """An applicable row whose 年度指标值 is empty, a label, or cut off."""

    code = "target.missing"
    severity = Severity.ERROR
    scopes = FORM_AND_SUMMARY
    message = "指标“{name}”缺少有效的年度指标值（“{target}”）"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            target = evaluation.target
            if target.kind != Kind.INVALID:
                return self.passed(indicator=index)
            return self.failed(
                indicator=index,
                found=row.target,
                cells=cells(row),
                note=target.undetermined,
                name=label(row, index),
                target=row.target,
            )

        return judge_rows(self, context, judge, none_note=NO_ROWS, among=context.rows.applicable)


@register
class Multi(Check):
    """One row carrying several target values (2次培训,共500人次)."""

    code = "target.multi"
    severity = Severity.WARNING
    scopes = FORM_AND_SUMMARY
    message = "指标“{name}”一个指标含{n}个指标值，请拆分为单独指标"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            target = evaluation.target
            if target.kind == Kind.INVALID:
                return None
            if target.kind != Kind.MULTI:
                return self.passed(indicator=index)
            count = max(len(target.parts), 2)
            return self.failed(
                indicator=index,
                expected=1,
                found=count,
                cells=cells(row),
                name=label(row, index),
                n=count,
            )

        return judge_rows(self, context, judge, none_note=NO_ROWS, among=context.rows.applicable)


@register
class Direction(Check):
    """An explicit ≥/≤ that contradicts the row's category or its name (target-grammar.md §6)."""

    code = "target.direction"
    severity = Severity.WARNING
    scopes = FORM
    message = "指标“{name}”方向“{op}”与指标性质（{reason}）不符"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            target = evaluation.target
            if target.op not in OPERATOR_SYMBOL:
                return None
            if target.kind not in (Kind.QUANT, Kind.PCT):
                return None  # zero, budget and deadline targets carry their operator by kind
            stated = grammar.Direction.POSITIVE if target.op in (Op.GE, Op.GT) else grammar.Direction.REVERSE
            natural, reason = natural_direction(row, target)
            if natural is None or natural == stated:
                return self.passed(indicator=index)
            return self.failed(
                indicator=index,
                expected=DIRECTION_TEXT[natural],
                found=DIRECTION_TEXT[stated],
                cells=cells(row),
                name=label(row, index),
                op=OPERATOR_SYMBOL[target.op],
                reason=reason,
            )

        return judge_rows(self, context, judge, none_note="无带明确方向符号的指标值", among=context.rows.applicable)


def natural_direction(row: Indicator, target: ParsedValue) -> tuple[grammar.Direction | None, str]:
    """The direction a row has without its target's operator, and why; None when nothing says.

    The grammar's rules (category, then keyword, target-grammar.md §6) decide on the target
    stripped of its operator. checks.md adds one category rule of its own: a 数量 row is
    positive, which the grammar leaves to the keywords.
    """
    return _direction_without_operator(target.kind, target.unit, row.level2, row.name)


@lru_cache(maxsize=4096)
def _direction_without_operator(
    kind: Kind, unit: str | None, level2: str | None, name: str | None
) -> tuple[grammar.Direction | None, str]:
    # A number target without its operator is its kind and unit (the rank and duration rules
    # of §6 read the unit); rows repeat, so the answer is memoised on just these.
    direction, source = infer_direction(ParsedValue(kind, unit=unit), level2=level2, name=name)
    if source != DEFAULT:  # the default (positive) is no evidence against an operator
        if source == CATEGORY:
            return direction, f"{level2}指标为{DIRECTION_TEXT[direction]}"
        return direction, f"指标名称“{name}”表明为{DIRECTION_TEXT[direction]}"
    if level2 == "数量":
        return grammar.Direction.POSITIVE, f"数量指标为{DIRECTION_TEXT[grammar.Direction.POSITIVE]}"
    return None, ""


@register
class Low(Check):
    """完成值 far above the target: the target may have been set too low (scoring.md §4)."""

    code = "target.low"
    severity = Severity.WARNING
    scopes = FORM
    message = "“{name}”完成值为指标值的{ratio}倍，指标值可能设定偏低"

    def evaluate(self, context: Context) -> Iterator[Result]:
        return judge_over_completion(self, context, unknown="指标值为0或完成值不是可比的数字，无法计算完成倍数")
