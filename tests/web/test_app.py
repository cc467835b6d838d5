"""HTTP tests of the web app with Starlette's test client: login, CSRF, headers, upload,
mapping, texts with preview and locking, builds and downloads, and who sees what."""

from __future__ import annotations

import io
import re

import pytest
import yaml
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.web.conftest import DEMO, PASSWORD, log_in, new_case, token, wait_job


@pytest.fixture(scope="module")
def case_id(admin) -> int:
    return new_case(admin, admin.tok)


def _users(app, admin, *specs: tuple[str, str, str]) -> dict[str, str]:
    """Create users through the admin page; return username → one-time password."""
    out = {}
    for username, role, unit in specs:
        r = admin.post("/admin", data={"csrf_token": admin.tok, "brugernavn": username, "rolle": role, "enhed": unit})
        assert r.status_code == 200
        out[username] = re.search(r"Engangsadgangskode: ([^\s<]+)", r.text).group(1)
    return out


def test_every_page_needs_login(app, case_id):
    with TestClient(app) as anon:
        for path in ("/sager", "/sager/ny", f"/sager/{case_id}", f"/sager/{case_id}/kortlaegning",
                     f"/sager/{case_id}/tekster", f"/sager/{case_id}/sagsfil", f"/sager/{case_id}/versioner/1/pdf",
                     "/admin"):
            r = anon.get(path, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == "/log-ind", path


def test_changing_request_without_csrf_token_is_refused(admin, case_id):
    r = admin.post(f"/sager/{case_id}/dan", data={})
    assert r.status_code == 403 and "CSRF" in r.text
    r = admin.post(f"/sager/{case_id}/dan", data={"csrf_token": "forkert"})
    assert r.status_code == 403


def test_security_headers_and_cookie(app):
    with TestClient(app) as c:
        r = c.get("/log-ind")
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["x-content-type-options"] == "nosniff"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert "<script>" not in r.text  # no inline scripts: only src= files from /static


def test_wrong_password_and_rate_limit(app):
    with TestClient(app) as c:
        tok = token(c.get("/log-ind").text)
        codes = [c.post("/log-ind", data={"csrf_token": tok, "brugernavn": "ratetest", "adgangskode": "x"}).status_code
                 for _ in range(6)]
        assert codes == [401] * 5 + [429]


def test_upload_checked_by_content_and_size(admin):
    fake = ("besvarelser.csv", b"%PDF-1.7\n" + b"x" * 100)
    r = admin.post("/sager/ny", data={"csrf_token": admin.tok, "titel": "T", "kommune": "K", "udvalg": "U"},
                   files={"besvarelser": fake})
    assert r.status_code == 400 and "filen er en PDF-fil" in r.text and "besvarelser.csv" in r.text


def test_upload_too_large_is_refused(tmp_path):
    from reportgen.web.app import create_app

    app = create_app(tmp_path, admin_password=PASSWORD, start_worker=False, limit=10_000)
    with TestClient(app) as c:
        tok = log_in(c, "admin", PASSWORD)
        r = c.post("/sager/ny", data={"csrf_token": tok, "titel": "T", "kommune": "K", "udvalg": "U"},
                   files={"besvarelser": ("b.csv", (DEMO / "besvarelser.csv").read_bytes())})
        assert r.status_code == 413 and "for stor" in r.text


def test_mapping_proposal_and_role_change(admin, case_id, app):
    r = admin.get(f"/sager/{case_id}/kortlaegning")
    assert "Data kan læses med denne kortlægning" in r.text
    assert re.search(r'name="rolle" data-column="kommune">.*?<option value="kommune" selected', r.text, re.S)
    assert re.search(r'data-column="q1_1">.*?<option value="spoergsmaal" selected', r.text, re.S)
    # the respondent id is proposed as Ignorér (not a background variable), still the id
    assert re.search(r'data-column="respondent_id">(?:(?!</select>).)*<option value="ignorer" selected', r.text, re.S)
    assert "respondent-id: indgår ikke i analysen" in r.text
    kolonner = yaml.safe_load(admin.get(f"/sager/{case_id}/sagsfil").text)["data"]["kolonner"]
    assert kolonner["respondent_id"] == "respondent_id" and "respondent_id" not in kolonner.get("ekstra", {})
    r = admin.post(f"/sager/{case_id}/kortlaegning/rolle", data={"kolonne": "koen", "rolle": "ignorer"},
                   headers={"X-CSRF-Token": admin.tok})
    assert r.status_code == 200 and r.text.startswith('<div id="mapping-table">')
    case_file = yaml.safe_load(admin.get(f"/sager/{case_id}/sagsfil").text)
    assert "koen" not in case_file["data"]["kolonner"]
    assert case_file["data"]["besvarelser"] == "besvarelser.csv"  # the user's name, not the server's
    assert case_file["data"]["fokus"] == "Norddjurs"
    from reportgen.settings.case import parse_case

    parse_case(case_file)  # the CLI reads it
    admin.post(f"/sager/{case_id}/kortlaegning/rolle", data={"kolonne": "koen", "rolle": "baggrund"},
               headers={"X-CSRF-Token": admin.tok})
    assert "koen" in yaml.safe_load(admin.get(f"/sager/{case_id}/sagsfil").text)["data"]["kolonner"]


def test_mapping_problem_shown_beside_column(admin):
    text = (DEMO / "besvarelser.csv").read_text(encoding="utf-8-sig").replace(";Ved ikke;", ";Måske;", 1)
    cid = new_case(admin, admin.tok, besvarelser=("b.csv", text.encode()), katalog=("k.csv", (DEMO / "katalog.csv").read_bytes()))
    r = admin.get(f"/sager/{cid}/kortlaegning")
    assert "Måske" in r.text and 'class="has-error"' in r.text


def test_raw_data_is_never_served(admin, case_id, app):
    folder = app.state.data / "sager" / str(case_id) / "uploads"
    name = next(folder.iterdir()).name
    for path in (f"/static/../sager/{case_id}/uploads/{name}", f"/sager/{case_id}/uploads/{name}",
                 f"/static/%2e%2e/sager/{case_id}/uploads/{name}", f"/sager/{case_id}/versioner/1/..%2f..%2fuploads"):
        r = admin.get(path)
        assert r.status_code == 404, path


def _texts_form(admin, case_id, **changes) -> dict[str, str]:
    html = admin.get(f"/sager/{case_id}/tekster").text
    form = {"csrf_token": admin.tok, "lock_version": re.search(r'name="lock_version" value="(\d+)"', html).group(1),
            "titel": "Borgerundersøgelsen 2024", "kommune": "Norddjurs Kommune", "udvalg": "Arbejdsmarkedsudvalget"}
    form.update(changes)
    return form


def test_preview_shows_the_text_as_typed(admin, case_id):
    form = _texts_form(admin, case_id, indstilling_punkter="at udvalget tager resultaterne <til> efterretning.")
    r = admin.post(f"/sager/{case_id}/forhaandsvisning", data=form)
    assert r.status_code == 200 and "srcdoc=" in r.text
    assert "at udvalget tager resultaterne &amp;lt;til&amp;gt; efterretning." in r.text  # escaped twice: srcdoc
    form["oekonomi"] = "Ingen **økonomiske** konsekvenser."
    r2 = admin.post(f"/sager/{case_id}/forhaandsvisning", data=form)
    assert "&lt;strong&gt;økonomiske&lt;/strong&gt;" in r2.text


def test_preview_reports_the_case_file_message(admin, case_id):
    form = _texts_form(admin, case_id, indstilling_punkter="udvalget tager det til efterretning.")
    r = admin.post(f"/sager/{case_id}/forhaandsvisning", data=form)
    assert "hvert indstillingspunkt skal begynde med &#39;at&#39;" in r.text


def test_second_concurrent_save_is_refused_and_text_kept(admin, case_id):
    first = _texts_form(admin, case_id, oekonomi="Første udgave.")
    second = dict(first, oekonomi="Anden udgave, skrevet samtidig.")
    assert admin.post(f"/sager/{case_id}/tekster", data=first).status_code == 200
    r = admin.post(f"/sager/{case_id}/tekster", data=second)
    assert r.status_code == 409 and "blev ikke gemt" in r.text and "Anden udgave, skrevet samtidig." in r.text
    assert "Første udgave." in admin.get(f"/sager/{case_id}/tekster").text


def test_build_download_and_bad_export_keeps_versions(admin, case_id, app):
    from pypdf import PdfReader

    form = _texts_form(admin, case_id, indstilling_punkter="at orienteringen tages til efterretning.")
    admin.post(f"/sager/{case_id}/tekster", data=form)
    admin.post(f"/sager/{case_id}/dan", data={"csrf_token": admin.tok})
    assert wait_job(admin, case_id, 1) == "færdig"
    pdf = admin.get(f"/sager/{case_id}/versioner/1/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "at orienteringen tages til efterretning" in text and "Borgerundersøgelsen 2024" in text
    assert admin.get(f"/sager/{case_id}/versioner/1/docx").content[:2] == b"PK"
    _check_bilag(admin, case_id, app)
    # a mapping that cannot be built: the CLI's message, version 1 untouched
    admin.post(f"/sager/{case_id}/kortlaegning/rolle", data={"kolonne": "kommune", "rolle": "ignorer"},
               headers={"X-CSRF-Token": admin.tok})
    admin.post(f"/sager/{case_id}/dan", data={"csrf_token": admin.tok})
    assert wait_job(admin, case_id, 2) == "fejlet"
    page = admin.get(f"/sager/{case_id}").text
    assert "mislykkedes" in page and "kolonne" in page
    assert admin.get(f"/sager/{case_id}/versioner/1/pdf").content == pdf.content
    assert admin.get(f"/sager/{case_id}/versioner/2/pdf").status_code == 404
    admin.post(f"/sager/{case_id}/kortlaegning/rolle", data={"kolonne": "kommune", "rolle": "kommune"},
               headers={"X-CSRF-Token": admin.tok})


def _check_bilag(admin, case_id, app) -> None:
    """The sagsfremstilling profile's Bilag 1 is offered and served on its own (PDF, DOCX);
    nothing outside the version's output folder is reachable through its route."""
    from pypdf import PdfReader

    page = admin.get(f"/sager/{case_id}").text
    assert f'href="/sager/{case_id}/versioner/1/bilag/1/pdf"' in page
    assert f'href="/sager/{case_id}/versioner/1/bilag/1/docx"' in page
    assert "versioner/1/bilag/2/" not in page
    pdf = admin.get(f"/sager/{case_id}/versioner/1/bilag/1/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert f'filename="sag-{case_id}-v1-bilag-1.pdf"' in pdf.headers["content-disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Bilag 1" in text and "Resultater af undersøgelsen" in text
    main = admin.get(f"/sager/{case_id}/versioner/1/pdf").content
    assert pdf.content != main
    on_disk = app.state.data / "sager" / str(case_id) / "versioner" / "1" / "output" / "sag-bilag-1.pdf"
    assert pdf.content == on_disk.read_bytes()
    docx = admin.get(f"/sager/{case_id}/versioner/1/bilag/1/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    for path in ("versioner/1/bilag/2/pdf", "versioner/1/bilag/1/yaml", "versioner/1/bilag/1/csv",
                 "versioner/9/bilag/1/pdf", "versioner/1/bilag/..%2f..%2finput%2fsag/yaml",
                 "versioner/1/bilag/1/..%2f..%2f..%2fuploads", "versioner/1/bilag/x/pdf"):
        assert admin.get(f"/sager/{case_id}/{path}").status_code == 404, path


def test_other_unit_cannot_see_case(app, admin, case_id):
    from reportgen.web.store import Case, Unit

    pw = _users(app, admin, ("anna", "sagsbehandler", "Jobcenter"), ("bo", "sagsbehandler", "Ældreområdet"),
                ("chefen", "chef", "Jobcenter"))
    with app.state.sessions() as db:
        unit = db.scalars(select(Unit).where(Unit.name == "Jobcenter")).one()
        db.get(Case, case_id).unit_id = unit.id
        db.commit()
    with TestClient(app) as anna, TestClient(app) as bo, TestClient(app) as chef:
        log_in(anna, "anna", pw["anna"])
        btok = log_in(bo, "bo", pw["bo"])
        ctok = log_in(chef, "chefen", pw["chefen"])
        assert "Borgerundersøgelsen 2024" in anna.get("/sager").text
        assert anna.get(f"/sager/{case_id}/tekster").status_code == 200
        assert "Borgerundersøgelsen 2024" not in bo.get("/sager").text
        for path in (f"/sager/{case_id}", f"/sager/{case_id}/kortlaegning", f"/sager/{case_id}/sagsfil",
                     f"/sager/{case_id}/versioner/1/pdf"):
            assert bo.get(path).status_code == 404, path
        assert bo.post(f"/sager/{case_id}/dan", data={"csrf_token": btok}).status_code == 404
        assert bo.get("/admin").status_code == 403
        # a chef of the unit sees the case but may not build or edit it
        assert chef.get(f"/sager/{case_id}").status_code == 200
        assert chef.post(f"/sager/{case_id}/dan", data={"csrf_token": ctok}).status_code == 403
        assert chef.get("/sager/ny").status_code == 403


def test_interrupted_jobs_are_marked_failed(app, case_id):
    """Jobs left running or queued by a stopped server are failed with the Danish message
    at the next start; their half-made folders go, the finished versions stay."""
    from reportgen.web.store import Job, Version
    from reportgen.web.worker import INTERRUPTED, Worker

    with app.state.sessions() as db:
        running = Job(case_id=case_id, state="dannes", created_by="admin")
        queued = Job(case_id=case_id, state="i kø", created_by="admin")
        db.add_all([running, queued])
        db.commit()
        before = [(v.number, v.job_id) for v in db.scalars(select(Version))]
    half = app.state.data / "sager" / str(case_id) / "versioner" / f".job-{running.id}" / "output"
    half.mkdir(parents=True)
    (half / "sag.pdf").write_bytes(b"%PDF halv")
    assert Worker(app.state.sessions, app.state.data).recover() == 2
    with app.state.sessions() as db:
        for job in (running, queued):
            assert (db.get(Job, job.id).state, db.get(Job, job.id).message) == ("fejlet", INTERRUPTED)
        assert [(v.number, v.job_id) for v in db.scalars(select(Version))] == before
    assert INTERRUPTED == "Afbrudt da serveren stoppede – dan igen."
    assert not half.parent.exists()
    for number, _ in before:
        assert (app.state.data / "sager" / str(case_id) / "versioner" / str(number) / "output" / "sag.pdf").is_file()


def test_a_second_build_request_joins_the_waiting_job(tmp_path):
    from reportgen.web.app import create_app
    from reportgen.web.store import Job

    app = create_app(tmp_path, admin_password=PASSWORD, start_worker=False)
    with TestClient(app) as c:
        tok = log_in(c, "admin", PASSWORD)
        cid = new_case(c, tok)
        for _ in range(3):
            assert c.post(f"/sager/{cid}/dan", data={"csrf_token": tok}).status_code == 200
        with app.state.sessions() as db:
            jobs = db.scalars(select(Job).where(Job.case_id == cid)).all()
            assert [j.state for j in jobs] == ["i kø"]
            jobs[0].state = "fejlet"
            db.commit()
        c.post(f"/sager/{cid}/dan", data={"csrf_token": tok})
        with app.state.sessions() as db:
            assert [j.state for j in db.scalars(select(Job).where(Job.case_id == cid).order_by(Job.id))] == \
                ["fejlet", "i kø"]


def test_mapping_samples_never_show_personal_data(admin, case_id):
    """A comment column's sample values are scrubbed of e-mail, phone and CPR on the page."""
    import dataclasses as dc

    from reportgen.ingest.propose import ColumnProposal
    from reportgen.web.views.mapping import _scrubbed

    fields = {f.name: None for f in dc.fields(ColumnProposal)}
    p = ColumnProposal(**{**fields, "column": "kommentar", "samples": (
        "Skriv til mads.nielsen@post.eksempel.dk", "Ring på 65 24 92 89 i morgen", "010190-1234 er mit nr", "Kvinde")})
    assert _scrubbed(p).samples == ("Skriv til [e-mail fjernet]", "Ring på [telefonnr. fjernet] i morgen",
                                    "[cpr-nr. fjernet] er mit nr", "Kvinde")
    page = admin.get(f"/sager/{case_id}/kortlaegning").text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", page.replace("@htmx", ""))
    assert not re.search(r"(?<!\d)\d{2} \d{2} \d{2} \d{2}(?!\d)", page)


def test_dates_are_shown_as_danish_dates(admin):
    """The case list and the case page show the meeting date as Danish text (the ISO form
    only in <time datetime>); the date fields carry the date in Danish words beside them."""
    case_id = new_case(admin, admin.tok)  # meeting 2030-06-17; other tests' saves drop the date
    listing = admin.get("/sager").text
    assert '<time datetime="2030-06-17">17. juni 2030</time>' in listing
    assert re.sub(r'datetime="[^"]*"', "", listing).count("2030-06-17") == 0
    assert '<time datetime="2030-06-17">17. juni 2030</time>' in admin.get(f"/sager/{case_id}").text
    texts = admin.get(f"/sager/{case_id}/tekster").text
    assert re.search(r'type="date" lang="da" value="2030-06-17" aria-describedby="f-moededato-da"', texts)
    assert '<p class="hint" id="f-moededato-da" data-date-of="f-moededato">mandag den 17. juni 2030</p>' in texts


def test_audit_log_reads_in_danish(admin, case_id):
    page = admin.get("/admin").text
    log = page[page.index("Revisionslog"):]
    assert "<td>sag oprettet</td>" in log and "<td>logget ind</td>" in log
    assert "case-created" not in log
