"""Review: comments on a section or a figure of a version (with replies and resolve), and
the version a job builds from (``jobs.source_version``: the approved version's own case
file, built as final). Only adds: every saved case, job and version stays as it was.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table("comments", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
                    sa.Column("version", sa.Integer, nullable=False),
                    sa.Column("target_kind", sa.String(20), nullable=False),
                    sa.Column("target", sa.String(300), nullable=False),
                    sa.Column("target_label", sa.String(500), nullable=False),
                    sa.Column("body", sa.Text, nullable=False),
                    sa.Column("author", sa.String(100), nullable=False),
                    sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("parent_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=True),
                    sa.Column("created_at", sa.DateTime, nullable=False),
                    sa.Column("resolved_at", sa.DateTime, nullable=True),
                    sa.Column("resolved_by", sa.String(100), nullable=True))
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("source_version", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("source_version")
    op.drop_table("comments")
