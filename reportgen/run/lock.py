"""The batch run's process guards: one run per output folder, and SIGTERM as an exception.

``output_lock`` holds an exclusive ``flock`` on ``<output>/.reportgen-batch.lock`` for the
run; ``sigterm_raises`` turns SIGTERM into ``Terminated`` so that the run stops its
workers and writes its manifest (``run.batch``).
"""

from __future__ import annotations

import fcntl
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.core.templating import message
from reportgen.errors import ReportgenError

LOCK_NAME = ".reportgen-batch.lock"


class Terminated(BaseException):
    """SIGTERM arrived (systemd stopping the service, a kill)."""


@contextmanager
def output_lock(out_root: Path) -> Iterator[None]:
    """One run at a time per output folder (a cron run overlapping a manual one).

    The lock file is removed when the run ends, and a folder the run created is removed
    again when the run wrote nothing into it (a run that could not start leaves no trace).
    The lock is retaken when another run removed the file between our open and our lock.
    """
    created = not out_root.exists()
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from reportgen.core.atomic import output_error

        raise output_error(exc, out_root) from exc
    lock = out_root / LOCK_NAME
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(fd)
            raise ReportgenError(message("run", "output_in_use", folder=out_root)) from exc
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    owner = os.getpid()
    try:
        yield
    finally:
        if os.getpid() == owner:  # never from a forked worker
            lock.unlink(missing_ok=True)
        os.close(fd)
        if created:
            try:
                out_root.rmdir()  # only when empty
            except OSError:
                pass


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into ``Terminated`` so the run stops its workers and writes its manifest."""
    def handler(signum: int, frame: object) -> None:
        raise Terminated()

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
