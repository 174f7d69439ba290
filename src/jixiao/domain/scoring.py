"""Expected scores of a form under a rule profile: scoring.md.

INTERFACE ONLY — implementation pending (helper task "scoring").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from jixiao.domain.grammar import Direction, ParsedValue
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile

CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals, as units print (scoring.md §1)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class RowStatus(StrEnum):
    SCORED = "scored"  # a settled formula gave the expected score
    MANUAL = "manual"  # data complete, but the rule needs a reviewer; `score` is a hint
    UNDETERMINED = "undetermined"  # target or actual cannot be parsed or compared


@dataclass(frozen=True, slots=True)
class FundsEvaluation:
    """预算执行率 and its score. `rate` is B/A uncapped; scores use the capped rate."""

    rate: Decimal | None  # B / A, None when A or B is missing or A = 0
    score: Decimal | None  # under the profile's rounding convention
    score_rate2dp: Decimal | None  # w × round(B/A, 2)
    score_full: Decimal | None  # round(w × B/A, 2)
    status: RowStatus
    explain: str

    def json(self) -> dict[str, Any]:
        return {
            "rate": None if self.rate is None else float(self.rate),
            "score": None if self.score is None else float(self.score),
            "status": self.status.value,
            "explain": self.explain,
        }


@dataclass(frozen=True, slots=True)
class QualBand:
    """The band a qualitative actual falls in, with its score range [lo, hi] (or [lo, hi))."""

    label: str  # 达成年度指标 …
    rank: int  # 0 = 达成, 1 = 部分达成, 2 = 未达成
    lo: Decimal
    hi: Decimal
    hi_inclusive: bool


@dataclass(frozen=True, slots=True)
class IndicatorEvaluation:
    """One row's expected score, with how it was reached."""

    kind: str  # the target's grammar kind (quant, pct, zero, …); "na" for 不适用 rows
    status: RowStatus
    score: Decimal | None  # expected when scored, hint when manual, None when undetermined
    explain: str  # short Chinese explanation: rule, inputs, result
    rule: str  # the rule's Chinese name for messages (正向指标, 反向指标, 定性指标 …)
    target: ParsedValue
    actual: ParsedValue
    direction: Direction | None
    direction_source: str | None
    met: bool | None  # target met? None when it cannot be decided
    ratio: Decimal | None  # X/T (positive, eq) or T/X (reverse), for over-completion
    band: QualBand | None = None  # qualitative rows
    reason: str | None = None  # undetermined reason code (target-grammar.md §7) or manual kind

    def json(self) -> dict[str, Any]:
        return {
            "score": None if self.score is None else float(self.score),
            "kind": self.kind,
            "status": self.status.value,
            "explain": self.explain,
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A form scored under one profile."""

    profile: str
    profile_version: int
    funds: FundsEvaluation
    indicators: tuple[IndicatorEvaluation, ...]  # parallel to form.indicators
    total: Decimal | None  # funds + rows: expected where scored, printed where manual/undetermined
    total_printed: Decimal | None  # printed funds score + Σ printed row scores; None if one is missing
    grade: str | None

    def json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "profile_version": self.profile_version,
            "funds": self.funds.json(),
            "indicators": [indicator.json() for indicator in self.indicators],
            "total": None if self.total is None else float(self.total),
            "total_printed": None if self.total_printed is None else float(self.total_printed),
            "grade": self.grade,
        }


def evaluate(form: Form, profile: Profile) -> Evaluation:
    """Score every part of a form under a profile. Pure; never raises on bad data."""
    raise NotImplementedError


def infer_profile_name(form: Form) -> str:
    """The default profile for a form: its layout's, or the one whose weights it fits.

    2021 layouts → shenzhen-2021, 2022 layout → national-2020 (scoring.md §7).
    """
    raise NotImplementedError
