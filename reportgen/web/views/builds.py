"""Dan dokumenter: the case page with its numbered versions, starting a build (a job in
the database, run by the worker), its progress (polled by htmx) and the downloads: the
main document and each bilag document of a version — only files of that version's
``output`` folder, by names this module makes; never an upload or the version's inputs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from reportgen.core.templating import message
from reportgen.web.casefiles import contained
from reportgen.web.store import AuditEntry, Case, Job, Version
from starlette.concurrency import run_in_threadpool

from reportgen.web.views.common import allowed, blocking, page, redirect, require
from reportgen.web.worker import case_dir

MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "html": "text/html; charset=utf-8"}


BILAG = re.compile(r"sag-bilag-(\d+)\.(pdf|docx|html)")


def version_output(request: Request, case_id: int, number: int) -> Path:
    return contained(case_dir(request.app.state.data, case_id) / "versioner", str(int(number)), "output")


def bilag_numbers(folder: Path) -> list[int]:
    """The bilag documents a version holds (1, 2, …), from its files' names."""
    found = {int(m.group(1)) for p in folder.glob("sag-bilag-*") if (m := BILAG.fullmatch(p.name))}
    return sorted(found)


def _jobs_and_versions(request: Request, case_id: int) -> tuple[list[Job], list[Version]]:
    with request.app.state.sessions() as db:
        jobs = list(db.scalars(select(Job).where(Job.case_id == case_id).order_by(Job.id.desc()).limit(10)))
        versions = list(db.scalars(select(Version).where(Version.case_id == case_id).order_by(Version.number.desc())))
    return jobs, versions


async def case_page(request: Request, error: str = "", status_code: int = 200, confirm: str = "") -> Response:
    """The case page (also shown by the status flow with its error), made in the threadpool."""
    return await run_in_threadpool(_case_page, request, error, status_code, confirm)


def _case_page(request: Request, error: str = "", status_code: int = 200, confirm: str = "") -> Response:
    from reportgen.review.workflow import VersionState, available_actions
    from reportgen.web.views.versions import case_comments

    case_id = request.path_params["case_id"]
    user, case = require(request, "view-case", case_id)
    jobs, versions = _jobs_and_versions(request, case_id)
    active = next((j for j in jobs if j.state in ("i kø", "dannes")), None)
    actions = available_actions(user.role, VersionState(number=0, status=case.status)) if versions else []
    if active is not None:
        actions = [a for a in actions if a != "endeliggoer"]
    final = next((v for v in versions if not v.draft), None) if case.status == "endelig" else None
    bilag = {v.number: bilag_numbers(version_output(request, case_id, v.number)) for v in versions}
    returned = sent_back(request, case_id) if case.status == "udkast" else None
    return page(request, "case.html", status_code, case=case, jobs=jobs, versions=versions, error=error, bilag=bilag,
                actions=actions, active=active, confirm=confirm, final=final, returned=returned,
                can_build=allowed(request, user, "build", case),
                open_comments=case_comments(request, case_id, only_open=True))


def sent_back(request: Request, case_id: int) -> dict[str, Any] | None:
    """The chef's message when the case's last status change was a send-back (from the audit
    log, where the status flow writes it as "til godkendelse → udkast: <message>"), else None."""
    with request.app.state.sessions() as db:
        last = db.scalars(select(AuditEntry).where(AuditEntry.case_id == case_id, AuditEntry.action.like("status-%"))
                          .order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None or last.action != "status-send_tilbage":
        return None
    _, _, message = last.detail.partition(": ")
    return {"actor": last.actor, "at": last.at, "version": last.version, "message": message.strip()}


@blocking
def start_build(request: Request, form: Any) -> Response:
    from reportgen.web.views.editing import build_refusal

    case_id = request.path_params["case_id"]
    user, case = require(request, "build", case_id)
    if build_refusal(case):
        return _case_page(request, error=build_refusal(case), status_code=409)
    with request.app.state.sessions() as db:
        c = db.get(Case, case_id)
        request.app.state.worker.enqueue(db, c, user.username)
    return redirect(f"/sager/{case_id}")


@blocking
def job_status(request: Request, form: Any) -> Response:
    case_id, job_id = request.path_params["case_id"], request.path_params["job_id"]
    _, case = require(request, "view-case", case_id)
    with request.app.state.sessions() as db:
        job = db.get(Job, job_id)
        if job is None or job.case_id != case_id:
            raise HTTPException(404, message("web", "job_not_found"))
    response = page(request, "_job.html", case=case, job=job)
    if job.state in ("færdig", "fejlet"):
        response.headers["HX-Refresh"] = "true"
    return response


@blocking
def download(request: Request, form: Any) -> Response:
    """The main document of a version in one format."""
    case_id, number, fmt = (request.path_params[k] for k in ("case_id", "number", "fmt"))
    return _version_file(request, case_id, number, fmt, "sag", f"sag-{case_id}-v{number}")


@blocking
def download_bilag(request: Request, form: Any) -> Response:
    """Bilag ``n`` of a version in one format (404 when the version has no such bilag)."""
    case_id, number, n, fmt = (request.path_params[k] for k in ("case_id", "number", "bilag", "fmt"))
    return _version_file(request, case_id, number, fmt, f"sag-bilag-{int(n)}", f"sag-{case_id}-v{number}-bilag-{n}")


def _version_file(request: Request, case_id: int, number: int, fmt: str, stem: str, name: str) -> Response:
    require(request, "download", case_id)
    if fmt not in MEDIA:
        raise HTTPException(404, message("web", "unknown_format"))
    with request.app.state.sessions() as db:
        v = db.scalars(select(Version).where(Version.case_id == case_id, Version.number == number)).first()
    if v is None:
        raise HTTPException(404, message("web", "version_not_found"))
    path = contained(version_output(request, case_id, v.number), f"{stem}.{fmt}")
    if not path.is_file():
        raise HTTPException(404, message("web", "file_not_in_version"))
    disposition = "inline" if fmt == "pdf" else "attachment"
    return FileResponse(path, media_type=MEDIA[fmt],
                        headers={"Content-Disposition": f'{disposition}; filename="{name}.{fmt}"'})
