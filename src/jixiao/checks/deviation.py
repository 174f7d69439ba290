"""Checks of the deviation notes (偏差原因分析及改进措施): checks.md §8.

A row that lost points, or beat its target by far, must say why and what will change; a note
must not claim 无偏差 when the numbers differ, and should not be copied from other rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.checks.clauses import Clause, ClauseIndex, clause_index, clauses_of, similar
from jixiao.checks.rows import (
    FULL_MARKS_TOLERANCE,
    cells,
    claims_no_deviation,
    completion_ratio,
    explains,
    judge_over_completion,
    judge_rows,
    label,
    why_undetermined,
)
from jixiao.domain.direction import OPERATOR
from jixiao.domain.grammar import Kind, Op
from jixiao.domain.model import Indicator
from jixiao.domain.scoring import IndicatorEvaluation

FORM = frozenset({Scope.FORM})

# Markers of the two parts a note needs (checks.md deviation.incomplete).
CAUSE_MARKERS = ("偏差原因", "由于", "因", "受…影响", "导致")
ACTION_MARKERS = ("改进措施", "下一步", "将", "加强", "后续", "推进")
_CAUSE = re.compile("|".join(marker.replace("…", ".{0,15}?") for marker in CAUSE_MARKERS))
_ACTION = re.compile("|".join(ACTION_MARKERS))
_CJK = re.compile(r"[\u3400-\u9fff]")
# An equal target may be missed by this share before 无偏差 is a claim against the numbers.
EQUAL_TOLERANCE = Decimal("0.10")
NUMERIC = frozenset({Kind.QUANT, Kind.PCT})


@register
class Missing(Check):
    """A row below full marks with no deviation note."""

    code = "deviation.missing"
    severity = Severity.ERROR
    scopes = FORM
    message = "“{name}”得分{found}低于分值{weight}，未填写偏差原因分析及改进措施"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            weight, score = row.weight.value, row.score.value
            if weight is None or score is None:
                return self.undetermined("分值或得分缺失", indicator=index, cells=cells(row))
            if score >= weight - FULL_MARKS_TOLERANCE:
                return self.passed(indicator=index)
            if explains(row.deviation):
                return self.passed(indicator=index)
            return self.failed(
                indicator=index,
                expected=weight,
                found=score,
                cells=cells(row),
                name=label(row, index),
                weight=weight,
            )

        return judge_rows(self, context, judge, none_note="无适用的指标行", among=context.rows.applicable)


@register
class OverUnexplained(Check):
    """Completion far above the target (ratio ≥ flag_ratio) with no note saying why."""

    code = "deviation.over-unexplained"
    severity = Severity.WARNING
    scopes = FORM
    message = "“{name}”超额完成（{ratio}倍），未说明原因"

    def evaluate(self, context: Context) -> Iterator[Result]:
        return judge_over_completion(self, context, unknown="完成倍数无法计算", excused=_explained)


def _explained(row: Indicator) -> bool:
    """The row's note says why it beat its target."""
    return explains(row.deviation)


def missing_parts(note: str) -> str | None:
    """Which of 偏差原因 and 改进措施 a note lacks, or None when it has both.

    Text before the first action marker explains the deviation even without a cause marker
    (luohu 2022 · 行政运行: "…一直到2023年才招录成功, 故去年发放率约为85%。" is a cause only).
    """
    action = _ACTION.search(note)
    head = note[: action.start()] if action else note
    has_cause = _CAUSE.search(note) is not None or len(_CJK.findall(head)) >= 2
    missing = [part for part, present in (("偏差原因", has_cause), ("改进措施", action is not None)) if not present]
    return "和".join(missing) or None


@register
class Incomplete(Check):
    """A deviation note that gives a cause without an action, or an action without a cause."""

    code = "deviation.incomplete"
    severity = Severity.INFO
    scopes = FORM
    message = "偏差说明缺少{part}（应同时说明偏差原因和改进措施）"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            note = row.deviation
            if note is None or not explains(note):
                return None
            part = missing_parts(note)
            if part is None:
                return self.passed(indicator=index)
            return self.failed(indicator=index, found=note, cells=cells(row), part=part)

        return judge_rows(self, context, judge, none_note="无偏差说明")


@register
class Boilerplate(Check):
    """A cause or action clause copied from another row or another form of the batch."""

    code = "deviation.boilerplate"
    severity = Severity.INFO
    scopes = FORM
    message = "偏差说明与其他指标或项目雷同：“{snippet}”"

    def evaluate(self, context: Context) -> Iterator[Result]:
        form = context.form
        index = clause_index(context.batch) if context.batch else None
        own = {position: clauses_of(row.deviation) for position, row in enumerate(form.indicators)}
        noted = [position for position, row in enumerate(form.indicators) if explains(row.deviation)]
        if not noted:
            yield self.not_applicable("无偏差说明")
            return
        for position in noted:
            match = self._copy_of(position, own, index, context)
            row = form.indicators[position]
            if match is None:
                yield self.passed(indicator=position)
                continue
            clause, where = match
            yield self.failed(
                indicator=position,
                found=clause.text,
                cells=cells(row),
                note=f"雷同于{where}",
                snippet=clause.text,
            )

    def _copy_of(
        self,
        position: int,
        own: dict[int, tuple[Clause, ...]],
        index: ClauseIndex | None,
        context: Context,
    ) -> tuple[Clause, str] | None:
        """The first clause of a row that another row of the form or another form also has, and where."""
        rows = context.form.indicators
        for clause in own[position]:
            for other, clauses in own.items():
                if other != position and any(similar(clause, theirs) for theirs in clauses):
                    return clause, f"本表“{label(rows[other], other)}”"
            if index is None:
                continue
            for form_position, row_position in index.occurrences_like(clause):
                found_form = context.batch[form_position]
                if found_form is context.form:
                    continue
                row = found_form.indicators[row_position]
                project = found_form.project.name or found_form.project.code or f"第{form_position + 1}张表"
                return clause, f"《{project}》“{label(row, row_position)}”"
        return None


@register
class ClaimsNone(Check):
    """无偏差 written on a row whose actual differs from its target."""

    code = "deviation.claims-none"
    severity = Severity.WARNING
    scopes = FORM
    message = "“{name}”完成值{actual}与指标值{target}不一致，却填写“无偏差”"

    def evaluate(self, context: Context) -> Iterator[Result]:
        flag = context.profile.flag_ratio

        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            if not claims_no_deviation(row.deviation):
                return None
            applies, ratio = completion_ratio(evaluation)
            if applies and ratio is not None and ratio >= flag:
                return self.not_applicable("超额完成，由deviation.over-unexplained报告", indicator=index)
            differs = _differs(evaluation)
            if differs is None:
                reason = why_undetermined(evaluation, "无法比较完成值与指标值")
                return self.undetermined(reason, indicator=index, cells=cells(row))
            if not differs:
                return self.passed(indicator=index)
            return self.failed(
                indicator=index,
                expected=row.target,
                found=row.actual,
                cells=cells(row),
                name=label(row, index),
                actual=row.actual,
                target=row.target,
            )

        return judge_rows(self, context, judge, none_note="无填写“无偏差”的指标行", among=context.rows.applicable)


def _differs(evaluation: IndicatorEvaluation) -> bool | None:
    """The actual misses the target, or an equal target by more than 10%; None if unknown."""
    if evaluation.met is False:
        return True
    target, actual = evaluation.target, evaluation.actual
    # An operator word ending the name (审查合同份数不少于 + 200) makes a bare target a minimum.
    equal = target.op == Op.EQ and evaluation.direction_source != OPERATOR
    if equal and target.kind in NUMERIC and target.number and actual.number is not None:
        return abs(actual.number - target.number) / target.number > EQUAL_TOLERANCE
    return None if evaluation.met is None else False
