"""The form page's table: the paper form (writers/form_html.py), its cells editable, and two
columns beside it with the recomputed score and the findings of each row (复核得分, 审核问题).

A finding belongs to the row it concerns: an indicator's findings to that indicator's row,
the funds checks to the 年度资金总额 row, the total and grade checks to the 总分 row, a
contradiction between the narrative and the scores to the 年度总体目标 row. The rest
(weights of a block, missing kinds of indicator) concern the form as a whole and are listed
above it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from markupsafe import Markup

from jixiao import services
from jixiao.domain.workflow import FindingState
from jixiao.storage.views import FindingView, FormDetail
from jixiao.web.rendering import finding_label, score, severity_class
from jixiao.writers.form_html import form_table_html
from jixiao.writers.official_form import Role, TableCell, form_table

MARGIN_WIDTHS = (9.0, 18.0)
HALF_CENT = Decimal("0.005")  # scores are compared as printed, to two decimals
FUNDS, TOTAL, GOALS = "funds", "total", "goals"
TOTAL_CODES = frozenset({"score.total-mismatch", "grade.mismatch", "weights.total"})
GOALS_CODES = frozenset({"inflation.narrative-contradiction"})
HEADING_LABELS = frozenset({"一级指标", "年初预算数"})
# A row is flagged by its worst finding that was not dismissed.
_RANK = {"error": 0, "warning": 1, "undetermined": 2, "info": 3}


def row_of(finding: FindingView) -> str | None:
    """The key of the row a finding concerns (`indicator.3`, funds, total, goals), None for the whole form."""
    if finding.indicator_index is not None:
        return f"indicator.{finding.indicator_index}"
    if finding.code.startswith("funds."):
        return FUNDS
    if finding.code in TOTAL_CODES:
        return TOTAL
    if finding.code in GOALS_CODES:
        return GOALS
    return None


@dataclass(frozen=True, slots=True)
class PlacedFindings:
    by_row: dict[str, list[FindingView]]
    whole_form: list[FindingView]

    @classmethod
    def of(cls, findings: Iterable[FindingView]) -> PlacedFindings:
        by_row: defaultdict[str, list[FindingView]] = defaultdict(list)
        whole_form = []
        for finding in findings:
            key = row_of(finding)
            if key is None:
                whole_form.append(finding)
            else:
                by_row[key].append(finding)
        return cls(dict(by_row), whole_form)


def paper_form(detail: FormDetail, placed: PlacedFindings) -> Markup:
    """The form's table with data-path on every value cell (clickable when editable) and the margin columns."""
    form_id = detail.summary.id
    evaluation = detail.evaluation
    editable = detail.editable

    def cell_hook(cell: TableCell, content: str) -> tuple[str, str]:
        if cell.path is None:
            return "", content
        attributes = f' data-path="{cell.path}" data-testid="cell-{cell.path}"'
        if editable and cell.path not in services.IDENTITY_CELLS:
            attributes += (
                f' data-editable="true" tabindex="0" role="button" title="点击修改"'
                f' hx-get="/forms/{form_id}/cells?path={cell.path}" hx-target="#cell-editor" hx-swap="innerHTML"'
            )
        return attributes, content

    def row_hook(_: int, cells: Sequence[TableCell]) -> tuple[str, str]:
        key = _row_key(cells)
        if key == "heading":
            return "", '<td class="margin head">复核得分</td><td class="margin head">审核问题</td>'
        if key is None:
            return "", '<td class="margin"></td><td class="margin"></td>'
        findings = placed.by_row.get(key, [])
        flag = _flag(findings)
        attributes = f' data-row="{key}"' + (f' data-flag="{flag}"' if flag else "")
        return attributes, _recomputed_cell(key, detail, evaluation) + _badges_cell(findings)

    table = form_table(detail.form)
    return Markup(form_table_html(table, cell_hook, row_hook, MARGIN_WIDTHS))


def _row_key(cells: Sequence[TableCell]) -> str | None:
    for cell in cells:
        if cell.role is Role.LABEL and cell.text in HEADING_LABELS:
            return "heading"
        path = cell.path or ""
        if path.startswith("indicators."):
            return "indicator." + path.split(".")[1]
        if path == "funds.weight":
            return FUNDS
        if path == "total.weight":
            return TOTAL
        if path.startswith("goals."):
            return GOALS
    return None


def _recomputed_cell(key: str, detail: FormDetail, evaluation: dict[str, Any]) -> str:
    """The score jixiao computes for the row, marked when it differs from the printed one."""
    if key == FUNDS:
        value, printed, explain = evaluation["funds"]["score"], detail.form.funds.score.value, evaluation["funds"]["explain"]
    elif key == TOTAL:
        value, printed, explain = evaluation["total"], detail.form.total.score.value, f"等级 {evaluation.get('grade') or '—'}"
    elif key.startswith("indicator."):
        index = int(key.split(".")[1])
        rows = evaluation["indicators"]
        if index >= len(rows):
            return '<td class="margin"></td>'
        value, explain = rows[index]["score"], rows[index]["explain"]
        printed = detail.form.indicators[index].score.value
    else:
        return '<td class="margin"></td>'
    differs = value is not None and printed is not None and printed.is_finite() and abs(Decimal(str(value)) - printed) >= HALF_CENT
    state = ' data-differs="true"' if differs else ""
    return (
        f'<td class="margin recomputed"{state} data-testid="recomputed-{key}" title="{escape(explain or "")}">'
        f"{score(value)}</td>"
    )


def _badges_cell(findings: Sequence[FindingView]) -> str:
    badges = "".join(
        f'<a class="badge" data-severity="{severity_class(finding)}" data-state="{finding.state.value}"'
        f' href="#finding-{finding.id}" data-testid="row-finding-{finding.id}" title="{escape(finding.message)}">'
        f"{escape(finding_label(finding))} {escape(finding.code)}</a>"
        for finding in findings
    )
    return f'<td class="margin findings">{badges}</td>'


def _flag(findings: Sequence[FindingView]) -> str | None:
    live = [severity_class(finding) for finding in findings if finding.state is not FindingState.DISMISSED]
    return min(live, key=_RANK.__getitem__) if live else None

