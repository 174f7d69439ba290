"""Reads for pages: the form list, one form's history and comments, the yearly dashboard.

Every read is limited to what the viewer may see (`visible_to`). The list reads only the
`forms` table's summary columns (joined to the unit's name), never a JSON record, and each
of its filter and sort combinations has an index (orm.StoredForm).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, true
from sqlalchemy.orm import Session

from jixiao.domain.records import Change
from jixiao.domain.workflow import Actor, FindingState, FormStatus, Role
from jixiao.storage.orm import Comment, Finding, FormVersion, Organisation, StoredForm, User
from jixiao.storage.views import (
    MAX_PAGE_SIZE,
    CommentView,
    Dashboard,
    FormFilters,
    FormSummary,
    Page,
    UnitExecution,
    VersionInfo,
)

SORTS: dict[str, Any] = {
    "updated": StoredForm.updated_at,
    "name": StoredForm.project_name,
    "year": StoredForm.year,
    "unit": Organisation.name,
    "total": StoredForm.total_recomputed,
    "claimed": StoredForm.total_claimed,
    "rate": StoredForm.execution_rate,
    "errors": StoredForm.error_count,
    "status": StoredForm.status,
}
# Score bands of the dashboard: the grade cuts of 财预〔2020〕10号 with 60–80 split in two.
SCORE_BANDS = (("90–100", 90, None), ("80–90", 80, 90), ("70–80", 70, 80), ("60–70", 60, 70), ("<60", None, 60))
TOP_CODES = 10
ATTENTION = 20


def visible_to(actor: Actor, unit_id: Any) -> ColumnElement[bool]:
    """A condition on a unit id column: the units this actor may see (workflow.Actor.sees)."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.FILLER:
        return unit_id == actor.organisation_id if actor.organisation_id is not None else false()
    if actor.organisation_path is None:
        return false()
    return unit_id.in_(select(Organisation.id).where(Organisation.path.startswith(actor.organisation_path, autoescape=True)))


class FormQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, viewer: Actor, filters: FormFilters) -> int:
        """How many forms the viewer sees through the filters (sort and page aside)."""
        return self.session.scalar(select(func.count()).select_from(StoredForm).where(*self._conditions(viewer, filters))) or 0

    def list(self, viewer: Actor, filters: FormFilters, total: int | None = None) -> Page:
        """One page of the forms the viewer sees, filtered and sorted; `total` is their count
        when the caller knows it already."""
        conditions = self._conditions(viewer, filters)
        if total is None:
            total = self.count(viewer, filters)
        descending = filters.sort.startswith("-")
        column = SORTS.get(filters.sort.lstrip("-"), StoredForm.updated_at)
        order = column.desc() if descending else column.asc()
        if column.nullable:
            # The databases disagree on where NULLs sort; NULLS LAST costs the index order,
            # so only columns that can hold NULL (scores, rates) pay for it.
            order = order.nulls_last()
        size = min(max(filters.page_size, 1), MAX_PAGE_SIZE)
        page = max(filters.page, 1)
        query = (
            _summaries()
            .where(*conditions)
            .order_by(order, StoredForm.id.desc() if descending else StoredForm.id)
            .limit(size)
            .offset((page - 1) * size)
        )
        return Page([_summary(row) for row in self.session.execute(query)], total, page, size)

    def summary(self, viewer: Actor, form_id: int) -> FormSummary | None:
        row = self.session.execute(
            _summaries().where(StoredForm.id == form_id, visible_to(viewer, StoredForm.unit_id))
        ).first()
        return None if row is None else _summary(row)

    def versions(self, form_id: int) -> list[VersionInfo]:
        query = (
            select(FormVersion, User.username)
            .join(User, User.id == FormVersion.created_by)
            .where(FormVersion.form_id == form_id)
            .order_by(FormVersion.number.desc())
        )
        return [
            VersionInfo(
                number=version.number,
                origin=version.origin,
                source_file=version.source_file,
                profile=version.profile,
                created_by=username,
                created_at=version.created_at,
                changes=[Change.from_json(item) for item in version.changes],
                total_claimed=version.total_claimed,
                total_recomputed=version.total_recomputed,
                grade=version.grade,
            )
            for version, username in self.session.execute(query)
        ]

    def current(self, form_id: int) -> tuple[int, dict[str, Any], dict[str, Any]]:
        """(version id, record, evaluation) of a form's current version."""
        version = self.session.execute(
            select(FormVersion.id, FormVersion.record, FormVersion.evaluation)
            .join(StoredForm, (StoredForm.id == FormVersion.form_id) & (StoredForm.version == FormVersion.number))
            .where(StoredForm.id == form_id)
        ).one()
        return version.id, version.record, version.evaluation

    def comments(self, form_id: int) -> list[CommentView]:
        query = (
            select(Comment, User.username)
            .join(User, User.id == Comment.author_id)
            .where(Comment.form_id == form_id)
            .order_by(Comment.id)
        )
        return [
            CommentView(comment.id, username, comment.body, comment.version, comment.created_at)
            for comment, username in self.session.execute(query)
        ]

    def dashboard(self, viewer: Actor, year: int, unit_path: str | None = None) -> Dashboard:
        """Counts by grade, score band and status, execution by unit, top finding codes and
        the forms that need a reviewer, for one year and (optionally) one subtree."""
        scope = [StoredForm.year == year, visible_to(viewer, StoredForm.unit_id)]
        if unit_path is not None:
            scope.append(StoredForm.unit_id.in_(select(Organisation.id).where(Organisation.path.startswith(unit_path, autoescape=True))))
        grades = dict(self._grouped(StoredForm.grade, scope))
        statuses = {FormStatus(status): count for status, count in self._grouped(StoredForm.status, scope)}
        band = case(*[(_band(low, high), name) for name, low, high in SCORE_BANDS], else_=None)
        bands = {name: 0 for name, _, _ in SCORE_BANDS}
        bands.update((name, count) for name, count in self._grouped(band, scope) if name is not None)
        units = self._execution_by_organisation(scope, unit_path if unit_path is not None else _scope_root(viewer))
        codes = self.session.execute(
            select(Finding.code, func.count().label("n"))
            .join(FormVersion, FormVersion.id == Finding.version_id)
            .join(StoredForm, (StoredForm.id == FormVersion.form_id) & (StoredForm.version == FormVersion.number))
            .where(*scope, Finding.state != FindingState.DISMISSED.value)
            .group_by(Finding.code)
            .order_by(func.count().desc(), Finding.code)
            .limit(TOP_CODES)
        )
        attention = self.session.execute(
            _summaries()
            .where(
                *scope,
                StoredForm.status != FormStatus.APPROVED.value,
                or_(StoredForm.error_count > 0, StoredForm.open_count > 0),
            )
            .order_by(StoredForm.error_count.desc(), StoredForm.open_count.desc(), StoredForm.id)
            .limit(ATTENTION)
        )
        return Dashboard(
            year=year,
            forms=sum(statuses.values()),
            by_grade=grades,
            by_score=bands,
            by_status=statuses,
            units=units,
            top_codes=[(code, count) for code, count in codes],
            attention=[_summary(row) for row in attention],
        )

    def year_range(self, viewer: Actor) -> tuple[int, int] | None:
        """(oldest, newest) year of the forms the viewer sees; None when they see none.
        Each end is one step down the year index, not a count of the forms."""
        visible = select(StoredForm.year).where(visible_to(viewer, StoredForm.unit_id)).limit(1)
        oldest = self.session.scalar(visible.order_by(StoredForm.year))
        newest = self.session.scalar(visible.order_by(StoredForm.year.desc()))
        return None if oldest is None or newest is None else (oldest, newest)

    def _execution_by_organisation(self, scope: Sequence[ColumnElement[bool]], root: str | None) -> list[UnitExecution]:
        """预算执行率 by the organisations one level below `root` (a path; None: the top of the
        tree), lowest rate first. A 财政局 reviewer sees 60 主管部门, not 1,800 units in one
        chart; the dashboard of a department then shows its units. Forms of `root` itself
        count as its own row."""
        totals: dict[int, list[Any]] = {}
        for path, forms, budget, executed in self.session.execute(
            select(Organisation.path, func.count(), func.sum(StoredForm.budget), func.sum(StoredForm.executed))
            .join(Organisation, Organisation.id == StoredForm.unit_id)
            .where(*scope)
            .group_by(Organisation.path)
        ):
            below = path[len(root) :] if root is not None and path.startswith(root) else path.lstrip("/")
            organisation_id = int(below.split("/", 1)[0]) if below else int(path.rstrip("/").rsplit("/", 1)[1])
            total = totals.setdefault(organisation_id, [0, None, None])
            total[0] += forms
            total[1] = _plus(total[1], budget)
            total[2] = _plus(total[2], executed)
        names = dict(self.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(totals))).all())
        units = [UnitExecution(key, names[key], forms, budget, executed) for key, (forms, budget, executed) in totals.items()]
        units.sort(key=lambda unit: (unit.rate is None, unit.rate if unit.rate is not None else 0, unit.unit_name))
        return units

    def _grouped(self, column: Any, scope: Sequence[ColumnElement[bool]]) -> list[tuple[Any, int]]:
        query = select(column, func.count()).select_from(StoredForm).where(*scope).group_by(column)
        return [(key, count) for key, count in self.session.execute(query)]

    def _conditions(self, viewer: Actor, filters: FormFilters) -> list[ColumnElement[bool]]:
        conditions = [visible_to(viewer, StoredForm.unit_id)]
        if filters.year is not None:
            conditions.append(StoredForm.year == filters.year)
        if filters.unit_id is not None:
            subtree = select(Organisation.path).where(Organisation.id == filters.unit_id).scalar_subquery()
            conditions.append(
                StoredForm.unit_id.in_(select(Organisation.id).where(Organisation.path.startswith(subtree)))
            )
        if filters.grade is not None:
            conditions.append(StoredForm.grade == filters.grade)
        if filters.has_errors is not None:
            conditions.append(StoredForm.error_count > 0 if filters.has_errors else StoredForm.error_count == 0)
        if filters.status is not None:
            conditions.append(StoredForm.status == FormStatus(filters.status).value)
        if filters.kind is not None:
            conditions.append(StoredForm.kind == filters.kind)
        if filters.search:
            text = filters.search.strip()
            conditions.append(
                or_(StoredForm.project_name.contains(text, autoescape=True), StoredForm.project_code.startswith(text, autoescape=True))
            )
        return conditions


def _scope_root(viewer: Actor) -> str | None:
    """The path a viewer's dashboard starts from: their organisation, or the top for an admin."""
    return None if viewer.role is Role.ADMIN else viewer.organisation_path


def _plus(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    if value is None:
        return total
    return value if total is None else total + value


def _summaries() -> Select[Any]:
    return select(StoredForm, Organisation.name).join(Organisation, Organisation.id == StoredForm.unit_id)


def _summary(row: Any) -> FormSummary:
    form, unit_name = row
    return FormSummary(
        id=form.id,
        project_name=form.project_name,
        project_code=form.project_code,
        year=form.year,
        kind=form.kind,
        unit_id=form.unit_id,
        unit_name=unit_name,
        status=FormStatus(form.status),
        version=form.version,
        total_claimed=form.total_claimed,
        total_recomputed=form.total_recomputed,
        grade=form.grade,
        error_count=form.error_count,
        warning_count=form.warning_count,
        undetermined_count=form.undetermined_count,
        open_count=form.open_count,
        execution_rate=form.execution_rate,
        updated_at=form.updated_at,
    )


def _band(low: int | None, high: int | None) -> ColumnElement[bool]:
    parts = []
    if low is not None:
        parts.append(StoredForm.total_recomputed >= low)
    if high is not None:
        parts.append(StoredForm.total_recomputed < high)
    return and_(*parts)
