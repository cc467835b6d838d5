"""Every permission boundary over HTTP, with the routes enumerated from the app itself
(a new route is covered without touching this file):

- no route works without login (each method of each route, a valid CSRF token sent);
- a user of another unit sees none of a case's routes (404, as if it did not exist) and
  changes nothing;
- a sagsbehandler cannot approve, send back, comment or resolve; a chef cannot edit,
  build or send; an admin has no part in the review.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from tests.web.conftest import log_in, new_case, token, wait_job
from tests.web.test_app import _texts_form, _users

PARAMS = {"fmt": "pdf"}


def _routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every route but the static files."""
    out = []
    for r in app.routes:
        if isinstance(r, Mount):
            continue
        assert isinstance(r, Route)
        out += [(m, r.path) for m in sorted(r.methods or ()) if m != "HEAD"]
    return out


def _url(path: str, case_id: int) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        return str(case_id) if name == "case_id" else PARAMS.get(name, "1")
    return re.sub(r"{(\w+)(?::\w+)?}", value, path)


def _send(client: TestClient, method: str, url: str, tok: str):
    if method == "GET":
        return client.get(url, follow_redirects=False)
    return client.post(url, data={"csrf_token": tok, "handling": "godkend", "tekst": "x", "maal": "afsnit|resume",
                                  "version": "1", "kolonne": "kommune", "rolle": "ignorer"},
                       headers={"X-CSRF-Token": tok}, follow_redirects=False)


@pytest.fixture(scope="module")
def world(app, admin):
    """A case of unit Jobcenter by its sagsbehandler, built once; users of both units."""
    pw = _users(app, admin, ("sb", "sagsbehandler", "Jobcenter"), ("leder", "chef", "Jobcenter"),
                ("fremmed", "chef", "Ældreområdet"), ("fremmed_sb", "sagsbehandler", "Ældreområdet"))
    clients = {u: TestClient(app) for u in pw}
    for u, c in clients.items():
        c.__enter__()
        c.tok = log_in(c, u, pw[u])
    sb = clients["sb"]
    case_id = new_case(sb, sb.tok)
    sb.post(f"/sager/{case_id}/tekster", data=_texts_form(sb, case_id, indstilling_punkter="at det tages til efterretning."))
    sb.post(f"/sager/{case_id}/dan", data={"csrf_token": sb.tok})
    assert wait_job(sb, case_id, 1) == "færdig"
    yield case_id, clients
    for c in clients.values():
        c.__exit__(None, None, None)


def test_routes_are_enumerated(app):
    paths = {p for _, p in _routes(app)}
    assert {"/sager/{case_id:int}/forskelle", "/sager/{case_id:int}/kommentarer",
            "/sager/{case_id:int}/kommentarer/{comment_id:int}/loes", "/sager/{case_id:int}/status"} <= paths
    assert len(_routes(app)) >= 20


def test_no_route_works_without_login(app, world):
    case_id, _ = world
    with TestClient(app) as anon:
        for method, path in _routes(app):
            if path == "/log-ind":
                continue
            url = _url(path, case_id)
            tok = token(anon.get("/log-ind").text)  # a valid token: only the login is missing (log-ud clears it)
            r = _send(anon, method, url, tok)
            expected = "/sager" if path == "/" else "/log-ind"
            assert r.status_code == 303 and r.headers["location"] == expected, (method, url, r.status_code)


def test_other_unit_sees_no_route_of_the_case(app, world):
    from reportgen.web.store import AuditEntry, Case

    case_id, clients = world
    with app.state.sessions() as db:
        before = db.get(Case, case_id).lock_version
    case_routes = [(m, p) for m, p in _routes(app) if "{case_id" in p]
    assert len(case_routes) >= 15
    for who in ("fremmed", "fremmed_sb"):
        c = clients[who]
        for method, path in case_routes:
            r = _send(c, method, _url(path, case_id), c.tok)
            assert r.status_code == 404, (who, method, path, r.status_code)
        assert "Borgerundersøgelsen 2024" not in c.get("/sager").text
    with app.state.sessions() as db:
        assert db.get(Case, case_id).lock_version == before
        actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.actor.in_(("fremmed", "fremmed_sb")))))
    assert actions == {"login"}


def _status(client, case_id, action):
    return client.post(f"/sager/{case_id}/status", data={"csrf_token": client.tok, "handling": action},
                       follow_redirects=False).status_code


def test_sagsbehandler_cannot_approve_comment_or_resolve(world):
    case_id, clients = world
    sb, chef = clients["sb"], clients["leder"]
    assert _status(sb, case_id, "send") == 303
    for action in ("godkend", "send_tilbage", "endeliggoer"):
        assert _status(sb, case_id, action) == 403, action
    r = sb.post(f"/sager/{case_id}/kommentarer", data={"csrf_token": sb.tok, "version": "1",
                                                         "maal": "afsnit|indstilling", "tekst": "Egen kommentar"})
    assert r.status_code == 403
    r = chef.post(f"/sager/{case_id}/kommentarer", data={"csrf_token": chef.tok, "version": "1",
                                                           "maal": "afsnit|indstilling", "tekst": "Ret punktet."},
                  follow_redirects=False)
    assert r.status_code == 303
    from_page = re.search(r'/kommentarer/(\d+)/loes', chef.get(f"/sager/{case_id}/kommentarer").text).group(1)
    assert sb.post(f"/sager/{case_id}/kommentarer/{from_page}/loes", data={"csrf_token": sb.tok}).status_code == 403
    assert "Markér som løst" not in sb.get(f"/sager/{case_id}/kommentarer").text
    assert "Godkend" not in re.sub(r"Godkendelse", "", sb.get(f"/sager/{case_id}").text.split("<h2>Dan")[0])
    assert sb.get("/admin").status_code == 403
    assert _status(sb, case_id, "traek_tilbage") == 303


def test_chef_cannot_edit_build_or_send(world):
    case_id, clients = world
    chef = clients["leder"]
    assert chef.post(f"/sager/{case_id}/tekster", data=_texts_form(chef, case_id, oekonomi="Chefens tekst.")
                     ).status_code == 403
    assert chef.post(f"/sager/{case_id}/dan", data={"csrf_token": chef.tok}).status_code == 403
    assert chef.post(f"/sager/{case_id}/kortlaegning/rolle", data={"kolonne": "koen", "rolle": "ignorer"},
                     headers={"X-CSRF-Token": chef.tok}).status_code == 403
    assert chef.post(f"/sager/{case_id}/kortlaegning", data={"csrf_token": chef.tok, "fokus": "Syddjurs"}
                     ).status_code == 403
    assert _status(chef, case_id, "send") == 403
    assert chef.get("/sager/ny").status_code == 403
    assert "Dan PDF og Word" not in chef.get(f"/sager/{case_id}").text


def test_admin_has_no_part_in_the_review(admin, world):
    case_id, _ = world
    assert admin.get(f"/sager/{case_id}").status_code == 200  # sees every case
    assert _status(admin, case_id, "godkend") == 403
    r = admin.post(f"/sager/{case_id}/kommentarer", data={"csrf_token": admin.tok, "version": "1",
                                                            "maal": "afsnit|indstilling", "tekst": "x"})
    assert r.status_code == 403


def test_every_form_needs_the_csrf_token(app, world):
    case_id, clients = world
    chef = clients["leder"]
    for method, path in _routes(app):
        if method != "POST":
            continue
        r = chef.post(_url(path, case_id), data={"handling": "godkend", "tekst": "x"}, follow_redirects=False)
        assert r.status_code == 403 and "CSRF" in r.text, path
