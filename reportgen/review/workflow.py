"""The review workflow as pure rules: (role, action, version state) → outcome or refusal.

No storage, no web: the web app asks these functions and records what they return.

Roles: ``sagsbehandler`` (writes cases), ``chef`` (reviews, comments, approves), ``admin``
(users and units; no part in a case's review). Statuses, in order: ``udkast`` →
``til godkendelse`` → ``godkendt`` → ``endelig``.

=================  ==================  ==================  ==============
action             from                to                  who
=================  ==================  ==================  ==============
send               udkast              til godkendelse     sagsbehandler
traek_tilbage      til godkendelse     udkast              sagsbehandler
send_tilbage       til godkendelse     udkast              chef
godkend            til godkendelse     godkendt            chef
endeliggoer        godkendt            endelig             chef
=================  ==================  ==================  ==============

``godkend`` and ``endeliggoer`` are refused while a placeholder would remain in the final
document; ``godkend`` warns (but is allowed) while comments are open. Editing
(``edit``) is allowed to the sagsbehandler (and the admin, who sets cases up) in ``udkast``; a version in ``til godkendelse``
must be pulled back first; an approved or final version is frozen, and an edit of it
starts a new draft version (number + 1) while the frozen one stays as it is.
Refusals raise ``WorkflowError`` with a Danish message from the phrasebook.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from reportgen.errors import ReportgenError
from reportgen.review.phrases import phrase

Role = Literal["sagsbehandler", "chef", "admin"]
Status = Literal["udkast", "til godkendelse", "godkendt", "endelig"]
Action = Literal["send", "traek_tilbage", "send_tilbage", "godkend", "endeliggoer"]

ROLES: tuple[Role, ...] = ("sagsbehandler", "chef", "admin")
STATUSES: tuple[Status, ...] = ("udkast", "til godkendelse", "godkendt", "endelig")
ACTIONS: tuple[Action, ...] = ("send", "traek_tilbage", "send_tilbage", "godkend", "endeliggoer")
FROZEN: frozenset[Status] = frozenset({"godkendt", "endelig"})

# action → (from status, to status, roles allowed)
TRANSITIONS: dict[Action, tuple[Status, Status, frozenset[Role]]] = {
    "send": ("udkast", "til godkendelse", frozenset({"sagsbehandler"})),
    "traek_tilbage": ("til godkendelse", "udkast", frozenset({"sagsbehandler"})),
    "send_tilbage": ("til godkendelse", "udkast", frozenset({"chef"})),
    "godkend": ("til godkendelse", "godkendt", frozenset({"chef"})),
    "endeliggoer": ("godkendt", "endelig", frozenset({"chef"})),
}
NEEDS_NO_PLACEHOLDERS: frozenset[Action] = frozenset({"godkend", "endeliggoer"})
WARNS_OPEN_COMMENTS: frozenset[Action] = frozenset({"godkend"})
EDITORS: frozenset[Role] = frozenset({"sagsbehandler", "admin"})


class WorkflowError(ReportgenError):
    """A refused action; the message says why, in Danish."""


@dataclass(frozen=True)
class VersionState:
    """What the rules need to know about one version of a case."""

    number: int
    status: Status = "udkast"
    placeholders: int = 0  # placeholders the final document would still contain
    open_comments: int = 0

    @property
    def frozen(self) -> bool:
        return self.status in FROZEN


@dataclass(frozen=True)
class Outcome:
    """The version after an allowed action (or edit) and the warnings to show."""

    version: VersionState
    warnings: tuple[str, ...] = ()
    new_version: bool = False


def can(role: str, action: str, status: str) -> bool:
    """True when ``role`` may take ``action`` on a version in ``status`` (ignoring placeholders)."""
    t = TRANSITIONS.get(action)  # type: ignore[call-overload]
    return t is not None and t[0] == status and role in t[2]


def available_actions(role: str, state: VersionState) -> list[Action]:
    """The actions ``role`` may take on ``state`` now, placeholders included (for buttons)."""
    out = []
    for a in ACTIONS:
        try:
            transition(state, a, role)
        except WorkflowError:
            continue
        out.append(a)
    return out


def transition(state: VersionState, action: str, role: str) -> Outcome:
    """The outcome of ``role`` taking ``action`` on ``state``; ``WorkflowError`` if refused."""
    _check_role(role)
    if action not in TRANSITIONS:
        raise WorkflowError(phrase("wf_ukendt_handling", action=action, actions=", ".join(ACTIONS)))
    source, target, roles = TRANSITIONS[action]  # type: ignore[index]
    if state.status != source:
        raise WorkflowError(phrase("wf_forkert_status", action=action, status=state.status, source=source))
    if role not in roles:
        raise WorkflowError(phrase("wf_forkert_rolle", action=action, role=role, roles=", ".join(sorted(roles))))
    if action in NEEDS_NO_PLACEHOLDERS and state.placeholders > 0:
        raise WorkflowError(phrase("wf_pladsholdere", n=state.placeholders))
    warnings = ()
    if action in WARNS_OPEN_COMMENTS and state.open_comments > 0:
        warnings = (phrase("wf_aabne_kommentarer", n=state.open_comments),)
    return Outcome(replace(state, status=target), warnings)


def edit(state: VersionState, role: str) -> Outcome:
    """What an edit by ``role`` does: the same draft, or a new draft after a frozen version."""
    _check_role(role)
    if role not in EDITORS:
        raise WorkflowError(phrase("wf_maa_ikke_redigere", role=role, roles=" og ".join(sorted(EDITORS, reverse=True))))
    if state.status == "til godkendelse":
        raise WorkflowError(phrase("wf_under_godkendelse"))
    if state.frozen:
        return Outcome(VersionState(number=state.number + 1, status="udkast", placeholders=state.placeholders),
                       (phrase("wf_ny_version", old=state.number, new=state.number + 1, status=state.status),),
                       new_version=True)
    return Outcome(state)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise WorkflowError(phrase("wf_ukendt_rolle", role=role, roles=", ".join(ROLES)))
