"""The server is killed (SIGKILL, no chance to clean up) while a build runs and another
waits in the queue; at the next start both jobs show as failed with the Danish message,
the build process and the preview worker died with the server, and the finished version
is served unchanged."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.web.conftest import DEMO
from tests.web.server import Server


def _job_state(client, case_id: int, job_id: int) -> str:
    text = client.get(f"/sager/{case_id}/job/{job_id}").text
    return next((s for s in ("i kø", "dannes", "færdig", "fejlet") if f"<strong>{s}</strong>" in text), "?")


def _wait(client, case_id: int, job_id: int, states: tuple[str, ...], timeout: float = 600) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _job_state(client, case_id, job_id)
        if state in states:
            return state
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} never reached {states}")


def _children(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _alive(pids: list[int]) -> list[int]:
    return [p for p in pids if Path(f"/proc/{p}").exists()
            and (Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z")]


def _build_processes(data: Path) -> list[int]:
    """The pids of build processes working on a case file under ``data``."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if "reportgen.web.buildjob" in cmd and str(data) in cmd:
                found.append(int(proc.name))
    return found


@pytest.fixture()
def server(tmp_path):
    s = Server(tmp_path / "data")
    s.start()
    yield s
    s.stop()


def test_killed_server_fails_unfinished_jobs_and_keeps_versions(server):
    c, tok = server.client()
    files = {n: (f"{n}.csv", (DEMO / f"{n}.csv").read_bytes()) for n in ("besvarelser", "katalog", "inviterede")}
    r = c.post("/sager/ny", data={"csrf_token": tok, "titel": "Genstart", "kommune": "Norddjurs Kommune",
                                  "udvalg": "Arbejdsmarkedsudvalget"}, files=files)
    case_id = int(r.url.path.split("/")[2])
    c.post(f"/sager/{case_id}/dan", data={"csrf_token": tok})
    assert _wait(c, case_id, 1, ("færdig", "fejlet")) == "færdig"
    first = c.get(f"/sager/{case_id}/versioner/1/pdf").content
    assert first[:5] == b"%PDF-"

    c.post(f"/sager/{case_id}/dan", data={"csrf_token": tok})  # job 2: runs
    _wait(c, case_id, 2, ("dannes",))
    c.post(f"/sager/{case_id}/dan", data={"csrf_token": tok})  # job 3: waits behind it
    deadline = time.monotonic() + 60
    while not _build_processes(server.data) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _build_processes(server.data), "no build process to interrupt"
    assert _job_state(c, case_id, 3) == "i kø"
    c.close()
    children = _children(server.proc.pid)  # the build and the preview worker
    assert len(children) >= 2, children
    server.kill()  # the server only: its children must not outlive it
    deadline = time.monotonic() + 30
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(children) == [], "a child process outlived the killed server"
    assert _build_processes(server.data) == []

    server.start()
    c, tok = server.client()
    for job in (2, 3):
        assert _job_state(c, case_id, job) == "fejlet"
    page = c.get(f"/sager/{case_id}").text
    assert "Afbrudt da serveren stoppede – dan igen." in page
    assert c.get(f"/sager/{case_id}/versioner/1/pdf").content == first
    assert c.get(f"/sager/{case_id}/versioner/2/pdf").status_code == 404
    versions = server.data / "sager" / str(case_id) / "versioner"
    assert sorted(p.name for p in versions.iterdir()) == ["1"]  # no half-made job folder left
    c.close()
