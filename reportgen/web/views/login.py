"""Log in and out. Failed attempts are rate-limited per client and user name."""

from __future__ import annotations

import secrets
import time
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.web.auth import verify_password
from reportgen.web.store import User, audit
from reportgen.web.views.common import blocking, page, redirect

MAX_FAILURES, WINDOW = 5, 300.0


@blocking
def login(request: Request, form: Any) -> Response:
    if form is None:
        return page(request, "login.html", error=None, username="")
    username = str(form.get("brugernavn", "")).strip()
    password = str(form.get("adgangskode", ""))
    key = (request.client.host if request.client else "?", username.lower())
    failures = request.app.state.login_failures
    recent = [t for t in failures.get(key, []) if time.monotonic() - t < WINDOW]
    if len(recent) >= MAX_FAILURES:
        return page(request, "login.html", 429, username=username,
                    error=message("web", "too_many_attempts"))
    with request.app.state.sessions() as db:
        user = db.scalars(select(User).where(User.username == username)).first()
        if user is None or not verify_password(user.password_hash, password):
            failures[key] = recent + [time.monotonic()]
            audit(db, username or "?", "login-failed")
            db.commit()
            return page(request, "login.html", 401, username=username,
                        error=message("web", "wrong_login"))
        audit(db, user.username, "login")
        db.commit()
    failures.pop(key, None)
    request.session.clear()
    request.session.update({"uid": user.id, "csrf": secrets.token_urlsafe(32)})
    return redirect("/sager")


def logout(request: Request) -> Response:
    request.session.clear()
    return redirect("/log-ind")
