"""Grammar of 年度指标值 (target) and 实际完成值 (actual) texts: target-grammar.md.

INTERFACE ONLY — implementation pending (helper task "grammar").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


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

    @property
    def number(self) -> Decimal | None:
        """The comparable number, when `value` is one."""
        return self.value if isinstance(self.value, Decimal) else None

    def json(self) -> dict[str, Any]:
        raise NotImplementedError


def parse_target(
    text: str | None,
    *,
    level2: str | None = None,
    name: str | None = None,
    fiscal_year: int | None = None,
) -> ParsedValue:
    """Parse a 年度指标值 cell. Never raises; unparseable text is `undetermined`."""
    raise NotImplementedError


def parse_actual(
    text: str | None,
    target: ParsedValue,
    *,
    level2: str | None = None,
    name: str | None = None,
    fiscal_year: int | None = None,
) -> ParsedValue:
    """Parse a 实际完成值 cell against its row's target (units, bare 万, 6月 → date)."""
    raise NotImplementedError


def infer_direction(
    target: ParsedValue, *, level2: str | None = None, name: str | None = None
) -> tuple[Direction, str]:
    """Direction of a row and its source: operator, category, keyword or default (§6)."""
    raise NotImplementedError
