"""The store on a real PostgreSQL (``REPORTGEN_TEST_PG_URL``, set by .ci/run when it could
start Debian's server): migrations, a case through the pages, and a second start that
migrates again without losing it."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, select, text
from starlette.testclient import TestClient

from tests.web.conftest import PASSWORD, log_in, new_case

URL = os.environ.get("REPORTGEN_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not URL, reason="no PostgreSQL server: REPORTGEN_TEST_PG_URL is not set "
                                "(.ci/run starts Debian's PostgreSQL when root)")


@pytest.fixture()
def pg_url():
    name = f"reportgen_{uuid.uuid4().hex[:8]}"
    admin = create_engine(URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_case_survives_a_restart_on_postgresql(tmp_path, pg_url):
    from reportgen.web.app import create_app
    from reportgen.web.store import AuditEntry, Case

    app = create_app(tmp_path, pg_url, admin_password=PASSWORD, start_worker=False)
    with TestClient(app) as c:
        tok = log_in(c, "admin", PASSWORD)
        cid = new_case(c, tok)
    again = create_app(tmp_path, pg_url, admin_password=PASSWORD, start_worker=False)  # migrates again
    with again.state.sessions() as db:
        case = db.get(Case, cid)
        assert case.settings["data"]["fokus"] == "Norddjurs" and case.roles["q1_1"]["role"] == "spoergsmaal"
        assert [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))][-1] == "case-created"
    with TestClient(again) as c:
        log_in(c, "admin", PASSWORD)
        assert "Borgerundersøgelsen 2024" in c.get("/sager").text
