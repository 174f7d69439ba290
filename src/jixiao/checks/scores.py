"""Checks of the scores (得分) and the grade: checks.md §3.

Printed scores are compared with what `domain.scoring` expects; a check never re-scores a row.
score.unmet-full decides first: a row it reports is not reported again by score.formula or
score.qual-band (checks.md §3).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.checks.facts import is_not_applicable
from jixiao.checks.rows import FULL_MARKS_TOLERANCE, cells, full_marks, judge_rows, label, why_undetermined
from jixiao.domain.grammar import Kind
from jixiao.domain.model import Indicator, Printed
from jixiao.domain.scoring import IndicatorEvaluation, RowStatus

FORM = frozenset({Scope.FORM})
ZERO = Decimal(0)
FUNDS_ROW = "预算执行率"
REPORTED_BY_UNMET_FULL = "已由score.unmet-full报告"


def is_unmet_at_full_marks(row: Indicator, evaluation: IndicatorEvaluation) -> bool:
    """The target is not met and the printed score equals the weight (checks.md score.unmet-full)."""
    return evaluation.met is False and full_marks(row) is True


@register
class OverWeight(Check):
    """A score above its weight or below 0, on an indicator row or on the funds row."""

    code = "score.over-weight"
    severity = Severity.ERROR
    scopes = FORM
    message = "“{name}”得分{found}超出分值{weight}或为负数"

    def evaluate(self, context: Context) -> Iterator[Result]:
        funds = context.form.funds
        yield self._judge(FUNDS_ROW, funds.weight, funds.score, None, None)
        for index, row in enumerate(context.form.indicators):
            yield self._judge(label(row, index), row.weight, row.score, index, row)

    def _judge(self, name: str, weight: Printed, score: Printed, index: int | None, row: Indicator | None) -> Result:
        if weight.value is not None and score.value is not None:
            if ZERO <= score.value and score.value - weight.value <= FULL_MARKS_TOLERANCE:
                return self.passed(indicator=index)  # the common case: no evidence to build
        # The funds row has no Indicator: its own two cells are the evidence.
        evidence = {"预算执行率分值": weight.text, "预算执行率得分": score.text} if row is None else cells(row)
        if weight.value is None or score.value is None:
            return self.undetermined(f"“{name}”的分值或得分缺失", indicator=index, cells=evidence)
        return self.failed(
            indicator=index, expected=weight.value, found=score.value, cells=evidence, name=name, weight=weight.value
        )


@register
class TotalMismatch(Check):
    """总分 得分 printed differs from the printed funds score plus the printed row scores."""

    code = "score.total-mismatch"
    severity = Severity.ERROR
    scopes = FORM
    message = "总分填报{found}，预算执行率得分与各指标得分合计为{expected}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        form = context.form
        printed = form.total.score.value
        evidence = {"总分得分": form.total.score.text, "预算执行率得分": form.funds.score.text}
        expected = context.evaluation.total_printed  # None when any printed score is missing
        if printed is None:
            yield self.undetermined("总分得分缺失或不是数字", cells=evidence)
        elif expected is None:
            # Never sum a missing score as 0 (checks.md): name what is missing instead.
            missing = [FUNDS_ROW] if form.funds.score.value is None else []
            missing += [label(row, index) for index, row in enumerate(form.indicators) if row.score.value is None]
            yield self.undetermined(f"得分缺失：{'、'.join(missing)}", cells=evidence)
        elif abs(printed - expected) > context.profile.tol_total:
            yield self.failed(expected=expected, found=printed, cells=evidence)
        else:
            yield self.passed()


@register
class NaWeighted(Check):
    """A 不适用 row that carries a weight or a score."""

    code = "score.na-weighted"
    severity = Severity.ERROR
    scopes = FORM
    message = "“{name}”为不适用指标（{target}），分值和得分应为0，填报为{weight}/{found}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        return judge_rows(self, context, self._judge, none_note="本表无不适用指标")

    def _judge(self, index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
        if not is_not_applicable(row, evaluation):
            return None
        weight, score = row.weight.value, row.score.value
        if weight is None or score is None:
            return self.undetermined("不适用指标的分值或得分缺失", indicator=index, cells=cells(row))
        if weight > ZERO or score > ZERO:
            return self.failed(
                indicator=index,
                expected=ZERO,
                found=score,
                cells=cells(row),
                name=label(row, index),
                target=row.target,
                weight=weight,
            )
        return self.passed(indicator=index)


@register
class UnmetFull(Check):
    """A row that missed its target but printed full marks."""

    code = "score.unmet-full"
    severity = Severity.ERROR
    scopes = FORM
    message = "“{name}”未达到指标值（{target}→{actual}）却得满分{weight}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        return judge_rows(self, context, self._judge, among=context.rows.weighted, none_note="本表无计分指标")

    def _judge(self, index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
        at_full_marks = full_marks(row)
        if at_full_marks is None:
            return self.undetermined("分值或得分缺失", indicator=index, cells=cells(row))
        if not at_full_marks:
            return self.passed(indicator=index)  # below full marks: nothing to contradict
        if evaluation.met is False:
            return self.failed(
                indicator=index,
                expected=evaluation.score,
                found=row.score.value,
                cells=cells(row),
                name=label(row, index),
                target=row.target,
                actual=row.actual,
                weight=row.weight.value,
            )
        if evaluation.met is None:
            reason = why_undetermined(evaluation, evaluation.explain)
            return self.undetermined(f"实际完成值无法与指标值比较（{reason}）", indicator=index, cells=cells(row))
        return self.passed(indicator=index)


@register
class Formula(Check):
    """A printed row score differs from the settled formula's expected score."""

    code = "score.formula"
    severity = Severity.ERROR
    scopes = FORM
    message = "“{name}”按{rule}计算应得{expected}分，填报{found}分"

    def evaluate(self, context: Context) -> Iterator[Result]:
        tolerance = context.profile.tol_row_score

        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            if is_unmet_at_full_marks(row, evaluation):
                return self.not_applicable(REPORTED_BY_UNMET_FULL, indicator=index)
            if evaluation.kind == Kind.QUAL:
                # A qualitative row has a band, not a formula (scoring.md §3.0, §3.10).
                return self.not_applicable("定性指标由score.qual-band核对", indicator=index)
            found, expected = row.score.value, evaluation.score
            if evaluation.status is not RowStatus.SCORED:
                # manual or undetermined: the default's value goes along as a hint (scoring.md §3.0).
                # A manual explanation names its rule itself; an undetermined one gives only the reason.
                reason = evaluation.explain
                if evaluation.status is RowStatus.UNDETERMINED:
                    reason = f"{evaluation.rule}：{why_undetermined(evaluation, reason)}"
                return self.undetermined(
                    reason,
                    indicator=index,
                    expected=expected,
                    found=found,
                    cells=cells(row),
                )
            if found is None or expected is None:
                return self.undetermined("得分缺失", indicator=index, expected=expected, cells=cells(row))
            if abs(found - expected) > tolerance:
                return self.failed(
                    indicator=index,
                    expected=expected,
                    found=found,
                    cells=cells(row),
                    name=label(row, index),
                    rule=evaluation.rule,
                )
            return self.passed(indicator=index)

        return judge_rows(self, context, judge, among=context.rows.weighted, none_note="本表无计分指标")


@register
class QualBand(Check):
    """A qualitative row's score outside the band its actual falls in."""

    code = "score.qual-band"
    severity = Severity.ERROR
    scopes = FORM
    message = "定性指标“{name}”完成情况属“{band}”，得分应在{lo}–{hi}之间，填报{found}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        return judge_rows(self, context, self._judge, among=context.rows.weighted, none_note="本表无定性指标")

    def _judge(self, index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
        if evaluation.kind != Kind.QUAL:
            return None
        band, score = evaluation.band, row.score.value
        if is_unmet_at_full_marks(row, evaluation):
            return self.not_applicable(REPORTED_BY_UNMET_FULL, indicator=index)
        if band is None:
            return self.undetermined("实际完成值既无等级词也无百分比", indicator=index, cells=cells(row))
        if score is None:
            return self.undetermined("得分缺失", indicator=index, cells=cells(row))
        # Exact comparison; an edge belongs to the upper band (scoring.md §3.10).
        if band.lo <= score and (score <= band.hi if band.hi_inclusive else score < band.hi):
            return self.passed(indicator=index)
        return self.failed(
            indicator=index,
            expected=f"[{band.lo}, {band.hi}{']' if band.hi_inclusive else ')'}",
            found=score,
            cells=cells(row),
            name=label(row, index),
            band=band.label,
            lo=band.lo,
            hi=band.hi,
        )


@register
class Mismatch(Check):
    """A printed grade (等级) that the total does not earn under the profile's cuts."""

    code = "grade.mismatch"
    severity = Severity.ERROR
    scopes = frozenset({Scope.FORM, Scope.REPORT})
    message = "总分{total}对应等级应为“{expected}”，填报为“{found}”"

    def evaluate(self, context: Context) -> Iterator[Result]:
        printed = (context.form.grade_claimed or "").strip()
        total = context.evaluation.total
        evidence = {"等级": printed, "总分得分": context.form.total.score.text}
        if not printed:
            yield self.not_applicable("未填报等级")
        elif context.profile.grades is None:
            yield self.not_applicable(f"规则配置{context.profile.name}不评级")
        elif total is None:
            yield self.undetermined("总分无法确定", cells=evidence)
        else:
            # jixiao's total: expected scores where settled, printed ones elsewhere (scoring.md §5).
            expected = context.profile.grade(total)
            if expected == printed:
                yield self.passed()
            else:
                yield self.failed(expected=expected, found=printed, cells=evidence, total=total)
