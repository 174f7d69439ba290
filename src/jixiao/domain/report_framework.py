"""The evaluation framework (项目支出绩效评价指标体系框架) and the evaluator's judgement (评价人评分).

The framework is data (`jixiao/profiles/report-framework.yaml`): 一级 决策/过程/产出/效益, their
二级 groups and 三级 indicators with weight, 指标解释, 评分标准 and how the score is reached
(`Basis`). A judged indicator lists its scoring points (the ①②③ of 评分标准); the evaluator marks
each one met or unmet, and every deduction must give its reason. This module only gives the
mappings their shape and validates them; reading the files is the readers' job.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

ZERO = Decimal(0)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
TOLERANCE = Decimal("0.001")


class ReportInputError(ValueError):
    """A framework, judgement or funds file that is not what docs/reports.md describes.

    `problems` lists every problem found, each naming its place, so one run shows them all.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "；".join(problems))


class Basis(StrEnum):
    """How an indicator's score is reached (report-framework.yaml)."""

    JUDGEMENT = "judgement"
    ARRIVAL_RATE = "arrival_rate"
    EXECUTION_RATE = "execution_rate"
    ROLLUP = "rollup"
    COST_SAVING = "cost_saving"


@dataclass(frozen=True, slots=True)
class ScoringPoint:
    """One 评价要点 of a judged indicator: ① … with the points it is worth."""

    number: int  # 1 for ①
    text: str
    points: Decimal

    @property
    def mark(self) -> str:
        return CIRCLED[self.number - 1] if self.number <= len(CIRCLED) else f"({self.number})"


@dataclass(frozen=True, slots=True)
class FrameworkIndicator:
    """One 三级 indicator of the framework, under its 一级 and 二级."""

    level1: str
    level2: str
    name: str
    weight: Decimal
    basis: Basis
    explanation: str  # 指标解释
    criteria: str  # 评分标准
    points: tuple[ScoringPoint, ...] = ()
    rows: str | None = None  # for a roll-up: the 一级 or 二级 of the self-evaluation rows
    rate_decimals: int = 2
    achieved: tuple[str, str] = ("符合", "部分符合")  # 完成值 of a judged indicator: all met / not


@dataclass(frozen=True, slots=True)
class Framework:
    """The indicator system: every 三级 indicator in order, and the 一级 weights."""

    name: str
    version: int
    title: str
    level1_weights: Mapping[str, Decimal]
    indicators: tuple[FrameworkIndicator, ...]

    def get(self, name: str) -> FrameworkIndicator | None:
        return next((item for item in self.indicators if item.name == name), None)

    def group(self, level1: str, level2: str) -> list[FrameworkIndicator]:
        return [item for item in self.indicators if item.level1 == level1 and item.level2 == level2]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "report-framework") -> Framework:
        """Build and validate: weights add up per 一级 and to 100, points add up to the weight."""
        problems: list[str] = []
        indicators: list[FrameworkIndicator] = []
        weights: dict[str, Decimal] = {}
        for block in _list(data.get("level1"), "level1", problems):
            level1 = str(block.get("name", ""))
            weights[level1] = _decimal(block.get("weight"), f"{level1} weight", problems)
            for group in _list(block.get("groups"), f"{level1} groups", problems):
                for item in _list(group.get("indicators"), f"{level1} indicators", problems):
                    made = _indicator(level1, str(group.get("name", "")), item, problems)
                    if made is not None:
                        indicators.append(made)
        for level1, weight in weights.items():
            inside = sum((item.weight for item in indicators if item.level1 == level1), ZERO)
            if abs(inside - weight) > TOLERANCE:
                problems.append(f"“{level1}”下属权重合计{inside}，与其权重{weight}不符")
        if abs(sum(weights.values(), ZERO) - 100) > TOLERANCE:
            problems.append(f"一级指标权重合计{sum(weights.values(), ZERO)}，应为100")
        names = [item.name for item in indicators]
        problems += [f"三级指标“{name}”重复" for name in sorted({n for n in names if names.count(n) > 1})]
        if problems:
            raise ReportInputError(source, problems)
        return cls(
            name=str(data.get("name", source)),
            version=int(data.get("version", 1)),
            title=str(data.get("title", "项目支出绩效评价指标体系框架")),
            level1_weights=weights,
            indicators=tuple(indicators),
        )


def _indicator(level1: str, level2: str, item: Mapping[str, Any], problems: list[str]) -> FrameworkIndicator | None:
    name = str(item.get("name", ""))
    try:
        basis = Basis(item.get("basis"))
    except ValueError:
        problems.append(f"“{name}”的basis应为{'、'.join(Basis)}之一，不是{item.get('basis')!r}")
        return None
    weight = _decimal(item.get("weight"), f"“{name}”的weight", problems)
    points = tuple(
        ScoringPoint(number, str(text), _decimal(value, f"“{name}”评分点{number}", problems))
        for number, (text, value) in enumerate(_pairs(item.get("points"), name, problems), 1)
    )
    if basis is Basis.JUDGEMENT:
        total = sum((point.points for point in points), ZERO)
        if abs(total - weight) > TOLERANCE:
            problems.append(f"“{name}”评分点分值合计{total}，与权重{weight}不符")
    if basis is Basis.ROLLUP and not item.get("rows"):
        problems.append(f"“{name}”为汇总指标，须写明rows（如 数量、质量、效益）")
    achieved = item.get("achieved") or ("符合", "部分符合")
    return FrameworkIndicator(
        level1=level1,
        level2=level2,
        name=name,
        weight=weight,
        basis=basis,
        explanation=" ".join(str(item.get("explanation", "")).split()),
        criteria=" ".join(str(item.get("criteria", "")).split()),
        points=points,
        rows=str(item["rows"]) if item.get("rows") else None,
        rate_decimals=int(item.get("rate_decimals", 2)),
        achieved=(str(achieved[0]), str(achieved[1])),
    )


# --- the evaluator's judgement


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points taken off an indicator, with the reason the evaluator gave."""

    amount: Decimal
    reason: str
    point: ScoringPoint | None = None  # None for a score set as a whole


@dataclass(frozen=True, slots=True)
class IndicatorJudgement:
    """What the evaluator decided for one indicator.

    A judged indicator has its points marked (`unmarked` lists those not yet marked); any
    indicator may instead have its score set as a whole (`score`), with a reason when it is
    below the weight. `comment` is the evaluator's text for 指标分析; `achieved` the 完成值.
    """

    name: str
    deductions: tuple[Deduction, ...] = ()
    unmarked: tuple[ScoringPoint, ...] = ()
    score: Decimal | None = None
    reason: str | None = None
    comment: str | None = None
    achieved: str | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    """The evaluator's file: one entry per indicator judged, and section texts that replace
    the drafted ones (keyed by section key, docs/reports.md)."""

    evaluator: str | None = None
    indicators: Mapping[str, IndicatorJudgement] | None = None
    sections: Mapping[str, str] | None = None

    def of(self, name: str) -> IndicatorJudgement | None:
        return (self.indicators or {}).get(name)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, framework: Framework, source: str = "judgement") -> Judgement:
        """Validate against the framework: every name known, every point marked at most once,
        every deduction within its point and with a reason. All problems are reported at once."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ReportInputError(source, ["评分文件应为键值映射（evaluator、indicators、sections）"])
        problems: list[str] = []
        judged: dict[str, IndicatorJudgement] = {}
        entries = data.get("indicators") or {}
        if not isinstance(entries, Mapping):
            problems.append("indicators 应为以指标名称为键的映射")
            entries = {}
        for name, entry in entries.items():
            indicator = framework.get(str(name))
            if indicator is None:
                problems.append(f"指标体系中没有三级指标“{name}”")
                continue
            made = _judgement(indicator, entry if isinstance(entry, Mapping) else {}, problems)
            if not isinstance(entry, Mapping):
                problems.append(f"“{name}”应为映射（points、score、reason、comment、achieved）")
            judged[indicator.name] = made
        sections = data.get("sections") or {}
        if not isinstance(sections, Mapping):
            problems.append("sections 应为以章节键为键、文字为值的映射")
            sections = {}
        if problems:
            raise ReportInputError(source, problems)
        evaluator = data.get("evaluator")
        return cls(
            evaluator=str(evaluator) if evaluator else None,
            indicators=judged,
            sections={str(key): str(text).strip() for key, text in sections.items()},
        )


def _judgement(indicator: FrameworkIndicator, entry: Mapping[str, Any], problems: list[str]) -> IndicatorJudgement:
    name = indicator.name
    reason = _text(entry.get("reason"))
    score = None
    if entry.get("score") is not None:
        score = _decimal(entry.get("score"), f"“{name}”的score", problems)
        if not ZERO <= score <= indicator.weight:
            problems.append(f"“{name}”的得分{score}应在0到权重{indicator.weight}之间")
        elif score < indicator.weight and reason is None:
            problems.append(f"“{name}”得分{score}低于权重{indicator.weight}，须写明扣分理由（reason）")
    marks = entry.get("points")
    deductions: list[Deduction] = []
    unmarked: tuple[ScoringPoint, ...] = ()
    if score is not None and marks is not None:
        problems.append(f"“{name}”不能同时给出score和逐条评分点")
    elif marks is not None and not indicator.points:
        problems.append(f"“{name}”没有评分点，只能用score给出得分")
    elif marks is not None and not isinstance(marks, Mapping):
        problems.append(f"“{name}”的points应为以评分点编号为键的映射")
    elif isinstance(marks, Mapping):
        deductions, unmarked = _marked(indicator, marks, problems)
    elif score is None and indicator.basis is Basis.JUDGEMENT:
        unmarked = indicator.points  # listed without marks: still to be judged
    if score is not None and score < indicator.weight and reason is not None:
        deductions = [Deduction(indicator.weight - score, reason)]
    return IndicatorJudgement(
        name=name,
        deductions=tuple(deductions),
        unmarked=unmarked,
        score=score,
        reason=reason,
        comment=_text(entry.get("comment")),
        achieved=_text(entry.get("achieved")),
    )


def _marked(
    indicator: FrameworkIndicator, marks: Mapping[Any, Any], problems: list[str]
) -> tuple[list[Deduction], tuple[ScoringPoint, ...]]:
    name = indicator.name
    by_number = {point.number: point for point in indicator.points}
    seen: set[int] = set()
    deductions = []
    for key, mark in marks.items():
        number = _point_number(key)
        point = by_number.get(number) if number is not None else None
        if point is None:
            problems.append(f"“{name}”没有评分点{key}（共{len(indicator.points)}条）")
            continue
        if number in seen:
            problems.append(f"“{name}”的评分点{point.mark}重复")
        seen.add(point.number)
        met, amount, reason = _mark(mark)
        if met is None:
            problems.append(f"“{name}”的评分点{point.mark}应写 met/unmet，或 {{met: false, reason: …}}")
        elif not met:
            amount = point.points if amount is None else amount
            if reason is None:
                problems.append(f"“{name}”的评分点{point.mark}未达到，须写明扣分理由（reason）")
            elif not ZERO < amount <= point.points:
                problems.append(f"“{name}”的评分点{point.mark}扣分{amount}应大于0且不超过其分值{point.points}")
            else:
                deductions.append(Deduction(amount, reason, point))
    unmarked = tuple(point for point in indicator.points if point.number not in seen)
    return deductions, unmarked


_MET_WORDS = {"met": True, "符合": True, "是": True, "unmet": False, "不符合": False, "否": False}


def _mark(mark: Any) -> tuple[bool | None, Decimal | None, str | None]:
    """(met, deduction, reason) of one point's mark: `met`, `true`, or a mapping."""
    if isinstance(mark, bool):
        return mark, None, None
    if isinstance(mark, str):
        return _MET_WORDS.get(mark.strip()), None, None
    if isinstance(mark, Mapping):
        met = mark.get("met")
        met = _MET_WORDS.get(met.strip()) if isinstance(met, str) else met
        amount = None
        if mark.get("deduct") is not None:
            try:
                amount = Decimal(str(mark["deduct"]))
            except InvalidOperation:
                return None, None, None
        return (met if isinstance(met, bool) else None), amount, _text(mark.get("reason"))
    return None, None, None


def _point_number(key: Any) -> int | None:
    """1, "1", "①" or "第1条" → 1."""
    text = str(key).strip()
    if len(text) == 1 and text in CIRCLED:
        return CIRCLED.index(text) + 1
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits and not isinstance(key, bool) else None


def _text(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _decimal(value: Any, what: str, problems: list[str]) -> Decimal:
    if isinstance(value, bool) or value is None:
        problems.append(f"{what}应为数字")
        return ZERO
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{what}应为数字，不是{value!r}")
        return ZERO
    if not number.is_finite():
        problems.append(f"{what}应为数字，不是{value!r}")
        return ZERO
    return number


def _list(value: Any, what: str, problems: list[str]) -> Iterator[Mapping[str, Any]]:
    if not isinstance(value, list):
        problems.append(f"{what}应为列表")
        return
    for item in value:
        if isinstance(item, Mapping):
            yield item
        else:
            problems.append(f"{what}的每一项应为映射")


def _pairs(value: Any, name: str, problems: list[str]) -> Iterator[tuple[Any, Any]]:
    for item in value or ():
        if isinstance(item, (list, tuple)) and len(item) == 2:
            yield item[0], item[1]
        else:
            problems.append(f"“{name}”的评分点应写成 [要点, 分值]")
