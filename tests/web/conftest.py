"""Shared fixtures for the web app's HTTP tests: one app per module, logged-in clients."""

from __future__ import annotations

import os
import re
import time
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from starlette.testclient import TestClient  # noqa: E402

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
# Builds in the tests run at the tests' own priority: on a busy two-core machine a niced
# build would wait behind the other test worker (the server's default is nice 10).
os.environ.setdefault("REPORTGEN_BUILD_NICENESS", "0")
PASSWORD = "admin-kode-123"


def token(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def log_in(client: TestClient, username: str, password: str) -> str:
    tok = token(client.get("/log-ind").text)
    r = client.post("/log-ind", data={"csrf_token": tok, "brugernavn": username, "adgangskode": password})
    assert r.status_code == 200 and r.url.path == "/sager", r.text[:500]
    return token(r.text)


def new_case(client: TestClient, tok: str, **files: tuple[str, bytes]) -> int:
    files = files or {"besvarelser": ("besvarelser.csv", (DEMO / "besvarelser.csv").read_bytes()),
                      "katalog": ("katalog.csv", (DEMO / "katalog.csv").read_bytes()),
                      "inviterede": ("inviterede.csv", (DEMO / "inviterede.csv").read_bytes())}
    r = client.post("/sager/ny", data={"csrf_token": tok, "titel": "Borgerundersøgelsen 2024",
                                       "kommune": "Norddjurs Kommune", "udvalg": "Arbejdsmarkedsudvalget",
                                       "moededato": "2030-06-17"}, files=files)
    assert r.status_code == 200 and r.url.path.endswith("/kortlaegning"), r.text[:2000]
    return int(r.url.path.split("/")[2])


def wait_job(client: TestClient, case_id: int, job_id: int, timeout: float = 900) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = client.get(f"/sager/{case_id}/job/{job_id}").text
        for state in ("færdig", "fejlet"):
            if f"<strong>{state}</strong>" in text:
                return state
        time.sleep(0.3)
    raise AssertionError("the build did not finish")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    from reportgen.web.app import create_app

    return create_app(tmp_path_factory.mktemp("webdata"), admin_password=PASSWORD)


@pytest.fixture(scope="module")
def admin(app):
    with TestClient(app) as client:
        client.tok = log_in(client, "admin", PASSWORD)  # type: ignore[attr-defined]
        yield client
