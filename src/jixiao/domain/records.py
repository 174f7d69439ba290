"""A form as a storable record (填报记录), its content hash, its cells by place, and what
changed between two versions of it.

The form JSON of form-json.md serves readers of jixiao's output: it gives numbers and
drops the texts a unit printed. The checks need those texts (funds.rate-mismatch takes its
tolerance from the printed digits, domain.md §7.7), so a stored version keeps a *record*:
every field of `Form`, each printed number as its text and its value. `form_from_record`
gives back an equal `Form`; the record survives a JSON round trip.

Cells are named by a path (`project.name`, `funds.total.executed`, `indicators.3.actual`)
and a place a reviewer reads (`第4项指标“退休干部健康管理次数”的实际完成值`). Diffs, edits,
the content hash and the audit log use both.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jixiao.domain.labels import clean_text, read_label
from jixiao.domain.model import (
    Form,
    FundsBlock,
    FundsRow,
    Goals,
    Indicator,
    Printed,
    ProjectHeader,
    SourceRef,
    SummaryExtras,
    Total,
)

RECORD_SCHEMA = 1
TEN_THOUSAND = Decimal(10000)

PROJECT_TEXTS = (
    ("name", "项目名称"),
    ("code", "项目编码"),
    ("department", "主管部门"),
    ("implementing_unit", "实施单位"),
    ("budget_unit", "一级预算单位"),
)
FUNDS_ROWS = (("total", "年度资金总额"), ("fiscal", "当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
FUNDS_AMOUNTS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))
FUNDS_CELLS = (("weight", "资金分值"), ("rate", "执行率"), ("score", "资金得分"))
GOALS = (("expected", "预期目标"), ("actual", "实际完成情况"))
INDICATOR_CELLS = (
    ("level1_text", "一级指标"),
    ("level2_text", "二级指标"),
    ("name", "三级指标"),
    ("target", "年度指标值"),
    ("actual", "实际完成值"),
    ("weight", "分值"),
    ("score", "得分"),
    ("deviation", "偏差原因分析及改进措施"),
    ("applicable", "是否适用"),
)
INDICATOR_PRINTED = frozenset({"weight", "score"})
TOTAL_CELLS = (("weight", "总分分值"), ("score", "总分得分"))
SUMMARY_TEXTS = (("seq", "序号"), ("issues", "项目执行中的问题"), ("rectification", "整改情况"))
SUMMARY_AMOUNTS = (("general_budget", "一般公共预算"), ("government_fund", "政府性基金"), ("non_fiscal", "非财政资金"))
YES, NO = "是", "否"
_TRUE_TEXTS = frozenset({"是", "适用", "true", "1", "yes"})
_FALSE_TEXTS = frozenset({"否", "不适用", "false", "0", "no"})


class CellPathError(ValueError):
    """A cell path that names no editable cell of the form, or a text the cell cannot hold."""


# --- record


def form_to_record(form: Form) -> dict[str, Any]:
    """Every field of the form as JSON-ready data; printed numbers as [text, value]."""
    source = form.source
    project = form.project
    funds = form.funds
    record: dict[str, Any] = {
        "record": RECORD_SCHEMA,
        "source": {
            "file": source.file,
            "index": source.index,
            "layout": source.layout,
            "rows": list(source.rows) if source.rows else None,
        },
        "project": {
            **{key: getattr(project, key) for key, _ in PROJECT_TEXTS},
            "year": project.year,
            "amount": _printed(project.amount),
        },
        "funds": {
            **{key: _funds_row(getattr(funds, key)) for key, _ in FUNDS_ROWS},
            "weight": _printed(funds.weight),
            "rate": _printed(funds.rate),
            "rate_scale": funds.rate_scale,
            "score": _printed(funds.score),
            "unit": funds.unit,
        },
        "goals": {"expected": form.goals.expected, "actual": form.goals.actual},
        "indicators": [_indicator(row) for row in form.indicators],
        "total": {"weight": _printed(form.total.weight), "score": _printed(form.total.score), "line": form.total.line},
        "grade_claimed": form.grade_claimed,
        "summary": None if form.summary is None else _summary(form.summary),
        "notes": list(form.notes),
    }
    return record


def form_from_record(record: dict[str, Any]) -> Form:
    """The form a record was made from (`form_from_record(form_to_record(f)) == f`)."""
    source = record["source"]
    project = record["project"]
    funds = record["funds"]
    total = record["total"]
    summary = record.get("summary")
    return Form(
        source=SourceRef(
            file=source["file"],
            index=source["index"],
            layout=source["layout"],
            rows=tuple(source["rows"]) if source["rows"] else None,  # type: ignore[arg-type]
        ),
        project=ProjectHeader(
            **{key: project[key] for key, _ in PROJECT_TEXTS},
            year=project["year"],
            amount=_printed_from(project["amount"]),
        ),
        funds=FundsBlock(
            **{key: _funds_row_from(funds[key]) for key, _ in FUNDS_ROWS},
            weight=_printed_from(funds["weight"]),
            rate=_printed_from(funds["rate"]),
            rate_scale=funds["rate_scale"],
            score=_printed_from(funds["score"]),
            unit=funds["unit"],
        ),
        goals=Goals(**record["goals"]),
        indicators=tuple(_indicator_from(row) for row in record["indicators"]),
        total=Total(_printed_from(total["weight"]), _printed_from(total["score"]), total["line"]),
        grade_claimed=record["grade_claimed"],
        summary=None if summary is None else _summary_from(summary),
        notes=tuple(record["notes"]),
    )


def content_hash(form: Form) -> str:
    """SHA-256 of what the unit printed: every cell `diff_forms` compares, in form order.

    Where the form was found (file, position, line numbers) is left out, so the same form
    re-sent in a renamed file, or moved down by a correction above it, hashes the same. So
    is what jixiao derives from the texts (canonical labels, reader notes): a newer reader
    reading the same file finds the same forms unchanged. Two forms hash alike exactly
    when `diff_forms` finds no difference between them.
    """
    cells = [[path, text] for path, _, text in form_cells(form)]
    for index, row in enumerate(form.indicators):
        cells.extend([f"indicators.{index}.{key}", text] for key, _, text in indicator_cells(row))
    encoded = json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _printed(value: Printed) -> list[str | None]:
    return [value.text, None if value.value is None else str(value.value)]


def _printed_from(data: list[str | None]) -> Printed:
    text, value = data
    return Printed(text or "", None if value is None else Decimal(value))


def _funds_row(row: FundsRow) -> dict[str, Any]:
    return {**{key: _printed(getattr(row, key)) for key, _ in FUNDS_AMOUNTS}, "rate": _printed(row.rate), "line": row.line}


def _funds_row_from(data: dict[str, Any]) -> FundsRow:
    amounts = {key: _printed_from(data[key]) for key, _ in FUNDS_AMOUNTS}
    return FundsRow(**amounts, rate=_printed_from(data["rate"]), line=data["line"])


def _indicator(row: Indicator) -> dict[str, Any]:
    return {
        "level1": row.level1,
        "level1_text": row.level1_text,
        "level2": row.level2,
        "level2_text": row.level2_text,
        "name": row.name,
        "target": row.target,
        "actual": row.actual,
        "weight": _printed(row.weight),
        "score": _printed(row.score),
        "deviation": row.deviation,
        "applicable": row.applicable,
        "inferred": sorted(row.inferred),
        "line": row.line,
    }


def _indicator_from(data: dict[str, Any]) -> Indicator:
    return Indicator(
        **{key: data[key] for key in ("level1", "level1_text", "level2", "level2_text", "name", "target", "actual")},
        weight=_printed_from(data["weight"]),
        score=_printed_from(data["score"]),
        deviation=data["deviation"],
        applicable=data["applicable"],
        inferred=frozenset(data["inferred"]),
        line=data["line"],
    )


def _summary(extras: SummaryExtras) -> dict[str, Any]:
    return {
        **{key: getattr(extras, key) for key, _ in SUMMARY_TEXTS},
        **{key: _printed(getattr(extras, key)) for key, _ in SUMMARY_AMOUNTS},
    }


def _summary_from(data: dict[str, Any]) -> SummaryExtras:
    return SummaryExtras(
        **{key: data[key] for key, _ in SUMMARY_TEXTS},
        **{key: _printed_from(data[key]) for key, _ in SUMMARY_AMOUNTS},
    )


# --- cells by place


def form_cells(form: Form) -> Iterator[tuple[str, str, str | None]]:
    """(path, place, printed text) of every cell outside the indicator rows, in form order.

    The 年度资金总额 row's own 执行率 is the block's `funds.rate`, listed once.
    """
    project = form.project
    for key, label in PROJECT_TEXTS:
        yield f"project.{key}", label, getattr(project, key)
    yield "project.year", "绩效自评年度", None if project.year is None else str(project.year)
    yield "project.amount", "项目金额", project.amount.text
    for row_key, row_label in FUNDS_ROWS:
        row = getattr(form.funds, row_key)
        for key, label in FUNDS_AMOUNTS:
            yield f"funds.{row_key}.{key}", f"{row_label}·{label}", getattr(row, key).text
        if row_key != "total":
            yield f"funds.{row_key}.rate", f"{row_label}·执行率", row.rate.text
    for key, label in FUNDS_CELLS:
        yield f"funds.{key}", label, getattr(form.funds, key).text
    yield "funds.unit", "金额单位", form.funds.unit  # 万元 or 元, as the table declares
    for key, label in GOALS:
        yield f"goals.{key}", label, getattr(form.goals, key)
    for key, label in TOTAL_CELLS:
        yield f"total.{key}", label, getattr(form.total, key).text
    yield "grade_claimed", "自评等级", form.grade_claimed
    if form.summary is not None:
        for key, label in SUMMARY_TEXTS + SUMMARY_AMOUNTS:
            value = getattr(form.summary, key)
            yield f"summary.{key}", label, value.text if isinstance(value, Printed) else value


def indicator_cells(row: Indicator) -> Iterator[tuple[str, str, str | None]]:
    """(field, label, printed text) of each cell of one indicator row."""
    for key, label in INDICATOR_CELLS:
        value = getattr(row, key)
        if isinstance(value, Printed):
            value = value.text
        elif isinstance(value, bool):
            value = YES if value else NO
        yield key, label, value


def indicator_place(position: int, row: Indicator) -> str:
    """How a reviewer finds a row: 第4项指标“退休干部健康管理次数” (1-based)."""
    return f"第{position + 1}项指标“{row.name or row.target or '（无名称）'}”"


def cell_place(form: Form, path: str) -> tuple[str, str | None]:
    """(place, current text) of the cell a path names; CellPathError when it names none."""
    parts = path.split(".")
    if parts[0] == "indicators":
        index, key = _indicator_path(form, parts)
        row = form.indicators[index]
        for field, label, text in indicator_cells(row):
            if field == key:
                return f"{indicator_place(index, row)}的{label}", text
    for cell_path, place, text in form_cells(form):
        if cell_path == path:
            return place, text
    raise CellPathError(f"没有可修改的单元格“{path}”")


# --- diff


class ChangeKind(StrEnum):
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions of a form (版本差异), named as a reviewer reads it."""

    kind: ChangeKind
    path: str  # cell path in the newer version (in the older one for a removed row)
    place: str  # 项目名称, 年度资金总额·全年执行数, 第4项指标“…”的实际完成值
    old: str | None = None
    new: str | None = None

    @property
    def text(self) -> str:
        if self.kind is ChangeKind.ADDED:
            return f"新增{self.place}：{self.new}"
        if self.kind is ChangeKind.REMOVED:
            return f"删除{self.place}：{self.old}"
        return f"{self.place}：“{self.old or '（空）'}”改为“{self.new or '（空）'}”"

    def json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "path": self.path, "place": self.place, "old": self.old, "new": self.new}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(ChangeKind(data["kind"]), data["path"], data["place"], data.get("old"), data.get("new"))


def diff_forms(old: Form, new: Form) -> list[Change]:
    """What the unit changed: header, funds, goals and total cells, then indicator rows.

    Rows are aligned by (一级, 二级, 三级) so an inserted row shows as added rather than as
    every later row changed; a row renamed in place is a changed 三级指标.
    """
    changes = [
        Change(ChangeKind.CHANGED, path, place, before, after)
        for (path, place, before), (_, _, after) in _paired_cells(old, new)
        if (before or None) != (after or None)
    ]
    changes.extend(_row_changes(old.indicators, new.indicators))
    return changes


def _paired_cells(old: Form, new: Form) -> Iterator[tuple[tuple[str, str, str | None], tuple[str, str, str | None]]]:
    before = {path: (path, place, text) for path, place, text in form_cells(old)}
    for path, place, text in form_cells(new):
        yield before.pop(path, (path, place, None)), (path, place, text)
    for path, place, text in before.values():  # summary cells of an old version only
        yield (path, place, text), (path, place, None)


def _row_changes(old: tuple[Indicator, ...], new: tuple[Indicator, ...]) -> Iterator[Change]:
    keys_old = [(row.level1, row.level2, row.name) for row in old]
    keys_new = [(row.level1, row.level2, row.name) for row in new]
    matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else (i2 - i1 if tag == "equal" else 0)
        for offset in range(paired):
            yield from _changed_row(i1 + offset, old[i1 + offset], j1 + offset, new[j1 + offset])
        for index in range(i1 + paired, i2):
            yield Change(ChangeKind.REMOVED, f"indicators.{index}", indicator_place(index, old[index]), old=_row_text(old[index]))
        for index in range(j1 + paired, j2):
            yield Change(ChangeKind.ADDED, f"indicators.{index}", indicator_place(index, new[index]), new=_row_text(new[index]))


def _changed_row(old_index: int, old: Indicator, new_index: int, new: Indicator) -> Iterator[Change]:
    place = indicator_place(new_index, new)
    for (key, label, before), (_, _, after) in zip(indicator_cells(old), indicator_cells(new)):
        if (before or None) != (after or None):
            yield Change(ChangeKind.CHANGED, f"indicators.{new_index}.{key}", f"{place}的{label}", before, after)


def _row_text(row: Indicator) -> str:
    return "；".join(f"{label}{text}" for key, label, text in indicator_cells(row) if text and key != "applicable")


# --- edits


def with_cell(form: Form, path: str, text: str) -> Form:
    """The form with one cell set to `text`, read the way a reader reads that cell.

    Numbers keep the text and its value; amounts of a 万元 table are converted to 元
    (domain.md §7.6); a 一级/二级 text is read against the closed label list and is no
    longer `inferred`. CellPathError names a path that is not an editable cell.
    """
    parts = path.split(".")
    head = parts[0]
    if head == "indicators":
        index, key = _indicator_path(form, parts)
        rows = list(form.indicators)
        rows[index] = _edited_row(rows[index], key, text)
        return replace(form, indicators=tuple(rows))
    if head == "project" and len(parts) == 2:
        return replace(form, project=_edited_project(form.project, parts[1], text))
    if head == "funds":
        return replace(form, funds=_edited_funds(form.funds, parts[1:], text))
    if head == "goals" and len(parts) == 2 and parts[1] in dict(GOALS):
        return replace(form, goals=replace(form.goals, **{parts[1]: clean_text(text)}))
    if head == "total" and len(parts) == 2 and parts[1] in dict(TOTAL_CELLS):
        return replace(form, total=replace(form.total, **{parts[1]: Printed.of(text)}))
    if path == "grade_claimed":
        return replace(form, grade_claimed=clean_text(text))
    if head == "summary" and form.summary is not None and len(parts) == 2:
        key = parts[1]
        if key in dict(SUMMARY_TEXTS):
            return replace(form, summary=replace(form.summary, **{key: clean_text(text)}))
        if key in dict(SUMMARY_AMOUNTS):
            return replace(form, summary=replace(form.summary, **{key: _amount(text, form.funds.unit)}))
    raise CellPathError(f"没有可修改的单元格“{path}”")


def _indicator_path(form: Form, parts: list[str]) -> tuple[int, str]:
    if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) >= len(form.indicators):
        raise CellPathError(f"表中没有指标行“{'.'.join(parts[:2])}”")
    if parts[2] not in dict(INDICATOR_CELLS):
        raise CellPathError(f"指标行没有“{parts[2]}”一栏")
    return int(parts[1]), parts[2]


def _edited_row(row: Indicator, key: str, text: str) -> Indicator:
    if key in INDICATOR_PRINTED:
        return replace(row, **{key: Printed.of(text)})
    if key == "applicable":
        folded = text.strip().lower()
        if folded not in _TRUE_TEXTS | _FALSE_TEXTS:
            raise CellPathError(f"是否适用应填“{YES}”或“{NO}”，不是“{text}”")
        return replace(row, applicable=folded in _TRUE_TEXTS)
    if key in ("level1_text", "level2_text"):
        level = key.removesuffix("_text")
        label = read_label(text)
        return replace(
            row,
            **{key: clean_text(text), level: label.canonical if label else None},
            inferred=row.inferred - {level},
        )
    if key in ("target", "actual"):
        return replace(row, **{key: clean_text(text) or ""})
    return replace(row, **{key: clean_text(text)})


def _edited_project(project: ProjectHeader, key: str, text: str) -> ProjectHeader:
    if key == "year":
        stripped = text.strip()
        if stripped and not (stripped.isdigit() and len(stripped) == 4):
            raise CellPathError(f"绩效自评年度应为四位年份，不是“{text}”")
        return replace(project, year=int(stripped) if stripped else None)
    if key == "amount":
        return replace(project, amount=Printed.of(text))
    if key in dict(PROJECT_TEXTS):
        return replace(project, **{key: clean_text(text)})
    raise CellPathError(f"没有可修改的单元格“project.{key}”")


def _edited_funds(funds: FundsBlock, parts: list[str], text: str) -> FundsBlock:
    if len(parts) == 1 and parts[0] in dict(FUNDS_CELLS):
        key = parts[0]
        edited = replace(funds, **{key: Printed.of(text)})
        if key == "rate" and funds.total.rate == funds.rate:
            # The block's rate is the 年度资金总额 row's own cell (form-2021 repeats it there).
            edited = replace(edited, total=replace(funds.total, rate=edited.rate))
        return edited
    if len(parts) == 2 and parts[0] in dict(FUNDS_ROWS):
        row_key, key = parts
        row = getattr(funds, row_key)
        if key in dict(FUNDS_AMOUNTS):
            return replace(funds, **{row_key: replace(row, **{key: _amount(text, funds.unit)})})
        if key == "rate" and row_key != "total":
            return replace(funds, **{row_key: replace(row, rate=Printed.of(text))})
    raise CellPathError(f"没有可修改的单元格“funds.{'.'.join(parts)}”")


def _amount(text: str, unit: str) -> Printed:
    """An amount cell in 元, whatever unit the table declared."""
    printed = Printed.of(text)
    if unit == "万元" and printed.value is not None:
        return Printed(printed.text, printed.value * TEN_THOUSAND)
    return printed

