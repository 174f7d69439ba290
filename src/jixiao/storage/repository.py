"""Forms, their versions, findings and comments: the writes, and the state the services
decide on. Reads for pages (lists, the form page, dashboards) are in `queries.py`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from jixiao.checks.base import Outcome, Severity
from jixiao.domain.workflow import Conflict, FindingState, FormStatus
from jixiao.storage.orm import Comment, Finding, FormVersion, Organisation, Project, StoredForm, User, VersionSummary, utc_now
from jixiao.storage.views import FindingView, FormState, NewFinding, NewVersion, finding_counts


# The import path runs these statements for every form: built once, so that SQLAlchemy
# neither rebuilds them nor recomputes their cache keys (an import of a unit's file of
# hundreds of forms is otherwise bound by statement construction, not by the database).
FORMS, VERSIONS, FINDINGS = StoredForm.__table__, FormVersion.__table__, Finding.__table__
SUMMARY_COLUMNS = tuple(name for name in VersionSummary.__annotations__)
PROJECT_BY_KEY = select(Project.__table__.c.id).where(Project.__table__.c.key == bindparam("key"))
INSERT_PROJECT = insert(Project.__table__).returning(Project.__table__.c.id)
INSERT_FORM = insert(FORMS).returning(FORMS.c.id)
INSERT_VERSION = insert(VERSIONS).returning(VERSIONS.c.id)
# RETURNING makes SQLAlchemy batch the rows into one INSERT ("insertmanyvalues"); without
# it psycopg sends one statement per finding.
INSERT_FINDINGS = insert(FINDINGS).returning(FINDINGS.c.id)
NEXT_VERSION = (
    update(FORMS)
    .where(FORMS.c.id == bindparam("form"), FORMS.c.version == bindparam("current"))
    .values(
        version=bindparam("next"),
        updated_at=bindparam("now"),
        **{name: bindparam(f"new_{name}") for name in SUMMARY_COLUMNS},
    )
    .returning(FORMS.c.version)
)
STATE = (
    select(
        FORMS.c.id,
        FORMS.c.project_id,
        FORMS.c.unit_id,
        Organisation.__table__.c.path,
        FORMS.c.year,
        FORMS.c.kind,
        FORMS.c.status,
        FORMS.c.version,
        VERSIONS.c.id.label("version_id"),
        VERSIONS.c.content_hash,
        VERSIONS.c.profile,
        VERSIONS.c.source_file,
    )
    .join(Organisation.__table__, Organisation.__table__.c.id == FORMS.c.unit_id)
    .outerjoin(VERSIONS, (VERSIONS.c.form_id == FORMS.c.id) & (VERSIONS.c.number == FORMS.c.version))
)
STATE_BY_ID = STATE.where(FORMS.c.id == bindparam("form"))
STATE_BY_PROJECT = STATE.where(
    FORMS.c.project_id == bindparam("project"), FORMS.c.year == bindparam("year"), FORMS.c.kind == bindparam("kind")
)


class FormRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- projects and forms

    def project(self, key: str, *, code: str | None, name: str, unit_id: int) -> int:
        """The id of the project with this key, created on first sight."""
        found = self.session.scalar(PROJECT_BY_KEY, {"key": key})
        if found is not None:
            return found
        values = {"key": key, "code": code, "name": name, "unit_id": unit_id}
        return self.session.execute(INSERT_PROJECT, values).scalar_one()

    def locate(self, project_id: int, year: int, kind: str) -> FormState | None:
        """The stored form of a project, year and kind, if any."""
        return _state(self.session.execute(STATE_BY_PROJECT, {"project": project_id, "year": year, "kind": kind}).first())

    def state(self, form_id: int) -> FormState | None:
        return _state(self.session.execute(STATE_BY_ID, {"form": form_id}).first())

    def record(self, version_id: int) -> dict[str, Any]:
        """The stored record of a version (records.form_to_record)."""
        return self.session.execute(select(VERSIONS.c.record).where(VERSIONS.c.id == version_id)).scalar_one()

    def create(self, *, project_id: int, year: int, kind: str, unit_id: int, status: FormStatus, project_code: str | None) -> int:
        """A new form at version 0; `add_version` gives it version 1."""
        values = {
            "project_id": project_id,
            "year": year,
            "kind": kind,
            "unit_id": unit_id,
            "status": status.value,
            "version": 0,
            "project_code": project_code,
            "project_name": "",
        }
        return self.session.execute(INSERT_FORM, values).scalar_one()

    def add_version(self, form_id: int, current: int, new: NewVersion, findings: list[NewFinding]) -> int:
        """Store version `current + 1` with its findings and make it the form's current one.

        Conflict when the form is no longer at `current`: someone saved a version meanwhile.
        The form row is updated first, which also locks it until the transaction ends.
        """
        columns = new.summary.columns()
        summary = {f"new_{name}": value for name, value in columns.items()}
        number = self.session.execute(
            NEXT_VERSION, {"form": form_id, "current": current, "next": current + 1, "now": utc_now(), **summary}
        ).scalar()
        if number is None:
            raise Conflict("表已被其他人更新，请刷新后再试")
        version_id = self.session.execute(
            INSERT_VERSION,
            {
                "form_id": form_id,
                "number": number,
                "content_hash": new.content_hash,
                "origin": new.origin,
                "source_file": new.source_file,
                "source_index": new.source_index,
                "profile": new.profile,
                "record": new.record,
                "evaluation": new.evaluation,
                "changes": new.changes,
                "created_by": new.created_by,
                **columns,
            },
        ).scalar_one()
        if findings:
            self.session.execute(INSERT_FINDINGS, [_finding_values(version_id, item) for item in findings])
        return number

    def set_status(self, form_id: int, status: FormStatus) -> None:
        self.session.execute(
            update(StoredForm).where(StoredForm.id == form_id).values(status=status.value, updated_at=utc_now())
        )

    def sources(self, source_file: str) -> list[tuple[int, dict[str, Any]]]:
        """(form id, record) of the current versions that came from one file: the batch its
        cross-form checks compare (deviation notes copied between forms)."""
        query = (
            select(FormVersion.form_id, FormVersion.record)
            .join(StoredForm, (StoredForm.id == FormVersion.form_id) & (StoredForm.version == FormVersion.number))
            .where(FormVersion.source_file == source_file)
            .order_by(FormVersion.source_index, StoredForm.id)
        )
        return [(form_id, record) for form_id, record in self.session.execute(query)]

    # --- findings

    def findings(self, version_id: int) -> list[FindingView]:
        query = select(Finding).where(Finding.version_id == version_id).order_by(Finding.id)
        return [_finding(row, users) for row, users in self._with_deciders(query)]

    def finding(self, finding_id: int) -> tuple[FindingView, int, int] | None:
        """A finding with the id of its form and its version number."""
        found = self.session.execute(
            select(Finding, FormVersion.form_id, FormVersion.number)
            .join(FormVersion, FormVersion.id == Finding.version_id)
            .where(Finding.id == finding_id)
        ).first()
        if found is None:
            return None
        row, form_id, number = found
        return _finding(row, self._usernames({row.decided_by})), form_id, number

    def decide(self, finding_id: int, state: FindingState, reason: str | None, user_id: int | None, at: datetime | None) -> None:
        """Set a finding's review state and refresh its form's list counts."""
        row = self.session.get_one(Finding, finding_id)
        row.state, row.reason, row.decided_by, row.decided_at = state.value, reason, user_id, at
        self.session.flush()
        form_id = self.session.scalar(select(FormVersion.form_id).where(FormVersion.id == row.version_id))
        counts = finding_counts(self.findings(row.version_id))
        self.session.execute(update(FormVersion).where(FormVersion.id == row.version_id).values(**counts))
        self.session.execute(update(StoredForm).where(StoredForm.id == form_id).values(**counts, updated_at=utc_now()))

    # --- comments

    def add_comment(self, form_id: int, version: int | None, author_id: int, body: str) -> int:
        row = Comment(form_id=form_id, version=version, author_id=author_id, body=body)
        self.session.add(row)
        self.session.flush()
        return row.id

    # --- helpers

    def _with_deciders(self, query: Any) -> list[tuple[Finding, dict[int, str]]]:
        rows = list(self.session.scalars(query))
        users = self._usernames({row.decided_by for row in rows})
        return [(row, users) for row in rows]

    def _usernames(self, ids: set[int | None]) -> dict[int, str]:
        wanted = {user_id for user_id in ids if user_id is not None}
        if not wanted:
            return {}
        query = select(User.id, User.username).where(User.id.in_(wanted))
        return {user_id: username for user_id, username in self.session.execute(query)}


def _state(row: Any) -> FormState | None:
    if row is None:
        return None
    return FormState(
        id=row.id,
        project_id=row.project_id,
        unit_id=row.unit_id,
        unit_path=row.path,
        year=row.year,
        kind=row.kind,
        status=FormStatus(row.status),
        version=row.version,
        version_id=row.version_id or 0,
        content_hash=row.content_hash or "",
        profile=row.profile or "",
        source_file=row.source_file,
    )


def _finding_values(version_id: int, item: NewFinding) -> dict[str, Any]:
    return {
        "version_id": version_id,
        "code": item.code,
        "severity": item.severity,
        "outcome": item.outcome,
        "message": item.message,
        "indicator_index": item.indicator_index,
        "indicator_name": item.indicator_name,
        "line": item.line,
        "expected": item.expected,
        "found": item.found,
        "cells": item.cells,
        "note": item.note,
        "state": item.state.value,
        "reason": item.reason,
        "decided_by": item.decided_by,
        "decided_at": item.decided_at,
    }


def _finding(row: Finding, usernames: dict[int, str]) -> FindingView:
    return FindingView(
        id=row.id,
        code=row.code,
        severity=Severity(row.severity),
        outcome=Outcome(row.outcome),
        message=row.message,
        indicator_index=row.indicator_index,
        indicator_name=row.indicator_name,
        line=row.line,
        expected=row.expected,
        found=row.found,
        cells=row.cells,
        note=row.note,
        state=FindingState(row.state),
        reason=row.reason,
        decided_by=usernames.get(row.decided_by) if row.decided_by is not None else None,
        decided_at=row.decided_at,
        decided_by_id=row.decided_by,
    )
