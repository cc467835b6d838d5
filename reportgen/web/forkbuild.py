"""Web builds forked from a warm process: the pipeline is imported once, not per build.

A build as its own ``python -m reportgen.web.buildjob`` process spends about 1,2 s of its
3–4 s importing pandas, matplotlib, WeasyPrint and reportgen before it reads a byte.
Here the worker asks a fork server (``multiprocessing``'s ``forkserver``, started on the
first build with ``PRELOAD`` imported) for each build: a fresh process per build, forked
from that warm one, so a crash or a stuck build still stays in its own process and is
ended as before (``terminate``), and the next build starts from the same clean state.

The build process runs ``buildjob.main`` with its output streams sent to the server over
a pipe, ``(stream, text)`` at a time, so the worker reads the same ``TRIN`` lines and the
same Danish problems as from the separate process. It names itself ``COMM`` (what ``ps``
shows) and dies with the server, even by SIGKILL (``lifeline.die_with``: the fork server,
its parent, lives on while it has children), and then the fork server ends too.

As with ``spawn`` (which the preview worker used before), a process started this way
imports the program's main module again, so a script that starts the app itself must do
so under ``if __name__ == "__main__":`` (``reportgen serve`` and uvicorn do).

Where the platform has no ``forkserver`` (not Linux or macOS), ``usable`` is False and the
worker starts ``buildjob`` as a process of its own. The app passes the worker its way of
starting a build (``app.create_app``), so the job queue does not depend on the pipeline.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

# What every build imports; the fork server imports it once, before the first build.
PRELOAD = ("reportgen.web.buildjob", "reportgen.api", "reportgen.ingest.sources", "reportgen.analysis.analyze",
           "reportgen.narrative.narrate", "reportgen.charts.figures", "reportgen.document.build",
           "reportgen.render.html", "reportgen.render.docx", "reportgen.render.pdf_typst", "reportgen.review.snapshot",
           "reportgen.web.previews")
COMM = b"reportgen-build"  # the build process's name in /proc/PID/comm (at most 15 bytes)
PR_SET_NAME = 15

_context: Any = None


def available() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()


def context() -> Any:
    """The fork server's multiprocessing context (``PRELOAD`` imported in it); the preview
    worker's pool uses it too."""
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))
        _context = ctx
    return _context


class _Forward(io.TextIOBase):
    """A text stream whose writes go to the server as ``(stream, text)``."""

    def __init__(self, conn: Connection, stream: str) -> None:
        self.conn, self.stream = conn, stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self.conn.send((self.stream, text))
        return len(text)


def _name_process() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_NAME, ctypes.c_char_p(COMM), 0, 0, 0)


def _build(main: Callable[[list[str]], int], argv: list[str], conn: Connection, server: int) -> None:
    """In the forked process: ``main(argv)`` (``buildjob.main``), as ``python -m
    reportgen.web.buildjob`` would run it."""
    from reportgen.web.lifeline import die_with

    die_with(server)  # the server, not the parent: the fork server outlives it while it has children
    _name_process()
    sys.stdout, sys.stderr = _Forward(conn, "out"), _Forward(conn, "err")
    try:
        code = main(argv)
    except BaseException:  # noqa: BLE001 - a bug: its traceback goes to the server, as a process's stderr would
        conn.send(("err", traceback.format_exc()))
        code = 1
    conn.close()
    sys.exit(code)


def usable() -> bool:
    """Builds fork from the fork server: it is available, and REPORTGEN_BUILD_PROCESS=1 does
    not ask for a process of their own."""
    return available() and os.environ.get("REPORTGEN_BUILD_PROCESS") != "1"


class ForkedBuild:
    """One build, ``main(argv)`` (``buildjob.main``: passed by reference, found in the warm
    process's imports), in a process forked from the warm fork server."""

    def __init__(self, main: Callable[[list[str]], int], argv: list[str]) -> None:
        ctx = context()
        self._recv, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_build, args=(main, argv, send, os.getpid()), name="reportgen-build", daemon=False)
        self.process.start()
        send.close()  # the build holds the only writing end: the pipe ends when the build does
        self.pid: int = self.process.pid

    def events(self) -> Iterator[tuple[str, str]]:
        """``(stream, text)`` as the build writes them (stream "out" or "err"), until it ends."""
        while True:
            try:
                yield self._recv.recv()
            except (EOFError, OSError):
                return

    def wait(self) -> int:
        self.process.join()
        self._recv.close()
        code = self.process.exitcode
        return 1 if code is None else code  # -N when ended by signal N, as a Popen's returncode

    def poll(self) -> int | None:
        return None if self.process.is_alive() else self.process.exitcode

    def terminate(self) -> None:
        self.process.terminate()
