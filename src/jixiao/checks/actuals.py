"""Checks of the actual values (实际完成值): checks.md §6.

They compare the parsed actual with the parsed target of the same row (target-grammar.md §4–§5):
an actual that is missing or restates the target, and an actual measured in another unit or
on another basis (口径) than its target.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.checks.rows import cells, is_count, judge_rows, label
from jixiao.domain.grammar import Kind, Op, ParsedValue, unit_relation
from jixiao.domain.labels import squeeze
from jixiao.domain.model import Indicator
from jixiao.domain.scoring import IndicatorEvaluation
from jixiao.domain.units import INCOMPATIBLE, NOTE, STATUS_TARGETS, multi_match

FORM_AND_SUMMARY = frozenset({Scope.FORM, Scope.SUMMARY})

DIRECTIONAL = frozenset({Op.GE, Op.GT, Op.LE, Op.LT})
# Operator signs as the grammar's normaliser writes them (target-grammar.md §2 step 5).
OPERATOR_SIGNS = ("≥", "≤", ">", "<")
# Targets that ask for a number, so that a status word (已完成) does not answer them.
NUMERIC_TARGETS = frozenset({Kind.QUANT, Kind.PCT, Kind.BUDGET, Kind.MULTI})
PERSON = "人"


def restates_target(target: ParsedValue, actual: ParsedValue) -> bool:
    """The actual is the target's own text, operator included (设备购置数量≥7 → 设备购置数量≥7)."""
    if actual.op not in DIRECTIONAL:
        return False
    shown = squeeze(actual.normalized or actual.raw)
    if shown and shown in squeeze(target.normalized or target.raw):
        return True
    # The same comparison written with other words (不低于95% → ≥95%) also restates it.
    return (
        any(sign in shown for sign in OPERATOR_SIGNS)
        and actual.op == target.op
        and actual.value == target.value
        and actual.unit == target.unit
    )


@register
class Missing(Check):
    """An applicable row without a real 实际完成值: empty, a label, 不适用, or the target again."""

    code = "actual.missing"
    severity = Severity.ERROR
    scopes = FORM_AND_SUMMARY
    message = "指标“{name}”未填写有效实际完成值（“{actual}”）"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            target, actual = evaluation.target, evaluation.actual
            if actual.kind == Kind.INVALID:
                problem = actual.undetermined or "empty"
            elif actual.kind == Kind.NA and target.kind != Kind.ZERO:
                problem = "填写为不适用"  # 无 answers a zero target (无投诉 → 无), nothing else
            elif restates_target(target, actual):
                problem = "照抄指标值"
            else:
                return self.passed(indicator=index)
            return self.failed(
                indicator=index,
                found=row.actual,
                cells=cells(row),
                note=problem,
                name=label(row, index),
                actual=row.actual,
            )

        return judge_rows(self, context, judge, none_note="无适用的指标行", among=context.rows.applicable)


def compare_basis(target: ParsedValue, actual: ParsedValue) -> tuple[str | None, str | None]:
    """Why an actual is not on its target's basis (checks.md actual.unit-mismatch), and a
    tolerated difference to note (家 vs 家次, a unit on one side only); None for either.

    The grammar's `unit_relation` decides comparability (target-grammar.md §5); this names
    the reason. A status word against a target that asks for a number is the one case the
    relation leaves open, since a word has no unit to compare.
    """
    answered_by_word = actual.number is None and actual.kind in (Kind.QUAL, Kind.DEADLINE, Kind.PERIOD)
    if target.kind in NUMERIC_TARGETS and answered_by_word:
        return f"定量指标以完成状态“{actual.raw}”填报，未填写实际数值", None
    relation = unit_relation(target, actual)
    if relation == NOTE and target.kind not in STATUS_TARGETS:
        if target.unit and actual.unit:
            return None, f"单位“{target.unit}”与“{actual.unit}”口径相近，按可比处理"
        return None, "一侧未写单位，按相同单位处理"
    if relation != INCOMPATIBLE:
        return None, None
    return _incompatibility(target, actual), None


def _incompatibility(target: ParsedValue, actual: ParsedValue) -> str:
    """The reason, in a reviewer's words, for an actual the grammar found incompatible."""
    if target.kind == Kind.DEADLINE:
        return "指标值为完成时限，实际完成值既非日期也非完成状态"
    parts = target.parts if target.kind == Kind.MULTI else (target,)
    if actual.kind == Kind.PCT and any(is_count(part) for part in parts) and not any(
        part.kind == Kind.PCT for part in parts
    ):
        return "数量指标值以百分比填报"
    if target.kind == Kind.MULTI:
        matched, total = multi_match(target, actual)
        if matched:
            return f"指标值含{total}个指标值，实际完成值只对应其中{matched}个"
    elif target.per and target.per != actual.per:
        basis = "人均" if PERSON in target.per else f"每{target.per}"
        return f"指标值按{basis}设定，实际完成值为总量"
    units = "、".join(dict.fromkeys(part.unit or "无单位" for part in parts))
    return f"单位口径不同（{units}与{actual.unit or '无单位'}）"


@register
class UnitMismatch(Check):
    """实际完成值 measured in another unit or basis than 年度指标值 (target-grammar.md §5)."""

    code = "actual.unit-mismatch"
    severity = Severity.WARNING
    scopes = FORM_AND_SUMMARY
    message = "实际完成值“{actual}”与指标值“{target}”口径不一致：{reason}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            target, actual = evaluation.target, evaluation.actual
            unreadable = actual.kind == Kind.INVALID or (actual.kind == Kind.NA and target.kind != Kind.ZERO)
            if target.kind == Kind.INVALID or unreadable:
                return self.undetermined("指标值或实际完成值缺失、无法解析", indicator=index, cells=cells(row))
            reason, note = compare_basis(target, actual)
            if reason is None:
                return self.passed(indicator=index, note=note)
            return self.failed(
                indicator=index,
                found=row.actual,
                cells=cells(row),
                actual=row.actual,
                target=row.target,
                reason=reason,
            )

        return judge_rows(self, context, judge, none_note="无适用的指标行", among=context.rows.applicable)
