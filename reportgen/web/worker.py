"""Builds as jobs in the database, run one at a time in a thread off the request path.

The thread runs each job's ``buildjob`` in a process of its own (so a build never blocks a
page and a crash stays in that process): forked from a warm process that has the pipeline
imported (``web.forkbuild``), else started afresh. It reads the build's ``TRIN`` lines into
the job's ``step``, and on success renames the output folder to ``versions/<n>`` in one
step: a version folder exists only when it is complete. The build runs at a lower CPU
priority than the pages (``nice``), and dies with the server (``web.lifeline``).

A job a server leaves unfinished — ``dannes`` or still ``i kø`` when it is stopped or
killed — is marked ``fejlet`` with ``INTERRUPTED`` (at stop if the server gets to it, else
at the next start), and its half-made folder is removed; finished versions are never
touched. Such a job is not rerun by itself: the case may have changed since it was asked
for, so the user starts a new build.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from reportgen.core.templating import message
from reportgen.core.atomic import sha256_bytes, sha256_file
from reportgen.web.store import Case, Job, Version, audit, next_version, now

INTERRUPTED = message("web", "interrupted")
UNFINISHED = ("i kø", "dannes")
BUILD_NICENESS = 10  # builds yield the CPU to the pages (REPORTGEN_BUILD_NICENESS overrides it)


def case_dir(data: Path, case_id: int) -> Path:
    return data / "sager" / str(int(case_id))


def case_yaml(case: Case) -> bytes:
    return yaml.safe_dump(case.settings, allow_unicode=True, sort_keys=False).encode("utf-8")


def final_yaml(folder: Path, number: int) -> bytes:
    """The case file version ``number`` was built from, with ``sag.status: endelig``: the
    approved version's own texts, built as final (later edits of the case do not enter)."""
    settings = yaml.safe_load((folder / "versioner" / str(int(number)) / "input" / "sag.yaml").read_bytes())
    settings["sag"] = {**settings["sag"], "status": "endelig"}
    return yaml.safe_dump(settings, allow_unicode=True, sort_keys=False).encode("utf-8")


def finalise(db: Session, case: Case, job: Job, number: int) -> None:
    """After the final build of an approved version: godkendt → endelig (``review.workflow``).
    A case edited meanwhile (a new draft) keeps its status; the final version is kept."""
    from reportgen.review.workflow import VersionState, WorkflowError, transition

    try:
        outcome = transition(VersionState(number=number, status=case.status), "endeliggoer", "chef")  # type: ignore[arg-type]
    except WorkflowError:
        return
    case.status, case.updated_at = outcome.version.status, now()
    audit(db, job.created_by, "status-endeliggoer", case.id, number,
          detail=message("web", "audit_finalised", source=job.source_version, number=number))


class Build(Protocol):
    """A running build (``ProcessBuild``, or ``forkbuild.ForkedBuild``)."""

    pid: int

    def events(self) -> Iterator[tuple[str, str]]: ...  # (stream "out"/"err", text) until it ends

    def wait(self) -> int: ...

    def poll(self) -> int | None: ...

    def terminate(self) -> None: ...


class ProcessBuild:
    """One build as its own ``python -m reportgen.web.buildjob`` process."""

    def __init__(self, argv: list[str]) -> None:
        cmd = [sys.executable, "-m", "reportgen.web.buildjob", *argv]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "REPORTGEN_SERVER_PID": str(os.getpid())}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     encoding="utf-8", env=env)
        self.pid = self.proc.pid
        self._err: list[str] = []
        self._reader = threading.Thread(target=lambda: self._err.append(self.proc.stderr.read()),  # type: ignore[union-attr]
                                        daemon=True)
        self._reader.start()

    def events(self) -> Iterator[tuple[str, str]]:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            yield "out", line
        self._reader.join(timeout=5)
        for text in self._err:
            yield "err", text

    def wait(self) -> int:
        return self.proc.wait()

    def poll(self) -> int | None:
        return self.proc.poll()

    def terminate(self) -> None:
        self.proc.terminate()


class Worker:
    def __init__(self, sessions: sessionmaker[Session], data: Path,
                 launch: Callable[[list[str]], Build] = ProcessBuild):
        """``launch(argv)`` starts a build of ``buildjob``'s arguments (the app passes one
        that forks it from the warm process, ``web.forkbuild``)."""
        self.sessions, self.data, self.launch = sessions, data, launch
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.child: Build | None = None

    def recover(self) -> int:
        """Mark the jobs a stopped or killed server left queued or running as failed
        (``INTERRUPTED``) and remove their half-made folders; return how many."""
        with self.sessions() as db:
            stale = db.scalars(select(Job).where(Job.state.in_(UNFINISHED))).all()
            for job in stale:
                job.state, job.message, job.finished_at = "fejlet", INTERRUPTED, now()
                audit(db, "system", "build-interrupted", job.case_id, detail=message("web", "audit_job", id=job.id))
            db.commit()
            cases = {job.case_id for job in stale}
        for case_id in cases:
            for work in (case_dir(self.data, case_id) / "versioner").glob(".job-*"):
                shutil.rmtree(work, ignore_errors=True)
        return len(stale)

    def start(self) -> None:
        self.stop.clear()
        self.recover()
        self.thread = threading.Thread(target=self._loop, name="reportgen-builds", daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop: the running build is ended and, with the queued ones, marked interrupted."""
        self.stop.set()
        self.wake.set()
        if self.child is not None and self.child.poll() is None:
            self.child.terminate()
        if self.thread is not None:
            self.thread.join(timeout=10)
            self.thread = None
            self.recover()

    def enqueue(self, db: Session, case: Case, user: str, source_version: int | None = None) -> Job:
        """Queue a build of the case's current settings, or (``source_version``) the final
        build of that approved version. A second request for the current settings joins
        the case's job still waiting in the queue (it reads the case when it starts)."""
        if source_version is None:
            waiting = db.scalars(select(Job).where(Job.case_id == case.id, Job.state == "i kø",
                                                   Job.source_version.is_(None))).first()
            if waiting is not None:
                audit(db, user, "build-requested", case.id, detail=message("web", "audit_job_waiting", id=waiting.id))
                db.commit()
                return waiting
        job = Job(case_id=case.id, created_by=user, source_version=source_version)
        db.add(job)
        db.flush()
        audit(db, user, "build-requested", case.id, detail=message("web", "audit_job", id=job.id))
        db.commit()
        self.wake.set()
        return job

    def _loop(self) -> None:
        while not self.stop.is_set():
            with self.sessions() as db:
                job = db.scalars(select(Job).where(Job.state == "i kø").order_by(Job.id)).first()
                job_id = job.id if job else None
            if job_id is None:
                self.wake.wait(timeout=2)
                self.wake.clear()
                continue
            try:
                self._run(job_id)
            except Exception as exc:  # noqa: BLE001 - a job fails, the worker lives on
                if self.stop.is_set():
                    return  # the server is stopping: close() marks the job interrupted
                self._finish(job_id, "fejlet", message("web", "internal_error", kind=type(exc).__name__, error=exc))

    def _run(self, job_id: int) -> None:
        with self.sessions() as db:
            job = db.get(Job, job_id)
            case = db.get(Case, job.case_id)
            job.state, job.started_at, job.step = "dannes", now(), message("web", "step_starting")
            db.commit()
            folder = case_dir(self.data, case.id)
            text = case_yaml(case) if job.source_version is None else final_yaml(folder, job.source_version)
            files = dict(case.files)
        work = folder / "versioner" / f".job-{job_id}"
        shutil.rmtree(work, ignore_errors=True)
        (work / "input").mkdir(parents=True)
        case_file = folder / f".job-{job_id}.yaml"
        case_file.write_bytes(text)
        try:
            names = {f"uploads/{f['name']}": f["original"] for f in files.values()}
            code, err = self._child(job_id, case_file, work / "output", names)
        finally:
            case_file.unlink(missing_ok=True)
        if code != 0:
            shutil.rmtree(work, ignore_errors=True)
            msg = err.strip() if code == 2 else message("web", "internal_error_code", code=code, error=err.strip()[-500:])
            if self.stop.is_set():
                msg = INTERRUPTED  # ended by close(), not by the build
            self._finish(job_id, "fejlet", msg)
            return
        (work / "input" / "sag.yaml").write_bytes(text)
        inputs = {"sag.yaml": sha256_bytes(text)}
        for role, f in files.items():
            inputs[f"{role}:{f['original']}"] = sha256_file(folder / "uploads" / f["name"])
        (work / "input" / "inputs.json").write_text(json.dumps(inputs, indent=2, ensure_ascii=False), encoding="utf-8")
        draft = (work / "draft").exists()
        with self.sessions() as db:
            number = next_version(db, db.get(Job, job_id).case_id)
            os.replace(work, folder / "versioner" / str(number))
            job = db.get(Job, job_id)
            db.add(Version(case_id=job.case_id, number=number, job_id=job_id, formats=["pdf", "docx", "html"],
                           inputs=inputs, draft=draft))
            job.state, job.version, job.finished_at, job.step = "færdig", number, now(), message("web", "step_done")
            audit(db, job.created_by, "build-finished", job.case_id, number, detail=message("web", "audit_job", id=job_id))
            if job.source_version is not None and not draft:
                finalise(db, db.get(Case, job.case_id), job, number)  # the chef's approval, finished
            db.commit()

    def _child(self, job_id: int, case_file: Path, out: Path, names: dict[str, str]) -> tuple[int, str]:
        """Run the build (``launch``): its ``TRIN`` lines become the job's step; returns its
        exit code and what it wrote on stderr."""
        argv = [str(case_file), str(out), json.dumps(names, ensure_ascii=False)]
        self.child = child = self.launch(argv)
        with contextlib.suppress(OSError, AttributeError):  # not on every platform
            os.setpriority(os.PRIO_PROCESS, child.pid, int(os.environ.get("REPORTGEN_BUILD_NICENESS", BUILD_NICENESS)))
        err_chunks: list[str] = []
        pending = ""
        for stream, text in child.events():
            if stream == "err":
                err_chunks.append(text)
                continue
            *lines, pending = (pending + text).split("\n")
            for line in lines:
                self._output_line(job_id, out, line.strip())
        if pending:
            self._output_line(job_id, out, pending.strip())
        code = child.wait()
        self.child = None
        return code, "".join(err_chunks)

    def _output_line(self, job_id: int, out: Path, line: str) -> None:
        if line.startswith("TRIN "):
            with self.sessions() as db:
                db.get(Job, job_id).step = line[5:]
                db.commit()
        elif line == "UDKAST":
            (out.parent / "draft").touch()

    def _finish(self, job_id: int, state: str, text: str) -> None:
        with self.sessions() as db:
            job = db.get(Job, job_id)
            job.state, job.message, job.finished_at = state, text, now()
            audit(db, job.created_by, "build-failed", job.case_id, detail=message("web", "audit_job", id=job_id))
            db.commit()
