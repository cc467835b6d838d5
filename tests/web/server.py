"""``reportgen serve`` as a real process on 127.0.0.1 and a free port, for the tests that
need one (the browser test, the kill test): start, stop, kill."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

PASSWORD = "e2e-adgangskode"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data: Path):
        self.data, self.port = data, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        pwfile = self.data.parent / "admin-password"
        pwfile.write_text(PASSWORD, encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "serve", "--port", str(self.port),
                                      "--data", str(self.data), "--admin-password-file", str(pwfile)],
                                     start_new_session=True, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "the server exited at start"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def kill(self, group: bool = False) -> None:
        """SIGKILL to the server process (``group``: and everything it started), as a crash would."""
        assert self.proc is not None
        if group:
            os.killpg(self.proc.pid, signal.SIGKILL)
        else:
            self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)

    def client(self) -> tuple[httpx.Client, str]:
        """A logged-in client as admin and its CSRF token."""
        c = httpx.Client(base_url=self.url, follow_redirects=True, timeout=120)
        tok = _token(c.get("/log-ind").text)
        r = c.post("/log-ind", data={"csrf_token": tok, "brugernavn": "admin", "adgangskode": PASSWORD})
        assert r.url.path == "/sager", r.text[:500]
        return c, _token(r.text)


def _token(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)
