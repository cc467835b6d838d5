"""The review round trip over HTTP: comments on a section and a figure of a version, with
answers and resolve; approval asks first while comments are open; a case under review
cannot be edited or built; approval builds the approved version as final and the case
reaches ``endelig``; an edit of the final case starts a new draft and leaves the approved
version's files as they were. Plus the migration from the first schema keeps saved cases.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.web.conftest import log_in, new_case, wait_job
from tests.web.test_app import _texts_form, _users

FULL = {"indstilling_punkter": "at orienteringen tages til efterretning.",
        "sammenhaeng": "Undersøgelsen følger kommunens politik.", "oekonomi": "Ingen.",
        "lovgrundlag": "Lov om kommunernes styrelse."}


@pytest.fixture(scope="module")
def review(app, admin):
    pw = _users(app, admin, ("sb", "sagsbehandler", "Jobcenter"), ("leder", "chef", "Jobcenter"),
                ("fremmed", "chef", "Ældreområdet"))
    with TestClient(app) as sb, TestClient(app) as chef, TestClient(app) as other:
        for c, u in ((sb, "sb"), (chef, "leder"), (other, "fremmed")):
            c.tok = log_in(c, u, pw[u])
        case_id = new_case(sb, sb.tok)
        sb.post(f"/sager/{case_id}/tekster", data=_texts_form(sb, case_id, **FULL))
        sb.post(f"/sager/{case_id}/dan", data={"csrf_token": sb.tok})
        assert wait_job(sb, case_id, 1) == "færdig"
        assert _status(sb, case_id, "send").status_code == 303
        yield case_id, sb, chef, other


def _status(client, case_id, action, **extra):
    return client.post(f"/sager/{case_id}/status", data={"csrf_token": client.tok, "handling": action, **extra},
                       follow_redirects=False)


def _comment(client, case_id, target, text, version="1", **extra):
    return client.post(f"/sager/{case_id}/kommentarer", data={"csrf_token": client.tok, "version": version,
                                                               "maal": target, "tekst": text, **extra},
                       follow_redirects=False)


def _audit(app, case_id):
    from reportgen.web.store import AuditEntry

    with app.state.sessions() as db:
        return [(a.actor, a.action, a.version, a.detail) for a in
                db.scalars(select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id))]


def _settings(app, case_id):
    from reportgen.web.store import Case

    with app.state.sessions() as db:
        c = db.get(Case, case_id)
        return c.status, c.settings


def _tree(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_comments_on_a_section_and_a_figure(app, review):
    case_id, sb, chef, other = review
    page = chef.get(f"/sager/{case_id}/forskelle").text  # one version: diffed with itself, comment form below
    assert 'option value="afsnit|indstilling"' in page and "Kommentér version 1" in page
    assert _comment(chef, case_id, "afsnit|oekonomi", "Skriv <b>beløbet</b>.", tilbage="forskelle",
                    a="1", b="1").headers["location"] == f"/sager/{case_id}/forskelle?a=1&b=1"
    assert _comment(chef, case_id, "tal|fokus|Overordnet tilfredshed|score", "Tjek tallet mod KL's rapport."
                    ).status_code == 303
    r = _comment(chef, case_id, "tal|findes|ikke", "x")
    assert r.status_code == 400 and "intet afsnit eller tal" in r.text
    assert _comment(chef, case_id, "afsnit|oekonomi", "   ").status_code == 400
    assert _comment(chef, case_id, "afsnit|oekonomi", "x", version="9").status_code == 404
    # the sagsbehandler sees the open comments on the case page, escaped, and answers one
    page = sb.get(f"/sager/{case_id}").text
    assert "Åbne kommentarer (2)" in page and "Skriv &lt;b&gt;beløbet&lt;/b&gt;." in page
    assert "Afsnit: Økonomiske konsekvenser" in page and "Tal: Norddjurs · Overordnet tilfredshed · score" in page
    first = int(re.search(r'id="kommentar-(\d+)"', page).group(1))
    r = sb.post(f"/sager/{case_id}/kommentarer", data={"csrf_token": sb.tok, "svar_til": str(first),
                                                         "tekst": "Beløbet står nu i teksten."})
    assert r.status_code == 200 and "Svar fra sb" in r.text
    # another unit: neither the list, the diff, nor adding, answering or resolving
    assert other.get(f"/sager/{case_id}/kommentarer").status_code == 404
    assert other.get(f"/sager/{case_id}/forskelle").status_code == 404
    assert _comment(other, case_id, "afsnit|oekonomi", "x").status_code == 404
    assert other.post(f"/sager/{case_id}/kommentarer/{first}/loes", data={"csrf_token": other.tok}).status_code == 404
    log = _audit(app, case_id)
    assert [(a[0], a[1], a[2]) for a in log if a[1].startswith("comment-")] == [
        ("leder", "comment-added", 1), ("leder", "comment-added", 1), ("sb", "comment-reply", 1)]


def test_under_review_nothing_can_be_edited_or_built(app, review):
    case_id, sb, chef, _ = review
    status, before = _settings(app, case_id)
    assert status == "til godkendelse"
    page = sb.get(f"/sager/{case_id}/tekster").text
    assert "sendt til godkendelse og kan ikke ændres" in page and 'disabled aria-describedby="laast"' in page
    r = sb.post(f"/sager/{case_id}/tekster", data=_texts_form(sb, case_id, **{**FULL, "oekonomi": "Ny tekst."}))
    assert r.status_code == 409 and "Træk den tilbage først" in r.text and "Ny tekst." in r.text  # text kept
    r = sb.post(f"/sager/{case_id}/kortlaegning/rolle", data={"kolonne": "koen", "rolle": "ignorer"},
                headers={"X-CSRF-Token": sb.tok})
    assert r.status_code == 409 and r.text.startswith('<div id="mapping-table">')
    assert sb.post(f"/sager/{case_id}/kortlaegning", data={"csrf_token": sb.tok, "fokus": "Syddjurs"}).status_code == 409
    r = sb.post(f"/sager/{case_id}/dan", data={"csrf_token": sb.tok})
    assert r.status_code == 409 and "sendt til godkendelse" in r.text
    assert _settings(app, case_id) == ("til godkendelse", before)


def test_approval_with_open_comments_asks_first(app, review):
    case_id, _, chef, _ = review
    r = _status(chef, case_id, "godkend")
    assert r.status_code == 200 and "2 åbne kommentarer" in r.text and "Godkend alligevel" in r.text
    assert _settings(app, case_id)[0] == "til godkendelse"
    assert _status(chef, case_id, "send_tilbage", kommentar="Se kommentarerne.").status_code == 303


def test_fix_resend_resolve_approve_final(app, review):
    from pypdf import PdfReader
    import io

    case_id, sb, chef, _ = review
    assert sb.post(f"/sager/{case_id}/tekster", data=_texts_form(sb, case_id, **{**FULL, "oekonomi": "Udgiften er 0,1 mio. kr."}),
                   follow_redirects=False).status_code == 303
    sb.post(f"/sager/{case_id}/dan", data={"csrf_token": sb.tok})
    assert wait_job(sb, case_id, 2) == "færdig"
    assert _status(sb, case_id, "send").status_code == 303
    page = chef.get(f"/sager/{case_id}/forskelle").text  # previous against latest: 1 → 2
    assert "Håndskrevne afsnit, der er ændret (1)" in page and "<ins><span class=\"sr\">[tilføjet: </span>Udgiften er 0,1" in page
    for cid in re.findall(r"/kommentarer/(\d+)/loes", chef.get(f"/sager/{case_id}/kommentarer").text):
        assert chef.post(f"/sager/{case_id}/kommentarer/{cid}/loes", data={"csrf_token": chef.tok},
                         follow_redirects=False).status_code == 303
    assert "Åbne kommentarer" not in sb.get(f"/sager/{case_id}").text
    assert _status(chef, case_id, "godkend").status_code == 303  # no open comments: no confirmation
    assert wait_job(chef, case_id, 3) == "færdig"
    page = sb.get(f"/sager/{case_id}").text
    assert '<span class="status">endelig</span>' in page and "Endelig PDF" in page
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(sb.get(f"/sager/{case_id}/versioner/3/pdf").content)).pages)
    assert "UDKAST" not in text.upper() and "Udgiften er 0,1 mio. kr." in text
    actions = [a[1] for a in _audit(app, case_id)]
    assert actions.count("comment-resolved") == 2 and actions[-1] == "status-endeliggoer"


def test_edit_of_the_final_case_starts_a_new_draft(app, review):
    case_id, sb, chef, _ = review
    versions = app.state.data / "sager" / str(case_id) / "versioner"
    frozen = {n: _tree(versions / n) for n in ("2", "3")}
    assert chef.post(f"/sager/{case_id}/tekster", data=_texts_form(chef, case_id, **FULL)).status_code == 403
    assert "den godkendte version ændres ikke" in sb.get(f"/sager/{case_id}/tekster").text
    r = sb.post(f"/sager/{case_id}/tekster", data=_texts_form(sb, case_id, **{**FULL, "oekonomi": "Efter mødet."}))
    assert r.status_code == 200 and "Version 3 er endelig og låst; ændringen laves i en ny kladde, version 4." in r.text
    status, settings = _settings(app, case_id)
    assert status == "udkast" and settings["tekster"]["oekonomi"] == "Efter mødet."
    assert {n: _tree(versions / n) for n in ("2", "3")} == frozen
    assert ("sb", "new-draft", 3) in [a[:3] for a in _audit(app, case_id)]
    sb.post(f"/sager/{case_id}/dan", data={"csrf_token": sb.tok})
    assert wait_job(sb, case_id, 4) == "færdig"
    assert "UDKAST" in sb.get(f"/sager/{case_id}/versioner/4/html").text.upper()


def test_migration_keeps_a_saved_case(tmp_path):
    """A database at revision 0001 with a saved case, a job and a version, upgraded by
    ``open_store``: every row is still there and comments can be added."""
    from alembic import command
    from alembic.config import Config
    from pathlib import Path
    import sqlalchemy as sa

    from reportgen.web import store

    url = f"sqlite:///{tmp_path / 'gammel.sqlite3'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store.__file__).with_name("migrations")))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "0001")
    engine = sa.create_engine(url)
    settings = '{"sag": {"titel": "Gemt sag", "kommune": "Norddjurs Kommune", "udvalg": "U"}, "data": {}, "tekster": {}}'
    with engine.begin() as c:
        c.execute(sa.text("INSERT INTO users (id, username, name, password_hash, role) VALUES (1, 'sb', '', 'x', 'sagsbehandler')"))
        c.execute(sa.text("INSERT INTO cases (id, owner_id, status, settings, files, roles, lock_version, updated_at, updated_by) "
                          "VALUES (1, 1, 'til godkendelse', :s, '{}', '{}', 3, '2026-01-02 03:04:05', 'sb')"), {"s": settings})
        c.execute(sa.text("INSERT INTO jobs (id, case_id, state, step, message, version, created_at, created_by) "
                          "VALUES (1, 1, 'færdig', 'færdig', '', 1, '2026-01-02 03:04:05', 'sb')"))
        c.execute(sa.text("INSERT INTO versions (id, case_id, number, job_id, formats, inputs, draft, created_at) "
                          "VALUES (1, 1, 1, 1, '[\"pdf\"]', '{\"sag.yaml\": \"abc\"}', 1, '2026-01-02 03:04:05')"))
    engine.dispose()
    sessions = store.open_store(url)
    with sessions() as db:
        case = db.get(store.Case, 1)
        assert (case.status, case.settings["sag"]["titel"], case.lock_version) == ("til godkendelse", "Gemt sag", 3)
        assert db.get(store.Job, 1).source_version is None
        v = db.get(store.Version, 1)
        assert (v.number, v.inputs, v.draft) == (1, {"sag.yaml": "abc"}, True)
        db.add(store.Comment(case_id=1, version=1, target_kind="afsnit", target="oekonomi", target_label="Økonomi",
                             body="Hej", author="sb", author_id=1))
        db.commit()
        assert [c.body for c in store.open_comments(db, 1)] == ["Hej"]
    with sa.create_engine(url).connect() as c:
        assert c.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0002"
