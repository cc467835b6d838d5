"""Sager: the list of cases the user may see, and Ny sag from an uploaded export."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from typing import Any

from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.errors import InputError
from reportgen.ingest.load import muni_key
from reportgen.web.casefiles import store_upload
from reportgen.web.mapping_state import apply_roles, initial_roles, proposals_for
from reportgen.web.store import Case, Job, User, audit, now, visible_cases
from reportgen.web.views.common import blocking, page, redirect, require
from reportgen.web.worker import case_dir


def home(request: Request) -> Response:
    return redirect("/sager")


def _waiting(db, case: Case, user: User) -> str:  # type: ignore[no-untyped-def]
    from reportgen.web.store import AuditEntry

    if case.status == "til godkendelse" and user.role == "chef":
        return message("web", "waiting_for_approval")
    if case.status == "udkast" and user.role == "sagsbehandler":
        last = db.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case.id,
                                                          AuditEntry.action.like("status-%"))
                          .order_by(AuditEntry.id.desc())).first()
        if last == "status-send_tilbage":
            return message("web", "sent_back")
    if case.status == "udkast" and case.owner_id == user.id:
        return message("web", "your_draft")
    return ""


@blocking
def case_list(request: Request, form: Any) -> Response:
    user, _ = require(request, "view-cases")
    with request.app.state.sessions() as db:
        rows = []
        for c in visible_cases(db, user):
            job = db.scalars(select(Job).where(Job.case_id == c.id).order_by(Job.id.desc())).first()
            rows.append({"id": c.id, "titel": c.settings["sag"].get("titel", ""),
                         "udvalg": c.settings["sag"].get("udvalg", ""),
                         "moededato": c.settings["sag"].get("moededato") or "", "status": c.status,
                         "updated": c.updated_at.strftime("%d.%m.%Y %H:%M"), "by": c.updated_by,
                         "waiting": _waiting(db, c, user), "job": job.state if job else ""})
    return page(request, "cases.html", cases=rows)


def _form_values(form: object) -> dict[str, str]:
    keys = ("titel", "kommune", "udvalg", "moededato", "sagsnummer")
    return {k: str(form.get(k, "")).strip() for k in keys}  # type: ignore[attr-defined]


@blocking
def new_case(request: Request, form: Any) -> Response:
    user, _ = require(request, "create-case")
    if form is None:
        return page(request, "new_case.html", values={}, errors=[])
    values = _form_values(form)
    required = (("titel", message("web", "field_titel")), ("kommune", message("web", "field_kommune")),
                ("udvalg", message("web", "field_udvalg")))
    errors = [message("web", "field_required", label=label) for key, label in required if not values[key]]
    if values["moededato"]:
        try:
            dt.date.fromisoformat(values["moededato"])
        except ValueError:
            errors.append(message("web", "bad_meeting_date", value=values["moededato"]))
    uploads: dict[str, tuple[str, bytes]] = {}
    for role in ("besvarelser", "katalog", "inviterede"):
        f = form.get(role)
        if isinstance(f, UploadFile) and f.filename:
            uploads[role] = (f.filename, f.file.read())
    if "besvarelser" not in uploads:
        errors.append(message("web", "responses_file_required"))
    if errors:
        return page(request, "new_case.html", 400, values=values, errors=errors)
    data = request.app.state.data
    staging = data / "sager" / f".ny-{secrets.token_hex(8)}"
    try:
        files = {role: store_upload(staging, role, name, body) for role, (name, body) in uploads.items()}
        proposals = proposals_for(staging, files)
    except InputError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        return page(request, "new_case.html", 400, values=values, errors=[str(p) for p in exc.problems])
    roles = initial_roles(proposals)
    focus = _focus(proposals, staging, files, values["kommune"])
    sag = {"titel": values["titel"], "kommune": values["kommune"], "udvalg": values["udvalg"], "status": "udkast"}
    if values["moededato"]:
        sag["moededato"] = values["moededato"]
    if values["sagsnummer"]:
        sag["sagsnummer"] = values["sagsnummer"]
    datasec = {role: f"uploads/{f['name']}" for role, f in files.items()}
    if focus:
        datasec["fokus"] = focus
    settings = apply_roles({"profil": "sagsfremstilling", "sag": sag, "data": datasec, "tekster": {}},
                           roles, "katalog" in files)
    with request.app.state.sessions() as db:
        case = Case(unit_id=user.unit_id, owner_id=user.id, status="udkast", settings=settings, files=files,
                    roles=roles, updated_at=now(), updated_by=user.username)
        db.add(case)
        db.flush()
        staging.rename(case_dir(data, case.id))
        audit(db, user.username, "case-created", case.id, detail=files["besvarelser"]["sha256"])
        db.commit()
        return redirect(f"/sager/{case.id}/kortlaegning")


def _focus(proposals: list, folder, files, kommune: str) -> str | None:  # type: ignore[no-untyped-def]
    from reportgen.web.mapping_state import read_export

    col = next((p.column for p in proposals if p.role == "kommune"), None)
    if col is None:
        return None
    values = [str(v) for v in read_export(folder, files).distinct(col)[1] if str(v).strip()]
    wanted = muni_key(kommune)
    return next((v for v in values if muni_key(v) == wanted), values[0] if values else None)
