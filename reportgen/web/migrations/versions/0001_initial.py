"""The first schema: units, users, cases, members, jobs, versions, audit log.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("units", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(200), unique=True, nullable=False))
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("username", sa.String(100), unique=True, nullable=False),
                    sa.Column("name", sa.String(200), nullable=False),
                    sa.Column("password_hash", sa.String(200), nullable=False),
                    sa.Column("role", sa.String(30), nullable=False),
                    sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True))
    op.create_table("cases", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
                    sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("status", sa.String(30), nullable=False),
                    sa.Column("settings", sa.JSON, nullable=False),
                    sa.Column("files", sa.JSON, nullable=False),
                    sa.Column("roles", sa.JSON, nullable=False),
                    sa.Column("lock_version", sa.Integer, nullable=False),
                    sa.Column("updated_at", sa.DateTime, nullable=False),
                    sa.Column("updated_by", sa.String(100), nullable=False))
    op.create_table("case_members",
                    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), primary_key=True),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True))
    op.create_table("jobs", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
                    sa.Column("state", sa.String(20), nullable=False),
                    sa.Column("step", sa.String(100), nullable=False),
                    sa.Column("message", sa.Text, nullable=False),
                    sa.Column("version", sa.Integer, nullable=True),
                    sa.Column("created_at", sa.DateTime, nullable=False),
                    sa.Column("started_at", sa.DateTime, nullable=True),
                    sa.Column("finished_at", sa.DateTime, nullable=True),
                    sa.Column("created_by", sa.String(100), nullable=False))
    op.create_table("versions", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
                    sa.Column("number", sa.Integer, nullable=False),
                    sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id"), nullable=False),
                    sa.Column("formats", sa.JSON, nullable=False),
                    sa.Column("inputs", sa.JSON, nullable=False),
                    sa.Column("draft", sa.Boolean, nullable=False),
                    sa.Column("created_at", sa.DateTime, nullable=False),
                    sa.UniqueConstraint("case_id", "number"))
    op.create_table("audit_log", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("at", sa.DateTime, nullable=False),
                    sa.Column("actor", sa.String(100), nullable=False),
                    sa.Column("action", sa.String(100), nullable=False),
                    sa.Column("case_id", sa.Integer, nullable=True),
                    sa.Column("version", sa.Integer, nullable=True),
                    sa.Column("detail", sa.Text, nullable=False))


def downgrade() -> None:
    for name in ("audit_log", "versions", "jobs", "case_members", "cases", "users", "units"):
        op.drop_table(name)
