"""Gennemsyn: the status flow of a case (send til godkendelse, send tilbage, godkend).

Every transition is asked of ``reportgen.review.workflow`` (the rules) and of the one
permission check (who may touch the case), and is written to the audit log with the
version it concerns. Approval is refused while the final document would keep a placeholder.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from reportgen.errors import ReportgenError
from reportgen.review.lint import LintIssue, lint_case
from reportgen.review.workflow import NEEDS_NO_PLACEHOLDERS, TRANSITIONS, VersionState, WorkflowError, transition
from reportgen.web.store import Case, Version, audit, now
from reportgen.web.views.builds import case_page
from reportgen.web.views.common import page, redirect, require
from reportgen.web.worker import case_dir, case_yaml

# workflow action → the permission the one check must grant on the case
PERMISSION = {"send": "edit-case", "traek_tilbage": "edit-case", "send_tilbage": "approve", "godkend": "approve"}


def lint(request: Request, case: Case) -> list[LintIssue]:
    """``lint_case`` of the case's saved case file (written beside its uploads for the check)."""
    folder = case_dir(request.app.state.data, case.id)
    path = folder / f".lint-{secrets.token_hex(6)}.yaml"
    path.write_bytes(case_yaml(case))
    try:
        return lint_case(path)
    finally:
        path.unlink(missing_ok=True)


def placeholders(request: Request, case: Case) -> int:
    """Placeholders and unwritten required sections the final document of ``case`` would hold
    (lint rules ``pladsholder`` and ``tomt_afsnit``); a final build refuses either."""
    return sum(1 for i in lint(request, case) if i.regel in ("pladsholder", "tomt_afsnit"))


async def lint_page(request: Request) -> Response:
    """Tjek: the lint panel of the case (what a careful reviewer checks before it goes out)."""
    case_id = request.path_params["case_id"]
    _, case = require(request, "view-case", case_id)
    try:
        issues, error = lint(request, case), ""
    except ReportgenError as exc:
        issues, error = [], str(exc)
    return page(request, "lint.html", case=case, issues=issues, error=error)


async def change_status(request: Request) -> Response:
    case_id = request.path_params["case_id"]
    form = await request.form()
    action = str(form.get("handling", ""))
    comment = str(form.get("kommentar", "")).strip()
    user, case = require(request, "view-case", case_id)
    if action not in PERMISSION:
        return await case_page(request, error=f"Ukendt handling '{action}'.", status_code=400)
    user, case = require(request, PERMISSION[action], case_id)
    with request.app.state.sessions() as db:
        c = db.get(Case, case_id)
        latest = db.scalars(select(Version).where(Version.case_id == case_id)
                            .order_by(Version.number.desc())).first()
        if latest is None:
            return await case_page(request, error="Dan dokumenterne, før sagen sendes videre.", status_code=409)
        state = VersionState(number=latest.number, status=c.status)  # type: ignore[arg-type]
        try:
            if action in NEEDS_NO_PLACEHOLDERS and TRANSITIONS[action][0] == c.status:  # type: ignore[index]
                state = VersionState(number=latest.number, status=c.status,  # type: ignore[arg-type]
                                     placeholders=placeholders(request, c))
            outcome = transition(state, action, user.role)
        except (WorkflowError, ReportgenError) as exc:
            return await case_page(request, error=str(exc), status_code=409)
        c.status = outcome.version.status
        if action == "godkend":  # the approved version's documents are built as final
            c.settings = {**c.settings, "sag": {**c.settings["sag"], "status": "endelig"}}
        c.updated_at, c.updated_by = now(), user.username
        c.lock_version += 1
        audit(db, user.username, f"status-{action}", case_id, version=latest.number,
              detail=f"{state.status} → {outcome.version.status}" + (f": {comment}" if comment else ""))
        db.commit()
        if action == "godkend":
            request.app.state.worker.enqueue(db, c, user.username)
    return redirect(f"/sager/{case_id}")
