"""The department summary table (部门预算项目绩效自评表) drafted from the forms: domain.md §6.1.

One `SummaryRow` per project, every value taken from one form and kept with the file, form
and lines it came from. How a form's cells become the summary's columns:

- 项目年度预算金额 is the form's 全年预算数 (A) and 实际支出金额/合计 its 全年执行数 (B), both of
  年度资金总额: the summary's rate divides by 项目年度预算金额 as the form's by A (domain.md §3).
- 其中 by source: the form's 当年财政拨款 and 上年结转资金 are fiscal money (a carryover is
  unspent 财政拨款 of the year before), counted as 一般公共预算 unless the project's name says
  it is a government fund (彩票公益金, 体彩金 …: lottery money is 政府性基金预算); the form
  names no budget otherwise. 其他资金 is 非财政资金. A source no form cell feeds stays blank.
- 预算支出执行率 is B/A recomputed, never the printed rate (59.7 truncated, 85 rounded).
- 年初绩效目标 / 绩效目标整体完成情况 are the 预期目标 / 实际完成情况 of 年度总体目标.
- For each kind the summary has (数量 … 满意度; it has no 成本 or 可持续影响 column) the
  applicable rows of that kind, one `名称：指标值` line each; a kind with none reads
  `本项目不涉及…指标`, as the sample prints it.
- 项目执行中的问题: a low execution rate, then the cause part of each deviation note;
  整改情况: the corrective part (改进措施, 下一步 …). `无` when there is none.

Amounts stay in 元; `shown_amount` gives the number a table prints in 元 or 万元.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from jixiao.domain.labels import squeeze
from jixiao.domain.model import (
    BLANK,
    Form,
    FundsBlock,
    FundsRow,
    Goals,
    Indicator,
    Printed,
    ProjectHeader,
    SourceRef,
    SummaryExtras,
)
from jixiao.domain.scoring import SATISFACTION_LEVEL2, fiscal_year

# The summary's indicator kinds in column order, and the 一级 each is printed under.
KINDS = ("数量", "质量", "时效", "经济效益", "社会效益", "生态效益", "满意度")
LEVEL1_OF_KIND = {"数量": "产出", "质量": "产出", "时效": "产出", "经济效益": "效益", "社会效益": "效益", "生态效益": "效益", "满意度": "满意度"}
NONE_TEXT = "无"
TITLE_SUFFIX = "部门预算项目绩效自评表"
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)
# Names of projects paid from a government fund rather than the general budget.
GOVERNMENT_FUND_NAMES = ("政府性基金", "彩票公益金", "体彩公益金", "福彩公益金", "体彩金", "福彩金")
# A deviation note's corrective part starts at one of these (checks.md deviation.incomplete
# lists the markers units use); what comes before is the cause.
_ACTION_START = re.compile(r"改进措施|整改措施|下一步|下步|今后将|后续将")
_CAUSE_HEADING = re.compile(r"^(?:偏差原因(?:分析)?|原因分析|原因)\s*[:：]?\s*")
_ACTION_HEADING = re.compile(r"^(?:改进措施|整改措施)\s*[:：]?\s*")
_EDGE_PUNCTUATION = " \t\n，,；;：:、"
# A note that says only that nothing deviated (the 2021 forms' 无偏差) is no problem.
_NOTHING_SAID = frozenset({"", "无", "无偏差", "无偏差。", "无。", "—", "-", "/", "不适用"})
_AMOUNT_PLACES = {"万元": (2, 4), "元": (2, 2)}  # fewest and most decimals printed


class AmountUnit(StrEnum):
    """The unit a summary prints its amounts in (单位：万元 or 元)."""

    WAN = "万元"
    YUAN = "元"


def shown_amount(value: Decimal | None, unit: AmountUnit | str) -> Decimal | None:
    """The number printed for an amount of `value` 元.

    元: two decimals, as the forms print them. 万元: the fewest decimals from 2 to 4 that
    show the amount to the 元, rounded half-up (the sample's 80.653 is 806,530 元 exactly;
    a third or fourth decimal appears only when the 元 need it, so adding up the printed
    column loses nothing); 分 are rounded to the 元.
    """
    if value is None:
        return None
    unit = AmountUnit(unit)
    scaled = value / TEN_THOUSAND if unit is AmountUnit.WAN else value
    fewest, most = _AMOUNT_PLACES[unit.value]
    rounded = scaled.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
    places = most
    while places > fewest and rounded == rounded.quantize(Decimal(1).scaleb(1 - places)):
        places -= 1
    return rounded.quantize(Decimal(1).scaleb(-places))


def shown_rate(rate: Decimal | None) -> Decimal | None:
    """预算支出执行率 as the printed percentage, two decimals half-up (0.597509 → 59.75)."""
    if rate is None:
        return None
    return (rate * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class SummaryItem:
    """One indicator row in a kind's column: its 三级 name, 年度指标值, 实际完成值 and source line."""

    name: str | None
    target: str
    actual: str
    line: int | None = None

    def target_line(self) -> str:
        return f"{self.name}：{self.target}" if self.name else self.target

    def actual_line(self) -> str:
        return f"{self.name}：{self.actual}" if self.name else self.actual


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One project of the summary table (汇总表的一行), amounts in 元.

    `source` is the form the row was drafted from; `lines` names, per column, the lines of
    that form each value was read from, so that every number can be traced.
    """

    seq: int
    unit: str | None  # 单位名称
    project: str | None  # 项目名称
    budget: Decimal | None  # 项目年度预算金额 = 全年预算数
    spent: Decimal | None  # 实际支出金额 合计 = 全年执行数
    general_budget: Decimal | None  # 其中：财政拨款 一般公共预算
    government_fund: Decimal | None  # 其中：财政拨款 政府性基金
    non_fiscal: Decimal | None  # 非财政资金
    goal: str | None  # 年初绩效目标
    outcome: str | None  # 绩效目标整体完成情况
    items: Mapping[str, tuple[SummaryItem, ...]]  # kind → its rows, for each of KINDS
    issues: tuple[str, ...]  # 项目执行中的问题, one line each
    rectification: tuple[str, ...]  # 整改情况, one line each
    source: SourceRef
    lines: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what could not be placed, for the reviewer

    @property
    def rate(self) -> Decimal | None:
        """预算支出执行率 B/A as a fraction; None when A is missing or 0."""
        if self.budget is None or self.spent is None or self.budget == 0:
            return None
        return self.spent / self.budget

    def target_text(self, kind: str) -> str:
        """年度指标内容 of a kind: one `名称：指标值` line per row, or 本项目不涉及…."""
        items = self.items.get(kind, ())
        return "\n".join(item.target_line() for item in items) if items else not_involved(kind)

    def actual_text(self, kind: str) -> str:
        """完成情况 of a kind, line for line with `target_text`."""
        items = self.items.get(kind, ())
        return "\n".join(item.actual_line() for item in items) if items else not_involved(kind)

    @property
    def issues_text(self) -> str:
        return "\n".join(self.issues) or NONE_TEXT

    @property
    def rectification_text(self) -> str:
        return "\n".join(self.rectification) or NONE_TEXT

    def as_form(self) -> Form:
        """The row as a summary Form, as the summary reader gives one, for the scope-S checks.

        Each source indicator is its own row (with its name and line), so a kind holding
        three indicators is not taken for one indicator with three targets (target.multi).
        """
        indicators = []
        for kind in KINDS:
            items = self.items.get(kind, ())
            level1 = LEVEL1_OF_KIND[kind]
            level2 = None if kind == "满意度" else kind
            for item in items or (None,):
                placeholder = not_involved(kind)
                indicators.append(
                    Indicator(
                        level1=level1,
                        level1_text=f"{level1}目标" if level2 else f"{kind}指标",
                        level2=level2,
                        level2_text=f"{kind}指标" if level2 else None,
                        name=item.name if item else None,
                        target=item.target if item else placeholder,
                        actual=item.actual if item else placeholder,
                        applicable=item is not None,
                        line=item.line if item else None,
                    )
                )
        rate = shown_rate(self.rate)
        total_line = next(iter(self.lines.get("budget", ())), None)
        return Form(
            source=self.source,
            project=ProjectHeader(name=self.project, year=None, implementing_unit=self.unit),
            funds=FundsBlock(
                total=FundsRow(adjusted=_printed(self.budget), executed=_printed(self.spent), line=total_line),
                rate=_printed(rate),
                rate_scale=100,
                unit=AmountUnit.YUAN.value,
            ),
            goals=Goals(expected=self.goal, actual=self.outcome),
            indicators=tuple(indicators),
            summary=SummaryExtras(
                seq=str(self.seq),
                general_budget=_printed(self.general_budget),
                government_fund=_printed(self.government_fund),
                non_fiscal=_printed(self.non_fiscal),
                issues=self.issues_text,
                rectification=self.rectification_text,
            ),
        )

    def json(self) -> dict[str, Any]:
        """The row with amounts in 元 and the rate as a fraction (form-json.md conventions)."""
        return {
            "seq": self.seq,
            "unit": self.unit,
            "project": self.project,
            "budget": _number(self.budget),
            "spent": _number(self.spent),
            "general_budget": _number(self.general_budget),
            "government_fund": _number(self.government_fund),
            "non_fiscal": _number(self.non_fiscal),
            "rate": _number(self.rate),
            "goal": self.goal,
            "outcome": self.outcome,
            "kinds": {
                kind: [{"name": item.name, "target": item.target, "actual": item.actual, "line": item.line} for item in items]
                for kind, items in self.items.items()
            },
            "issues": list(self.issues),
            "rectification": list(self.rectification),
            "source": self.source.json(),
            "lines": {column: list(lines) for column, lines in self.lines.items()},
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class SummaryTable:
    """A department's summary table for one year: its title parts, amount unit and rows."""

    department: str | None
    year: int | None
    unit: AmountUnit
    rows: tuple[SummaryRow, ...]

    @property
    def title(self) -> str:
        """`2020年深圳市龙岗区文化产业促进中心部门预算项目绩效自评表`, leaving out what is unknown."""
        year = f"{self.year}年" if self.year is not None else ""
        return f"{year}{self.department or ''}{TITLE_SUFFIX}"

    @property
    def unit_line(self) -> str:
        return f"单位：{self.unit.value}"

    def json(self) -> dict[str, Any]:
        return {
            "kind": "department-summary",
            "title": self.title,
            "department": self.department,
            "year": self.year,
            "unit": self.unit.value,
            "rows": [row.json() for row in self.rows],
        }


def not_involved(kind: str) -> str:
    """The text of a kind no row fills, as the sample prints it."""
    return f"本项目不涉及{kind}指标"


def summary_table(
    forms: Sequence[Form],
    *,
    department: str | None = None,
    year: int | None = None,
    unit: AmountUnit | str = AmountUnit.WAN,
    low_execution: Decimal | None = None,
    unit_names: Sequence[str | None] | None = None,
) -> SummaryTable:
    """The summary of `forms` in their order, numbered from 1.

    `department` and `year` default to what most forms print (一级预算单位 or 主管部门, and
    the fiscal year). `low_execution` (a profile's threshold) adds a low rate to a row's
    problems. `unit_names`, one per form, overrides the unit a form prints (the store knows
    where each form was placed).
    """
    names = list(unit_names) if unit_names is not None else [None] * len(forms)
    rows = tuple(
        summary_row(form, seq, low_execution=low_execution, unit_name=name)
        for seq, (form, name) in enumerate(zip(forms, names, strict=True), 1)
    )
    return SummaryTable(
        department=department if department is not None else _most_common(map(_department_of, forms)),
        year=year if year is not None else _most_common(map(fiscal_year, forms)),
        unit=AmountUnit(unit),
        rows=rows,
    )


def summary_row(form: Form, seq: int, *, low_execution: Decimal | None = None, unit_name: str | None = None) -> SummaryRow:
    """One form as a summary row; a row read from a summary table is carried over as it was."""
    if form.is_summary:
        return _carried_row(form, seq, unit_name)
    funds = form.funds
    lines: dict[str, tuple[int, ...]] = {}
    total_line = _lines(funds.total)
    lines["budget"] = lines["spent"] = total_line
    fiscal_rows = [row for row in (funds.fiscal, funds.carryover) if row.executed.present]
    fiscal = _sum(row.executed.value for row in fiscal_rows)
    fund = is_government_fund(form.project.name)
    lines["government_fund" if fund else "general_budget"] = tuple(line for row in fiscal_rows for line in _lines(row))
    if funds.other.executed.present:
        lines["non_fiscal"] = _lines(funds.other)
    items, notes = _items(form.indicators)
    for kind, kind_items in items.items():
        lines[kind] = tuple(item.line for item in kind_items if item.line is not None)
    issues, rectification, note_lines = _problems(form.indicators)
    budget, spent = funds.total.adjusted.value, funds.total.executed.value
    if low_execution is not None and budget and spent is not None and spent / budget < low_execution:
        issues = (f"预算执行率{shown_rate(spent / budget)}%，低于{shown_rate(low_execution).normalize():f}%", *issues)
        note_lines = total_line + note_lines
    if note_lines:
        lines["issues"] = note_lines
    return SummaryRow(
        seq=seq,
        unit=unit_name or form.project.implementing_unit or form.project.budget_unit or form.project.department,
        project=form.project.name or form.project.code,
        budget=budget,
        spent=spent,
        general_budget=None if fund else fiscal,
        government_fund=fiscal if fund else None,
        non_fiscal=funds.other.executed.value,
        goal=form.goals.expected,
        outcome=form.goals.actual,
        items=items,
        issues=issues,
        rectification=rectification,
        source=form.source,
        lines=lines,
        notes=notes,
    )


def is_government_fund(project_name: str | None) -> bool:
    """Whether the project's name says it is paid from a government fund (政府性基金)."""
    return bool(project_name) and any(word in project_name for word in GOVERNMENT_FUND_NAMES)


def kind_of(row: Indicator) -> str | None:
    """The summary column a form's row belongs in; None for 成本, 可持续影响 and lost labels."""
    if row.level1 == "满意度" or row.level2 in SATISFACTION_LEVEL2:
        return "满意度"
    return row.level2 if row.level2 in LEVEL1_OF_KIND else None


def split_deviation(note: str | None) -> tuple[str | None, str | None]:
    """A deviation note as (cause, corrective action); (None, None) for 无偏差 or a blank.

    The action starts at 改进措施, 整改措施, 下一步 …; a note without one is all cause
    (luohu 2022 · 行政运行: "…故去年发放率约为85%。").
    """
    if note is None or squeeze(note) in _NOTHING_SAID:
        return None, None
    text = note.strip()
    match = _ACTION_START.search(text)
    cause, action = (text[: match.start()], text[match.start() :]) if match else (text, "")
    cause = _CAUSE_HEADING.sub("", cause.strip(_EDGE_PUNCTUATION)).strip(_EDGE_PUNCTUATION)
    action = _ACTION_HEADING.sub("", action.strip(_EDGE_PUNCTUATION)).strip(_EDGE_PUNCTUATION)
    return cause or None, action or None


# --- helpers


def _items(indicators: Sequence[Indicator]) -> tuple[dict[str, tuple[SummaryItem, ...]], tuple[str, ...]]:
    found: dict[str, list[SummaryItem]] = {kind: [] for kind in KINDS}
    notes = []
    for index, row in enumerate(indicators):
        if not row.applicable:
            continue
        kind = kind_of(row)
        if kind is None:
            if row.level2 is None and row.level1 != "成本":
                where = f"第{row.line}行" if row.line is not None else f"第{index + 1}项指标"
                notes.append(f"{where}“{row.name or row.target}”的二级指标不明，未列入汇总表")
            continue
        found[kind].append(SummaryItem(row.name, row.target, row.actual, row.line))
    return {kind: tuple(items) for kind, items in found.items()}, tuple(notes)


def _problems(indicators: Sequence[Indicator]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]:
    """Causes and actions of the deviation notes, and the lines of those notes.

    One line per distinct text, naming every row that gives it: a note copied onto several
    rows (luohu 2021 · 干部健康管理, lines 15–16) is one problem, not two.
    """
    causes: dict[str, list[str]] = {}
    actions: dict[str, list[str]] = {}
    lines: list[int] = []
    for index, row in enumerate(indicators):
        cause, action = split_deviation(row.deviation)
        if cause is None and action is None:
            continue
        name = row.name or (f"{row.level2}指标" if row.level2 else f"第{index + 1}项指标")
        for text, found in ((cause, causes), (action, actions)):
            if text and name not in found.setdefault(text, []):
                found[text].append(name)
        if row.line is not None:
            lines.append(row.line)
    return _named_lines(causes), _named_lines(actions), tuple(lines)


def _named_lines(texts: dict[str, list[str]]) -> tuple[str, ...]:
    """`名称、名称：text` per text."""
    return tuple(f"{'、'.join(names)}：{text}" for text, names in texts.items())


def _carried_row(form: Form, seq: int, unit_name: str | None) -> SummaryRow:
    """A row of a summary table read back: its values as printed (converted to 元)."""
    extras = form.summary or SummaryExtras()
    items: dict[str, tuple[SummaryItem, ...]] = {kind: () for kind in KINDS}
    for row in form.indicators:
        kind = kind_of(row)
        if kind is not None and row.applicable:
            items[kind] += (SummaryItem(row.name, row.target, row.actual, row.line),)
    line = _lines(form.funds.total)
    return SummaryRow(
        seq=seq,
        unit=unit_name or form.project.implementing_unit,
        project=form.project.name,
        budget=form.funds.total.adjusted.value,
        spent=form.funds.total.executed.value,
        general_budget=extras.general_budget.value,
        government_fund=extras.government_fund.value,
        non_fiscal=extras.non_fiscal.value,
        goal=form.goals.expected,
        outcome=form.goals.actual,
        items=items,
        issues=_said(extras.issues),
        rectification=_said(extras.rectification),
        source=form.source,
        lines={column: line for column in ("budget", "spent", "general_budget", "government_fund", "non_fiscal")},
        notes=form.notes,
    )


def _said(text: str | None) -> tuple[str, ...]:
    """Lines of a 问题/整改 cell; none for 无."""
    if text is None or squeeze(text) in _NOTHING_SAID:
        return ()
    return tuple(line for line in text.split("\n") if line.strip())


def _department_of(form: Form) -> str | None:
    project = form.project
    return project.budget_unit or project.department or project.implementing_unit


def _most_common(values: Iterable[Any]) -> Any:
    """The value most forms give, the first met on a tie; None when none gives one."""
    counts = Counter(value for value in values if value is not None)
    return max(counts, key=counts.__getitem__) if counts else None


def _lines(row: FundsRow) -> tuple[int, ...]:
    return (row.line,) if row.line is not None else ()


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def _printed(value: Decimal | None) -> Printed:
    return BLANK if value is None else Printed(format(value, "f"), value)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)

