"""Expected scores of a form under a rule profile (绩效自评评分): scoring.md.

`evaluate` scores the funds row (§2), every indicator row (§3, in `indicator_scoring`), the
total (§5) and the grade (§6). Printed values are never overwritten: the evaluation sits
beside the form, and the checks compare the two. The helpers below `evaluate` are the
parts the checks reuse: the fiscal year, level-1 weight sums and the nearest profile.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.domain.indicator_scoring import score_indicators
from jixiao.domain.model import Form, FundsBlock
from jixiao.domain.profiles import Profile
from jixiao.domain.score_formulas import (
    CENT,
    HUNDRED,
    ZERO,
    IndicatorEvaluation,
    QualBand,
    RowRules,
    RowStatus,
    num,
    round2,
)

__all__ = [
    "CENT",
    "Evaluation",
    "FundsEvaluation",
    "IndicatorEvaluation",
    "QualBand",
    "RowStatus",
    "evaluate",
    "evaluate_funds",
    "fiscal_year",
    "infer_profile_name",
    "level1_sums",
    "nearest_profile",
    "round2",
]

# Default profile of each reader layout (scoring.md §7, "Selecting a profile").
PROFILE_OF_LAYOUT = {"form-2021": "shenzhen-2021", "form-2022": "national-2020", "summary": "national-2020"}
DEFAULT_PROFILE = "national-2020"
# "满意度指标" counts as 满意度 wherever it is printed (scoring.md §5), also in the 二级 column.
SATISFACTION_LEVEL2 = frozenset({"满意度", "服务对象满意度", "其他满意度"})
# A year in running text: 2021年, 2021年度 (never 2000件: a year is followed by 年), not the
# end of a longer number. Written to start with the literal 20, which the regex engine finds
# fast: a leading lookbehind made it test every position of 1,000-character narratives.
YEAR = re.compile(r"(20(?<!\d20)\d\d)\s*年")


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
    funds = evaluate_funds(form.funds, profile)
    rules = RowRules.of(
        profile,
        fiscal_year=fiscal_year(form),
        budget=form.funds.total.adjusted.value,
        executed=form.funds.total.executed.value,
    )
    rows = score_indicators(form.indicators, rules)
    total = _expected_total(form, funds, rows)
    return Evaluation(
        profile=profile.name,
        profile_version=profile.version,
        funds=funds,
        indicators=rows,
        total=total,
        total_printed=_printed_total(form),
        grade=profile.grade(total),
    )


def evaluate_funds(funds: FundsBlock, profile: Profile) -> FundsEvaluation:
    """rate = B ÷ A on the 年度资金总额 row, score = w × rate in both rounding conventions (§2).

    A is 全年预算数: never 年初预算数 and never 项目金额 (scoring.md §2.1). The rate is capped
    at the profile's cap for scoring only (§2.5, Q3).
    """
    adjusted = funds.total.adjusted.value
    executed = funds.total.executed.value
    weight = funds.weight.value
    if adjusted is None or executed is None:
        return _funds_undetermined(None, "缺少全年预算数或全年执行数，执行率无法计算")
    if adjusted <= 0:
        # A 年初预算数 of 0 is no zero budget (预留增人增资指标); only A = 0 is (§2.5).
        return _funds_undetermined(None, "全年预算数为0，执行率无法计算")
    rate = executed / adjusted
    said = f"执行率 = 全年执行数{num(executed)} ÷ 全年预算数{num(adjusted)} = {_percent(rate)}"
    if weight is None or not ZERO <= weight <= HUNDRED:
        return _funds_undetermined(rate, f"{said}；分值缺失或无效，得分无法计算")
    capped = min(max(rate, ZERO), profile.funds_rate_cap)
    rate2dp = round2(weight * round2(capped))
    full = round2(weight * capped)
    if capped != rate:
        said += f"，按{_percent(capped)}计分"
    if profile.funds_rounding == "rate2dp":
        score, formula = rate2dp, f"{num(weight)} × {round2(capped)} = {rate2dp}（执行率先取两位小数）"
    elif capped == rate:
        score, formula = full, f"{num(weight)} × {num(executed)} ÷ {num(adjusted)} = {full}"
    else:
        score, formula = full, f"{num(weight)} × {num(capped)} = {full}"
    return FundsEvaluation(rate, score, rate2dp, full, RowStatus.SCORED, f"{said}，得分 = {formula}")


def fiscal_year(form: Form) -> int | None:
    """The evaluated year: 绩效自评年度 when printed; else the year the form's texts name most.

    The 2021 layouts print no year, but their targets and narratives often do. Each text
    counts once, and a row's target and actual count as one (an actual often repeats its
    target). A tie goes to a year the 实际完成情况 names, then to the earlier year: a later
    one is usually a deadline beyond the fiscal year (文物保护与管理工作: 2022年完成 on a FY2021
    form), an earlier one background in the 预期目标 (预算项目: 2020年市本级体彩公益金).
    """
    if form.project.year is not None:
        return form.project.year
    counts: Counter[str] = Counter()
    for text in _texts(form):
        if "年" in text:
            counts.update(set(YEAR.findall(text)))
    if not counts:
        return None
    most = max(counts.values())
    tied = sorted(year for year, count in counts.items() if count == most)
    reported = set(YEAR.findall(form.goals.actual or ""))
    return int(next((year for year in tied if year in reported), tied[0]))


def level1_sums(form: Form) -> dict[str | None, Decimal | None]:
    """Row weights summed per canonical 一级 (产出, 效益, 满意度 …); None for a block with a
    missing weight. Rows whose 一级 is unknown are summed under the key None."""
    sums: dict[str | None, Decimal | None] = {}
    for row in form.indicators:
        level1 = "满意度" if row.level2 in SATISFACTION_LEVEL2 else row.level1
        weight = row.weight.value
        current = sums.get(level1, ZERO)
        sums[level1] = None if current is None or weight is None else current + weight
    return sums


def nearest_profile(
    sums: Mapping[str | None, Decimal | None], funds_weight: Decimal | None, profiles: Iterable[Profile]
) -> Profile:
    """The profile whose funds weight and level-1 weights are closest to a form's.

    Distance is the sum of absolute differences. A key joined with `+` (Hubei 效益+满意度)
    is compared with the combined sum of its blocks; a block the profile does not name
    counts in full. An unknown sum or funds weight adds nothing. Ties go to the first.
    """
    best: Profile | None = None
    best_distance: Decimal | None = None
    for profile in profiles:
        distance = _distance(sums, funds_weight, profile)
        if best_distance is None or distance < best_distance:
            best, best_distance = profile, distance
    if best is None:
        raise ValueError("nearest_profile needs at least one profile")
    return best


def infer_profile_name(form: Form, candidates: Iterable[Profile] = ()) -> str:
    """The default profile for a form: its layout's, or the one whose weights it fits.

    2021 layouts → shenzhen-2021, 2022 layout and summary → national-2020 (scoring.md §7).
    Any other layout takes the nearest of `candidates` (the shipped profiles, which the
    domain cannot load itself), and national-2020 when none are given.
    """
    layout = "summary" if form.is_summary else form.source.layout
    if layout in PROFILE_OF_LAYOUT:
        return PROFILE_OF_LAYOUT[layout]
    candidates = tuple(candidates)
    if not candidates:
        return DEFAULT_PROFILE
    return nearest_profile(level1_sums(form), form.funds.weight.value, candidates).name


# --- totals (§5)


def _expected_total(form: Form, funds: FundsEvaluation, rows: tuple[IndicatorEvaluation, ...]) -> Decimal | None:
    """Expected funds score + each row's expected score where it is settled; where a rule
    needs a reviewer or data is missing, the printed score stands in (scoring.md §5)."""
    total = funds.score if funds.status is RowStatus.SCORED else form.funds.score.value
    if total is None:
        return None
    for row, evaluation in zip(form.indicators, rows):
        settled = evaluation.status is RowStatus.SCORED and evaluation.score is not None
        score = evaluation.score if settled else row.score.value
        if score is None:
            return None
        total += score
    return total


def _printed_total(form: Form) -> Decimal | None:
    """The printed funds score plus the printed row scores; a missing one is never 0 (checks.md
    score.total-mismatch), so the sum is then None."""
    total = form.funds.score.value
    if total is None:
        return None
    for row in form.indicators:
        if row.score.value is None:
            return None
        total += row.score.value
    return total


# --- helpers


def _funds_undetermined(rate: Decimal | None, explain: str) -> FundsEvaluation:
    return FundsEvaluation(rate, None, None, None, RowStatus.UNDETERMINED, explain)


def _percent(rate: Decimal) -> str:
    percent = rate * HUNDRED
    # Cents of an absurd rate (a budget cell read as 1e-30) would exceed Decimal's precision.
    return f"{round2(percent) if percent.adjusted() < 20 else num(percent)}%"


def _texts(form: Form) -> Iterator[str]:
    for row in form.indicators:
        yield row.target + "|" + row.actual if "年" in row.actual else row.target
    yield form.goals.expected or ""
    yield form.goals.actual or ""


def _distance(sums: Mapping[str | None, Decimal | None], funds_weight: Decimal | None, profile: Profile) -> Decimal:
    distance = ZERO
    if funds_weight is not None:
        distance += abs(funds_weight - profile.funds_weight)
    named: set[str] = set()
    for key, weight in profile.level1_weights.items():
        blocks = key.split("+")
        named.update(blocks)
        parts = [sums.get(block, ZERO) for block in blocks]  # a block the form lacks weighs 0
        if None in parts:
            continue
        distance += abs(sum(parts, ZERO) - weight)  # type: ignore[arg-type]
    for key, weight in sums.items():
        if key not in named and weight is not None:
            distance += abs(weight)
    return distance
