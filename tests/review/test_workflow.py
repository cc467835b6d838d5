"""The workflow rules: every action × role × status, placeholders, open comments, frozen versions."""

from __future__ import annotations

import itertools

import pytest

from reportgen.review import workflow as wf

# (action, from status, role) → to status: the whole table, written out independently of the module.
ALLOWED = {
    ("send", "udkast", "sagsbehandler"): "til godkendelse",
    ("traek_tilbage", "til godkendelse", "sagsbehandler"): "udkast",
    ("send_tilbage", "til godkendelse", "chef"): "udkast",
    ("godkend", "til godkendelse", "chef"): "godkendt",
    ("endeliggoer", "godkendt", "chef"): "endelig",
}
ALL = list(itertools.product(wf.ACTIONS, wf.STATUSES, wf.ROLES))


@pytest.mark.parametrize(("action", "status", "role"), ALL)
def test_every_transition_for_every_role(action, status, role):
    state = wf.VersionState(number=3, status=status)
    target = ALLOWED.get((action, status, role))
    assert wf.can(role, action, status) is (target is not None)
    if target is None:
        with pytest.raises(wf.WorkflowError) as e:
            wf.transition(state, action, role)
        assert str(e.value)  # a Danish message
        return
    out = wf.transition(state, action, role)
    assert out.version.status == target and out.version.number == 3 and not out.new_version


@pytest.mark.parametrize("action", ["godkend", "endeliggoer"])
def test_approval_refused_while_a_placeholder_would_remain(action):
    status = "til godkendelse" if action == "godkend" else "godkendt"
    with pytest.raises(wf.WorkflowError, match="pladsholder"):
        wf.transition(wf.VersionState(1, status, placeholders=1), action, "chef")
    assert wf.transition(wf.VersionState(1, status, placeholders=0), action, "chef").version.status in FINAL


FINAL = {"godkendt", "endelig"}


def test_open_comments_warn_but_do_not_stop_approval():
    out = wf.transition(wf.VersionState(1, "til godkendelse", open_comments=2), "godkend", "chef")
    assert out.version.status == "godkendt"
    assert len(out.warnings) == 1 and "2 åbne kommentarer" in out.warnings[0]
    assert wf.transition(wf.VersionState(1, "til godkendelse"), "godkend", "chef").warnings == ()
    # sending back with open comments is the normal case: no warning
    assert wf.transition(wf.VersionState(1, "til godkendelse", open_comments=2), "send_tilbage", "chef").warnings == ()


@pytest.mark.parametrize(("status", "role"), list(itertools.product(wf.STATUSES, wf.ROLES)))
def test_edit_for_every_status_and_role(status, role):
    state = wf.VersionState(number=2, status=status, placeholders=1)
    if role not in ("sagsbehandler", "admin") or status == "til godkendelse":  # admin sets cases up
        with pytest.raises(wf.WorkflowError):
            wf.edit(state, role)
        return
    out = wf.edit(state, role)
    if status in ("godkendt", "endelig"):  # frozen: a new draft version, the old one untouched
        assert out.new_version and out.version == wf.VersionState(3, "udkast", placeholders=1)
        assert state.status == status and out.warnings
    else:
        assert not out.new_version and out.version == state


def test_unknown_role_and_action_are_refused_in_danish():
    with pytest.raises(wf.WorkflowError, match="Ukendt rolle"):
        wf.transition(wf.VersionState(1), "send", "borger")
    with pytest.raises(wf.WorkflowError, match="Ukendt handling"):
        wf.transition(wf.VersionState(1), "slet", "chef")


def test_available_actions():
    s = wf.VersionState(1, "til godkendelse")
    assert wf.available_actions("chef", s) == ["send_tilbage", "godkend"]
    assert wf.available_actions("sagsbehandler", s) == ["traek_tilbage"]
    assert wf.available_actions("admin", s) == []
    assert wf.available_actions("chef", wf.VersionState(1, "til godkendelse", placeholders=2)) == ["send_tilbage"]
