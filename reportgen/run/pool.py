"""Task indexes → results from forked worker processes, surviving the death of any worker.

Workers are forked from the parent, so they share what the parent loaded (the survey,
the imported libraries) copy-on-write, and a task travels as a plain index. Each worker
has its own pipe; the parent always knows which task a worker holds. A worker that dies
(a segfault, the OOM killer, ``os._exit``) costs only its own task, reported as a
``Crash``, and is replaced. ``work`` itself is expected to catch ordinary exceptions and
return them as results.

Workers die with the parent (``PR_SET_PDEATHSIG`` on Linux) and never outlive a killed
run; SIGTERM makes a worker raise ``SystemExit`` so ``finally`` blocks clean up its
temporary files. Ctrl-C is left to the parent, which stops the workers itself.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

STOP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Crash:
    """A task whose worker process died before returning a result."""

    exitcode: int | None

    @property
    def message(self) -> str:
        code = self.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return f"Arbejdsprocessen stoppede uventet (signal {name})"
        return f"Arbejdsprocessen stoppede uventet (afslutningskode {code})"


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods() and sys.platform != "win32"


def run_tasks(tasks: Sequence[int], work: Callable[[int], Any], jobs: int) -> Iterator[tuple[int, Any]]:
    """Yield ``(task, result or Crash)`` as tasks finish, ``jobs`` at a time."""
    if not tasks:
        return
    if not can_fork():  # no fork: run in this process, in order
        for t in tasks:
            yield t, work(t)
        return
    pool = _Pool(work, max(1, min(jobs, len(tasks))))
    try:
        yield from pool.run(tasks)
    finally:
        pool.stop()


class _Worker:
    def __init__(self, ctx: Any, work: Callable[[int], Any]) -> None:
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child_conn, work, os.getpid()), daemon=True)
        self.process.start()
        child_conn.close()  # only the child holds its end: EOF here means the child is gone
        self.conn: Connection = parent_conn
        self.task: int | None = None


class _Pool:
    def __init__(self, work: Callable[[int], Any], jobs: int) -> None:
        self.ctx = mp.get_context("fork")
        self.work = work
        self.workers = [_Worker(self.ctx, work) for _ in range(jobs)]

    def run(self, tasks: Sequence[int]) -> Iterator[tuple[int, Any]]:
        pending = deque(tasks)
        while pending or any(w.task is not None for w in self.workers):
            for w in self.workers:
                if w.task is None and pending:
                    w.task = pending.popleft()
                    try:
                        w.conn.send(w.task)
                    except (BrokenPipeError, OSError):
                        pass  # the worker is gone; its sentinel reports it below
            busy = [w for w in self.workers if w.task is not None]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for w in busy:
                if w.conn in ready or w.process.sentinel in ready:
                    yield from self._collect(w)

    def _collect(self, w: _Worker) -> Iterator[tuple[int, Any]]:
        task = w.task
        assert task is not None
        gone = False
        try:
            if w.conn.poll():
                done, result = w.conn.recv()
                w.task = None
                yield done, result
                return
        except (EOFError, OSError):
            gone = True  # the pipe closed: the worker is exiting
        if not gone and w.process.is_alive():
            return  # woken by a message still on its way
        w.process.join(STOP_TIMEOUT_S)
        if w.process.is_alive():
            w.process.kill()
            w.process.join()
        w.task = None
        yield task, Crash(w.process.exitcode)
        self._replace(w)

    def _replace(self, dead: _Worker) -> None:
        dead.conn.close()
        self.workers[self.workers.index(dead)] = _Worker(self.ctx, self.work)

    def stop(self) -> None:
        """Stop every worker: ask politely, then SIGTERM, then SIGKILL."""
        for w in self.workers:
            if w.task is None:
                try:
                    w.conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            elif w.process.is_alive():
                w.process.terminate()
        for w in self.workers:
            w.process.join(STOP_TIMEOUT_S)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()


def _worker_main(conn: Connection, work: Callable[[int], Any], parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = work(task)
        conn.send((task, result))


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGTERM this process when the parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def parent_alive(parent_pid: int) -> bool:
    """True while the process that started the run is still this process's parent."""
    return os.getppid() == parent_pid
