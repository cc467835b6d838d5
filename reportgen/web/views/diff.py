"""Forskelle: what changed between two versions of a case, from the snapshots the builds
wrote (``sag.indhold.json``) through ``review.diff`` — the same content ``reportgen diff``
prints. Version A and B are chosen on the page; by default the previous and the latest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from reportgen.core.templating import message
from reportgen.errors import InputError
from reportgen.review.diff import Diff, diff
from reportgen.review.phrases import phrase
from reportgen.web.store import Version, open_comments
from reportgen.web.views.common import allowed, page, require
from reportgen.web.views.versions import comment_targets, version_snapshot


def _number(value: str | None, numbers: list[int], default: int) -> int:
    try:
        n = int(value) if value else default
    except ValueError:
        return default
    return n if n in numbers else default


def choose(numbers: list[int], a: str | None, b: str | None) -> tuple[int, int]:
    """Versions A and B from the query (``?a=1&b=3``); default the previous and the latest."""
    latest = numbers[-1]
    previous = numbers[-2] if len(numbers) > 1 else latest
    return _number(a, numbers, previous), _number(b, numbers, latest)


def summary(d: Diff) -> str:
    return phrase("diff_sammendrag", tal=len(d.tal), saetninger=len(d.saetninger), tekster=len(d.haandskrevet),
                  input=len(d.input) + len(d.kortlaegning))


async def diff_page(request: Request) -> Response:
    case_id = request.path_params["case_id"]
    user, case = require(request, "view-case", case_id)
    with request.app.state.sessions() as db:
        numbers = list(db.scalars(select(Version.number).where(Version.case_id == case_id).order_by(Version.number)))
        comments = open_comments(db, case_id)
    ctx: dict[str, Any] = {"case": case, "numbers": numbers, "a": None, "b": None, "d": None, "error": "",
                           "summary": "", "targets": {}, "open_comments": comments}
    if not numbers:
        return page(request, "diff.html", **{**ctx, "error": phrase("web_ingen_versioner")})
    a, b = choose(numbers, request.query_params.get("a"), request.query_params.get("b"))
    ctx.update(a=a, b=b)
    try:
        snap_a = version_snapshot(request.app.state.data, case_id, a)
        snap_b = version_snapshot(request.app.state.data, case_id, b)
    except InputError as exc:
        return page(request, "diff.html", **{**ctx, "error": str(exc)})
    d = diff(snap_a, snap_b)
    targets = comment_targets(snap_b, d) if allowed(request, user, "comment", case) else {}
    ctx.update(d=d, summary=summary(d), targets=targets, labels=key_labels())
    return page(request, "diff.html", **ctx)


def key_labels() -> dict[str, str]:
    """A changed text's key ("oekonomi", "sag.moededato") → the name the user knows from the
    texts page ("Økonomiske konsekvenser", "Mødedato"); keys not listed are shown as they are."""
    from reportgen.web.views.texts import SAG_FIELDS, SECTIONS

    return {**dict(SECTIONS), **{f"sag.{k}": v for k, v in SAG_FIELDS},
            "indstilling": message("web", "label_indstilling"), "bilag": message("web", "label_bilag")}
