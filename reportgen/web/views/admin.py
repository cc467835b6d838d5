"""Admin: users (add, reset password, role, unit) and the latest audit log entries."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.web.auth import hash_password
from reportgen.web.store import ROLES, AuditEntry, Unit, User, audit
from reportgen.web.views.common import blocking, page, require


def _ctx(request: Request, **extra: object) -> dict[str, object]:
    with request.app.state.sessions() as db:
        users = list(db.scalars(select(User).order_by(User.username)))
        units = {u.id: u.name for u in db.scalars(select(Unit))}
        log = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(50)))
    return {"users": users, "units": units, "log": log, "roles": ROLES, "message": None, "error": None, **extra}


@blocking
def admin_page(request: Request, form: Any) -> Response:
    user, _ = require(request, "admin")
    if form is None:
        return page(request, "admin.html", **_ctx(request))
    username = str(form.get("brugernavn", "")).strip()
    role = str(form.get("rolle", "sagsbehandler"))
    unit_name = str(form.get("enhed", "")).strip()
    if not username or role not in ROLES:
        return page(request, "admin.html", 400, **_ctx(request, error=message("web", "admin_form_incomplete")))
    password = secrets.token_urlsafe(10)
    with request.app.state.sessions() as db:
        unit = None
        if unit_name:
            unit = db.scalars(select(Unit).where(Unit.name == unit_name)).first() or Unit(name=unit_name)
            db.add(unit)
            db.flush()
        existing = db.scalars(select(User).where(User.username == username)).first()
        target = existing or User(username=username, name=str(form.get("navn", "")).strip())
        target.role, target.unit_id, target.password_hash = role, unit.id if unit else None, hash_password(password)
        db.add(target)
        audit(db, user.username, "user-reset" if existing else "user-created", detail=f"{username} ({role})")
        db.commit()
    saved = message("web", "user_saved", username=username, existing=existing is not None, password=password)
    return page(request, "admin.html", **_ctx(request, message=saved))
