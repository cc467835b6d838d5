"""Child processes of the server (a build, the preview worker) end when the server dies,
even by SIGKILL, so nothing orphaned works on after a crash."""

from __future__ import annotations

import ctypes
import os
import select
import signal
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit at once if the
    parent (pid ``parent``, default: the current one) is already gone. Elsewhere a no-op."""
    parent = parent or os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)


def die_with(server: int) -> None:
    """SIGKILL this process when process ``server`` ends, though it is not the parent (a
    process forked from the fork server, ``web.forkbuild``, whose parent outlives the server
    as long as it has children): a daemon thread waits on a pidfd of ``server`` (Linux), else
    looks every half second. Exits at once if ``server`` is already gone."""
    try:
        handle: int | None = os.pidfd_open(server)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd here: look now and then
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while True:
                time.sleep(0.5)
                try:
                    os.kill(server, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    continue
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="reportgen-lifeline", daemon=True).start()
