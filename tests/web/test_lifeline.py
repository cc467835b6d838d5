"""``lifeline.die_with``: a process ends (SIGKILL) when another process that is not its
parent ends — with a pidfd, and by looking now and then where there is none — and exits
at once when that process is already gone."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

WATCH = """
import os, sys, time
if sys.argv[2] == "poll":
    del os.pidfd_open  # as on a system without pidfds
from reportgen.web.lifeline import die_with
die_with(int(sys.argv[1]))
print("watching", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("how", ["pidfd", "poll"])
def test_a_process_dies_when_the_watched_process_ends(how):
    watched = subprocess.Popen(["sleep", "60"])
    try:
        child = subprocess.Popen([sys.executable, "-c", WATCH, str(watched.pid), how], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "watching"
        assert child.poll() is None
        watched.kill()
        watched.wait()
        assert child.wait(timeout=20) == -signal.SIGKILL
    finally:
        watched.kill()


def test_a_process_exits_at_once_when_the_watched_process_is_gone():
    gone = subprocess.Popen(["true"])
    gone.wait()  # ended and reaped: its pid names no process
    child = subprocess.run([sys.executable, "-c", WATCH, str(gone.pid), "pidfd"], capture_output=True, text=True,
                           timeout=60)
    assert child.returncode == 1 and "watching" not in child.stdout
