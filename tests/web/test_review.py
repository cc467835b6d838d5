"""HTTP tests of the review flow: send til godkendelse, godkend / send tilbage, refusals."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.web.conftest import log_in, new_case, wait_job
from tests.web.test_app import _texts_form, _users


@pytest.fixture(scope="module")
def flow(app, admin):
    """A case of unit Jobcenter built once, with a sagsbehandler, a chef and an outsider logged in."""
    from reportgen.web.store import Case, Unit

    case_id = new_case(admin, admin.tok)
    admin.post(f"/sager/{case_id}/tekster",
               data=_texts_form(admin, case_id, indstilling_punkter="at orienteringen tages til efterretning."))
    admin.post(f"/sager/{case_id}/dan", data={"csrf_token": admin.tok})
    assert wait_job(admin, case_id, 1) == "færdig"
    pw = _users(app, admin, ("sb", "sagsbehandler", "Jobcenter"), ("leder", "chef", "Jobcenter"),
                ("fremmed", "chef", "Ældreområdet"))
    with app.state.sessions() as db:
        db.get(Case, case_id).unit_id = db.scalars(select(Unit).where(Unit.name == "Jobcenter")).one().id
        db.commit()
    with TestClient(app) as sb, TestClient(app) as chef, TestClient(app) as other:
        sb.tok, chef.tok, other.tok = (log_in(c, u, pw[u]) for c, u in ((sb, "sb"), (chef, "leder"), (other, "fremmed")))
        yield case_id, sb, chef, other


def _post(client, case_id, action, **extra):
    return client.post(f"/sager/{case_id}/status", data={"csrf_token": client.tok, "handling": action, **extra},
                       follow_redirects=False)


def _audit(app, case_id):
    from reportgen.web.store import AuditEntry

    with app.state.sessions() as db:
        return [(a.actor, a.action, a.version, a.detail) for a in
                db.scalars(select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id))]


def test_status_route_needs_login_and_csrf(app, flow):
    case_id, sb, _, _ = flow
    with TestClient(app) as anon:
        r = anon.post(f"/sager/{case_id}/status", data={"handling": "send"}, follow_redirects=False)
        assert r.status_code in (303, 403)
        assert anon.get(f"/sager/{case_id}/tjek", follow_redirects=False).status_code == 303
    r = sb.post(f"/sager/{case_id}/status", data={"handling": "send"})
    assert r.status_code == 403 and "CSRF" in r.text
    assert "Send til godkendelse" in sb.get(f"/sager/{case_id}").text


def test_lint_panel_lists_missing_texts_and_hides_other_units(flow):
    case_id, sb, _, other = flow
    html = sb.get(f"/sager/{case_id}/tjek").text
    rows = re.findall(r"<tr class=\"lint-(\w+)\"><td>\w+</td><td>(\w+)</td>", html)
    assert ("fejl", "tomt_afsnit") in rows, rows
    assert other.get(f"/sager/{case_id}/tjek").status_code == 404


def test_send_back_and_approve_go_through_workflow_and_audit(app, flow):
    from pypdf import PdfReader

    case_id, sb, chef, other = flow
    assert _post(sb, case_id, "godkend").status_code == 403           # a sagsbehandler cannot approve
    assert _post(chef, case_id, "godkend").status_code == 409         # not sent yet: the workflow refuses
    assert _post(other, case_id, "send_tilbage").status_code == 404   # another unit does not see the case
    assert _post(sb, case_id, "send").status_code == 303
    assert "Venter på din godkendelse" in chef.get("/sager").text
    assert _post(sb, case_id, "send").status_code == 409
    assert _post(chef, case_id, "send_tilbage", kommentar="Ret <b>tallene</b>").status_code == 303
    assert "Sendt tilbage til dig" in sb.get("/sager").text
    page = sb.get(f"/sager/{case_id}").text
    assert "udkast" in page and "<b>tallene" not in page
    # the chef's message is shown to the sagsbehandler on the case page, escaped
    assert 'id="h-retur">Sendt tilbage til dig</h2>' in page and "Ret &lt;b&gt;tallene&lt;/b&gt;" in page
    assert _post(sb, case_id, "send").status_code == 303
    assert 'id="h-retur"' not in sb.get(f"/sager/{case_id}").text  # sent again: no longer waiting on her
    r = _post(chef, case_id, "godkend")                               # required texts still missing
    assert r.status_code == 409 and "kan ikke godkendes" in r.text
    assert _post(chef, case_id, "send_tilbage").status_code == 303
    form = _texts_form(sb, case_id, indstilling_punkter="at orienteringen tages til efterretning.",
                       sammenhaeng="Undersøgelsen følger kommunens politik.", oekonomi="Ingen.",
                       lovgrundlag="Lov om kommunernes styrelse.")
    assert sb.post(f"/sager/{case_id}/tekster", data=form).status_code in (200, 303)
    r = _post(sb, case_id, "send")                                    # the texts changed since version 1
    assert r.status_code == 409 and "Dan dokumenterne igen" in r.text
    sb.post(f"/sager/{case_id}/dan", data={"csrf_token": sb.tok})
    assert wait_job(sb, case_id, 2) == "færdig"
    assert _post(sb, case_id, "send").status_code == 303
    r = _post(chef, case_id, "godkend")
    assert r.status_code == 303, re.sub(r"\s+", " ", r.text)[-800:]
    log = _audit(app, case_id)
    assert [a[1] for a in log if a[1].startswith("status-")] == ["status-send", "status-send_tilbage", "status-send",
                                                                "status-send_tilbage", "status-send", "status-godkend"]
    assert ("leder", "status-send_tilbage", 1, "til godkendelse → udkast: Ret <b>tallene</b>") in log
    assert ("leder", "status-godkend", 2, "til godkendelse → godkendt") in log
    # frozen: no build; the final documents of version 2 are built as version 3 without draft marks
    r = sb.post(f"/sager/{case_id}/dan", data={"csrf_token": sb.tok})
    assert r.status_code == 409 and "låst" in r.text
    state = wait_job(chef, case_id, 3)
    assert state == "færdig", chef.get(f"/sager/{case_id}").text[-3000:]
    page = sb.get(f"/sager/{case_id}").text
    assert '<span class="status">endelig</span>' in page and "Sagen er endelig." in page
    assert f'href="/sager/{case_id}/versioner/3/pdf">Endelig PDF' in page
    assert [a[1] for a in _audit(app, case_id)][-1] == "status-endeliggoer"
    pdf = chef.get(f"/sager/{case_id}/versioner/3/pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    draft = chef.get(f"/sager/{case_id}/versioner/2/pdf")
    draft_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(draft.content)).pages)
    assert "UDKAST" in draft_text.upper() and "UDKAST" not in text.upper()
    assert "at orienteringen tages til efterretning" in text
