"""What an evaluation report (绩效评价报告) is drafted from: fund categories, the sub-projects'
forms, and the evaluator's funds file (资金文件) that overrides the forms' amounts.

A self-evaluation form states 全年预算数 and 全年执行数 but no 实际到位资金; a 专项资金 whose
到位 differs, or whose categories (体育产业类 …) group several forms, is described in a funds
file (docs/reports.md). Amounts are kept in 元 with the text as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jixiao.domain.labels import join_cjk
from jixiao.domain.model import BLANK, Form, Printed, SourceRef
from jixiao.domain.report_framework import ReportInputError
from jixiao.domain.score_formulas import HUNDRED, ZERO, num

TEN_THOUSAND = Decimal(10000)
UNITS = {"万元": TEN_THOUSAND, "元": Decimal(1)}


def percent(rate: Decimal, decimals: int) -> Decimal:
    """A fraction as the percentage a report states, half-up to `decimals` (0.99627 → 99.63)."""
    return (rate * HUNDRED).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def in_unit(amount: Decimal, unit: str) -> Decimal:
    """An amount in 元 as stated in `unit` (万元 to 4 decimals: exact to the 元)."""
    if unit == "万元":
        return (amount / TEN_THOUSAND).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return amount


def stated(amount: Decimal, unit: str) -> Printed:
    """An amount in 元 with the text a report writes for it in `unit` (8140 for 81,400,000 元)."""
    return Printed(num(in_unit(amount, unit)), amount)


@dataclass(frozen=True, slots=True)
class FundCategory:
    """One line of 资金投入和使用情况 (体育产业类 …): amounts in 元, texts as stated."""

    name: str
    budget: Printed = BLANK  # 预算资金 (调整后预算金额)
    arrived: Printed = BLANK  # 实际到位资金
    spent: Printed = BLANK  # 实际支出资金
    rate: Printed = BLANK  # 执行率 as stated, in percent
    sources: tuple[SourceRef, ...] = ()  # the forms or the funds file it comes from
    note: str | None = None
    line: int | None = None

    def json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "budget": self.budget.json(),
            "arrived": self.arrived.json(),
            "spent": self.spent.json(),
            "rate": self.rate.json(),
            "sources": [source.json() for source in self.sources],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One year of the department's forms, for the year-over-year chart."""

    year: int
    budget: Decimal
    spent: Decimal
    forms: int
    mean_score: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """What a report is drafted from: the fund categories and the sub-projects' forms.

    计划成本 and 实际成本 default to Σ 预算资金 and Σ 实际支出资金 (评分标准: "计划成本…一般以
    项目预算为参考"). `finding_counts` are the forms' review findings by code.
    """

    subject: str
    categories: tuple[FundCategory, ...]
    forms: tuple[Form, ...] = ()
    organisation: str | None = None
    year: int | None = None
    date: str | None = None
    unit: str = "万元"
    planned_cost: Decimal | None = None
    actual_cost: Decimal | None = None
    history: tuple[YearFigures, ...] = ()
    finding_counts: Mapping[str, int] = field(default_factory=dict)
    forms_with_errors: int = 0

    def total(self, part: str) -> Decimal | None:
        """Σ of one amount (budget, arrived, spent) over the categories; None if one is missing."""
        values = [getattr(category, part).value for category in self.categories]
        if not values or None in values:
            return None
        return sum(values, ZERO)  # type: ignore[arg-type]


def project_name(form: Form) -> str:
    """A sub-project's name as a report writes it: a word broken by the form's line wrap joined
    again (离退休干部管理和服 务, domain.md §7.10)."""
    return join_cjk(form.project.name or form.project.code or form.source.file or "（未填项目名称）")


def category_from_form(form: Form) -> FundCategory:
    """A fund category for one sub-project form: 预算 = 全年预算数, 支出 = 全年执行数. The form
    has no 实际到位资金; it is taken as 全年预算数, and said so (a funds file overrides it)."""
    total = form.funds.total
    return FundCategory(
        name=project_name(form),
        budget=total.adjusted,
        arrived=total.adjusted,
        spent=total.executed,
        sources=(form.source,),
        note="注：自评表未列实际到位资金，按全年预算数计；到位数不同时请在资金文件中填写。",
    )


@dataclass(frozen=True, slots=True)
class FundsFile:
    """The evaluator's funds file: categories that replace the forms' funds blocks, and the
    report's subject, organisation and date when given."""

    categories: tuple[FundCategory, ...]
    unit: str = "万元"
    planned_cost: Decimal | None = None  # 元
    actual_cost: Decimal | None = None
    subject: str | None = None
    organisation: str | None = None
    date: str | None = None

    @classmethod
    def from_mapping(cls, data: Any, source: str = "funds") -> FundsFile:
        """Validate: a known unit, every category named with numeric 预算 and 支出 (到位
        defaults to 预算), and no category spending more than arrived. All problems at once."""
        if not isinstance(data, Mapping):
            raise ReportInputError(source, ["资金文件应为键值映射（unit、categories …）"])
        problems: list[str] = []
        unit = str(data.get("unit", "万元"))
        if unit not in UNITS:
            problems.append(f"unit 应为 万元 或 元，不是“{unit}”")
            unit = "万元"
        scale = UNITS[unit]
        reference = SourceRef(file=source, layout="funds-file")
        categories = []
        entries = data.get("categories")
        if not isinstance(entries, list) or not entries:
            problems.append("categories 应为至少一项资金类别的列表")
            entries = []
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, Mapping) or not str(entry.get("name") or "").strip():
                problems.append(f"第{number}项资金类别须写明 name")
                continue
            name = str(entry["name"]).strip()
            budget = _amount(entry.get("budget"), scale, f"“{name}”的budget", problems)
            spent = _amount(entry.get("spent"), scale, f"“{name}”的spent", problems)
            arrived = budget
            if entry.get("arrived") is not None:
                arrived = _amount(entry.get("arrived"), scale, f"“{name}”的arrived", problems)
            categories.append(FundCategory(name, budget, arrived, spent, sources=(reference,), line=None))
        planned = _optional(data.get("planned_cost"), scale, "planned_cost", problems)
        actual = _optional(data.get("actual_cost"), scale, "actual_cost", problems)
        if problems:
            raise ReportInputError(source, problems)
        return cls(
            categories=tuple(categories),
            unit=unit,
            planned_cost=planned,
            actual_cost=actual,
            subject=_text(data.get("subject")),
            organisation=_text(data.get("organisation")),
            date=_text(data.get("date")),
        )


def _amount(value: Any, scale: Decimal, what: str, problems: list[str]) -> Printed:
    number = _number(value)
    if number is None or number < 0:
        problems.append(f"{what}应为不小于0的金额，不是{value!r}")
        return BLANK
    return Printed(num(number), number * scale)


def _optional(value: Any, scale: Decimal, what: str, problems: list[str]) -> Decimal | None:
    if value is None:
        return None
    amount = _amount(value, scale, what, problems)
    return amount.value


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None
