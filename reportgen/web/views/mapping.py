"""Kortlægning: each column's proposed role, scale, missing codes and reverse coding, as a
table with sample values and counts; a changed select is saved and the table redrawn at
once (htmx), with the CLI's validation problems beside the column they concern."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.analysis.comments import redact
from reportgen.ingest.propose import ROLES, role_names
from reportgen.ingest.scales import BUILTIN
from reportgen.review.workflow import WorkflowError
from reportgen.web.mapping_state import apply_roles, case_file_text, proposals_for, validate, values_of
from reportgen.web.store import Case, audit, now
from reportgen.web.views.common import blocking, page, redirect, require
from reportgen.web.views.editing import begin_edit, edit_notice, flash
from reportgen.web.worker import case_dir


def _context(request: Request, case: Case, notice: str = "") -> dict[str, Any]:
    folder = case_dir(request.app.state.data, case.id)
    proposals = [_scrubbed(p) for p in proposals_for(folder, case.files)]
    problems = validate(folder, case.settings)
    by_column: dict[str, list[str]] = {}
    general: list[str] = []
    for p in problems:
        col = p.column if p.column in case.roles else None
        (by_column.setdefault(col, []) if col else general).append(str(p))
    muni_col = next((c for c, r in case.roles.items() if r["role"] == "kommune"), None)
    munis: list[str] = []
    if muni_col:
        munis = values_of(folder, case.files, muni_col)
    return {"case": case, "proposals": proposals, "roles": case.roles, "role_names": role_names(), "all_roles": ROLES,
            "scales": list(BUILTIN), "by_column": by_column, "general": general, "munis": munis,
            "fokus": case.settings["data"].get("fokus") or "", "ok": not problems,
            "catalogue": "katalog" in case.files, "notice": notice or edit_notice(case)}


@blocking
def mapping_page(request: Request, form: Any) -> Response:
    case_id = request.path_params["case_id"]
    if form is None:
        _, case = require(request, "view-case", case_id)
        return page(request, "mapping.html", **_context(request, case))
    user, case = require(request, "edit-case", case_id)
    fokus = str(form.get("fokus", "")).strip()
    with request.app.state.sessions() as db:
        c = db.get(Case, case_id)
        data = dict(c.settings["data"])
        if fokus:
            data["fokus"] = fokus
        if data == c.settings["data"]:
            return redirect(f"/sager/{case_id}/kortlaegning")
        try:
            flash(request, begin_edit(db, c, user))
        except WorkflowError as exc:
            return page(request, "mapping.html", 409, **_context(request, c, str(exc)))
        c.settings = {**c.settings, "data": data}
        c.lock_version, c.updated_at, c.updated_by = c.lock_version + 1, now(), user.username
        audit(db, user.username, "mapping-saved", case_id, detail=f"fokus={fokus}")
        db.commit()
    return redirect(f"/sager/{case_id}/kortlaegning")


@blocking
def change_role(request: Request, form: Any) -> Response:
    case_id = request.path_params["case_id"]
    user, case = require(request, "edit-case", case_id)
    column = str(form.get("kolonne", ""))
    if column not in case.roles:
        return Response(message("web", "unknown_column"), status_code=400)
    role = str(form.get("rolle", case.roles[column]["role"]))
    scale = str(form.get("skala", "")) or case.roles[column].get("scale")
    if role not in ROLES or (scale and scale not in BUILTIN):
        return Response(message("web", "bad_role_or_scale"), status_code=400)
    with request.app.state.sessions() as db:
        c = db.get(Case, case_id)
        try:
            notice = begin_edit(db, c, user)
        except WorkflowError as exc:  # htmx shows the table again, with the reason above it
            return page(request, "_mapping_table.html", 409, **_context(request, c, str(exc)))
        roles = {k: dict(v) for k, v in c.roles.items()}
        roles[column].update({"role": role, "scale": scale, "reverse": form.get("omvendt") == "ja"})
        c.roles = roles
        c.settings = apply_roles(c.settings, roles, "katalog" in c.files)
        c.lock_version, c.updated_at, c.updated_by = c.lock_version + 1, now(), user.username
        audit(db, user.username, "role-changed", case_id, detail=f"{column}={role}")
        db.commit()
        case = c
    return page(request, "_mapping_table.html", **_context(request, case, notice))


@blocking
def download_case_file(request: Request, form: Any) -> Response:
    _, case = require(request, "download", request.path_params["case_id"])
    text = case_file_text(case.settings, case.files)
    return Response(text.encode("utf-8"), media_type="application/x-yaml",
                    headers={"Content-Disposition": f'attachment; filename="sag-{case.id}.yaml"'})


def _scrubbed(proposal: Any) -> Any:
    """The proposal with personal data removed from its free-text sample values (a comment
    column's samples may hold CPR numbers, phone numbers and e-mail addresses); short codes
    and labels are shown as they are."""
    samples = tuple(redact(s)[0] if " " in s or "@" in s else s for s in proposal.samples)
    return dataclasses.replace(proposal, samples=samples)
