"""Child processes of the server (a build, the preview worker) end when the server dies,
even by SIGKILL, so nothing orphaned works on after a crash."""

from __future__ import annotations

import ctypes
import os
import signal

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
