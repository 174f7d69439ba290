"""The REST API's request and response bodies (pydantic), made from the services' plain results.

Amounts are in 元, rates are fractions (0.5596), scores are numbers with two decimals, times
are UTC — as in the form JSON of docs/form-json.md. A form's `form` is exactly that JSON.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from jixiao import services
from jixiao.domain.records import Change
from jixiao.domain.workflow import Actor, FindingState, FormStatus, OrganisationKind, Role
from jixiao.storage.views import (
    AuditView,
    CommentView,
    Dashboard,
    FindingView,
    FormDetail,
    FormSummary,
    OrganisationView,
    Page,
    UserView,
    VersionInfo,
)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str | None
    role: Role
    role_label: str
    organisation_id: int | None
    active: bool = Field(True, description="false: deactivated (停用), cannot log in")
    can_log_in: bool = Field(True, description="active and with a password")

    @classmethod
    def of(cls, user: Actor | UserView) -> UserOut:
        # An Actor is the logged-in user: active, with a password.
        listed = isinstance(user, UserView)
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            role_label=user.role.label,
            organisation_id=user.organisation_id,
            active=user.active if listed else True,
            can_log_in=(user.active and user.can_log_in) if listed else True,
        )


class SessionOut(BaseModel):
    """Who is logged in, and the token every changing request must send as X-CSRF-Token."""

    user: UserOut | None
    csrf_token: str


class LoginIn(BaseModel):
    username: str = Field(max_length=80)
    password: str = Field(max_length=200)


class FormSummaryOut(BaseModel):
    id: int
    project_name: str
    project_code: str | None
    year: int
    kind: str
    unit_id: int
    unit_name: str
    status: FormStatus
    status_label: str
    version: int
    total_claimed: float | None
    total_recomputed: float | None
    grade: str | None
    execution_rate: float | None
    error_count: int
    warning_count: int
    undetermined_count: int
    open_count: int
    updated_at: datetime

    @classmethod
    def of(cls, item: FormSummary) -> FormSummaryOut:
        return cls(
            id=item.id,
            project_name=item.project_name,
            project_code=item.project_code,
            year=item.year,
            kind=item.kind,
            unit_id=item.unit_id,
            unit_name=item.unit_name,
            status=item.status,
            status_label=item.status.label,
            version=item.version,
            total_claimed=_number(item.total_claimed),
            total_recomputed=_number(item.total_recomputed),
            grade=item.grade,
            execution_rate=_number(item.execution_rate),
            error_count=item.error_count,
            warning_count=item.warning_count,
            undetermined_count=item.undetermined_count,
            open_count=item.open_count,
            updated_at=item.updated_at,
        )


class PageOut(BaseModel):
    items: list[FormSummaryOut]
    total: int
    page: int
    page_size: int
    pages: int

    @classmethod
    def of(cls, page: Page) -> PageOut:
        return cls(
            items=[FormSummaryOut.of(item) for item in page.items],
            total=page.total,
            page=page.page,
            page_size=page.page_size,
            pages=page.pages,
        )


class FindingOut(BaseModel):
    id: int
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
    state: FindingState
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None

    @classmethod
    def of(cls, finding: FindingView) -> FindingOut:
        return cls(
            id=finding.id,
            code=finding.code,
            severity=finding.severity.value,
            outcome=finding.outcome.value,
            message=finding.message,
            indicator_index=finding.indicator_index,
            indicator_name=finding.indicator_name,
            line=finding.line,
            expected=finding.expected,
            found=finding.found,
            cells=finding.cells,
            note=finding.note,
            state=finding.state,
            reason=finding.reason,
            decided_by=finding.decided_by,
            decided_at=finding.decided_at,
        )


class ChangeOut(BaseModel):
    kind: str
    path: str
    place: str
    old: str | None
    new: str | None
    text: str

    @classmethod
    def of(cls, change: Change) -> ChangeOut:
        return cls(**change.json(), text=change.text)


class VersionOut(BaseModel):
    number: int
    origin: str
    profile: str
    created_by: str
    created_at: datetime
    changes: list[ChangeOut]
    total_claimed: float | None
    total_recomputed: float | None
    grade: str | None

    @classmethod
    def of(cls, version: VersionInfo) -> VersionOut:
        return cls(
            number=version.number,
            origin=version.origin,
            profile=version.profile,
            created_by=version.created_by,
            created_at=version.created_at,
            changes=[ChangeOut.of(change) for change in version.changes],
            total_claimed=_number(version.total_claimed),
            total_recomputed=_number(version.total_recomputed),
            grade=version.grade,
        )


class CommentOut(BaseModel):
    id: int
    author: str
    body: str
    version: int | None
    created_at: datetime

    @classmethod
    def of(cls, comment: CommentView) -> CommentOut:
        return cls(id=comment.id, author=comment.author, body=comment.body, version=comment.version, created_at=comment.created_at)


class FormDetailOut(BaseModel):
    """A form's current version: the form JSON (form-json.md), its evaluation, findings,
    versions (newest first), comments, and what the requesting user may do with it."""

    summary: FormSummaryOut
    form: dict[str, Any]
    evaluation: dict[str, Any]
    findings: list[FindingOut]
    versions: list[VersionOut]
    comments: list[CommentOut]
    next_statuses: list[FormStatus]
    editable: bool
    can_decide: bool

    @classmethod
    def of(cls, detail: FormDetail) -> FormDetailOut:
        return cls(
            summary=FormSummaryOut.of(detail.summary),
            form=detail.form.json(),
            evaluation=detail.evaluation,
            findings=[FindingOut.of(finding) for finding in detail.findings],
            versions=[VersionOut.of(version) for version in detail.versions],
            comments=[CommentOut.of(comment) for comment in detail.comments],
            next_statuses=detail.next_statuses,
            editable=detail.editable,
            can_decide=detail.can_decide,
        )


class CellEditIn(BaseModel):
    """One cell by its path (`indicators.3.actual`, `funds.total.executed`, `goals.actual` …)."""

    path: str = Field(max_length=60, examples=["indicators.0.actual"])
    text: str = Field(max_length=5000)
    expected_version: int | None = Field(None, description="the version the edit was made on; 409 when another came first")


class SavedOut(BaseModel):
    form_id: int
    project_name: str
    year: int
    version: int
    outcome: str  # new, version or unchanged
    changes: list[ChangeOut]

    @classmethod
    def of(cls, saved: services.SavedVersion) -> SavedOut:
        return cls(
            form_id=saved.form_id,
            project_name=saved.project_name,
            year=saved.year,
            version=saved.version,
            outcome=saved.outcome.value,
            changes=[ChangeOut.of(change) for change in saved.changes],
        )


class StatusIn(BaseModel):
    status: FormStatus
    comment: str | None = Field(None, max_length=5000, description="required when returning a form (退回)")


class StatusOut(BaseModel):
    status: FormStatus
    status_label: str


class CommentIn(BaseModel):
    body: str = Field(max_length=5000)


class DecisionIn(BaseModel):
    state: FindingState
    reason: str | None = Field(None, max_length=5000, description="required when dismissing (驳回)")


class FileImportOut(BaseModel):
    name: str
    forms: list[SavedOut]
    error: str | None


class ImportOut(BaseModel):
    files: list[FileImportOut]
    new: int
    versions: int
    unchanged: int
    failed: int

    @classmethod
    def of(cls, names: list[str], report: services.ImportReport) -> ImportOut:
        files = [
            FileImportOut(name=name, forms=[SavedOut.of(saved) for saved in item.forms], error=item.error)
            for name, item in zip(names, report.files, strict=True)
        ]
        outcome = services.ImportOutcome
        return cls(
            files=files,
            new=report.count(outcome.NEW),
            versions=report.count(outcome.VERSION),
            unchanged=report.count(outcome.UNCHANGED),
            failed=len(report.failed),
        )


class UnitExecutionOut(BaseModel):
    unit_id: int
    unit_name: str
    forms: int
    budget: float | None
    executed: float | None
    rate: float | None


class CodeCountOut(BaseModel):
    code: str
    count: int


class DashboardOut(BaseModel):
    """by_grade keys are 优/良/中/差, and "无" for forms whose score is undetermined."""

    year: int
    forms: int
    by_grade: dict[str, int]
    by_score: dict[str, int]
    by_status: dict[str, int]
    units: list[UnitExecutionOut]
    top_codes: list[CodeCountOut]
    attention: list[FormSummaryOut]

    @classmethod
    def of(cls, board: Dashboard) -> DashboardOut:
        return cls(
            year=board.year,
            forms=board.forms,
            by_grade={grade or "无": count for grade, count in board.by_grade.items()},
            by_score=board.by_score,
            by_status={status.value: count for status, count in board.by_status.items()},
            units=[
                UnitExecutionOut(
                    unit_id=unit.unit_id,
                    unit_name=unit.unit_name,
                    forms=unit.forms,
                    budget=_number(unit.budget),
                    executed=_number(unit.executed),
                    rate=_number(unit.rate),
                )
                for unit in board.units
            ],
            top_codes=[CodeCountOut(code=code, count=count) for code, count in board.top_codes],
            attention=[FormSummaryOut.of(item) for item in board.attention],
        )


class OrganisationOut(BaseModel):
    id: int
    name: str
    kind: OrganisationKind
    parent_id: int | None
    code: str | None

    @classmethod
    def of(cls, organisation: OrganisationView) -> OrganisationOut:
        return cls(
            id=organisation.id, name=organisation.name, kind=organisation.kind, parent_id=organisation.parent_id, code=organisation.code
        )


class UserIn(BaseModel):
    username: str = Field(max_length=80)
    role: Role
    organisation: str | None = Field(None, max_length=200, description="name, code or id; required for fillers and reviewers")
    password: str | None = Field(None, min_length=8, max_length=200, description="none: the account cannot log in")
    display_name: str | None = Field(None, max_length=100)


class UserChange(BaseModel):
    """What an admin changes of a user; a field left out stays as it is."""

    active: bool | None = Field(None, description="false deactivates (停用): no login, open sessions end")
    password: str | None = Field(None, min_length=8, max_length=200, description="a new password")


class AuditOut(BaseModel):
    id: int
    at: datetime
    username: str
    action: str
    form_id: int | None
    target: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, entry: AuditView) -> AuditOut:
        return cls(
            id=entry.id,
            at=entry.at,
            username=entry.username,
            action=entry.action,
            form_id=entry.form_id,
            target=entry.target,
            detail=entry.detail,
        )
