"""Which rule scores an indicator row (三级指标), and with which inputs: scoring.md §3.

A row's target and actual are parsed once (target-grammar.md), then the target's kind picks
the rule. The result says how sure it is: a settled formula is `scored`; a rule that needs a
reviewer is `manual`, with the default's value as a hint where the docs give one; data that
cannot be compared is `undetermined`, with the grammar's reason code (target-grammar.md §7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from jixiao.domain.grammar import Direction, Kind, Op, ParsedValue, Status, parse_actual, parse_target, unit_relation
from jixiao.domain.model import Indicator
from jixiao.domain.score_formulas import (
    APPROX,
    BUDGET,
    DEADLINE,
    HUNDRED,
    MULTI,
    NIL,
    NOT_APPLICABLE,
    PERIOD,
    QUALITATIVE,
    ZERO,
    ZERO_COST,
    ZERO_TARGET,
    IndicatorEvaluation,
    QualBand,
    RowRules,
    RowStatus,
    Verdict,
    is_reverse,
    manual,
    non_negative,
    num,
    positive,
    reverse,
    round2,
    rule_of,
    shown,
    undetermined,
    zero_verdict,
)

# No row can weigh more than the form's 100-point total (domain.md §4); a larger number is
# a misread cell, and scoring it would only produce a meaningless figure.
MAX_WEIGHT = HUNDRED
ONE = Decimal(1)
MONEY = "元"
NUMERIC_KINDS = (Kind.QUANT, Kind.PCT, Kind.ZERO)
NO_VALUE = (Kind.NA, Kind.INVALID)

# Band words read from a qualitative actual, most specific first (scoring.md §3.10): 未达成 and
# 部分达成 contain 达成, 不满意 contains 满意, so the order decides.
BAND_WORDS: tuple[tuple[str, int], ...] = (
    ("部分达成", 1),
    ("部分完成", 1),
    ("未达成", 2),
    ("未完成", 2),
    ("不满意", 2),
    ("达成", 0),
    ("满意", 0),
    ("完成", 0),
)
BAND_OF_STATUS = {Status.MET: 0, Status.PARTIAL: 1, Status.UNMET: 2}

# Rows scored so far, by the rules without the form's amounts, then by the row's own cells.
# Bounded: a batch has a few fiscal years × profiles; at most 8 × 8,192 evaluations are kept.
_SCORED: dict[RowRules, dict[tuple[object, ...], IndicatorEvaluation]] = {}
_SCORED_RULES = 8
_SCORED_ROWS = 8192


def score_indicators(rows: Sequence[Indicator], rules: RowRules) -> tuple[IndicatorEvaluation, ...]:
    """`score_indicator` for each row of a form, each distinct row scored once.

    Rows repeat across the forms of a batch (满意度 ≥90% → 95%, 无 → 无), and a row's evaluation
    depends only on its own cells, the profile's rules and the fiscal year. A budget target
    (控制在预算数内) is the exception: it reads the form's 全年预算数 and 全年执行数, so those
    rows are scored afresh on every form.
    """
    shared = replace(rules, budget=None, executed=None)
    scored = _SCORED.get(shared)
    if scored is None:
        if len(_SCORED) >= _SCORED_RULES:
            _SCORED.clear()
        scored = _SCORED[shared] = {}
    evaluations = []
    for row in rows:
        cells = (row.target, row.actual, row.level2, row.name, row.applicable, row.weight.text, row.weight.value)
        evaluation = scored.get(cells)
        if evaluation is None:
            evaluation = score_indicator(row, rules)
            if evaluation.target.kind is not Kind.BUDGET:
                if len(scored) >= _SCORED_ROWS:
                    scored.clear()
                scored[cells] = evaluation
        evaluations.append(evaluation)
    return tuple(evaluations)


def score_indicator(row: Indicator, rules: RowRules) -> IndicatorEvaluation:
    """Parse a row's target and actual once and score them under the profile's rules."""
    year = rules.fiscal_year
    target = parse_target(row.target, level2=row.level2, name=row.name, fiscal_year=year)
    actual = parse_actual(row.actual, target, level2=row.level2, name=row.name, fiscal_year=year)
    not_applicable = target.kind is Kind.NA or not row.applicable
    # parse_target has already run infer_direction (target-grammar.md §6) and kept its answer.
    direction = None if not_applicable else target.direction
    source = None if not_applicable else target.direction_source
    if target.kind is Kind.BUDGET and target.value is None and rules.budget is not None:
        # A budget target's value is A from the funds block (target-grammar.md §3, notes).
        target = replace(target, value=rules.budget, unit=MONEY)

    weight = row.weight.value
    if weight is not None and not ZERO <= weight <= MAX_WEIGHT:
        weight = None
    if weight is None:
        # Without a usable weight there is no score, but whether the target was met, and by
        # how much, still holds (a department summary row has no weights at all).
        reason = "weight_missing" if row.weight.value is None else "weight_invalid"
        unweighted = None if not_applicable else _score_applicable(target, actual, ONE, direction, rules)
        rule = NOT_APPLICABLE if unweighted is None else unweighted.rule
        verdict = undetermined(reason, rule)
        if unweighted is not None:
            verdict = replace(verdict, met=unweighted.met, ratio=unweighted.ratio)
    elif not_applicable:
        verdict = Verdict(NIL, None, None, f"不适用指标：分值{num(weight)}，应得0分", NOT_APPLICABLE)
    else:
        verdict = _score_applicable(target, actual, weight, direction, rules)

    return IndicatorEvaluation(
        kind=Kind.NA.value if not_applicable else target.kind.value,
        status=verdict.status,
        score=verdict.score,
        explain=verdict.explain,
        rule=verdict.rule,
        target=target,
        actual=actual,
        direction=direction,
        direction_source=source,
        met=verdict.met,
        ratio=verdict.ratio,
        band=verdict.band,
        reason=verdict.reason,
    )


def _score_applicable(
    target: ParsedValue,
    actual: ParsedValue,
    weight: Decimal,
    direction: Direction | None,
    rules: RowRules,
) -> Verdict:
    kind = target.kind
    if kind is Kind.DEADLINE:
        return _deadline(target, actual, weight, rules)
    if kind is Kind.INVALID or target.undetermined:
        return undetermined(target.undetermined or "empty", rule_of(kind, target.op, direction))
    if kind is Kind.BUDGET:
        return _budget(actual, weight, rules)
    if kind is Kind.ZERO:
        return _zero(actual, weight)
    if kind is Kind.QUAL:
        return _qualitative(actual, weight, rules)
    if kind is Kind.PERIOD:
        return _period(target, actual, weight)
    if kind is Kind.MULTI:
        return _multi(target, actual, weight, direction, rules)
    if actual.kind is Kind.MULTI and not actual.undetermined:
        return _each_actual_part(target, actual, weight, direction, rules)
    reason = actual.undetermined or _incomparable(target, actual)
    if reason:
        return undetermined(reason, rule_of(kind, target.op, direction))
    if actual.number == 0 and target.unit == MONEY and is_reverse(target.op, direction):
        # Spending nothing against a money ceiling (≤133,500元 → 0; 20万元/个 → 0元/个) is a
        # cost target with an actual of 0 (scoring.md §3.9). A rate of 0 (偏差率 ≤10% → 0%) is not.
        return _zero_cost(rules)
    return _numeric(target, actual, weight, direction, rules)


# --- numeric targets: positive, equal, reverse, approximate, range (§3.1, 3.2, 3.4, 3.5, 3.12)


def _incomparable(target: ParsedValue, actual: ParsedValue) -> str | None:
    """Why a single actual cannot be set against a numeric target, if it cannot."""
    if actual.kind in NO_VALUE:
        return "empty"
    if actual.number is None or unit_relation(target, actual) == "incompatible":
        return "unit_incompatible"
    return None


def _numeric(
    target: ParsedValue, actual: ParsedValue, weight: Decimal, direction: Direction | None, rules: RowRules
) -> Verdict:
    x = non_negative(actual.number)
    sides = shown(actual), shown(target)
    if target.op is Op.RANGE and isinstance(target.value, tuple):
        # No rule covers a range (1-2场); its near end is the target in the row's direction.
        lo, hi = target.value
        if direction is Direction.REVERSE:
            return reverse(x, hi, weight, rules, sides)
        return positive(x, lo, weight, sides, with_ratio=False)
    t = target.number
    if t is None:
        return undetermined("empty", rule_of(target.kind, target.op, direction))
    if target.op is Op.APPROX:
        # No rule is known for 约N (scoring.md §3.5, Q6): a reviewer decides; positive on N is the hint.
        hint = positive(x, t, weight, sides)
        explain = f"约数指标，无评分规则，需人工判定；参考{hint.explain}"
        return manual("approx", replace(hint, rule=APPROX, explain=explain), rules)
    if t <= 0 and (target.op is Op.EQ or is_reverse(target.op, direction)):
        return zero_verdict(x <= 0, weight, sides[0])
    if is_reverse(target.op, direction):
        return reverse(x, t, weight, rules, sides)
    return positive(x, t, weight, sides)


def _each_actual_part(
    target: ParsedValue, actual: ParsedValue, weight: Decimal, direction: Direction | None, rules: RowRules
) -> Verdict:
    """One target, several actual values (单个课题经费 ≤40万 → 19.8万；19.73万): each part is set
    against the target. Whether the parts are items or a split total is for a reviewer."""
    verdicts = []
    for part in actual.parts:
        if part.number is None or unit_relation(target, part) == "incompatible":
            return undetermined("unit_incompatible", rule_of(target.kind, target.op, direction))
        verdicts.append(_numeric(target, part, weight, direction, rules))
    if not verdicts:
        return undetermined("unit_incompatible", rule_of(target.kind, target.op, direction))
    return _lowest_of(verdicts, rules)


# --- zero, budget and cost (§3.3, 3.8, 3.9)


def _zero(actual: ParsedValue, weight: Decimal) -> Verdict:
    """0 / 投诉为零: w when nothing happened, else 0 (scoring.md §3.3)."""
    if actual.undetermined:
        return undetermined(actual.undetermined, ZERO_TARGET)
    number = actual.number
    # 0, 0%, 0次 read plainly; a nonzero percentage is a status (100% ⇒ met, target-grammar.md §4).
    if number is not None and number <= 0:
        return zero_verdict(True, weight, shown(actual))
    if actual.status is not None:
        return zero_verdict(actual.status is Status.MET, weight, shown(actual))
    if number is not None:
        return zero_verdict(False, weight, shown(actual))
    # 无投诉, or a bare 无, as the actual of a zero target says that none happened.
    if actual.kind is Kind.ZERO or (actual.kind is Kind.NA and actual.normalized == "无"):
        return zero_verdict(True, weight, shown(actual))
    return undetermined("empty" if actual.kind in NO_VALUE else "unit_incompatible", ZERO_TARGET)


def _budget(actual: ParsedValue, weight: Decimal, rules: RowRules) -> Verdict:
    """控制在预算数内: met when spending stays within 全年预算数 (scoring.md §3.8).

    The actual is usually a share of the budget (56%, 0.95), sometimes an amount; the funds
    block's B ≤ A is a second witness. The worse of the two decides, so an actual that
    claims to be within the budget cannot hide an overspent funds block.
    """
    budget = rules.budget
    if budget is None or budget <= 0:
        return undetermined("needs_budget", BUDGET)
    witnesses: list[tuple[Decimal, Decimal, str, str]] = []
    if actual.number is not None and not actual.undetermined:
        x = non_negative(actual.number)
        if actual.kind is Kind.PCT:
            witnesses.append((x, HUNDRED, f"支出占预算{num(x)}%", "100%"))
        elif actual.unit in (MONEY, None):
            witnesses.append((x, budget, f"支出{num(x)}元", f"全年预算数{num(budget)}元"))
    if rules.executed is not None:
        spent = non_negative(rules.executed)
        witnesses.append((spent, budget, f"全年执行数{num(spent)}元", f"全年预算数{num(budget)}元"))
    if not witnesses:
        return undetermined(actual.undetermined or "unit_incompatible", BUDGET)
    x, t, shown_x, shown_t = max(witnesses, key=lambda witness: witness[0] / witness[1])
    if x == 0:
        return _zero_cost(rules)
    if x <= t:
        explain = f"预算控制：{shown_x} ≤ {shown_t}，得满分{num(weight)}"
        return Verdict(round2(weight), True, None, explain, BUDGET)
    over = reverse(x, t, weight, rules, (shown_x, shown_t))
    return replace(over, ratio=None, rule=BUDGET, explain=f"预算控制：超出预算，按{over.explain}")


def _zero_cost(rules: RowRules) -> Verdict:
    # A cost target met by spending nothing earns no automatic marks: the samples score 0, a
    # reviewer decides (scoring.md §3.9, Q11), and no hint is given. The target is met (0 ≤ T).
    explain = "成本指标实际支出为0，不自动给分，需人工判定（样本先例为0分）"
    return manual("zero_cost_actual", Verdict(None, True, None, explain, ZERO_COST), rules)


# --- time: deadline and period (§3.6, 3.7)


def _deadline(target: ParsedValue, actual: ParsedValue, weight: Decimal, rules: RowRules) -> Verdict:
    """On or before the deadline scores w; late is for a reviewer (scoring.md §3.6, Q7).

    On a form whose year is unknown (the 2021 layouts print none), 第2季度 against 第3季度
    still compares by month and day, and a status actual (100%, 已完成) needs no date.
    """
    due = target.value if isinstance(target.value, date) else None
    done = actual.value if isinstance(actual.value, date) else None
    if due is not None and done is not None:
        met = done <= due
        said = f"实际{done.isoformat()}{'不晚于' if met else '晚于'}时限{due.isoformat()}"
    elif due is None and done is None and target.month_day and actual.month_day:
        met = actual.month_day <= target.month_day
        said = f"实际“{shown(actual)}”{'不晚于' if met else '晚于'}时限“{shown(target)}”"
    elif actual.status is not None:
        # "100%" or 已完成 against a deadline reads as the status "met" (scoring.md §3.6).
        met = actual.status is Status.MET
        said = f"实际“{shown(actual)}”{'为已完成' if met else '未完成'}"
    else:
        return undetermined(actual.undetermined or target.undetermined or "date_vs_value", DEADLINE)
    if met:
        return Verdict(round2(weight), True, None, f"完成时限：{said}，得满分{num(weight)}", DEADLINE)
    explain = f"完成时限：{said}，逾期或未完成，无评分规则，需人工判定"
    return manual("late_deadline", Verdict(None, False, None, explain, DEADLINE), rules)


def _period(target: ParsedValue, actual: ParsedValue, weight: Decimal) -> Verdict:
    """全年开展, 每年至少两次, 365天/年: a status actual meets it; a count scores as positive
    against the expanded target (scoring.md §3.7)."""
    if actual.undetermined:
        return undetermined(actual.undetermined, PERIOD)
    if actual.status is Status.MET:
        explain = f"周期指标：实际“{shown(actual)}”为按期完成，得满分{num(weight)}"
        return Verdict(round2(weight), True, None, explain, PERIOD)
    if actual.kind in NO_VALUE:
        return undetermined("empty", PERIOD)
    count = target.number
    if actual.number is None:
        return undetermined("unit_incompatible", PERIOD)
    x = non_negative(actual.number)
    if count is not None:
        if unit_relation(target, actual) == "incompatible":
            return undetermined("unit_incompatible", PERIOD)
        verdict = positive(x, count, weight, (shown(actual), shown(target)))
    elif actual.kind is Kind.PCT:
        # The completion share of an unnumbered period (全年开展 → 80%) scores as positive on 100%.
        verdict = positive(x, HUNDRED, weight, (shown(actual), "100%"))
    else:
        return undetermined("unit_incompatible", PERIOD)
    return replace(verdict, rule=PERIOD, explain="周期指标，" + verdict.explain)


# --- qualitative and multi-value (§3.10, 3.12)


def _qualitative(actual: ParsedValue, weight: Decimal, rules: RowRules) -> Verdict:
    """定性指标: the band read from the actual; the unit's w × p is only a hint (scoring.md §3.10)."""
    if actual.kind in NO_VALUE and actual.status is None:
        return undetermined(actual.undetermined or "empty", QUALITATIVE)
    share = None
    if actual.kind is Kind.PCT and actual.number is not None:
        share = max(actual.number / HUNDRED, ZERO)
        first, second = rules.edges
        # An edge belongs to the upper band: exactly 80% is 达成.
        rank = 0 if share >= first else 1 if share >= second else 2
    else:
        rank = _band_of_words(actual)
        if rank is None:
            return undetermined(actual.undetermined or "qual_unmapped", QUALITATIVE)
    band = _band(rank, weight, rules)
    interval = f"{band.lo}–{band.hi}" + ("" if band.hi_inclusive else "（不含）")
    explain = f"定性指标：完成情况“{shown(actual)}”属“{band.label}”，得分应在{interval}之间"
    hint = None
    if share is not None:
        # Sample practice scores w × p (scoring.md §3.10): a hint, capped at the weight.
        hint = round2(weight * min(share, ONE))
        explain += f"，参考分 = {num(weight)} × {num(share * HUNDRED)}% = {hint}"
    return Verdict(hint, rank == 0, None, explain, QUALITATIVE, RowStatus.MANUAL, "qual", band)


def _band_of_words(actual: ParsedValue) -> int | None:
    if actual.status is not None:
        return BAND_OF_STATUS[actual.status]
    text = actual.word or actual.normalized or actual.raw
    for word, rank in BAND_WORDS:
        if word in text:
            return rank
    return None


def _band(rank: int, weight: Decimal, rules: RowRules) -> QualBand:
    upper = round2(weight * rules.edges[0])
    lower = round2(weight * rules.edges[1])
    label = rules.labels[rank]
    if rank == 0:
        return QualBand(label, 0, upper, round2(weight), True)
    if rank == 1:
        return QualBand(label, 1, lower, upper, False)
    return QualBand(label, 2, NIL, lower, False)


def _multi(
    target: ParsedValue, actual: ParsedValue, weight: Decimal, direction: Direction | None, rules: RowRules
) -> Verdict:
    """Several values in one target (2次培训,共500人次): each numeric part against its matching
    actual part, the lowest score as the hint (scoring.md §3.12, Q8). A qualitative part has
    no band of its own to read, so it takes no part."""
    if actual.undetermined:
        return undetermined(actual.undetermined, MULTI)
    candidates = actual.parts if actual.kind is Kind.MULTI else (actual,)
    verdicts = []
    for index, part in enumerate(target.parts):
        if part.kind not in NUMERIC_KINDS or part.undetermined:
            continue
        match = _matching_part(part, candidates, index)
        if match is None:
            return undetermined("multi_unmatched", MULTI)
        if part.kind is Kind.ZERO:
            verdicts.append(zero_verdict(non_negative(match.number) <= 0, weight, shown(match)))
        else:
            # Each part carries its own direction (parse_target sets it on the parts).
            verdicts.append(_numeric(part, match, weight, part.direction or direction, rules))
    if not verdicts:
        return undetermined("multi_unmatched", MULTI)
    return _lowest_of(verdicts, rules)


def _matching_part(part: ParsedValue, candidates: tuple[ParsedValue, ...], index: int) -> ParsedValue | None:
    """The actual part at the same position if it is comparable, else the first comparable one."""
    for candidate in candidates[index : index + 1] + candidates:
        if candidate.number is not None and unit_relation(part, candidate) != "incompatible":
            return candidate
    return None


def _lowest_of(verdicts: list[Verdict], rules: RowRules) -> Verdict:
    # A part that is itself manual (约N) has a hint; one with none counts as 0.
    lowest = min(verdict.score if verdict.score is not None else NIL for verdict in verdicts)
    met = all(verdict.met for verdict in verdicts)
    scores = "、".join(str(verdict.score) for verdict in verdicts)
    explain = f"多值指标，无评分规则，需人工判定；逐项得分{scores}，参考分取最低{lowest}"
    return manual("multi", Verdict(lowest, met, None, explain, MULTI), rules)
