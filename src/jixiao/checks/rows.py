"""What the row-level checks share about an indicator row (三级指标): its evidence, how its
results are gathered, whether it scored full marks, what its deviation note (偏差原因分析及改进措施)
says. Which rows count is worked out once per form (`facts.FormRows`, `Context.rows`).

Used by the target, indicator, actual, inflation and deviation checks (checks.md §4–§8).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from itertools import starmap

from jixiao.checks.base import Check, Context, Result
from jixiao.checks.facts import Row
from jixiao.domain.grammar import Kind, ParsedValue, is_money
from jixiao.domain.model import PLACEHOLDERS, Indicator
from jixiao.domain.scoring import IndicatorEvaluation, RowStatus, round2
from jixiao.domain.units import CLOCK_UNIT, DATE_UNIT, DURATION_UNITS, PERCENT_UNIT, RANK_UNIT

# "Equals the weight" within 0.001 (checks.md score.unmet-full, deviation.missing).
FULL_MARKS_TOLERANCE = Decimal("0.001")

# A note that claims there is no deviation (checks.md deviation.missing, deviation.claims-none).
NO_DEVIATION_CLAIMS = frozenset({"无偏差", "无"})

# Kinds whose completion can be set against the target as a ratio X/T or T/X (scoring.md §4).
# zero, budget, deadline and qualitative rows have no such ratio; multi rows only when scoring gives one.
RATIO_KINDS = frozenset({Kind.QUANT, Kind.PCT, Kind.PERIOD, Kind.MULTI})

# Units of a quantity that is measured, not counted (points, areas, lengths, weights): every
# other unit after a number is a classifier or a person count (target-grammar.md §5).
MEASURE_UNITS = frozenset(
    {PERCENT_UNIT, DATE_UNIT, CLOCK_UNIT, RANK_UNIT, "分", "平米", "平方公里", "公里", "米", "吨", "亩"}
)

# Why a row-level check could not look at any row (checks.md: "the row cannot be aligned").
MISALIGNED = "指标行与评分结果无法对齐"

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_NOT_WORD = re.compile(r"[\W_]+")  # spaces, punctuation and symbols; CJK, letters and digits stay
_LONGEST_CLAIM = 12  # "无偏差" with room for spaces and punctuation; a longer note says more


def label(row: Indicator, index: int) -> str:
    """How a message names a row: its 三级 name; else its printed category (summary rows have
    no names); else its place, since a filled-down category is only a guess."""
    if row.name:
        return row.name
    level = "level2" if row.level2 else "level1"
    category = getattr(row, level)
    if category and level not in row.inferred:
        return f"{category}指标"
    return f"第{index + 1}行指标"


def cells(row: Indicator) -> dict[str, str]:
    """The raw cells of a row, as evidence for a finding."""
    evidence = {"三级指标": row.name or "", "年度指标值": row.target, "实际完成值": row.actual}
    if row.weight.text or row.score.text:
        evidence["分值"] = row.weight.text
        evidence["得分"] = row.score.text
    if row.deviation:
        evidence["偏差原因分析及改进措施"] = row.deviation
    return evidence


def judge_rows(
    check: Check,
    context: Context,
    judge: Callable[[int, Indicator, IndicatorEvaluation], Result | None],
    *,
    none_note: str,
    among: Sequence[Row] | None = None,
) -> Iterator[Result]:
    """One result per row the judge looks at (it returns None for a row it skips), so the
    per-check tally counts rows; `n/a` once when it looked at none. `among` is the rows to
    judge (`context.rows.applicable` skips 无/不适用 and unweighted rows); all by default.

    The results are worked out at once and handed back as an iterator, which a check's
    `evaluate` returns as it is: cheaper than a generator passing them on one by one."""
    if not context.rows.aligned:
        return iter((check.undetermined(MISALIGNED),))
    judged = starmap(judge, context.rows.all if among is None else among)
    return iter([result for result in judged if result is not None] or [check.not_applicable(none_note)])


def judge_over_completion(
    check: Check,
    context: Context,
    *,
    unknown: str,
    excused: Callable[[Indicator], bool] | None = None,
) -> Iterator[Result]:
    """Completion far above the target (ratio ≥ the profile's flag_ratio) on each applicable
    row with a ratio (target.low, deviation.over-unexplained). A ratio scoring could not
    compute is undetermined, with `unknown` as the reason when scoring gives none; a row
    that is `excused` (its note explains the excess) passes."""
    flag = context.profile.flag_ratio

    def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
        applies, ratio = completion_ratio(evaluation)
        if not applies:
            return None
        if ratio is None:
            return check.undetermined(why_undetermined(evaluation, unknown), indicator=index, cells=cells(row))
        if ratio < flag or (excused is not None and excused(row)):
            return check.passed(indicator=index)
        shown = round2(ratio)
        return check.failed(
            indicator=index,
            expected=flag,
            found=shown,
            cells=cells(row),
            name=label(row, index),
            ratio=shown,
        )

    return judge_rows(check, context, judge, among=context.rows.applicable, none_note="无可计算完成倍数的定量指标")


def why_undetermined(evaluation: IndicatorEvaluation, fallback: str) -> str:
    """Scoring's explanation of an undetermined row, without its own 无法判定 prefix."""
    if evaluation.status == RowStatus.UNDETERMINED and evaluation.explain:
        return evaluation.explain.removeprefix("无法判定：")
    return fallback


def full_marks(row: Indicator) -> bool | None:
    """The printed score equals the weight; None when either is missing."""
    weight, score = row.weight.value, row.score.value
    if weight is None or score is None:
        return None
    return weight > 0 and abs(score - weight) <= FULL_MARKS_TOLERANCE


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """A text reduced for comparison: NFKC, and no spaces or punctuation (checks.md indicator.duplicate).

    Memoised: names, notes and 无偏差 repeat across the forms of a batch."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))


def is_blank_note(note: str | None) -> bool:
    """No note at all: empty, or a placeholder such as —."""
    return note is None or note.strip() in PLACEHOLDERS


def claims_no_deviation(note: str | None) -> bool:
    """The note says 无偏差 or 无 (punctuation aside)."""
    return note is not None and len(note) <= _LONGEST_CLAIM and fold(note) in NO_DEVIATION_CLAIMS


def explains(note: str | None) -> bool:
    """The note says something: it is neither blank nor a bare 无偏差 / 无."""
    return not (is_blank_note(note) or claims_no_deviation(note))


def cjk_bigrams(text: str) -> frozenset[str]:
    """Character bigrams inside runs of CJK characters (numbers and punctuation break a run)."""
    return frozenset(run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1))


def is_count(value: ParsedValue) -> bool:
    """A number of things or people (10次, 46人, 50所), not an amount, a rate, a time or a measure."""
    unit = value.unit
    if value.kind != Kind.QUANT or unit is None or is_money(unit):
        return False
    return unit not in DURATION_UNITS and unit not in MEASURE_UNITS


def completion_ratio(evaluation: IndicatorEvaluation) -> tuple[bool, Decimal | None]:
    """Whether over-completion applies to a row, and its ratio when scoring could compute one.

    The ratio is scoring's (X/T, or T/X on reverse rows, scoring.md §4). A period without a
    count (全年开展) and a multi-value target without a ratio have nothing to exceed.
    """
    kind = evaluation.kind
    if kind not in RATIO_KINDS:
        return False, None
    if kind == Kind.PERIOD and evaluation.target.number is None:
        return False, None
    if kind == Kind.MULTI and evaluation.ratio is None:
        return False, None
    return True, evaluation.ratio


def with_suffix(result: Result, suffix: str) -> Result:
    """A failed result whose message gains the suffix checks.md adds in some cases."""
    return replace(result, message=result.message + suffix)
