"""What the row-level checks share about an indicator row (三级指标): its evidence, whether it
counts, whether it scored full marks, what its deviation note (偏差原因分析及改进措施) says.

Used by the target, indicator, actual, inflation and deviation checks (checks.md §4–§8).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from jixiao.checks.base import Check, Context, Result
from jixiao.domain.grammar import Kind, ParsedValue, is_money
from jixiao.domain.model import PLACEHOLDERS, Indicator
from jixiao.domain.scoring import IndicatorEvaluation, RowStatus
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


def aligned(context: Context) -> bool:
    """The evaluation has one entry per row, so a row's parse can be trusted to be its own."""
    return len(context.form.indicators) == len(context.evaluation.indicators)


def rows_of(context: Context) -> Iterator[tuple[int, Indicator, IndicatorEvaluation]]:
    """Each row with its index and evaluation; `aligned` must hold."""
    for index, (row, evaluation) in enumerate(zip(context.form.indicators, context.evaluation.indicators)):
        yield index, row, evaluation


_PASSES: dict[tuple[str, int | None], Result] = {}


def passed(check: Check, index: int | None = None) -> Result:
    """The check's pass on a row. Results are frozen, so one object per (code, row) serves
    every form: a review makes hundreds of passes per form, and the pipeline must review
    thousands of forms a second."""
    key = (check.code, index)
    result = _PASSES.get(key)
    if result is None:
        result = _PASSES[key] = check.passed(indicator=index)
    return result


Row = tuple[int, Indicator, IndicatorEvaluation]
_LAST_VIEW: tuple[Context | None, tuple[Row, ...]] = (None, ())


def applicable_rows(context: Context) -> tuple[Row, ...]:
    """The rows that carry a real indicator (`is_applicable`), with their index and evaluation.

    Every check of a review asks for the same form's rows in turn, so the last answer is kept
    (one entry, keyed by the context object itself)."""
    global _LAST_VIEW
    last = _LAST_VIEW
    if last[0] is context:
        return last[1]
    summary = context.form.is_summary
    rows = tuple(row for row in rows_of(context) if is_applicable(row[1], row[2], summary))
    _LAST_VIEW = (context, rows)
    return rows


def judge_rows(
    check: Check,
    context: Context,
    judge: Callable[[int, Indicator, IndicatorEvaluation], Result | None],
    *,
    none_note: str,
    only_applicable: bool = False,
) -> Iterator[Result]:
    """One result per row the judge looks at (it returns None for a row it skips), so the
    per-check tally counts rows; `n/a` once when it looked at none. With `only_applicable`
    the judge is not even called for 无/不适用 and unweighted rows."""
    if not aligned(context):
        yield check.undetermined(MISALIGNED)
        return
    judged = False
    for index, row, evaluation in applicable_rows(context) if only_applicable else rows_of(context):
        result = judge(index, row, evaluation)
        if result is not None:
            judged = True
            yield result
    if not judged:
        yield check.not_applicable(none_note)


def why_undetermined(evaluation: IndicatorEvaluation, fallback: str) -> str:
    """Scoring's explanation of an undetermined row, without its own 无法判定 prefix."""
    if evaluation.status == RowStatus.UNDETERMINED and evaluation.explain:
        return evaluation.explain.removeprefix("无法判定：")
    return fallback


def is_applicable(row: Indicator, evaluation: IndicatorEvaluation, summary: bool) -> bool:
    """A row that carries a real indicator: not 无/不适用, and weighted on a form.

    On a form a row with weight 0 is a placeholder (checks.md target.missing); a missing weight
    keeps the row in, so that a check reports it instead of skipping it. The summary table has
    no weights: any non-`na` pair counts there.
    """
    if not row.applicable or evaluation.kind == Kind.NA:
        return False
    if summary:
        return True
    weight = row.weight.value
    return weight is None or weight > 0


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
