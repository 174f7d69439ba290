"""The store's tables as SQLAlchemy 2 typed declarative classes.

organisations (tree) ← users, projects ← forms (one per project, year and kind) ←
form_versions (every submitted or edited version, with its record, evaluation and diff) ←
findings (per version, with their review state); comments; audit_log (append-only).

A list page must never parse JSON: each version carries the summary columns a list shows,
and the form row carries a copy of its current version's, so that filtering and sorting
100,000 forms is one indexed table (the copy is refreshed by every new version and every
finding decision). The migrations in `migrations/versions` create exactly this schema;
`tests/integration/test_store_migrations.py` compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, MetaData, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations (and SQLite batch rebuilds) can address them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Digits of the summary columns; a value that does not fit (a misread cell) is stored as NULL.
SCORE = Numeric(8, 2)
RATE = Numeric(14, 6)
MONEY = Numeric(18, 2)


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that comes back as an aware UTC datetime from both databases (SQLite
    stores no zone, PostgreSQL answers in the session's zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    """财政局, 主管部门 or 预算单位. `path` is the ids from the root (`/1/4/9/`)."""

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("kind IN ('bureau', 'department', 'unit')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    path: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class User(Base):
    """A person who logs in (填报人, 审核人, 管理员). No password hash: cannot log in."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('filler', 'reviewer', 'admin')", name="role"),
        CheckConstraint("role = 'admin' OR organisation_id IS NOT NULL", name="organisation_required"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Project(Base):
    """A budget project across years. `key` is `code:<项目编码>`, else `unit:<id>:<项目名称>`."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    code: Mapped[str | None] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class VersionSummary:
    """The columns a form list shows, as of one version (on form_versions) or the current one (on forms)."""

    project_name: Mapped[str] = mapped_column(String(300))
    total_claimed: Mapped[Decimal | None] = mapped_column(SCORE)  # 总分·得分 as printed
    total_recomputed: Mapped[Decimal | None] = mapped_column(SCORE)  # evaluation.total
    grade: Mapped[str | None] = mapped_column(String(4))
    error_count: Mapped[int] = mapped_column(Integer, default=0)  # failed error checks not dismissed
    warning_count: Mapped[int] = mapped_column(Integer, default=0)  # failed warning checks not dismissed
    undetermined_count: Mapped[int] = mapped_column(Integer, default=0)  # undetermined findings not dismissed
    open_count: Mapped[int] = mapped_column(Integer, default=0)  # findings nobody has decided yet
    execution_rate: Mapped[Decimal | None] = mapped_column(RATE)  # B / A recomputed
    budget: Mapped[Decimal | None] = mapped_column(MONEY)  # 全年预算数 (A), 元
    executed: Mapped[Decimal | None] = mapped_column(MONEY)  # 全年执行数 (B), 元


class StoredForm(VersionSummary, Base):
    """One project's self-evaluation for one year (or its row in a summary table)."""

    __tablename__ = "forms"
    __table_args__ = (
        UniqueConstraint("project_id", "year", "kind"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        CheckConstraint("kind IN ('form', 'summary')", name="kind"),
        CheckConstraint("status IN ('draft', 'submitted', 'approved', 'returned')", name="status"),
        # The list page filters by year (and unit) and sorts by one of these columns; the
        # default page (every year, newest first) reads updated_at alone.
        Index("ix_forms_updated", "updated_at"),
        Index("ix_forms_unit_year_updated", "unit_id", "year", "updated_at"),
        Index("ix_forms_year_updated", "year", "updated_at"),
        Index("ix_forms_year_total", "year", "total_recomputed"),
        Index("ix_forms_year_rate", "year", "execution_rate"),
        Index("ix_forms_year_errors", "year", "error_count"),
        Index("ix_forms_year_grade", "year", "grade"),
        Index("ix_forms_year_status", "year", "status"),
        Index("ix_forms_year_name", "year", "project_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # form: 自评表; summary: 部门汇总表的一行
    unit_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)  # number of the current version
    project_code: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class FormVersion(VersionSummary, Base):
    """One submitted or edited version: the lossless record, its evaluation, the diff to the previous."""

    __tablename__ = "form_versions"
    __table_args__ = (
        UniqueConstraint("form_id", "number"),
        CheckConstraint("origin IN ('import', 'edit')", name="origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    origin: Mapped[str] = mapped_column(String(10))
    source_file: Mapped[str | None] = mapped_column(String(500), index=True)
    source_index: Mapped[int | None] = mapped_column(Integer)
    profile: Mapped[str] = mapped_column(String(200))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # records.form_to_record
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON)  # Evaluation.json()
    changes: Mapped[list[Any]] = mapped_column(JSON)  # [Change.json()] against the previous version
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Finding(Base):
    """A failed or undetermined check on one version, and the reviewer's decision on it."""

    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'accepted', 'dismissed')", name="state"),
        CheckConstraint("state <> 'dismissed' OR reason IS NOT NULL", name="dismissal_reason"),
        # Leads with version_id for a version's findings, and holds state and code so that
        # the dashboard counts the codes of 100,000 forms from the index alone.
        Index("ix_findings_version_state_code", "version_id", "state", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"))
    code: Mapped[str] = mapped_column(String(60), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(14))
    message: Mapped[str] = mapped_column(Text)
    indicator_index: Mapped[int | None] = mapped_column(Integer)
    indicator_name: Mapped[str | None] = mapped_column(String(300))
    line: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[Any] = mapped_column(JSON, nullable=True)
    found: Mapped[Any] = mapped_column(JSON, nullable=True)
    cells: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="open")
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Comment(Base):
    """A remark on a form (审核意见), optionally tied to the version it was made on."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class AuditEntry(Base):
    """Who changed what, when (操作日志). Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    form_id: Mapped[int | None] = mapped_column(ForeignKey("forms.id"), index=True)
    target: Mapped[str | None] = mapped_column(String(80))  # e.g. finding:12, user:3
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class StoreRevision(Base):
    """A number that every committed change raises (one row): reads that are costly to
    compute, like the dashboard, are kept per revision and recomputed after any change."""

    __tablename__ = "store_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
