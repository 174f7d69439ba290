"""Checks of the funds block (项目资金 / 资金使用情况): checks.md §1.

The rate is B/A with A = 全年预算数 and B = 全年执行数 of 年度资金总额 (scoring.md §2.1). A zero
A makes every rate-based check `n/a` on a form: funds.zero-budget alone reports that case.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.domain.model import PLACEHOLDERS, FundsBlock, FundsRow, Printed
from jixiao.domain.score_formulas import num
from jixiao.domain.scoring import round2

FORM = frozenset({Scope.FORM})
FORM_AND_SUMMARY = frozenset({Scope.FORM, Scope.SUMMARY})

HUNDRED = Decimal(100)
CENT = Decimal("0.01")  # 元: the tolerance on amounts (checks.md §1)
BASIS_POINT = Decimal("0.0001")
ZERO = Decimal(0)

# The three amount columns, in printed order, with their labels on forms.
COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))
SUB_ROWS = (("fiscal", "当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
NOT_A_ZERO_BUDGET_CHECK = "全年预算数为0，见funds.zero-budget"
# The two rounding conventions of the funds score (scoring.md §2.3), as a note names them.
CONVENTION_TEXT = {"rate2dp": "分值×round(执行率,2)", "full": "round(分值×执行率,2)"}


def last_digit_unit(value: Decimal) -> Decimal:
    """One unit of the last printed digit: 0.56 → 0.01, 59.7 → 0.1, 85 → 1 (scoring.md §2.4).

    `Decimal` keeps the printed exponent, so the tolerance comes from the cell text itself.
    """
    return Decimal(1).scaleb(value.as_tuple().exponent)


def shown_rate(rate: Decimal) -> str:
    """A fraction as a reader sees a rate: 0.55964 → 55.96%."""
    return f"{num(round2(rate * HUNDRED))}%"


def _amount_cells(form_is_summary: bool, row_name: str, row: FundsRow, rate: Printed) -> dict[str, str]:
    """The printed cells behind a rate; the summary table names its columns its own way (domain.md §6.1)."""
    if form_is_summary:
        return {
            "项目年度预算金额": row.adjusted.text,
            "实际支出金额": row.executed.text,
            "预算支出执行率": rate.text,
        }
    return {
        f"{row_name}·全年预算数": row.adjusted.text,
        f"{row_name}·全年执行数": row.executed.text,
        f"{row_name}·执行率": rate.text,
    }


def _total_cells(context: Context) -> dict[str, str]:
    """The 年度资金总额 cells behind the form's rate, as evidence."""
    funds = context.form.funds
    return _amount_cells(context.form.is_summary, "年度资金总额", funds.total, funds.rate)


def _is_zero_budget_on_form(context: Context) -> bool:
    """A = 0 on a form: funds.zero-budget reports it, the rate-based checks stand aside."""
    adjusted = context.form.funds.total.adjusted.value
    return adjusted == ZERO and not context.form.is_summary


@register
class RateMismatch(Check):
    """执行率 printed on the form disagrees with 全年执行数 ÷ 全年预算数."""

    code = "funds.rate-mismatch"
    severity = Severity.ERROR
    scopes = FORM_AND_SUMMARY
    message = "执行率填报{found}，按全年执行数÷全年预算数计算为{expected}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        funds = context.form.funds
        summary = context.form.is_summary
        yield self._compare("年度资金总额", funds.total, funds.rate, funds, summary)
        # 2021 layouts repeat the rate on each sub-row (domain.md §5.1); the 2022 layout prints "—".
        for attribute, row_name in SUB_ROWS:
            sub_row: FundsRow = getattr(funds, attribute)
            if sub_row.rate.text not in PLACEHOLDERS:
                yield self._compare(row_name, sub_row, sub_row.rate, funds, summary)

    def _compare(self, row_name: str, row: FundsRow, rate: Printed, funds: FundsBlock, summary: bool) -> Result:
        adjusted, executed = row.adjusted.value, row.executed.value
        if adjusted == ZERO:
            return self.not_applicable(f"{row_name}全年预算数为0，执行率无定义")
        if adjusted is not None and executed is not None and rate.value is not None:
            # Compare in the printed scale: a fraction on 2021 forms, percentage points on 2022 forms.
            if abs(rate.value - executed / adjusted * funds.rate_scale) <= last_digit_unit(rate.value):
                return self.passed()
            expected = (executed / adjusted).quantize(BASIS_POINT) * funds.rate_scale
            return self.failed(expected=expected, found=rate.value, cells=_amount_cells(summary, row_name, row, rate))
        named = (("全年预算数", row.adjusted), ("全年执行数", row.executed), ("执行率", rate))
        missing = "、".join(name for name, printed in named if printed.value is None)
        return self.undetermined(
            f"{row_name}的{missing}缺失或不是数字", cells=_amount_cells(summary, row_name, row, rate)
        )


@register
class ScoreMismatch(Check):
    """预算执行率得分 printed differs from 分值 × 执行率 under both rounding conventions."""

    code = "funds.score-mismatch"
    severity = Severity.ERROR
    scopes = FORM
    message = "预算执行率得分填报{found}，应为{expected}（分值{w}×执行率）"

    def evaluate(self, context: Context) -> Iterator[Result]:
        funds = context.form.funds
        printed = {
            "分值": funds.weight,
            "全年预算数": funds.total.adjusted,
            "全年执行数": funds.total.executed,
            "得分": funds.score,
        }
        cells = {name: cell.text for name, cell in printed.items()}
        if _is_zero_budget_on_form(context):
            yield self.not_applicable(NOT_A_ZERO_BUDGET_CHECK)
            return
        missing = [name for name, cell in printed.items() if cell.value is None]
        evaluation = context.evaluation.funds
        if missing or evaluation.score_rate2dp is None or evaluation.score_full is None:
            yield self.undetermined(f"{'、'.join(missing) or '执行率'}缺失或不是数字", cells=cells)
            return
        found = funds.score.value
        # scoring.md §2.3: either convention is accepted; the profile's is the one asked for.
        conventions = {"rate2dp": evaluation.score_rate2dp, "full": evaluation.score_full}
        preferred = context.profile.funds_rounding
        other = "full" if preferred == "rate2dp" else "rate2dp"
        tolerance = context.profile.tol_funds_score
        if abs(found - conventions[preferred]) <= tolerance:
            yield self.passed()
        elif abs(found - conventions[other]) <= tolerance:
            profile = context.profile.name
            note = f"得分符合{other}口径{CONVENTION_TEXT[other]}，非规则配置{profile}的{preferred}口径"
            yield self.passed(note=note)
        else:
            yield self.failed(
                expected=conventions[preferred],
                found=found,
                cells=cells,
                note=f"rate2dp口径{num(conventions['rate2dp'])}，full口径{num(conventions['full'])}",
                w=funds.weight.value,
            )


@register
class SubtotalMismatch(Check):
    """当年财政拨款 + 上年结转资金 + 其他资金 does not add up to 年度资金总额, per column."""

    code = "funds.subtotal-mismatch"
    severity = Severity.ERROR
    scopes = FORM
    message = "{列}：当年财政拨款+上年结转资金+其他资金={sum}，与年度资金总额{total}不符"

    def evaluate(self, context: Context) -> Iterator[Result]:
        funds = context.form.funds
        for attribute, column in COLUMNS:
            total: Printed = getattr(funds.total, attribute)
            parts = [(row_name, getattr(getattr(funds, row), attribute)) for row, row_name in SUB_ROWS]
            # "—" or blank is no value, never 0; "0.00" is a value (domain.md §7.13).
            missing = [name for name, part in parts if part.value is None]
            if total.value is None:
                missing.insert(0, "年度资金总额")
            if missing:
                cells = _column_cells(column, total, parts)
                yield self.undetermined(f"{column}：{'、'.join(missing)}缺失或不是数字", cells=cells)
                continue
            subtotal = sum((part.value for _, part in parts), ZERO)
            if abs(subtotal - total.value) <= CENT:
                yield self.passed()
            else:
                cells = _column_cells(column, total, parts)
                yield self.failed(
                    expected=total.value, found=subtotal, cells=cells, 列=column, sum=subtotal, total=total.value
                )


def _column_cells(column: str, total: Printed, parts: list[tuple[str, Printed]]) -> dict[str, str]:
    """The printed cells of one amount column, as evidence."""
    return {f"{name}·{column}": part.text for name, part in [("年度资金总额", total), *parts]}


@register
class OverBudget(Check):
    """全年执行数 exceeds 全年预算数, or the printed rate is above 100%."""

    code = "funds.over-budget"
    severity = Severity.ERROR
    scopes = FORM_AND_SUMMARY
    message = "全年执行数{B}超过全年预算数{A}，执行率{rate}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        funds = context.form.funds
        adjusted, executed = funds.total.adjusted.value, funds.total.executed.value
        if _is_zero_budget_on_form(context):
            yield self.not_applicable(NOT_A_ZERO_BUDGET_CHECK)
        elif adjusted is None or executed is None:
            yield self.undetermined("全年预算数或全年执行数缺失", cells=_total_cells(context))
        elif executed <= adjusted + CENT and (funds.rate_claimed is None or funds.rate_claimed <= 1):
            yield self.passed()
        else:
            over = executed > adjusted + CENT
            # Within budget, only the printed rate is above 100%: show that rate, not B/A.
            rate = shown_rate(executed / adjusted) if over and adjusted > ZERO else funds.rate.text
            cells = _total_cells(context)
            yield self.failed(expected=adjusted, found=executed, cells=cells, B=executed, A=adjusted, rate=rate)


@register
class ZeroBudget(Check):
    """全年预算数 is 0: the execution cannot be assessed, and nothing may be claimed for it."""

    code = "funds.zero-budget"
    severity = Severity.ERROR
    scopes = FORM
    message = "全年预算数为0，执行率无法计算，却填报执行数{B}或得分{found}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        funds = context.form.funds
        adjusted, executed, score = funds.total.adjusted.value, funds.total.executed.value, funds.score.value
        if adjusted is not None and adjusted != ZERO:
            # Only A counts: a 年初预算数 of 0 with A > 0 is a mid-year addition (scoring.md §2.5).
            yield self.passed()
            return
        cells = {
            "年初预算数": funds.total.initial.text,
            "全年预算数": funds.total.adjusted.text,
            "全年执行数": funds.total.executed.text,
            "执行率": funds.rate.text,
            "得分": funds.score.text,
        }
        if adjusted is None:
            yield self.undetermined("全年预算数缺失或不是数字", cells=cells)
        elif (executed or ZERO) > ZERO or (score or ZERO) > ZERO or funds.rate.present:
            yield self.failed(expected=ZERO, found=score, cells=cells, B=executed)
        else:
            yield self.undetermined("全年预算数为0，无法评价预算执行情况", cells=cells)


@register
class LowExecution(Check):
    """预算执行率 below the profile's low-execution threshold."""

    code = "funds.low-execution"
    severity = Severity.WARNING
    scopes = FORM_AND_SUMMARY
    message = "预算执行率{rate}低于{threshold}，请说明原因并核实产出、成本指标得分"

    def evaluate(self, context: Context) -> Iterator[Result]:
        funds = context.form.funds
        rate = context.evaluation.funds.rate
        threshold = context.profile.low_execution
        if _is_zero_budget_on_form(context):
            yield self.not_applicable(NOT_A_ZERO_BUDGET_CHECK)
        elif rate is None:
            yield self.undetermined("全年预算数或全年执行数缺失，无法计算执行率", cells=_total_cells(context))
        elif rate < threshold:
            yield self.failed(
                expected=threshold,
                found=rate.quantize(BASIS_POINT),
                cells=_total_cells(context),
                rate=shown_rate(rate),
                threshold=shown_rate(threshold),
            )
        else:
            yield self.passed()


@register
class BigAdjustment(Check):
    """全年预算数 moved far from 年初预算数 during the year."""

    code = "funds.big-adjustment"
    severity = Severity.WARNING
    scopes = FORM
    message = "全年预算数{A}较年初预算数{A0}变动{pct}，请说明预算调整原因"

    def evaluate(self, context: Context) -> Iterator[Result]:
        total = context.form.funds.total
        initial, adjusted = total.initial.value, total.adjusted.value
        cells = {"年初预算数": total.initial.text, "全年预算数": total.adjusted.text}
        if initial is None or adjusted is None:
            yield self.undetermined("年初预算数或全年预算数缺失", cells=cells)
        elif initial <= ZERO:
            yield self.not_applicable("年中新增" if adjusted > ZERO else "年初、全年预算数均为0")
        else:
            change = (adjusted - initial) / initial
            if abs(change) > context.profile.big_adjustment:
                pct = _signed_percent(change)
                yield self.failed(expected=initial, found=adjusted, cells=cells, A=adjusted, A0=initial, pct=pct)
            else:
                yield self.passed()


def _signed_percent(change: Decimal) -> str:
    """+602%, -47%: a whole percentage with its sign, as checks.md §1 writes budget changes."""
    points = (change * HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{'+' if points >= 0 else ''}{points}%"
