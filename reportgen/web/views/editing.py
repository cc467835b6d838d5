"""What an edit or a build does to a case under review: asked of ``review.workflow``.

An edit (texts, case information, mapping) of a case in ``udkast`` just saves. A case sent
``til godkendelse`` is refused (the sagsbehandler withdraws it, or the chef sends it back,
first: the chef must approve what they read). An approved or final case is frozen: the
edit is saved into a new draft (the case goes back to ``udkast``, the approved version's
folder and documents stay untouched), and the user is told so. Builds are made of drafts
only; the final documents are built by the approval itself.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request

from reportgen.core.templating import message
from reportgen.review.phrases import phrase
from reportgen.review.workflow import VersionState, edit
from reportgen.web.store import Case, User, audit, latest_version


def begin_edit(db: Session, case: Case, user: User) -> str:
    """Apply what ``workflow.edit`` says to ``case`` (a row of ``db``): "" for a plain edit,
    the notice to show when a new draft was started. ``WorkflowError`` when refused."""
    latest = latest_version(db, case.id)
    state = VersionState(number=latest.number if latest else 0, status=case.status)  # type: ignore[arg-type]
    outcome = edit(state, user.role)
    if not outcome.new_version:
        return ""
    old = case.status
    case.status = outcome.version.status
    audit(db, user.username, "new-draft", case.id, state.number,
          detail=message("web", "audit_new_draft", status=old, number=state.number))
    return outcome.warnings[0] if outcome.warnings else ""


def build_refusal(case: Case) -> str:
    """Why a build of ``case`` is refused now ("" when it may be built)."""
    if case.status == "udkast":
        return ""
    if case.status == "til godkendelse":
        return phrase("web_dan_under_godkendelse")
    return phrase("web_dan_laast", status=case.status)


def edit_notice(case: Case) -> str:
    """The notice above an edit page: under review (saving refused) or frozen (a save
    starts a new draft); "" for a draft."""
    if case.status == "til godkendelse":
        return phrase("web_redigering_under_godkendelse")
    if case.status in ("godkendt", "endelig"):
        return phrase("web_redigering_ny_kladde", status=case.status)
    return ""


def flash(request: Request, message: str) -> None:
    """A notice shown once on the next page (kept in the signed session)."""
    if message:
        request.session["flash"] = message
