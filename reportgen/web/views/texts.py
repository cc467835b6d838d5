"""Sagens oplysninger og tekster: the title block, a textarea per hand-written section
(the case file's Markdown subset), a live preview of the same document model (rendered
in the preview worker, ``web.previews``), and optimistic locking: a save based on an
older version is refused and the text kept."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.errors import InputError
from reportgen.review.workflow import WorkflowError
from reportgen.settings.case import Indstilling
from reportgen.web.store import Case, audit, now
from reportgen.web.views.common import blocking, page, redirect, require
from reportgen.web.views.editing import begin_edit, edit_notice, flash

SECTIONS = (("resume", message("web", "section_resume")),
            ("sagsfremstilling", message("web", "section_sagsfremstilling")),
            ("sammenhaeng", message("web", "section_sammenhaeng")),
            ("oekonomi", message("web", "section_oekonomi")),
            ("lovgrundlag", message("web", "section_lovgrundlag")),
            ("videre_proces", message("web", "section_videre_proces")),
            ("beslutning", message("web", "section_beslutning")))
SAG_FIELDS = (("titel", message("web", "field_titel")), ("kommune", message("web", "field_kommune")),
              ("udvalg", message("web", "field_udvalg")), ("moededato", message("web", "field_moededato")),
              ("moedested", message("web", "field_moedested")), ("sagsnummer", message("web", "field_sagsnummer")),
              ("forfatter", message("web", "field_forfatter")))


def form_settings(settings: dict[str, Any], form: Any) -> dict[str, Any]:
    """The case settings with the title block and texts from the form."""
    sag = dict(settings["sag"])
    for key, _ in SAG_FIELDS:
        value = str(form.get(key, "")).strip()
        if value:
            sag[key] = value
        else:
            sag.pop(key, None) if key not in ("titel", "kommune", "udvalg") else sag.__setitem__(key, "")
    tekster = {k: v for k, v in settings.get("tekster", {}).items() if k not in dict(SECTIONS) and k != "indstilling"}
    for key, _ in SECTIONS:
        value = str(form.get(key, "")).replace("\r\n", "\n").strip()
        if value:
            tekster[key] = value
    intro = str(form.get("indstilling_indledning", "")).strip()
    points = [ln.strip() for ln in str(form.get("indstilling_punkter", "")).splitlines() if ln.strip()]
    if intro or points:
        tekster["indstilling"] = {"indledning": intro or Indstilling().indledning, "punkter": points}
    return {**settings, "sag": sag, "tekster": tekster}


def _ctx(case: Case, settings: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    s = settings or case.settings
    ind = s.get("tekster", {}).get("indstilling") or {}
    return {"case": case, "sag": s["sag"], "tekster": s.get("tekster", {}), "sections": SECTIONS,
            "sag_fields": SAG_FIELDS, "indstilling_indledning": ind.get("indledning", ""),
            "indstilling_punkter": "\n".join(ind.get("punkter", [])), "lock_version": case.lock_version,
            "conflict": False, "errors": [], "saved": False, "notice": edit_notice(case),
            "locked": case.status == "til godkendelse", **extra}


@blocking
def texts_page(request: Request, form: Any) -> Response:
    case_id = request.path_params["case_id"]
    if form is None:
        _, case = require(request, "view-case", case_id)
        return page(request, "texts.html", **_ctx(case, saved=request.query_params.get("gemt") == "1"))
    user, case = require(request, "edit-case", case_id)
    settings = form_settings(case.settings, form)
    try:
        from reportgen.settings.case import parse_case

        parse_case(settings, "sagsfil")
    except InputError as exc:
        return page(request, "texts.html", 400, **_ctx(case, settings, errors=[str(p) for p in exc.problems]))
    with request.app.state.sessions() as db:
        c = db.get(Case, case_id)
        if str(c.lock_version) != str(form.get("lock_version", "")):
            return page(request, "texts.html", 409, **_ctx(c, settings, conflict=True,
                                                          other=c.updated_by, other_at=c.updated_at))
        if settings == c.settings:  # nothing changed: no new draft of a frozen case
            return redirect(f"/sager/{case_id}/tekster?gemt=1")
        try:
            notice = begin_edit(db, c, user)
        except WorkflowError as exc:  # sent for approval: refused, the text kept on the page
            return page(request, "texts.html", 409, **_ctx(c, settings, errors=[str(exc)]))
        c.settings = settings
        c.lock_version, c.updated_at, c.updated_by = c.lock_version + 1, now(), user.username
        audit(db, user.username, "texts-saved", case_id)
        db.commit()
    flash(request, notice)
    return redirect(f"/sager/{case_id}/tekster?gemt=1")


@blocking
def preview(request: Request, form: Any) -> Response:
    """The preview of the form's texts; the document is made in the preview worker (or
    comes from its cache) while this thread waits."""
    case_id = request.path_params["case_id"]
    _, case = require(request, "view-case", case_id)
    settings = form_settings(case.settings, form)
    html, problems = request.app.state.previews.preview(case_id, settings, case.files)
    return page(request, "_preview.html", problems=list(problems), html=html)
