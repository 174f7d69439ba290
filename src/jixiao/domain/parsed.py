"""The parsed form of a 年度指标值 / 实际完成值 cell (target-grammar.md §1).

`jixiao.domain.grammar` builds these values and re-exports every name defined here; import
them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


# Why a value cannot be compared (target-grammar.md §7), kept in `ParsedValue.undetermined`.
EMPTY = "empty"
TRUNCATED = "truncated"
LABEL_ONLY = "label_only"
QUAL_UNMAPPED = "qual_unmapped"
MULTI_UNMATCHED = "multi_unmatched"
NEEDS_MULTIPLIER = "needs_multiplier"
DATE_VS_VALUE = "date_vs_value"
UNIT_INCOMPATIBLE = "unit_incompatible"
SCALE_UNKNOWN = "scale_unknown"
# Beyond §7: a deadline without a year on a form without a fiscal year (value None,
# `month_day` kept), and a date that does not exist (2月30日).
NO_YEAR = "no_year"
BAD_DATE = "bad_date"


class Kind(StrEnum):
    QUANT = "quant"
    PCT = "pct"
    ZERO = "zero"
    BUDGET = "budget"
    DEADLINE = "deadline"
    PERIOD = "period"
    QUAL = "qual"
    NA = "na"
    MULTI = "multi"
    INVALID = "invalid"


class Op(StrEnum):
    GE = "ge"
    GT = "gt"
    LE = "le"
    LT = "lt"
    EQ = "eq"
    APPROX = "approx"
    RANGE = "range"


class Direction(StrEnum):
    POSITIVE = "positive"
    REVERSE = "reverse"


class Status(StrEnum):
    """A status actual (已完成, 每月发放, 100% on a qualitative target)."""

    MET = "met"
    PARTIAL = "partial"
    UNMET = "unmet"


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One target or actual cell, parsed (target-grammar.md §1).

    `value` is in base units: 元 for money (万/亿 applied), percentage points for %
    (62 for 62%), a `date` for deadlines (last day of the named period), `(lo, hi)` for
    ranges. `undetermined` holds a reason code of §7 when the value cannot be compared.

    Fields beyond §1, added by the grammar:
    - `direction`, `direction_source`: §6, set on targets only (`infer_direction`).
    - `month_day`: a deadline's (month, day), kept even when no year is known
      (`12月底前` on a form without a year: value None, undetermined `no_year`), so that two
      year-less deadlines can still be compared.
    - `notes`: info notes for a reviewer, e.g. `NOTE_QUARTER_BEFORE`.
    - `word` also holds the noun after a number (`2次培训` → 培训) and the tail of a status
      (`第一季度已完成` → 已完成).
    """

    kind: Kind
    op: Op | None = None
    value: Decimal | date | tuple[Decimal, Decimal] | None = None
    unit: str | None = None
    raw: str = ""
    normalized: str = ""
    fixes: tuple[str, ...] = ()
    prefix: str | None = None
    multiplier: int | None = None
    per: str | None = None
    ref: str | None = None
    word: str | None = None
    parts: tuple[ParsedValue, ...] = ()
    status: Status | None = None
    beyond_year: bool = False
    undetermined: str | None = None
    notes: tuple[str, ...] = field(default=())
    direction: Direction | None = None
    direction_source: str | None = None
    month_day: tuple[int, int] | None = None

    @property
    def number(self) -> Decimal | None:
        """The comparable number, when `value` is one."""
        return self.value if isinstance(self.value, Decimal) else None

    def json(self) -> dict[str, Any]:
        """The record of target-grammar.md §1: numbers as floats, dates as "YYYY-MM-DD"."""
        return {
            "kind": self.kind.value,
            "op": None if self.op is None else self.op.value,
            "value": _json_value(self.value),
            "unit": self.unit,
            "extra": {
                "raw": self.raw,
                "normalized": self.normalized,
                "fixes": list(self.fixes),
                "prefix": self.prefix,
                "multiplier": self.multiplier,
                "per": self.per,
                "ref": self.ref,
                "word": self.word,
                "parts": [part.json() for part in self.parts],
                "direction": None if self.direction is None else self.direction.value,
                "direction_source": self.direction_source,
                "status": None if self.status is None else self.status.value,
                "beyond_year": self.beyond_year,
                "undetermined": self.undetermined,
                "notes": list(self.notes),
                "month_day": None if self.month_day is None else list(self.month_day),
            },
        }


def _json_value(value: Decimal | date | tuple[Decimal, Decimal] | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return [float(bound) for bound in value]
