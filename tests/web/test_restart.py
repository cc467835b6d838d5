"""The server is killed (SIGKILL, no chance to clean up) while a build runs and another
waits in the queue; at the next start both jobs show as failed with the Danish message,
the build process and the preview worker died with the server, and the finished version
is served unchanged."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reportgen.web.forkbuild import COMM
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


def _parents() -> dict[int, int]:
    """pid → parent pid of every process."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit():
                found[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return found


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, and by those, and so on (the fork server's builds too)."""
    parents = _parents()
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, parent in parents.items() if parent == p]
        found += kids
        todo += kids
    return found


def _alive(pids: list[int]) -> list[int]:
    return [p for p in pids if Path(f"/proc/{p}").exists()
            and (Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z")]


def _is_build(pid: int) -> bool:
    """A build: forked from the warm fork server (named ``forkbuild.COMM``), or ``buildjob`` as its own process."""
    try:
        comm = Path(f"/proc/{pid}/comm").read_bytes().strip()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return False
    return comm == COMM or "reportgen.web.buildjob" in cmd


def _build_processes(server: Server) -> list[int]:
    """The pids of the server's build processes."""
    return [p for p in _descendants(server.proc.pid) if _is_build(p)]


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
    while not _build_processes(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    builds = _build_processes(server)
    assert builds, "no build process to interrupt"
    assert _job_state(c, case_id, 3) == "i kø"
    c.close()
    children = _descendants(server.proc.pid)  # the build (and the fork server it came from), the preview worker
    assert len(children) >= 2 and set(builds) <= set(children), children
    server.kill()  # the server only: its children must not outlive it
    deadline = time.monotonic() + 30
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(children) == [], "a child process outlived the killed server"
    assert _alive(builds) == []

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
