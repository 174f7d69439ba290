"""Inflation signals (自评得分虚高): checks.md §7.

Full marks that the rest of the form does not support: outputs at full marks on a barely spent
budget, a cost target "met" by not spending, a narrative that admits non-completion, and
qualitative indicators claimed at 100% without a word of evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.checks.funds import shown_rate
from jixiao.checks.rows import MISALIGNED, cells, cjk_bigrams, explains, fold, full_marks, judge_rows, label
from jixiao.domain.grammar import Kind, Op, ParsedValue, Status, is_money
from jixiao.domain.labels import LEVEL2_OF
from jixiao.domain.model import Form, Indicator
from jixiao.domain.scoring import IndicatorEvaluation

FORM = frozenset({Scope.FORM})
FORM_AND_SUMMARY = frozenset({Scope.FORM, Scope.SUMMARY})
HUNDRED = Decimal(100)

# Non-completion markers of a narrative (checks.md inflation.narrative-contradiction).
NON_COMPLETION_MARKERS = ("未能", "未完成", "没有", "未举办", "未开展", "延期", "暂缓", "退回", "取消", "无法达到")
_NON_COMPLETION = re.compile("|".join(NON_COMPLETION_MARKERS) + r"|预计[^。；;！!？?\n]*?(?:继续|延续)")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]+")
_CLAUSE_BREAKS = "，,、："
# A row links to a narrative sentence when they share this many CJK bigrams.
LINKING_BIGRAMS = 2
# With no row linked, a total this high still claims near-full marks against the narrative.
# checks.md fixes it at 95; the profiles have no key for it.
NEAR_FULL_TOTAL = Decimal(95)
PHRASE_LENGTH = 40
WHOLE_FORM = "各项指标"

COST_LEVELS = frozenset({"成本", *LEVEL2_OF["成本"]})
REVERSE_OPS = frozenset({Op.LE, Op.LT})


@register
class LowExecFullOutput(Check):
    """Every 数量 indicator at full marks while the budget was far from spent."""

    code = "inflation.low-exec-full-output"
    severity = Severity.WARNING
    scopes = FORM
    message = "预算执行率仅{rate}，数量指标却全部得满分，请核实产出完成情况"

    def evaluate(self, context: Context) -> Iterator[Result]:
        rate = context.evaluation.funds.rate
        threshold = context.profile.low_execution
        if rate is None:
            yield self.undetermined("预算执行率无法计算（全年预算数或全年执行数缺失，或预算为0）")
            return
        if rate >= threshold:
            yield self.passed()
            return
        if not context.rows.aligned:
            yield self.undetermined(MISALIGNED)
            return
        quantity = [(index, row) for index, row, _ in context.rows.applicable if row.level2 == "数量"]
        if not quantity:
            yield self.undetermined("没有适用的数量指标")
            return
        marks = [full_marks(row) for _, row in quantity]
        if False in marks:
            yield self.passed()
        elif None in marks:
            yield self.undetermined("数量指标的分值或得分缺失")
        else:
            yield self.failed(
                expected=threshold,
                found=rate,
                cells={label(row, index): f"{row.score.text}/{row.weight.text}" for index, row in quantity},
                rate=shown_rate(rate),
            )


def is_cost_row(row: Indicator, target: ParsedValue) -> bool:
    """A cost target: 控制在预算数内, or an amount of money capped or filed under 成本."""
    if target.kind == Kind.BUDGET:
        return True
    return is_money(target.unit) and (target.op in REVERSE_OPS or row.level2 in COST_LEVELS)


def spent_share(target: ParsedValue, actual: ParsedValue) -> Decimal | None:
    """What the actual says was spent, as a share of the budget or cap (56% → 0.56)."""
    if actual.number is None:
        return None
    if actual.kind == Kind.PCT:
        return actual.number / HUNDRED
    if is_money(actual.unit) and is_money(target.unit) and target.number:
        return actual.number / target.number
    return None


@register
class CostUnderspend(Check):
    """A cost target scored as met because money was not spent (结余不等于节约, scoring.md §3.8–3.9)."""

    code = "inflation.cost-underspend"
    severity = Severity.WARNING
    scopes = FORM
    message = "成本指标“{name}”以未支出资金得满分（执行率{rate}，完成值{actual}），结余不等于节约"

    def evaluate(self, context: Context) -> Iterator[Result]:
        rate = context.evaluation.funds.rate
        threshold = context.profile.low_execution

        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            target, actual = evaluation.target, evaluation.actual
            if not is_cost_row(row, target):
                return None
            full = full_marks(row)
            if full is None:
                return self.undetermined("分值或得分缺失", indicator=index, cells=cells(row))
            share = spent_share(target, actual)
            # (b) nothing spent or nothing delivered, yet points were given (scoring.md §3.9).
            undelivered = actual.number == 0 or actual.status == Status.UNMET
            unearned = undelivered and row.score.value > 0
            # (a) full marks on a budget far from spent, by the funds block or by the row itself.
            underspent = full and (
                (rate is not None and rate < threshold) or (share is not None and share <= threshold)
            )
            if unearned or underspent:
                return self.failed(
                    indicator=index,
                    expected=threshold,
                    found=share if share is not None else rate,
                    cells=cells(row),
                    name=label(row, index),
                    rate=shown_rate(rate) if rate is not None else "无法计算",
                    actual=row.actual,
                )
            if full and share is None and rate is None:
                return self.undetermined("完成值无法解析且预算执行率无法计算", indicator=index, cells=cells(row))
            return self.passed(indicator=index)

        return judge_rows(self, context, judge, none_note="无成本指标", among=context.rows.applicable)


def narratives(form: Form) -> list[str]:
    """The texts that tell what was done: 实际完成情况 on a form; on a summary row also each
    完成情况 cell (checks.md inflation.narrative-contradiction)."""
    texts = [form.goals.actual or ""]
    if form.is_summary:
        texts.extend(row.actual for row in form.indicators)
    return [text for text in texts if text.strip()]


def non_completion_sentences(text: str) -> Iterator[tuple[str, frozenset[str]]]:
    """Each sentence that admits non-completion: the phrase to quote, and the sentence's bigrams.

    The quote runs from the clause holding the marker to the end of the sentence
    (受疫情影响，…，未能如期完成干部疗养，预计2023年继续使用 → 未能如期完成干部疗养，预计2023年继续使用).
    """
    for sentence in _SENTENCE_END.split(text):
        match = _NON_COMPLETION.search(sentence)
        if match is None:
            continue
        start = max(sentence.rfind(mark, 0, match.start()) for mark in _CLAUSE_BREAKS) + 1
        phrase = sentence[start:].strip()
        if len(phrase) > PHRASE_LENGTH:
            phrase = phrase[:PHRASE_LENGTH] + "…"
        yield phrase, cjk_bigrams(sentence)


@register
class NarrativeContradiction(Check):
    """实际完成情况 admits something was not done, yet the related indicators score full marks."""

    code = "inflation.narrative-contradiction"
    severity = Severity.WARNING
    scopes = FORM_AND_SUMMARY
    message = "完成情况称“{phrase}”，相关指标“{name}”却得满分"

    def evaluate(self, context: Context) -> Iterator[Result]:
        form = context.form
        texts = narratives(form)
        if not texts:
            yield self.undetermined("实际完成情况为空")
            return
        if not context.rows.aligned:
            yield self.undetermined(MISALIGNED)
            return
        admissions = [found for text in texts for found in non_completion_sentences(text)]
        if not admissions:
            yield self.passed()
            return
        linked: dict[int, str] = {}
        for index, row, _ in context.rows.applicable:
            words = cjk_bigrams(f"{row.name or ''} {row.target} {row.actual}")
            phrase = next((phrase for phrase, sentence in admissions if len(words & sentence) >= LINKING_BIGRAMS), None)
            if phrase is not None:
                linked[index] = phrase
        if not linked:
            yield self._whole_form(context, admissions[0][0])
            return
        for index, phrase in linked.items():
            yield self._linked_row(context, index, phrase)

    def _linked_row(self, context: Context, index: int, phrase: str) -> Result:
        row = context.form.indicators[index]
        if context.form.is_summary:
            # The summary prints no scores: reporting no problem (项目执行中的问题 无) is its full marks.
            claimed = _reports_no_problem(context.form)
        else:
            claimed = full_marks(row)
        if claimed is None:
            return self.undetermined("分值或得分缺失", indicator=index, cells=cells(row))
        if not claimed:
            return self.passed(indicator=index)
        return self.failed(
            indicator=index,
            found=row.score.value,
            cells={"实际完成情况": phrase, **cells(row)},
            phrase=phrase,
            name=label(row, index),
        )

    def _whole_form(self, context: Context, phrase: str) -> Result:
        form = context.form
        if form.is_summary:
            if not _reports_no_problem(form):
                return self.passed()
            return self.failed(cells={"实际完成情况": phrase}, phrase=phrase, name=WHOLE_FORM)
        total = form.total.score.value
        if total is None:
            total = context.evaluation.total_printed
        if total is None:
            return self.undetermined("总分缺失，无法判断是否接近满分", cells={"实际完成情况": phrase})
        if total < NEAR_FULL_TOTAL:
            return self.passed()
        return self.failed(
            expected=NEAR_FULL_TOTAL,
            found=total,
            cells={"实际完成情况": phrase, "总分": form.total.score.text},
            note=f"未能关联到具体指标；总分{total}≥{NEAR_FULL_TOTAL}",
            phrase=phrase,
            name=WHOLE_FORM,
        )


def _reports_no_problem(form: Form) -> bool:
    return not explains(form.summary.issues if form.summary else None)


def claims_completion(actual: ParsedValue) -> bool:
    """100%, or a status that says the target was reached (达成, 满意, 已完成)."""
    if actual.kind == Kind.PCT:
        return actual.number == HUNDRED
    return actual.number is None and actual.status == Status.MET


@register
class Qual100(Check):
    """A qualitative indicator at 100% and full marks with nothing to back it."""

    code = "inflation.qual-100"
    severity = Severity.WARNING
    scopes = FORM
    message = "定性指标“{name}”以“{actual}”填报并得满分，缺少完成情况佐证说明"

    def evaluate(self, context: Context) -> Iterator[Result]:
        narrative: list[str] = []  # folded 实际完成情况, only once a row needs it

        def mentioned(name: str) -> bool:
            if not narrative:
                narrative.append(fold(context.form.goals.actual or ""))
            return bool(name) and name in narrative[0]

        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            if evaluation.target.kind != Kind.QUAL:
                return None
            if not claims_completion(evaluation.actual):
                return self.passed(indicator=index)
            full = full_marks(row)
            if full is None:
                return self.undetermined("分值或得分缺失", indicator=index, cells=cells(row))
            if not full or explains(row.deviation) or mentioned(fold(row.name or "")):
                return self.passed(indicator=index)
            return self.failed(
                indicator=index,
                found=row.score.value,
                cells=cells(row),
                name=label(row, index),
                actual=row.actual,
            )

        return judge_rows(self, context, judge, none_note="无定性指标", among=context.rows.applicable)
