"""What goes into the store and what comes out of it, as plain frozen data.

The services build `NewVersion` and `NewFinding` from a review; the repositories return
`FormSummary`, `FormDetail`, `Dashboard` … so that neither the services nor the web app
touch an ORM object or import SQLAlchemy.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jixiao.checks.base import Outcome, Result, Severity
from jixiao.checks.review import Review
from jixiao.domain.model import Form
from jixiao.domain.records import Change
from jixiao.domain.workflow import FindingState, FormStatus, OrganisationKind, Role

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200


@dataclass(frozen=True, slots=True)
class OrganisationView:
    """An organisation of the tree: 财政局, 主管部门 or 预算单位."""

    id: int
    name: str
    kind: OrganisationKind
    parent_id: int | None
    path: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    role: Role
    organisation_id: int | None
    display_name: str | None
    active: bool
    can_log_in: bool


@dataclass(frozen=True, slots=True)
class Summary:
    """A version's list columns (see orm.VersionSummary); amounts and rates as Decimal."""

    project_name: str
    total_claimed: Decimal | None
    total_recomputed: Decimal | None
    grade: str | None
    execution_rate: Decimal | None
    budget: Decimal | None
    executed: Decimal | None
    error_count: int = 0
    warning_count: int = 0
    undetermined_count: int = 0
    open_count: int = 0

    @classmethod
    def of(cls, review: Review, findings: Iterable[NewFinding]) -> Summary:
        form, evaluation = review.form, review.evaluation
        return cls(
            project_name=project_label(form),
            total_claimed=fit(form.total.score.value, 8, 2),
            total_recomputed=fit(evaluation.total, 8, 2),
            grade=evaluation.grade,
            execution_rate=fit(evaluation.funds.rate, 14, 6),
            budget=fit(form.funds.total.adjusted.value, 18, 2),
            executed=fit(form.funds.total.executed.value, 18, 2),
            **finding_counts(findings),
        )

    def columns(self) -> dict[str, Any]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


@dataclass(frozen=True, slots=True)
class NewFinding:
    """A finding about to be stored, with the decision carried over from the previous version."""

    code: str
    severity: str
    outcome: str
    message: str
    indicator_index: int | None
    indicator_name: str | None
    line: int | None
    expected: Any
    found: Any
    cells: dict[str, Any]
    note: str | None
    state: FindingState = FindingState.OPEN
    reason: str | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None

    @classmethod
    def of(cls, result: Result, form: Form) -> NewFinding:
        row = form.indicators[result.indicator] if result.indicator is not None else None
        return cls(
            code=result.code,
            severity=result.severity.value,
            outcome=result.outcome.value,
            message=result.message,
            indicator_index=result.indicator,
            indicator_name=None if row is None else (row.name or row.target or None),
            line=None if row is None else row.line,
            expected=plain_json(result.expected),
            found=plain_json(result.found),
            cells=plain_json(dict(result.cells)),
            note=result.note,
        )

    @property
    def key(self) -> tuple[str, str | None]:
        """The same finding in another version: the same check on the same indicator name."""
        return self.code, self.indicator_name


@dataclass(frozen=True, slots=True)
class NewVersion:
    """A version about to be stored."""

    record: dict[str, Any]
    content_hash: str
    evaluation: dict[str, Any]
    changes: list[dict[str, Any]]
    origin: str  # import or edit
    source_file: str | None
    source_index: int | None
    profile: str
    summary: Summary
    created_by: int

    @classmethod
    def of(
        cls,
        review: Review,
        record: dict[str, Any],
        content_hash: str,
        *,
        changes: Sequence[Change],
        origin: str,
        findings: Sequence[NewFinding],
        created_by: int,
    ) -> NewVersion:
        return cls(
            record=record,
            content_hash=content_hash,
            evaluation=plain_json(review.evaluation.json()),
            changes=[change.json() for change in changes],
            origin=origin,
            source_file=review.form.source.file,
            source_index=review.form.source.index,
            profile=review.evaluation.profile,
            summary=Summary.of(review, findings),
            created_by=created_by,
        )


@dataclass(frozen=True, slots=True)
class FormState:
    """What a service needs to decide about a stored form before changing it."""

    id: int
    project_id: int
    unit_id: int
    unit_path: str
    year: int
    kind: str
    status: FormStatus
    version: int
    version_id: int
    content_hash: str
    profile: str
    source_file: str | None


@dataclass(frozen=True, slots=True)
class FormFilters:
    """The list page's filters, sort and page. `sort` is a column name, `-` for descending:
    updated, name, year, unit, total, claimed, rate, errors, status."""

    year: int | None = None
    unit_id: int | None = None  # this organisation and every unit under it
    grade: str | None = None
    has_errors: bool | None = None
    status: FormStatus | None = None
    kind: str | None = None
    search: str | None = None  # part of the project name, or the start of its code
    sort: str = "-updated"
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class FormSummary:
    """One line of the form list."""

    id: int
    project_name: str
    project_code: str | None
    year: int
    kind: str
    unit_id: int
    unit_name: str
    status: FormStatus
    version: int
    total_claimed: Decimal | None
    total_recomputed: Decimal | None
    grade: str | None
    error_count: int
    warning_count: int
    undetermined_count: int
    open_count: int
    execution_rate: Decimal | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Page:
    items: list[FormSummary]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class FindingView:
    id: int
    code: str
    severity: Severity
    outcome: Outcome
    message: str
    indicator_index: int | None
    indicator_name: str | None
    line: int | None
    expected: Any
    found: Any
    cells: dict[str, Any]
    note: str | None
    state: FindingState
    reason: str | None
    decided_by: str | None  # username
    decided_at: datetime | None
    decided_by_id: int | None = None


@dataclass(frozen=True, slots=True)
class VersionInfo:
    number: int
    origin: str
    source_file: str | None
    profile: str
    created_by: str  # username
    created_at: datetime
    changes: list[Change]
    total_claimed: Decimal | None
    total_recomputed: Decimal | None
    grade: str | None


@dataclass(frozen=True, slots=True)
class CommentView:
    id: int
    author: str  # username
    body: str
    version: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditView:
    id: int
    at: datetime
    username: str
    action: str
    form_id: int | None
    target: str | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class FormDetail:
    """The form page: the current version read back as a Form, and everything around it."""

    summary: FormSummary
    form: Form
    evaluation: dict[str, Any]
    findings: list[FindingView]
    versions: list[VersionInfo]  # newest first
    comments: list[CommentView]  # oldest first
    next_statuses: list[FormStatus] = field(default_factory=list)
    editable: bool = False
    can_decide: bool = False


@dataclass(frozen=True, slots=True)
class UnitExecution:
    """预算执行率 of one unit's forms: Σ全年执行数 ÷ Σ全年预算数."""

    unit_id: int
    unit_name: str
    forms: int
    budget: Decimal | None
    executed: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        if not self.budget or self.executed is None:
            return None
        return self.executed / self.budget


@dataclass(frozen=True, slots=True)
class Dashboard:
    """One year's picture for the organisations a viewer sees."""

    year: int
    forms: int
    by_grade: dict[str | None, int]  # 优/良/中/差, None = no grade (score undetermined)
    by_score: dict[str, int]  # score bands, e.g. "90–100"
    by_status: dict[FormStatus, int]
    units: list[UnitExecution]  # lowest execution rate first
    top_codes: list[tuple[str, int]]  # finding codes of current versions, not dismissed
    attention: list[FormSummary]  # not approved, with errors or open findings, worst first


def carry_over(previous: Iterable[FindingView], findings: Iterable[NewFinding]) -> list[NewFinding]:
    """A reviewer's decision stays with a finding that reappears in the next version: the
    same check on the same indicator name (row numbers shift when rows are added)."""
    decided: defaultdict[tuple[str, str | None], deque[FindingView]] = defaultdict(deque)
    for old in previous:
        if old.state is not FindingState.OPEN:
            decided[old.code, old.indicator_name].append(old)
    carried = []
    for finding in findings:
        queue = decided.get(finding.key)
        if queue:
            old = queue.popleft()
            finding = replace(
                finding, state=old.state, reason=old.reason, decided_by=old.decided_by_id, decided_at=old.decided_at
            )
        carried.append(finding)
    return carried


def finding_counts(findings: Iterable[NewFinding | FindingView]) -> dict[str, int]:
    """The list counts of a version's findings: dismissed ones no longer count."""
    counts = {"error_count": 0, "warning_count": 0, "undetermined_count": 0, "open_count": 0}
    for finding in findings:
        state = FindingState(finding.state)
        if state is FindingState.OPEN:
            counts["open_count"] += 1
        if state is FindingState.DISMISSED:
            continue
        if finding.outcome == Outcome.UNDETERMINED:
            counts["undetermined_count"] += 1
        elif finding.severity == Severity.ERROR:
            counts["error_count"] += 1
        elif finding.severity == Severity.WARNING:
            counts["warning_count"] += 1
    return counts


def project_label(form: Form) -> str:
    """The name a list shows: 项目名称, else 项目编码."""
    return form.project.name or form.project.code or "（未填项目名称）"


def fit(value: Decimal | None, digits: int, scale: int) -> Decimal | None:
    """The value rounded half-up to `scale` places, or None when it has more than `digits`
    digits: a summary column must not make a misread cell fail the whole import."""
    if value is None or not value.is_finite():
        return None
    try:
        rounded = value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return rounded if rounded.adjusted() < digits - scale else None


def plain_json(value: Any) -> Any:
    """Finding evidence as JSON every database accepts (no NaN, no Decimal, no tuples)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return plain_json(float(value))
    if isinstance(value, Mapping):
        return {str(key): plain_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain_json(item) for item in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)
