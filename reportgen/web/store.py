"""The app's state: SQLAlchemy models and the queries the views use.

SQLite in the data folder by default, PostgreSQL with ``--db``. The schema is created and
upgraded by Alembic (``migrations/``); ``open_store`` runs the upgrade at start, so a schema
change never drops a saved case (migrations only add).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

ROLES = ("sagsbehandler", "chef", "admin")
STATUSES = ("udkast", "til godkendelse", "godkendt", "endelig")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    pass


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30), default="sagsbehandler")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(30), default="udkast")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)      # the case file as a dict
    files: Mapped[dict[str, Any]] = mapped_column(JSON)         # role -> {"name", "original", "sha256"}
    roles: Mapped[dict[str, Any]] = mapped_column(JSON)         # column -> mapping choices
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class CaseMember(Base):
    __tablename__ = "case_members"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    state: Mapped[str] = mapped_column(String(20), default="i kø")  # i kø, dannes, færdig, fejlet
    step: Mapped[str] = mapped_column(String(100), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    started_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    # set for the final build on approval: the approved version whose own case file is built
    source_version: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Version(Base):
    __tablename__ = "versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    number: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    formats: Mapped[list[str]] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    draft: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class Comment(Base):
    """A reviewer's comment on a section (``target_kind`` "afsnit") or a figure ("tal") of
    one version, or a reply to one (``parent_id``); open until resolved."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    target_kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(300))
    target_label: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


def db_url(data: Path, url: str | None) -> str:
    return url or f"sqlite:///{(data / 'reportgen.sqlite3').resolve()}"


def migrate(url: str) -> None:
    """Bring the schema at ``url`` to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "head")


def open_store(url: str) -> sessionmaker[Session]:
    migrate(url)
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine: Engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return sessionmaker(engine, expire_on_commit=False)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead log: the pages read while the build worker writes a job's progress."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def audit(db: Session, actor: str, action: str, case_id: int | None = None, version: int | None = None,
          detail: str = "") -> None:
    db.add(AuditEntry(actor=actor, action=action, case_id=case_id, version=version, detail=detail))


def visible_cases(db: Session, user: User) -> list[Case]:
    """The cases ``user`` may see: their unit's and those they are added to (admin: all)."""
    from reportgen.web.auth import permission_allowed

    rows = db.scalars(select(Case).order_by(Case.updated_at.desc())).all()
    return [c for c in rows if permission_allowed(actor(db, user), "view-case", case_resource(db, c))]


def member_ids(db: Session, case_id: int) -> set[int]:
    return set(db.scalars(select(CaseMember.user_id).where(CaseMember.case_id == case_id)))


def actor(db: Session, user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "role": user.role, "unit_id": user.unit_id}


def case_resource(db: Session, case: Case) -> dict[str, Any]:
    return {"kind": "case", "id": case.id, "unit_id": case.unit_id, "owner_id": case.owner_id,
            "members": member_ids(db, case.id), "status": case.status}


def open_comments(db: Session, case_id: int) -> list[Comment]:
    """The case's unresolved comments (not replies), oldest first."""
    return list(db.scalars(select(Comment).where(Comment.case_id == case_id, Comment.parent_id.is_(None),
                                                 Comment.resolved_at.is_(None)).order_by(Comment.id)))


def latest_version(db: Session, case_id: int) -> Version | None:
    return db.scalars(select(Version).where(Version.case_id == case_id).order_by(Version.number.desc())).first()


def next_version(db: Session, case_id: int) -> int:
    numbers = db.scalars(select(Version.number).where(Version.case_id == case_id)).all()
    return max(numbers, default=0) + 1
