"""Gennemsyn: the status flow of a case (send til godkendelse, send tilbage, godkend).

Every transition is asked of ``reportgen.review.workflow`` (the rules) and of the one
permission check (who may touch the case), and is written to the audit log with the
version it concerns. Sending needs documents built from the texts as they are now (the
chef approves what they read); approval is refused while the final document would keep a
placeholder, asks for a confirmation while comments are open, and queues the final build
of the approved version (the worker then sets the case ``endelig``). ``endeliggoer``
queues that build again when it failed.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.core.atomic import sha256_bytes
from reportgen.errors import ReportgenError
from reportgen.review.lint import LintIssue, lint_case
from reportgen.review.phrases import phrase
from reportgen.review.workflow import NEEDS_NO_PLACEHOLDERS, TRANSITIONS, VersionState, WorkflowError, transition
from reportgen.web.store import Case, Job, Version, audit, latest_version, now, open_comments
from reportgen.web.views.builds import case_page
from reportgen.web.views.common import page, redirect, require
from reportgen.web.worker import case_dir, case_yaml

# workflow action → the permission the one check must grant on the case
PERMISSION = {"send": "edit-case", "traek_tilbage": "edit-case", "send_tilbage": "approve", "godkend": "approve",
              "endeliggoer": "approve"}


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


def _built_from_current(case: Case, version: Version) -> bool:
    """True when ``version`` was built from the case's settings as they are now."""
    return version.inputs.get("sag.yaml") == sha256_bytes(case_yaml(case))


def _refusal(c: Case, latest: Version | None, action: str) -> str:
    if latest is None:
        return phrase("web_ingen_version")
    if action == "send" and not _built_from_current(c, latest):
        return phrase("web_send_dan_foerst", version=latest.number)
    return ""


async def change_status(request: Request) -> Response:
    """One status change asked of the workflow; approval with open comments asks first."""
    case_id = request.path_params["case_id"]
    form = await request.form()
    action = str(form.get("handling", ""))
    comment = str(form.get("kommentar", "")).strip()
    user, case = require(request, "view-case", case_id)
    if action not in PERMISSION:
        return await case_page(request, error=message("web", "unknown_action", action=action), status_code=400)
    user, case = require(request, PERMISSION[action], case_id)
    with request.app.state.sessions() as db:
        c = db.get(Case, case_id)
        latest = latest_version(db, case_id)
        refused = _refusal(c, latest, action)
        if refused:
            return await case_page(request, error=refused, status_code=409)
        if action == "endeliggoer":
            return await _final_again(request, db, c, user.username)
        state = VersionState(number=latest.number, status=c.status,  # type: ignore[arg-type, union-attr]
                             open_comments=len(open_comments(db, case_id)))
        try:
            if action in NEEDS_NO_PLACEHOLDERS and TRANSITIONS[action][0] == c.status:  # type: ignore[index]
                state = replace(state, placeholders=placeholders(request, c))
            outcome = transition(state, action, user.role)
        except (WorkflowError, ReportgenError) as exc:
            return await case_page(request, error=str(exc), status_code=409)
        if outcome.warnings and form.get("bekraeft") != "ja":  # open comments: ask before approving
            return await case_page(request, confirm=" ".join(outcome.warnings))
        c.status = outcome.version.status
        c.updated_at, c.updated_by = now(), user.username
        c.lock_version += 1
        detail = f"{state.status} → {outcome.version.status}" + (f": {comment}" if comment else "")
        if outcome.warnings:
            detail += " (godkendt trods advarsel: " + " ".join(outcome.warnings) + ")"
        audit(db, user.username, f"status-{action}", case_id, version=state.number, detail=detail)
        db.commit()
        if action == "godkend":  # the approved version's own case file is built as final
            request.app.state.worker.enqueue(db, c, user.username, source_version=state.number)
    return redirect(f"/sager/{case_id}")


async def _final_again(request: Request, db: Session, case: Case, username: str) -> Response:
    """``endeliggoer`` after a failed final build: build the approved version again."""
    approved = db.scalars(select(Job.source_version).where(Job.case_id == case.id, Job.source_version.is_not(None))
                          .order_by(Job.id.desc())).first()
    if case.status != "godkendt" or approved is None:
        return await case_page(request, error=phrase("web_ingen_godkendt"), status_code=409)
    request.app.state.worker.enqueue(db, case, username, source_version=approved)
    return redirect(f"/sager/{case.id}")
