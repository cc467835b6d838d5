"""What every view shares: the current user, the one permission check, page rendering,
and ``blocking``: views do their database, file and template work in Starlette's
threadpool, never on the event loop, so one slow request does not hold up the others."""

from __future__ import annotations

import functools
from http import HTTPStatus
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from reportgen.core.templating import message
from reportgen.core.templating import environment, message
from reportgen.web.auth import permission_allowed
from reportgen.web.middleware import csrf_token
from reportgen.web.store import Case, User, actor, case_resource


def blocking(view: Callable[..., Response]) -> Callable[..., Awaitable[Response]]:
    """An endpoint that reads the form of a changing request on the event loop, then runs
    the sync ``view(request, form)`` (``form`` is None for GET) in the threadpool."""

    @functools.wraps(view)
    async def endpoint(request: Request, **kwargs: Any) -> Response:
        form = await request.form() if request.method not in ("GET", "HEAD") else None
        return await run_in_threadpool(view, request, form, **kwargs)

    return endpoint


def current_user(request: Request) -> User | None:
    """The logged-in user (read once per request)."""
    if "user" in request.scope.get("state", {}):
        return request.state.user
    uid = request.session.get("uid")
    user = None
    if uid is not None:
        with request.app.state.sessions() as db:
            user = db.get(User, int(uid))
    request.state.user = user
    return user


def require(request: Request, action: str, case_id: int | None = None) -> tuple[User, Case | None]:
    """The user and (for a case action) the case, or a 403/404/redirect to log in."""
    user = current_user(request)
    if user is None:
        raise HTTPException(303, headers={"Location": "/log-ind"})
    with request.app.state.sessions() as db:
        case = db.get(Case, case_id) if case_id is not None else None
        if case_id is not None and case is None:
            raise HTTPException(404, message("web", "case_not_found"))
        resource = case_resource(db, case) if case is not None else None
        if not permission_allowed(actor(db, user), action, resource):
            if case is not None and not permission_allowed(actor(db, user), "view-case", resource):
                raise HTTPException(404, message("web", "case_not_found"))  # do not reveal other units' cases
            raise HTTPException(403, message("web", "no_access"))
    return user, case


def allowed(request: Request, user: User, action: str, case: Case) -> bool:
    """The one permission check for a second action on a case already required (to show or
    hide a form; the route of the form asks again)."""
    with request.app.state.sessions() as db:
        return permission_allowed(actor(db, user), action, case_resource(db, case))


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    user = current_user(request)
    ctx = {"request": request, "user": user, "csrf": csrf_token(request.session),
           "flash": None if template.startswith("_") else request.session.pop("flash", None), **context}
    html = environment().get_template(f"web/{template}").render(**ctx)
    return HTMLResponse(html, status_code=status_code)


# The error page's heading by HTTP status (templates/messages/web.txt.j2); any other status
# gets the general heading.
HTTP_HEADINGS: dict[int, Callable[[], str]] = {
    400: lambda: message("web", "http_400"),
    403: lambda: message("web", "http_403"),
    404: lambda: message("web", "http_404"),
    405: lambda: message("web", "http_405"),
    413: lambda: message("web", "http_413"),
}


async def http_error(request: Request, exc: Exception) -> Response:
    """An HTTP error in Danish: Starlette's own ("Not Found" for an unknown address, "Method
    Not Allowed") gets a Danish heading, a view's own Danish detail is kept. A page for a
    browser's GET; the text alone for htmx and form posts (what they showed before)."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    heading = HTTP_HEADINGS[status]() if status in HTTP_HEADINGS else message("web", "http_other", status=status)
    own = exc.detail if exc.detail and exc.detail != HTTPStatus(status).phrase else ""
    headers = dict(exc.headers or {})
    if request.method != "GET" or request.headers.get("hx-request"):
        return PlainTextResponse(own or heading, status_code=status, headers=headers)
    response = page(request, "error.html", status_code=status, heading=heading, detail=own)
    response.headers.update(headers)
    return response


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
