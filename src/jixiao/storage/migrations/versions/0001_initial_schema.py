"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Organisations, users, projects, forms with their versions and findings, comments and the
audit log; the built-in `system` user that command-line imports act as; and triggers that
make the audit log append-only on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# PostgreSQL: one function refuses UPDATE and DELETE row by row, and TRUNCATE.
POSTGRES_APPEND_ONLY = (
    """
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
    END
    $$
    """,
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)
# SQLite: a batch migration that rebuilds audit_log drops these; a later revision that
# alters the table must create them again.
SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('bureau', 'department', 'unit')", name=op.f("ck_organisations_kind")),
        sa.ForeignKeyConstraint(["parent_id"], ["organisations.id"], name=op.f("fk_organisations_parent_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("code", name=op.f("uq_organisations_code")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisations_path"), ["path"], unique=False)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["organisations.id"], name=op.f("fk_projects_unit_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("key", name=op.f("uq_projects_key")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role = 'admin' OR organisation_id IS NOT NULL", name=op.f("ck_users_organisation_required")),
        sa.CheckConstraint("role IN ('filler', 'reviewer', 'admin')", name=op.f("ck_users_role")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], name=op.f("fk_users_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("project_code", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("project_name", sa.String(length=300), nullable=False),
        sa.Column("total_claimed", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("total_recomputed", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("grade", sa.String(length=4), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("warning_count", sa.Integer(), nullable=False),
        sa.Column("undetermined_count", sa.Integer(), nullable=False),
        sa.Column("open_count", sa.Integer(), nullable=False),
        sa.Column("execution_rate", sa.Numeric(precision=14, scale=6), nullable=True),
        sa.Column("budget", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("executed", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.CheckConstraint("kind IN ('form', 'summary')", name=op.f("ck_forms_kind")),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'returned')", name=op.f("ck_forms_status")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_forms_year")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_forms_project_id_projects")),
        sa.ForeignKeyConstraint(["unit_id"], ["organisations.id"], name=op.f("fk_forms_unit_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forms")),
        sa.UniqueConstraint("project_id", "year", "kind", name=op.f("uq_forms_project_id_year_kind")),
    )
    with op.batch_alter_table("forms", schema=None) as batch_op:
        batch_op.create_index("ix_forms_updated", ["updated_at"], unique=False)
        batch_op.create_index("ix_forms_unit_year_updated", ["unit_id", "year", "updated_at"], unique=False)
        batch_op.create_index("ix_forms_year_errors", ["year", "error_count"], unique=False)
        batch_op.create_index("ix_forms_year_grade", ["year", "grade"], unique=False)
        batch_op.create_index("ix_forms_year_name", ["year", "project_name"], unique=False)
        batch_op.create_index("ix_forms_year_rate", ["year", "execution_rate"], unique=False)
        batch_op.create_index("ix_forms_year_status", ["year", "status"], unique=False)
        batch_op.create_index("ix_forms_year_total", ["year", "total_recomputed"], unique=False)
        batch_op.create_index("ix_forms_year_updated", ["year", "updated_at"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=80), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["form_id"], ["forms.id"], name=op.f("fk_audit_log_form_id_forms")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_form_id"), ["form_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_user_id"), ["user_id"], unique=False)

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_comments_author_id_users")),
        sa.ForeignKeyConstraint(["form_id"], ["forms.id"], name=op.f("fk_comments_form_id_forms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_form_id"), ["form_id"], unique=False)

    op.create_table(
        "form_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("source_index", sa.Integer(), nullable=True),
        sa.Column("profile", sa.String(length=200), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("project_name", sa.String(length=300), nullable=False),
        sa.Column("total_claimed", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("total_recomputed", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("grade", sa.String(length=4), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("warning_count", sa.Integer(), nullable=False),
        sa.Column("undetermined_count", sa.Integer(), nullable=False),
        sa.Column("open_count", sa.Integer(), nullable=False),
        sa.Column("execution_rate", sa.Numeric(precision=14, scale=6), nullable=True),
        sa.Column("budget", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("executed", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.CheckConstraint("origin IN ('import', 'edit')", name=op.f("ck_form_versions_origin")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_form_versions_created_by_users")),
        sa.ForeignKeyConstraint(["form_id"], ["forms.id"], name=op.f("fk_form_versions_form_id_forms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_versions")),
        sa.UniqueConstraint("form_id", "number", name=op.f("uq_form_versions_form_id_number")),
    )
    with op.batch_alter_table("form_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_versions_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_versions_form_id"), ["form_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_versions_source_file"), ["source_file"], unique=False)

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=14), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("indicator_index", sa.Integer(), nullable=True),
        sa.Column("indicator_name", sa.String(length=300), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("expected", sa.JSON(), nullable=True),
        sa.Column("found", sa.JSON(), nullable=True),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state <> 'dismissed' OR reason IS NOT NULL", name=op.f("ck_findings_dismissal_reason")),
        sa.CheckConstraint("state IN ('open', 'accepted', 'dismissed')", name=op.f("ck_findings_state")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_findings_decided_by_users")),
        sa.ForeignKeyConstraint(["version_id"], ["form_versions.id"], name=op.f("fk_findings_version_id_form_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_version_id"), ["version_id"], unique=False)

    users = sa.table(
        "users",
        sa.column("username", sa.String),
        sa.column("display_name", sa.String),
        sa.column("role", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    # No password: the system account acts for the command line and cannot log in.
    op.bulk_insert(
        users,
        [{"username": "system", "display_name": "系统（命令行）", "role": "admin", "active": True, "created_at": datetime.now(UTC)}],
    )
    for statement in POSTGRES_APPEND_ONLY if op.get_bind().dialect.name == "postgresql" else SQLITE_APPEND_ONLY:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_delete")
        op.execute("DROP TRIGGER audit_log_no_update")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_version_id"))
        batch_op.drop_index(batch_op.f("ix_findings_code"))

    op.drop_table("findings")
    with op.batch_alter_table("form_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_versions_source_file"))
        batch_op.drop_index(batch_op.f("ix_form_versions_form_id"))
        batch_op.drop_index(batch_op.f("ix_form_versions_content_hash"))

    op.drop_table("form_versions")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_form_id"))

    op.drop_table("comments")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_form_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("forms", schema=None) as batch_op:
        batch_op.drop_index("ix_forms_year_updated")
        batch_op.drop_index("ix_forms_year_total")
        batch_op.drop_index("ix_forms_year_status")
        batch_op.drop_index("ix_forms_year_rate")
        batch_op.drop_index("ix_forms_year_name")
        batch_op.drop_index("ix_forms_year_grade")
        batch_op.drop_index("ix_forms_year_errors")
        batch_op.drop_index("ix_forms_unit_year_updated")
        batch_op.drop_index("ix_forms_updated")

    op.drop_table("forms")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_organisation_id"))

    op.drop_table("users")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_unit_id"))
        batch_op.drop_index(batch_op.f("ix_projects_code"))

    op.drop_table("projects")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_path"))
        batch_op.drop_index(batch_op.f("ix_organisations_parent_id"))

    op.drop_table("organisations")
