"""The web app: routes and middleware (``reportgen serve`` builds it with ``create_app``).

Every view asks ``auth.permission_allowed`` through ``views.common``; the middleware adds
the signed session cookie (http-only, SameSite=Lax), CSRF and the size limit, and the
security headers. Static files come from the package (htmx vendored, no CDN).
"""

from __future__ import annotations

import functools
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from reportgen.web import buildjob, forkbuild
from reportgen.web.middleware import CSRFAndLimit, SecurityHeaders
from reportgen.web.previews import Previews
from reportgen.web.views.common import http_error
from reportgen.web.store import User, audit, db_url, open_store
from reportgen.web.worker import ProcessBuild, Worker

MAX_UPLOAD = 25 * 1024 * 1024


def secret_key(data: Path) -> str:
    path = data / "hemmelig-noegle"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def ensure_admin(sessions: Any, password: str | None) -> str | None:
    """Create the admin user on first start; return the one-time password if generated."""
    from sqlalchemy import select

    from reportgen.web.auth import hash_password

    with sessions() as db:
        if db.scalars(select(User).limit(1)).first() is not None:
            return None
        generated = password is None
        password = password or secrets.token_urlsafe(12)
        db.add(User(username="admin", name="Administrator", password_hash=hash_password(password), role="admin"))
        audit(db, "system", "admin-created")
        db.commit()
        return password if generated else None


def _routes() -> list[Route | Mount]:
    """Every page and action of the app: path → view (views/, one module per kind of page)."""
    from reportgen.web.views import admin, builds, cases, comments, diff, login, mapping, review, texts

    return [
        Route("/", cases.home),
        Route("/log-ind", login.login, methods=["GET", "POST"]),
        Route("/log-ud", login.logout, methods=["POST"]),
        Route("/sager", cases.case_list),
        Route("/sager/ny", cases.new_case, methods=["GET", "POST"]),
        Route("/sager/{case_id:int}", builds.case_page),
        Route("/sager/{case_id:int}/kortlaegning", mapping.mapping_page, methods=["GET", "POST"]),
        Route("/sager/{case_id:int}/kortlaegning/rolle", mapping.change_role, methods=["POST"]),
        Route("/sager/{case_id:int}/sagsfil", mapping.download_case_file),
        Route("/sager/{case_id:int}/tekster", texts.texts_page, methods=["GET", "POST"]),
        Route("/sager/{case_id:int}/forhaandsvisning", texts.preview, methods=["POST"]),
        Route("/sager/{case_id:int}/dan", builds.start_build, methods=["POST"]),
        Route("/sager/{case_id:int}/status", review.change_status, methods=["POST"]),
        Route("/sager/{case_id:int}/tjek", review.lint_page),
        Route("/sager/{case_id:int}/forskelle", diff.diff_page),
        Route("/sager/{case_id:int}/kommentarer", comments.comments_page, methods=["GET"]),
        Route("/sager/{case_id:int}/kommentarer", comments.add_comment, methods=["POST"]),
        Route("/sager/{case_id:int}/kommentarer/{comment_id:int}/loes", comments.resolve_comment, methods=["POST"]),
        Route("/sager/{case_id:int}/job/{job_id:int}", builds.job_status),
        Route("/sager/{case_id:int}/versioner/{number:int}/{fmt:str}", builds.download),
        Route("/sager/{case_id:int}/versioner/{number:int}/bilag/{bilag:int}/{fmt:str}", builds.download_bilag),
        Route("/admin", admin.admin_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static"),
    ]


def create_app(data: Path, db: str | None = None, *, admin_password: str | None = None,
               start_worker: bool = True, limit: int = MAX_UPLOAD) -> Starlette:
    """The app over the cases in ``data`` (database ``db``, default ``data``'s SQLite file):
    the build worker and the preview process start with the first lifespan and stop with
    the last; ``limit`` caps an upload's bytes."""
    data = Path(data)
    (data / "sager").mkdir(parents=True, exist_ok=True)
    sessions = open_store(db_url(data, db))
    # builds fork from a warm process (web.forkbuild), else each is a process of its own
    launch = functools.partial(forkbuild.ForkedBuild, buildjob.main) if forkbuild.usable() else ProcessBuild
    worker = Worker(sessions, data, launch)
    previews = Previews(data)
    one_time = ensure_admin(sessions, admin_password)

    running = [0]  # lifespans open on this app (a test may open several clients on one app)

    @asynccontextmanager
    async def lifespan(app: Starlette):  # type: ignore[no-untyped-def]
        running[0] += 1
        if start_worker and running[0] == 1:
            worker.start()
            previews.start()
        try:
            yield
        finally:
            running[0] -= 1
            if running[0] == 0:
                worker.close()
                previews.close()

    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=secret_key(data), session_cookie="reportgen_session",
                   same_site="strict", https_only=False, max_age=8 * 3600),
        Middleware(CSRFAndLimit, limit=limit),
    ]
    app = Starlette(routes=_routes(), middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.state.sessions, app.state.data, app.state.worker, app.state.previews = sessions, data, worker, previews
    app.state.one_time_password = one_time
    app.state.login_failures = {}
    return app
