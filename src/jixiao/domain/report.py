"""The evaluation report (绩效评价报告): what it states, and the engine that scores it from forms.

A report scores a department's fund or projects in the framework of `report_framework`
(决策 20 / 过程 20 / 产出 40 / 效益 20). `assess` computes what can be computed from the
sub-projects' self-evaluation forms and the fund categories (资金到位率, 预算执行率, the
roll-ups of 数量/质量/时效/效益/满意度 rows, 成本节约率) and takes the rest from the
evaluator's judgement; `report_narrative.draft` turns the assessment into a `Report`, the
same model `readers.report_text` reads a published report into, so that the report checks
(checks/reports.py) run on both. Amounts are kept in 元; each stated number keeps its text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jixiao.domain.model import BLANK, Form, Printed, SourceRef
from jixiao.domain.profiles import Profile
from jixiao.domain.report_framework import (
    Basis,
    Deduction,
    Framework,
    FrameworkIndicator,
    IndicatorJudgement,
    Judgement,
)
from jixiao.domain.report_inputs import FundCategory, ReportInputs, YearFigures, in_unit, percent, project_name, stated
from jixiao.domain.score_formulas import HUNDRED, ZERO, num, round2

__all__ = [
    "Assessment", "Computation", "Contribution", "CostStatement", "FundCategory", "IndicatorResult", "Report",
    "ReportInputs", "ReportRow", "Section", "Status", "YearFigures", "assess", "in_unit", "percent",
]  # fmt: skip

ONE = Decimal(1)


# --- what a report states


@dataclass(frozen=True, slots=True)
class Computation:
    """A rate as the text works it out: `name = (Σ numerator / Σ denominator) × 100% = result`,
    then `得 score 分`. Terms are numbers as stated (万元, or points for a roll-up)."""

    indicator: str
    numerator: tuple[Decimal, ...]
    denominator: tuple[Decimal, ...]
    result: Printed = BLANK  # the stated percentage (text "99.63%", value 99.63)
    score: Printed = BLANK
    unit: str = ""
    text: str = ""
    line: int | None = None

    @property
    def rate(self) -> Decimal | None:
        """Σ numerator ÷ Σ denominator, None when the denominator is 0."""
        below = sum(self.denominator, ZERO)
        return None if below == 0 else sum(self.numerator, ZERO) / below


@dataclass(frozen=True, slots=True)
class CostStatement:
    """计划成本 and 实际成本 as the text states them, in 元 (成本节约率's inputs)."""

    planned: Printed
    actual: Printed
    line: int | None = None

    @property
    def saving(self) -> Decimal | None:
        """(计划成本 − 实际成本) ÷ 计划成本, None when 计划成本 is missing or 0."""
        planned, actual = self.planned.value, self.actual.value
        if planned is None or actual is None or planned == 0:
            return None
        return (planned - actual) / planned


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One 三级 row of the framework table (附表), as stated."""

    level1: str
    level2: str
    name: str  # the framework's name
    weight: Printed
    score: Printed
    achieved: str = ""  # 完成值
    explanation: str = ""
    criteria: str = ""
    level1_text: str = ""  # "决策 (20分)"
    level1_weight: Printed = BLANK  # 20, from the 一级 cell
    name_text: str = ""  # as printed ("实施效益满意度" for both 效益 rows of the sample)
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A titled block of the narrative; `key` names it for an evaluator's replacement text."""

    key: str
    heading: str
    level: int  # 1: 一、…  2: （一）…  3: 1. …
    paragraphs: tuple[str, ...] = ()
    chart: str | None = None  # a chart drawn after the paragraphs (writers/charts.py)


@dataclass(frozen=True, slots=True)
class Report:
    """An evaluation report: drafted by jixiao or read from a published one."""

    source: SourceRef
    title: str
    organisation: str | None = None
    subject: str | None = None
    year: int | None = None
    date: str | None = None
    unit: str = "万元"
    rows: tuple[ReportRow, ...] = ()
    table_weight: Printed = BLANK  # 总分 row of the table: 权重
    table_score: Printed = BLANK  # 总分 row: 得分
    total: Printed = BLANK  # 综合评价得分 in the text
    grade_claimed: str | None = None
    categories: tuple[FundCategory, ...] = ()
    computations: tuple[Computation, ...] = ()
    costs: CostStatement | None = None
    sections: tuple[Section, ...] = ()
    history: tuple[YearFigures, ...] = ()
    finding_counts: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def computation(self, name: str) -> Computation | None:
        return next((item for item in self.computations if item.indicator == name), None)

    def json(self) -> dict[str, Any]:
        return {
            "kind": "report",
            "source": self.source.json(),
            "title": self.title,
            "organisation": self.organisation,
            "subject": self.subject,
            "year": self.year,
            "date": self.date,
            "unit": self.unit,
            "rows": [
                {
                    "level1": row.level1,
                    "level2": row.level2,
                    "name": row.name,
                    "name_text": row.name_text or row.name,
                    "weight": row.weight.json(),
                    "achieved": row.achieved,
                    "score_claimed": row.score.json(),
                    "line": row.line,
                }
                for row in self.rows
            ],
            "total_claimed": self.total.json(),
            "grade_claimed": self.grade_claimed,
            "categories": [category.json() for category in self.categories],
            "sections": [
                {"key": s.key, "heading": s.heading, "level": s.level, "paragraphs": list(s.paragraphs)}
                for s in self.sections
            ],
        }


# --- the engine's inputs and result


class Status(StrEnum):
    COMPUTED = "computed"  # a settled formula over the forms and the fund categories
    JUDGED = "judged"  # the evaluator's marks or score
    MANUAL = "manual"  # computed, but the score rule is open: a default for the evaluator to confirm
    UNDETERMINED = "undetermined"  # data or the evaluator's marks are missing


@dataclass(frozen=True, slots=True)
class Contribution:
    """One self-evaluation row counted in a roll-up, with where it comes from."""

    project: str
    source: SourceRef
    line: int | None
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One framework indicator scored: the score, the 完成值, and how they were reached."""

    indicator: FrameworkIndicator
    status: Status
    score: Decimal | None
    achieved: str = ""
    rate: Decimal | None = None  # the exact fraction behind a stated rate
    computation: Computation | None = None
    costs: CostStatement | None = None
    contributions: tuple[Contribution, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    comment: str | None = None
    explain: str = ""

    @property
    def lost(self) -> Decimal | None:
        return None if self.score is None else self.indicator.weight - self.score


@dataclass(frozen=True, slots=True)
class Assessment:
    """Every indicator scored; the total and grade once nothing is undetermined."""

    results: tuple[IndicatorResult, ...]
    total: Decimal  # Σ of the scores known (a manual default included)
    complete: bool  # no indicator undetermined
    grade: str | None

    @property
    def pending(self) -> list[IndicatorResult]:
        """Indicators a person still has to score or confirm."""
        return [item for item in self.results if item.status in (Status.UNDETERMINED, Status.MANUAL)]

    def result(self, name: str) -> IndicatorResult | None:
        return next((item for item in self.results if item.indicator.name == name), None)

    def by_level1(self) -> list[tuple[str, Decimal, Decimal]]:
        """(一级, Σ weight, Σ score known) in framework order."""
        sums: dict[str, tuple[Decimal, Decimal]] = {}
        for item in self.results:
            weight, score = sums.get(item.indicator.level1, (ZERO, ZERO))
            sums[item.indicator.level1] = (weight + item.indicator.weight, score + (item.score or ZERO))
        return [(name, weight, score) for name, (weight, score) in sums.items()]


def assess(framework: Framework, inputs: ReportInputs, judgement: Judgement, profile: Profile) -> Assessment:
    """Score every indicator of the framework. Pure; missing data is `undetermined`, never 0."""
    results = tuple(_assess(indicator, inputs, judgement.of(indicator.name)) for indicator in framework.indicators)
    total = sum((item.score for item in results if item.score is not None), ZERO)
    complete = all(item.score is not None for item in results)
    return Assessment(results, total, complete, profile.grade(total) if complete else None)


def _assess(indicator: FrameworkIndicator, inputs: ReportInputs, judged: IndicatorJudgement | None) -> IndicatorResult:
    if indicator.basis is Basis.JUDGEMENT:
        result = _judged(indicator, judged)
    elif indicator.basis is Basis.ROLLUP:
        result = _rollup(indicator, inputs.forms)
    elif indicator.basis is Basis.COST_SAVING:
        result = _cost_saving(indicator, inputs)
    else:
        result = _fund_rate(indicator, inputs)
    if judged is None:
        return result
    comment = judged.comment or result.comment
    achieved = judged.achieved or result.achieved
    if judged.score is not None and indicator.basis is not Basis.JUDGEMENT:
        # The evaluator sets the score of a computed indicator (a cost saving's, say) and says why.
        why = f"评价人评定得分{num(judged.score)}分" + (f"：{judged.reason}" if judged.reason else "")
        return _replace(result, Status.JUDGED, judged.score, achieved, comment, judged.deductions, why)
    return _replace(result, result.status, result.score, achieved, comment, result.deductions, result.explain)


def _replace(
    result: IndicatorResult,
    status: Status,
    score: Decimal | None,
    achieved: str,
    comment: str | None,
    deductions: tuple[Deduction, ...],
    explain: str,
) -> IndicatorResult:
    return IndicatorResult(
        result.indicator, status, score, achieved, result.rate, result.computation, result.costs,
        result.contributions, deductions, comment, explain,
    )  # fmt: skip


def _judged(indicator: FrameworkIndicator, judged: IndicatorJudgement | None) -> IndicatorResult:
    """weight − Σ deductions; undetermined until every scoring point is marked."""
    met_text, partial_text = indicator.achieved
    if judged is None:
        return IndicatorResult(indicator, Status.UNDETERMINED, None, explain="待评价人逐条评分")
    if judged.score is not None:
        achieved = met_text if judged.score >= indicator.weight else partial_text
        return IndicatorResult(
            indicator, Status.JUDGED, judged.score, achieved, deductions=judged.deductions,
            explain=f"评价人评定得分{num(judged.score)}分",
        )  # fmt: skip
    if judged.unmarked:
        marks = "".join(point.mark for point in judged.unmarked)
        return IndicatorResult(
            indicator, Status.UNDETERMINED, None, deductions=judged.deductions, explain=f"评分点{marks}尚未评定"
        )
    lost = sum((item.amount for item in judged.deductions), ZERO)
    score = max(indicator.weight - lost, ZERO)
    achieved = met_text if lost == 0 else partial_text
    explain = f"{len(indicator.points)}个评分点" + ("均符合" if lost == 0 else f"扣{num(lost)}分")
    return IndicatorResult(indicator, Status.JUDGED, score, achieved, deductions=judged.deductions, explain=explain)


def _fund_rate(indicator: FrameworkIndicator, inputs: ReportInputs) -> IndicatorResult:
    """资金到位率 = 到位 ÷ 预算, 预算执行率 = 支出 ÷ 到位 (scoring.md §2.6), over every category."""
    if indicator.basis is Basis.ARRIVAL_RATE:
        above, below, words = inputs.total("arrived"), inputs.total("budget"), ("实际到位资金", "预算资金")
    else:
        above, below, words = inputs.total("spent"), inputs.total("arrived"), ("实际支出资金", "实际到位资金")
    if above is None or below is None or below <= 0:
        return IndicatorResult(
            indicator, Status.UNDETERMINED, None, explain=f"缺少{words[0]}或{words[1]}，或{words[1]}为0"
        )
    rate = above / below
    shown = percent(rate, indicator.rate_decimals)
    score = round2(indicator.weight * min(shown / HUNDRED, ONE))
    computation = Computation(
        indicator.name,
        (in_unit(above, inputs.unit),),
        (in_unit(below, inputs.unit),),
        Printed(f"{num(shown)}%", shown),
        Printed(num(score), score),
        unit=inputs.unit,
    )
    explain = f"{words[0]}÷{words[1]} = {num(shown)}%，{num(indicator.weight)}分×{num(shown)}% = {num(score)}分"
    return IndicatorResult(indicator, Status.COMPUTED, score, f"{num(shown)}%", rate, computation, explain=explain)


def _rollup(indicator: FrameworkIndicator, forms: Sequence[Form]) -> IndicatorResult:
    """Σ 得分 ÷ Σ 分值 of the sub-projects' rows of one kind, as the sample's 实际完成率 (domain.md §6.2).

    Printed scores are used, as the sub-projects filed them; one above its weight counts at
    the weight (no bonus points, scoring.md §3.0). Rows without a score are left out, and said so.
    """
    kind = indicator.rows or ""
    contributions: list[Contribution] = []
    numerator: list[Decimal] = []
    denominator: list[Decimal] = []
    missing: list[str] = []
    for form in forms:
        project = project_name(form)
        weights, scores = ZERO, ZERO
        for row in form.indicators:
            weight = row.weight.value
            if not row.applicable or kind not in (row.level1, row.level2) or not weight or weight <= 0:
                continue
            if row.score.value is None:
                missing.append(f"{project}·{row.name or '（无名称）'}")
                continue
            score = min(max(row.score.value, ZERO), weight)
            contributions.append(
                Contribution(project, form.source, row.line, row.name or "", row.target, row.actual, weight, score)
            )
            weights, scores = weights + weight, scores + score
        if weights > 0:
            numerator.append(scores)
            denominator.append(weights)
    gaps = f"；得分缺失未计入：{'、'.join(missing)}" if missing else ""
    if not denominator:
        return IndicatorResult(
            indicator, Status.UNDETERMINED, None, explain=f"子项目自评表中没有适用的{kind}指标{gaps}"
        )
    rate = sum(numerator, ZERO) / sum(denominator, ZERO)
    shown = percent(rate, indicator.rate_decimals)
    score = round2(indicator.weight * min(shown / HUNDRED, ONE))
    computation = Computation(
        indicator.name, tuple(numerator), tuple(denominator),
        Printed(f"{num(shown)}%", shown), Printed(num(score), score), "分",
    )
    explain = (
        f"{len(denominator)}个子项目{kind}指标 得分合计{num(sum(numerator, ZERO))} ÷ 分值合计{num(sum(denominator, ZERO))}"
        f" = {num(shown)}%，{num(indicator.weight)}分×{num(shown)}% = {num(score)}分{gaps}"
    )
    return IndicatorResult(
        indicator, Status.COMPUTED, score, f"{num(shown)}%", rate, computation, contributions=tuple(contributions),
        explain=explain,
    )  # fmt: skip


def _cost_saving(indicator: FrameworkIndicator, inputs: ReportInputs) -> IndicatorResult:
    """成本节约率 = (计划成本 − 实际成本) ÷ 计划成本. No rule maps it to a score (scoring.md Q13):
    the default is the weight when 实际成本 stays within 计划成本, less the overrun's share
    beyond it; the evaluator confirms or sets it (status manual)."""
    planned = inputs.planned_cost if inputs.planned_cost is not None else inputs.total("budget")
    actual = inputs.actual_cost if inputs.actual_cost is not None else inputs.total("spent")
    if planned is None or actual is None or planned <= 0:
        return IndicatorResult(indicator, Status.UNDETERMINED, None, explain="缺少计划成本或实际成本，或计划成本为0")
    costs = CostStatement(stated(planned, inputs.unit), stated(actual, inputs.unit))
    rate = (planned - actual) / planned
    shown = percent(rate, indicator.rate_decimals)
    if actual <= planned:
        score, rule = indicator.weight, "实际成本未超出计划成本，默认得满分"
    else:
        score = round2(max(indicator.weight * (ONE + rate), ZERO))
        rule = f"实际成本超出计划成本{num(-shown)}%，默认按比例扣分"
    explain = f"(计划成本 − 实际成本) ÷ 计划成本 = {num(shown)}%；{rule}，须评价人确认（评分标准未规定得分口径）"
    return IndicatorResult(indicator, Status.MANUAL, score, f"{num(shown)}%", rate, costs=costs, explain=explain)
