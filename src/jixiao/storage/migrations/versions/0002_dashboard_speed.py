"""dashboard speed

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The store's revision (one row that every committed change raises, so costly reads can be
kept until the next change), and an index on findings that holds version, state and code
(the dashboard's finding counts read the index alone) in place of the one on version_id.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    revisions = op.create_table(
        "store_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_revision")),
    )
    op.bulk_insert(revisions, [{"id": 1, "number": 0}])
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_version_state_code", ["version_id", "state", "code"], unique=False)
        batch_op.drop_index(batch_op.f("ix_findings_version_id"))


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_version_id"), ["version_id"], unique=False)
        batch_op.drop_index("ix_findings_version_state_code")
    op.drop_table("store_revision")
