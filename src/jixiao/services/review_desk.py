"""The review desk (审核): stored forms as a viewer sees them, and the changes made to them:
cell edits, decisions on findings, the workflow status, comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from jixiao import profiles
from jixiao.checks.review import review
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile
from jixiao.domain.records import CellPathError, cell_place, content_hash, diff_forms, form_from_record, form_to_record, with_cell
from jixiao.domain.scoring import infer_profile_name
from jixiao.domain.workflow import (
    NEEDS_COMMENT,
    TRANSITIONS,
    Actor,
    Conflict,
    FindingState,
    Forbidden,
    FormStatus,
    Invalid,
    NotFound,
    Role,
    may_decide_findings,
    may_edit,
    next_statuses,
)
from jixiao.services.store import ImportOutcome, SavedVersion
from jixiao.storage.views import (
    AuditView,
    CommentView,
    Dashboard,
    FindingView,
    FormDetail,
    FormFilters,
    FormState,
    NewFinding,
    NewVersion,
    OrganisationView,
    Page,
    carry_over,
    project_label,
)

if TYPE_CHECKING:
    from jixiao.storage.unit_of_work import UnitOfWork

# A unit filter lists every organisation up to this many; beyond, it narrows down (unit_choices).
UNIT_CHOICES = 200


def list_forms(uow: UnitOfWork, viewer: Actor, filters: FormFilters | None = None) -> Page:
    """The forms the viewer may see, filtered, sorted and paged (FormFilters)."""
    filters = filters or FormFilters()
    with uow:
        # Paging or re-sorting asks the same count again: it is kept until the store changes.
        key = ("form count", *_scope(viewer), replace(filters, sort="", page=1, page_size=0))
        total = uow.remembered(key, lambda: uow.queries.count(viewer, filters))
        return uow.queries.list(viewer, filters, total)


def _scope(viewer: Actor) -> tuple[Role, str | None]:
    """What decides which forms a viewer sees (queries.visible_to): viewers with the same
    scope share kept answers."""
    return viewer.role, viewer.organisation_path


def get_form(uow: UnitOfWork, viewer: Actor, form_id: int) -> FormDetail:
    """A form's page: its current version, findings, history, comments and what the viewer may do.

    NotFound also for a form the viewer may not see: its existence is not revealed.
    """
    with uow:
        summary = uow.queries.summary(viewer, form_id)
        if summary is None:
            raise NotFound(f"没有编号为{form_id}的表")
        version_id, record, evaluation = uow.queries.current(form_id)
        return FormDetail(
            summary=summary,
            form=form_from_record(record),
            evaluation=evaluation,
            findings=uow.forms.findings(version_id),
            versions=uow.queries.versions(form_id),
            comments=uow.queries.comments(form_id),
            next_statuses=next_statuses(viewer, summary.status),
            editable=may_edit(viewer, summary.status),
            can_decide=may_decide_findings(viewer) and summary.status is not FormStatus.APPROVED,
        )


def dashboard(uow: UnitOfWork, viewer: Actor, year: int, unit_id: int | None = None) -> Dashboard:
    """A year's scores, grades, execution by unit, top finding codes and forms needing attention."""
    with uow:
        path = None
        if unit_id is not None:
            found = uow.organisations.get(unit_id)
            if found is None:
                raise NotFound(f"没有编号为{unit_id}的单位")
            path = found.path  # the viewer's own scope still applies inside the query
        # Viewers who see the same organisations share the answer until the store changes.
        key = ("dashboard", *_scope(viewer), year, path)
        return uow.remembered(key, lambda: uow.queries.dashboard(viewer, year, path))


def audit_trail(uow: UnitOfWork, viewer: Actor, form_id: int | None = None, limit: int = 200) -> list[AuditView]:
    """The audit entries the viewer may see, newest first, of one form or of all."""
    with uow:
        if form_id is not None:
            _visible_form(uow, viewer, form_id)
        return uow.audit.entries(viewer, form_id=form_id, limit=limit)


def list_organisations(uow: UnitOfWork, viewer: Actor) -> list[OrganisationView]:
    """The organisations a viewer may filter by: all (admin), their subtree (reviewer), their unit (filler)."""
    with uow:
        if viewer.is_admin:
            return uow.organisations.under(None)
        if viewer.role is Role.REVIEWER:
            return uow.organisations.under(viewer.organisation_path) if viewer.organisation_path else []
        own = uow.organisations.get(viewer.organisation_id or 0)
        return [own] if own else []


def unit_choices(uow: UnitOfWork, viewer: Actor, selected_id: int | None = None) -> list[OrganisationView]:
    """The organisations a unit filter offers: all the viewer may see when they are few (at
    most UNIT_CHOICES); else the level below the viewer's organisation and the way down to
    the selected one, so that a 财政局 with 1,800 units offers its departments first and a
    department's units once it is picked."""
    with uow:
        return uow.remembered(("unit choices", *_scope(viewer), selected_id), lambda: _unit_choices(uow, viewer, selected_id))


def _unit_choices(uow: UnitOfWork, viewer: Actor, selected_id: int | None) -> list[OrganisationView]:
    root = None if viewer.is_admin else uow.organisations.get(viewer.organisation_id or 0)
    if not viewer.is_admin and root is None:
        return []
    if viewer.role is Role.FILLER:
        return [root]
    if uow.organisations.count_under(root.path if root else None) <= UNIT_CHOICES:
        return uow.organisations.under(root.path if root else None)
    selected = uow.organisations.get(selected_id) if selected_id is not None else None
    if selected is not None and not viewer.sees(selected.id, selected.path):
        selected = None
    return uow.organisations.way_down(root, selected)


def form_years(uow: UnitOfWork, viewer: Actor) -> list[int]:
    """The years from the viewer's newest form to their oldest, newest first (a filter's choices)."""
    with uow:
        years = uow.queries.year_range(viewer)
    return [] if years is None else list(range(years[1], years[0] - 1, -1))


# --- changing a form


# Cells that place a form in the store (storage/placement.py); the stored form keeps them.
IDENTITY_CELLS = frozenset({"project.code", "project.year"})


def edit_cell(
    uow: UnitOfWork, user: Actor, form_id: int, path: str, text: str, *, expected_version: int | None = None
) -> SavedVersion:
    """Set one cell (`indicators.3.actual`, `funds.total.executed` …; records.with_cell) and
    store the result as a new version by `user`, re-scored and re-checked.

    The form is reviewed with the other forms of the file it came from, as on import. An
    edit that changes nothing stores nothing. Conflict when `expected_version` is not the
    current version (someone else saved first).
    """
    with uow:
        state = _visible_form(uow, user, form_id)
        if not may_edit(user, state.status):
            raise Forbidden(f"表的状态为“{state.status.label}”，{user.role.label}不能修改")
        if expected_version is not None and expected_version != state.version:
            raise Conflict(f"表已更新到第{state.version}版，请刷新后再修改")
        if path in IDENTITY_CELLS:
            raise Invalid("项目编码和绩效自评年度决定表属于哪个项目、哪一年，不能修改（请重新导入）")
        old = form_from_record(uow.forms.record(state.version_id))
        try:
            place, before = cell_place(old, path)
            new = with_cell(old, path, text)
        except CellPathError as error:
            raise Invalid(str(error)) from None
        digest = content_hash(new)
        name = project_label(new)
        if digest == state.content_hash:
            return SavedVersion(form_id, name, state.year, state.version, ImportOutcome.UNCHANGED)
        record = form_to_record(new)
        siblings = uow.forms.sources(state.source_file) if state.source_file else []
        batch = [new if other_id == form_id else form_from_record(other) for other_id, other in siblings] or [new]
        shipped = profiles.load_all()
        item = review(new, _profile_named(state.profile, new, shipped), batch=batch, profiles=tuple(shipped.values()))
        changes = tuple(diff_forms(old, new))
        fresh = [NewFinding.of(result, new) for result in item.findings]
        findings = carry_over(uow.forms.findings(state.version_id), fresh)
        version = NewVersion.of(item, record, digest, changes=changes, origin="edit", findings=findings, created_by=user.id)
        number = uow.forms.add_version(form_id, state.version, version, findings)
        after = cell_place(new, path)[1]
        uow.audit.append(
            user.id, "form.edit", form_id=form_id, path=path, place=place, old=before, new=after, version=number
        )
        uow.commit()
        return SavedVersion(form_id, name, state.year, number, ImportOutcome.VERSION, changes)


def decide_finding(
    uow: UnitOfWork, user: Actor, finding_id: int, state: FindingState | str, reason: str | None = None
) -> FindingView:
    """Accept a finding, dismiss it with a reason, or reopen it. Reviewers and admins only,
    on the current version of a form that is not approved."""
    decision = FindingState(state)
    reason = (reason or "").strip() or None
    with uow:
        found = uow.forms.finding(finding_id)
        if found is None:
            raise NotFound(f"没有编号为{finding_id}的问题")
        finding, form_id, number = found
        form = _visible_form(uow, user, form_id, f"没有编号为{finding_id}的问题")
        if not may_decide_findings(user):
            raise Forbidden(f"{user.role.label}不能确认或驳回审核问题")
        if number != form.version:
            raise Conflict(f"该问题属于第{number}版，表已更新到第{form.version}版")
        if form.status is FormStatus.APPROVED:
            raise Conflict("表已审核，不能再处理问题（需先退回）")
        if decision is FindingState.DISMISSED and reason is None:
            raise Invalid("驳回问题须说明理由")
        decided = decision is not FindingState.OPEN
        when = datetime.now(UTC) if decided else None
        uow.forms.decide(finding_id, decision, reason, user.id if decided else None, when)
        uow.audit.append(
            user.id,
            "finding.decide",
            form_id=form_id,
            target=f"finding:{finding_id}",
            code=finding.code,
            indicator=finding.indicator_name,
            state=decision.value,
            reason=reason,
            version=number,
        )
        uow.commit()
        return uow.forms.finding(finding_id)[0]  # type: ignore[index]


def change_status(
    uow: UnitOfWork, user: Actor, form_id: int, status: FormStatus | str, comment: str | None = None
) -> FormStatus:
    """Move a form along 草稿 → 已提交 → 已审核 / 退回 (workflow.TRANSITIONS); a return needs a comment."""
    target = FormStatus(status)
    comment = (comment or "").strip() or None
    with uow:
        form = _visible_form(uow, user, form_id)
        roles = TRANSITIONS.get((form.status, target))
        if roles is None:
            raise Conflict(f"表的状态为“{form.status.label}”，不能改为“{target.label}”")
        if user.role not in roles:
            raise Forbidden(f"{user.role.label}不能把表改为“{target.label}”")
        if target in NEEDS_COMMENT and comment is None:
            raise Invalid(f"改为“{target.label}”须写明原因")
        uow.forms.set_status(form_id, target)
        if comment is not None:
            uow.forms.add_comment(form_id, form.version, user.id, comment)
        uow.audit.append(
            user.id, "form.status", form_id=form_id, before=form.status.value, after=target.value, comment=comment
        )
        uow.commit()
        return target


def add_comment(uow: UnitOfWork, user: Actor, form_id: int, body: str) -> CommentView:
    """A remark on the form's current version, by anyone who sees the form."""
    body = body.strip()
    if not body:
        raise Invalid("意见不能为空")
    with uow:
        form = _visible_form(uow, user, form_id)
        comment_id = uow.forms.add_comment(form_id, form.version, user.id, body)
        uow.audit.append(user.id, "comment.add", form_id=form_id, target=f"comment:{comment_id}", body=body)
        uow.commit()
        return next(comment for comment in uow.queries.comments(form_id) if comment.id == comment_id)


def _visible_form(uow: UnitOfWork, user: Actor, form_id: int, missing: str | None = None) -> FormState:
    state = uow.forms.state(form_id)
    if state is None or not user.sees(state.unit_id, state.unit_path):
        raise NotFound(missing or f"没有编号为{form_id}的表")
    return state


def _profile_named(name: str, form: Form, shipped: dict[str, Profile]) -> Profile:
    """The profile a version was scored under; a local YAML profile, which the store does
    not keep, falls back to the form's default."""
    return shipped.get(name) or shipped[infer_profile_name(form, tuple(shipped.values()))]
