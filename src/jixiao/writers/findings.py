"""The findings sheet or page (审核意见) that follows the exported forms.

One row per finding of each review (failures and undetermined results, as `Review.findings`
orders them), with the evidence checks.md asks for: the form, the check code, severity,
outcome, the source row, the indicator, the message, and the expected and printed values.

In every format the findings table opens with a row holding only its title, 审核意见, so
that a reader can tell jixiao's own findings from a form when an exported file comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from jixiao.checks.base import Outcome, Severity

if TYPE_CHECKING:
    from jixiao.checks.review import Review

FINDINGS_TITLE = "审核意见"
HEADINGS = ("序号", "项目", "检查项", "级别", "结果", "原表行", "指标", "说明", "应为", "填报")
# Spreadsheet character widths of the columns above.
WIDTHS = (6.0, 18.0, 24.0, 7.0, 10.0, 9.0, 22.0, 60.0, 12.0, 12.0)
# Columns drawn left-aligned and wrapped (names and messages); the rest are centred.
TEXT_COLUMNS = frozenset({1, 6, 7})
SEVERITY_TEXT = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
OUTCOME_TEXT = {Outcome.FAIL: "不通过", Outcome.UNDETERMINED: "无法判定", Outcome.PASS: "通过", Outcome.NOT_APPLICABLE: "不适用"}
NO_FINDINGS = "未发现问题"


@dataclass(frozen=True, slots=True)
class FindingsTable:
    """The findings as rows of texts under `HEADINGS`; empty when no review found anything."""

    rows: tuple[tuple[str, ...], ...]

    def printed_rows(self) -> tuple[tuple[str, ...], ...]:
        """The rows to print: the findings, or one row saying there are none."""
        if self.rows:
            return self.rows
        return (tuple(NO_FINDINGS if heading == "说明" else "" for heading in HEADINGS),)


def findings_table(reviews: Sequence[Review]) -> FindingsTable:
    """Every finding of `reviews`, numbered across the forms."""
    rows = []
    for review in reviews:
        form = review.form
        project = form.project.name or form.project.code or ""
        for result in review.findings:
            indicator = form.indicators[result.indicator] if result.indicator is not None else None
            rows.append(
                (
                    str(len(rows) + 1),
                    project,
                    result.code,
                    SEVERITY_TEXT[result.severity],
                    OUTCOME_TEXT[result.outcome],
                    str(indicator.line) if indicator is not None and indicator.line is not None else "",
                    _indicator_text(result.indicator, indicator.name if indicator is not None else None),
                    result.message,
                    shown(result.expected),
                    shown(result.found),
                )
            )
    return FindingsTable(tuple(rows))


def _indicator_text(index: int | None, name: str | None) -> str:
    """`第3项 退休干部健康管理次数`, or "" for a form-level finding."""
    if index is None:
        return ""
    return f"第{index + 1}项 {name}" if name else f"第{index + 1}项"


def shown(value: Any) -> str:
    """A finding's expected or printed value as a reader sees it: 0.56, not 0.5600000001."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else value
        return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")
    if isinstance(value, (list, tuple)):
        return "、".join(shown(item) for item in value)
    return str(value)
