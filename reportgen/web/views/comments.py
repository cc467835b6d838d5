"""Kommentarer: a reviewer's comments on a section or a figure of a version, the answers
to them, and resolving them.

A chef comments and resolves (``comment``); the sagsbehandler and the chef answer
(``reply``); everyone who sees the case reads them. What a comment concerns is checked
against the version's snapshot (a section key or a figure key it holds) and named as the
document does. Every comment, answer and resolve is written to the audit log with its
version. Open comments show on the case page and make approval ask for a confirmation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.errors import InputError
from reportgen.review.phrases import phrase
from reportgen.web.store import Comment, Version, audit, now
from reportgen.web.views.common import allowed, page, redirect, require
from reportgen.web.views.versions import case_comments, comment_targets, version_snapshot

MAX_BODY = 5000
BACK = {"forskelle": "forskelle", "kommentarer": "kommentarer", "sag": ""}


def target_label(data: Any, case_id: int, version: int, target: str) -> tuple[str, str, str]:
    """``(kind, key, label)`` of ``target`` ("afsnit|<key>" or "tal|<key>") in the
    snapshot of ``version``; ``InputError`` when the version holds no such thing."""
    kind, _, key = target.partition("|")
    snap = version_snapshot(data, case_id, version)
    if kind == "afsnit":
        label = next((s.overskrift for s in snap.afsnit if s.noegle == key), None)
    elif kind == "tal":
        label = next((f.label for f in snap.tal if f.noegle == key), None)
    else:
        label = None
    if label is None:
        raise InputError(phrase("web_kommentar_maal", maal=key or target, version=version))
    return kind, key, label


async def comments_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    case_id = request.path_params["case_id"]
    user, case = require(request, "view-case", case_id)
    with request.app.state.sessions() as db:
        latest = db.scalars(select(Version.number).where(Version.case_id == case_id)
                            .order_by(Version.number.desc())).first()
    targets: dict[str, list[tuple[str, str]]] = {}
    if latest is not None and allowed(request, user, "comment", case):
        try:
            targets = comment_targets(version_snapshot(request.app.state.data, case_id, latest), None)
        except InputError:
            targets = {}
    return page(request, "comments.html", status_code, case=case, threads=case_comments(request, case_id),
                latest=latest, targets=targets, error=error, can_comment=allowed(request, user, "comment", case),
                can_reply=allowed(request, user, "reply", case))


async def add_comment(request: Request) -> Response:
    """A new comment (chef) or an answer to one (``svar_til``; chef or sagsbehandler)."""
    case_id = request.path_params["case_id"]
    form = await request.form()
    parent_id = str(form.get("svar_til", "")).strip()
    user, case = require(request, "reply" if parent_id else "comment", case_id)
    body = str(form.get("tekst", "")).replace("\r\n", "\n").strip()
    back = BACK.get(str(form.get("tilbage", "kommentarer")), "kommentarer")
    if not body or len(body) > MAX_BODY:
        msg = phrase("web_kommentar_tom") if not body else phrase("web_kommentar_lang", n=len(body))
        return await comments_page(request, error=msg, status_code=400)
    with request.app.state.sessions() as db:
        if parent_id:
            parent = db.get(Comment, int(parent_id)) if parent_id.isdigit() else None
            if parent is None or parent.case_id != case_id or parent.parent_id is not None:
                raise HTTPException(404, phrase("web_kommentar_findes_ikke"))
            kind, key, label, version = parent.target_kind, parent.target, parent.target_label, parent.version
        else:
            version = _version(db, case_id, str(form.get("version", "")))
            try:
                kind, key, label = target_label(request.app.state.data, case_id, version, str(form.get("maal", "")))
            except InputError as exc:
                return await comments_page(request, error=str(exc), status_code=400)
        c = Comment(case_id=case_id, version=version, target_kind=kind, target=key, target_label=label, body=body,
                    author=user.username, author_id=user.id, parent_id=int(parent_id) if parent_id else None)
        db.add(c)
        db.flush()
        audit(db, user.username, "comment-reply" if parent_id else "comment-added", case_id, version,
              detail=message("web", "audit_comment", id=c.parent_id or c.id, label=label))
        db.commit()
    a, b = str(form.get("a", "")), str(form.get("b", ""))
    query = f"?a={a}&b={b}" if back == "forskelle" and a.isdigit() and b.isdigit() else ""
    return redirect(f"/sager/{case_id}/{back}{query}".rstrip("/"))


def _version(db: Any, case_id: int, value: str) -> int:
    numbers = set(db.scalars(select(Version.number).where(Version.case_id == case_id)))
    if not value.isdigit() or int(value) not in numbers:
        raise HTTPException(404, phrase("web_version_findes_ikke"))
    return int(value)


async def resolve_comment(request: Request) -> Response:
    case_id, comment_id = request.path_params["case_id"], request.path_params["comment_id"]
    user, case = require(request, "comment", case_id)
    with request.app.state.sessions() as db:
        c = db.get(Comment, comment_id)
        if c is None or c.case_id != case_id or c.parent_id is not None:
            raise HTTPException(404, phrase("web_kommentar_findes_ikke"))
        if c.resolved_at is None:
            c.resolved_at, c.resolved_by = now(), user.username
            audit(db, user.username, "comment-resolved", case_id, c.version, detail=message("web", "audit_comment", id=c.id, label=c.target_label))
            db.commit()
    return redirect(f"/sager/{case_id}/kommentarer")
