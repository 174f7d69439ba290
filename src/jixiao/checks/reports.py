"""Checks of an evaluation report (绩效评价报告): checks.md §9.

A report check sees a `ReportContext` (the report as stated and the rule profile), not a form.
`review_report` runs every check scoped for reports: the three report.* checks below, and
grade.mismatch (scopes F R), which is shown the report's total and grade as a form's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from jixiao.checks import scores  # noqa: F401  (registers grade.mismatch, which reports share)
from jixiao.checks.base import REGISTRY, Check, Context, Outcome, Result, Scope, Severity, register
from jixiao.checks.funds import last_digit_unit
from jixiao.domain.model import Form, parse_number
from jixiao.domain.model import Total as FormTotal
from jixiao.domain.profiles import Profile
from jixiao.domain.report import Report, ReportRow
from jixiao.domain.scoring import Evaluation, FundsEvaluation, RowStatus
from jixiao.domain.score_formulas import HUNDRED, ZERO, num, round2

REPORT = frozenset({Scope.REPORT})
ONE = Decimal(1)
# 评分标准 formulas: `资金到位率=(实际到位资金/预算资金)×100%` and
# `成本节约率=[(计划成本-实际成本)/计划成本]×100%` (report sample, 附表).
RATIO_FORMULA = re.compile(r"\S*?率\s*=\s*[(（]\s*[^/()（）]+?\s*/\s*[^()（）]+?\s*[)）]\s*[×xX*]\s*100\s*%")
SAVING_FORMULA = re.compile(
    r"\S*?率\s*=\s*[\[［]\s*[(（]\s*[^()（）]+?\s*[-−－]\s*[^()（）]+?\s*[)）]\s*/\s*[^\]］]+?\s*[\]］]\s*[×xX*]\s*100\s*%"
)


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What a report check sees: the report as stated, and the rule profile (grades, tolerances)."""

    report: Report
    profile: Profile

    def as_form_context(self) -> Context:
        """The report's total and grade as a form's, for the checks that apply to both (grade.mismatch).

        jixiao's total is the sum of the table's 三级 scores; the printed one is 综合评价得分.
        """
        report = self.report
        stated = report.total if report.total.present else report.table_score
        total = _sum_scores(report.rows)
        form = Form(source=report.source, total=FormTotal(report.table_weight, stated), grade_claimed=report.grade_claimed)
        funds = FundsEvaluation(None, None, None, None, RowStatus.UNDETERMINED, "评价报告没有预算执行率得分行")
        evaluation = Evaluation(
            self.profile.name, self.profile.version, funds, (), total, stated.value, self.profile.grade(total)
        )
        return Context(form, evaluation, self.profile)


class ReportCheck(Check):
    """A check of a report: `evaluate` takes a ReportContext."""

    def evaluate(self, context: ReportContext) -> Iterator[Result]:  # type: ignore[override]
        raise NotImplementedError


@register
class Weights(ReportCheck):
    """The report's indicator weights do not add up: to 100 over the 一级, or within a 一级 to
    the weight printed with it (决策 (20分))."""

    code = "report.weights"
    severity = Severity.ERROR
    scopes = REPORT
    message = "指标体系权重合计{sum}（应为100）；“{level1}”下属权重合计{sub}，与其权重{claimed}不符"

    def evaluate(self, context: ReportContext) -> Iterator[Result]:
        rows = context.report.rows
        tolerance = context.profile.tol_weight
        if not rows:
            yield self.not_applicable("报告没有指标体系表")
            return
        missing = [row.name_text or row.name for row in rows if row.weight.value is None]
        if missing:
            yield self.undetermined(f"权重无法读取：{'、'.join(missing)}")
            return
        total = sum((row.weight.value for row in rows if row.weight.value is not None), ZERO)
        blocks = _blocks(rows)
        failed = False
        for level1, (first, members) in blocks.items():
            sub = sum((row.weight.value for row in members if row.weight.value is not None), ZERO)
            claimed = next((row.level1_weight.value for row in members if row.level1_weight.present), None)
            if claimed is not None and abs(sub - claimed) > tolerance:
                failed = True
                yield self.failed(
                    indicator=first, expected=claimed, found=sub, sum=total, level1=level1, sub=sub, claimed=claimed,
                    cells={"一级指标": members[0].level1_text, "权重": "+".join(row.weight.text for row in members)},
                )  # fmt: skip
        printed = context.report.table_weight.value
        if abs(total - 100) > tolerance or (printed is not None and abs(printed - 100) > tolerance):
            failed = True
            level1, (first, members) = next(iter(blocks.items()))
            claimed = next((row.level1_weight.value for row in members if row.level1_weight.present), None)
            sub = sum((row.weight.value for row in members if row.weight.value is not None), ZERO)
            yield self.failed(
                expected=Decimal(100), found=total, sum=total, level1=level1, sub=sub, claimed=claimed,
                cells={"总分权重": context.report.table_weight.text},
            )  # fmt: skip
        if not failed:
            yield self.passed()


@register
class Total(ReportCheck):
    """综合评价得分 (or the table's 总分) differs from the sum of the 三级 scores."""

    code = "report.total"
    severity = Severity.ERROR
    scopes = REPORT
    message = "综合评价得分填报{found}，各指标得分合计为{expected}"

    def evaluate(self, context: ReportContext) -> Iterator[Result]:
        report = context.report
        if not report.rows:
            yield self.not_applicable("报告没有指标体系表")
            return
        expected = _sum_scores(report.rows)
        if expected is None:
            missing = [row.name_text or row.name for row in report.rows if row.score.value is None]
            yield self.undetermined(f"得分缺失：{'、'.join(missing)}")
            return
        stated = (("综合评价得分", report.total), ("总分", report.table_score))
        printed = [(label, value) for label, value in stated if value.present]
        if not printed:
            yield self.undetermined("报告未写明综合评价得分", expected=expected)
            return
        failed = False
        for label, value in printed:
            if value.value is not None and abs(value.value - expected) > context.profile.tol_total:
                failed = True
                yield self.failed(expected=expected, found=value.value, cells={label: value.text})
        if not failed:
            yield self.passed()


@register
class Formula(ReportCheck):
    """A rate indicator's 完成值 or score that its own formula (评分标准) cannot give from the
    amounts the text states, e.g. a 成本节约率 stated as 100% where 计划成本 = 实际成本."""

    code = "report.formula"
    severity = Severity.ERROR
    scopes = REPORT
    message = "“{indicator}”按“{formula}”计算应为{expected}，报告为{found}"

    def evaluate(self, context: ReportContext) -> Iterator[Result]:
        report = context.report
        checked = False
        for index, row in enumerate(report.rows):
            saving = SAVING_FORMULA.search(row.criteria)
            ratio = None if saving else RATIO_FORMULA.search(row.criteria)
            if saving:
                checked = True
                yield from self._saving(index, row, saving.group(), report)
            elif ratio:
                checked = True
                yield from self._ratio(index, row, ratio.group(), context)
        if not checked:
            yield self.not_applicable("报告的评分标准中没有计算公式")

    def _ratio(self, index: int, row: ReportRow, formula: str, context: ReportContext) -> Iterator[Result]:
        computation = context.report.computation(row.name)
        rate = computation.rate if computation is not None else None
        if computation is None or rate is None:
            yield self.undetermined(f"报告正文未给出“{row.name}”的计算数据", indicator=index, found=row.achieved)
            return
        found = _stated_percent(row.achieved) or computation.result.value
        cells = {"完成值": row.achieved, "得分": row.score.text, "计算": computation.text}
        if found is None:
            yield self.undetermined(f"“{row.name}”的完成值无法读取", indicator=index, cells=cells)
            return
        failed = False
        if abs(found - rate * HUNDRED) > last_digit_unit(found):
            failed = True
            yield self._failed(index, row, formula, _percent_text(rate), f"{num(found)}%", cells)
        weight, score = row.weight.value, row.score.value
        if weight is not None and score is not None and not failed:
            # A score the formula can produce: weight × the recomputed rate, or × the rate as
            # stated to its printed digits (78% → 7.8 for 77.78%; scoring.md §8 example 19).
            candidates = (round2(weight * min(rate, ONE)), round2(weight * min(found / HUNDRED, ONE)))
            if all(abs(score - candidate) > context.profile.tol_row_score for candidate in candidates):
                failed = True
                formula = f"{num(weight)}分×{formula}"
                yield self._failed(index, row, formula, f"{num(candidates[0])}分", f"{num(score)}分", cells)
        if not failed:
            yield self.passed(indicator=index)

    def _saving(self, index: int, row: ReportRow, formula: str, report: Report) -> Iterator[Result]:
        """成本节约率: the rate only; no rule maps it to a score (scoring.md Q13)."""
        costs = report.costs
        rate = costs.saving if costs is not None else None
        if costs is None or rate is None:
            yield self.undetermined("报告正文未给出计划成本和实际成本", indicator=index, found=row.achieved)
            return
        found = _stated_percent(row.achieved)
        cells = {"完成值": row.achieved, "计划成本": costs.planned.text + report.unit, "实际成本": costs.actual.text + report.unit}
        if found is None:
            yield self.undetermined(f"“{row.name}”的完成值无法读取", indicator=index, cells=cells)
        elif abs(found - rate * HUNDRED) > last_digit_unit(found):
            note = _budget_note(report, costs.actual.value)
            yield self._failed(index, row, formula, _percent_text(rate), f"{num(found)}%", cells, note)
        else:
            yield self.passed(indicator=index)

    def _failed(
        self,
        index: int,
        row: ReportRow,
        formula: str,
        expected: str,
        found: str,
        cells: dict[str, str],
        note: str | None = None,
    ) -> Result:
        # The template's {indicator} is the indicator's name; the result's `indicator` is its row.
        result = self.failed(indicator=index, expected=expected, found=found, cells=cells, note=note)
        return replace(result, message=self.format(indicator=row.name, formula=formula, expected=expected, found=found))


def _budget_note(report: Report, actual: Decimal | None) -> str | None:
    """The rate with 计划成本 = Σ 预算资金, which 评分标准 names as its usual reference."""
    budgets = [category.budget.value for category in report.categories]
    if actual is None or not budgets or None in budgets:
        return None
    budget = sum(budgets, ZERO)  # type: ignore[arg-type]
    if budget <= 0:
        return None
    return f"以预算资金{num(budget / 10000)}万元为计划成本时为{_percent_text((budget - actual) / budget)}"


def _stated_percent(text: str) -> Decimal | None:
    """The percentage a 完成值 states ("99.63%" → 99.63); None for 符合 and the like."""
    if "%" not in text and "％" not in text:
        return None
    return parse_number(text.replace("％", "%"))


def _percent_text(rate: Decimal) -> str:
    return f"{num(round2(rate * HUNDRED))}%"


def _sum_scores(rows: Sequence[ReportRow]) -> Decimal | None:
    if not rows or any(row.score.value is None for row in rows):
        return None
    return sum((row.score.value for row in rows if row.score.value is not None), ZERO)


def _blocks(rows: Sequence[ReportRow]) -> dict[str, tuple[int, list[ReportRow]]]:
    """Rows per 一级, with the index of each block's first row."""
    blocks: dict[str, tuple[int, list[ReportRow]]] = {}
    for index, row in enumerate(rows):
        blocks.setdefault(row.level1, (index, []))[1].append(row)
    return blocks


# --- running them


@dataclass(frozen=True, slots=True)
class ReportReview:
    """A report and every report-scoped check's results on it."""

    report: Report
    results: tuple[Result, ...]

    @property
    def findings(self) -> list[Result]:
        """Failures and undetermined results, errors first."""
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        found = [result for result in self.results if result.is_finding]
        return sorted(found, key=lambda result: (order[result.severity], result.outcome != Outcome.FAIL))

    @property
    def has_errors(self) -> bool:
        return any(r.severity is Severity.ERROR and r.outcome is Outcome.FAIL for r in self.results)

    def flatten(self, *fields: str) -> list[tuple[Any, ...]]:
        return [tuple(getattr(result, name) for name in fields) for result in self.findings]

    def json(self) -> list[dict[str, Any]]:
        """The findings with their evidence: the report file, the table row and its line."""
        out = []
        for result in self.findings:
            row = self.report.rows[result.indicator] if result.indicator is not None else None
            out.append(
                {
                    "code": result.code,
                    "severity": result.severity.value,
                    "outcome": result.outcome.value,
                    "message": result.message,
                    "indicator": result.indicator,
                    "expected": result.expected,
                    "found": result.found,
                    "evidence": {
                        "file": self.report.source.file,
                        "form": self.report.title,
                        "row": row.line if row is not None else None,
                        "cells": dict(result.cells),
                    },
                    **({"note": result.note} if result.note else {}),
                }
            )
        return out


def review_report(report: Report, profile: Profile, *, pick: Sequence[str] | None = None) -> ReportReview:
    """Run every check scoped for reports (or only the codes in `pick`) on a report."""
    context = ReportContext(report, profile)
    form_context: Context | None = None
    results: list[Result] = []
    for code in sorted(REGISTRY):
        check_class = REGISTRY[code]
        if Scope.REPORT not in check_class.scopes or (pick is not None and code not in pick):
            continue
        check = check_class()
        if isinstance(check, ReportCheck):
            results.extend(check.evaluate(context))
        else:
            form_context = form_context or context.as_form_context()
            results.extend(check.evaluate(form_context))
    return ReportReview(report, tuple(results))
