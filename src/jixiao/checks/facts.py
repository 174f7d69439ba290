"""Facts about a form's indicator rows (三级指标) that most checks ask for, worked out once a
review: whether the rows line up with their evaluation, and which of them carry a real,
weighted indicator.

The review runs 36 checks over each form, and the pipeline must review thousands of forms a
second; asking these questions once per form instead of once per check is most of what keeps
the row checks cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.domain.grammar import Kind
from jixiao.domain.model import Form, Indicator
from jixiao.domain.scoring import Evaluation, IndicatorEvaluation

# A row with its index in the form and its evaluation.
Row = tuple[int, Indicator, IndicatorEvaluation]


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


def is_not_applicable(row: Indicator, evaluation: IndicatorEvaluation) -> bool:
    """A 无/不适用 row: its target or its actual parses as `na` (checks.md score.na-weighted).

    An actual of 无 under a zero target (无投诉 → 无) means "none happened", not "not applicable".
    """
    if not row.applicable or evaluation.target.kind is Kind.NA:
        return True
    return evaluation.actual.kind is Kind.NA and evaluation.target.kind is not Kind.ZERO


@dataclass(frozen=True, slots=True)
class FormRows:
    """A form's rows as the row checks see them. When the evaluation does not have one entry
    per row (`aligned` false), a row's parse cannot be trusted to be its own: every selection
    is then empty and the row checks report the misalignment instead."""

    aligned: bool
    all: tuple[Row, ...]
    applicable: tuple[Row, ...]  # `is_applicable`
    weighted: tuple[Row, ...]  # applicable, and carrying points (the summary has no weights)

    @classmethod
    def of(cls, form: Form, evaluation: Evaluation) -> FormRows:
        if len(form.indicators) != len(evaluation.indicators):
            return cls(False, (), (), ())
        rows = tuple(zip(range(len(form.indicators)), form.indicators, evaluation.indicators))
        summary = form.is_summary
        applicable = tuple(row for row in rows if is_applicable(row[1], row[2], summary))
        # Weighted: applicable as on a form, and neither the target nor the actual is 无/不适用.
        on_form = tuple(row for row in rows if is_applicable(row[1], row[2], False)) if summary else applicable
        weighted = tuple(row for row in on_form if not is_not_applicable(row[1], row[2]))
        return cls(True, rows, applicable, weighted)
