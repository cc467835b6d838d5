"""The live preview, rendered off the server process: the HTML of the same document model
for the texts as typed, made in a pre-warmed worker process (a ``ProcessPoolExecutor``
forked from the builds' warm fork server, ``web.forkbuild``, so it starts with the pipeline
imported; else started with ``spawn``), so the document work never holds the pages'
interpreter lock.

The worker keeps each case's analysis and figures (they depend on the data and mapping,
not on the texts) and rebuilds only the document and its HTML. The server keeps the
finished previews by a hash of their content (the case's settings and its uploads'
hashes), and two requests for the same content share one rendering. A worker that dies is
replaced on the next request.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from reportgen.web import forkbuild

Preview = tuple[str, tuple[str, ...]]  # (html, problems): one of them is empty
KEEP = 64  # finished previews kept in the server


def render(data: Path, case_id: int, settings: dict[str, Any]) -> Preview:
    """In the worker: the preview of ``settings`` (or the case file's Danish problems)."""
    from reportgen.errors import InputError

    try:
        return _html(data, case_id, settings), ()
    except InputError as exc:
        return "", tuple(str(p) for p in exc.problems)


_reports: OrderedDict[str, Any] = OrderedDict()  # in the worker: analysis per data/mapping
_profiles: dict[tuple[str, str], Any] = {}


def _data_key(case_id: int, settings: dict[str, Any]) -> str:
    rest = {k: v for k, v in settings.items() if k not in ("tekster", "sag")}
    rest["kommune"] = settings["sag"].get("kommune")
    return f"{case_id}:" + hashlib.sha256(json.dumps(rest, sort_keys=True, default=str).encode()).hexdigest()


def _html(data: Path, case_id: int, settings: dict[str, Any]) -> str:
    from reportgen.api import build, created_at
    from reportgen.document.build import build_document
    from reportgen.document.profile import load_profile
    from reportgen.render.html import render_html
    from reportgen.settings.case import parse_case
    from reportgen.web.worker import case_dir

    folder = case_dir(data, case_id)
    case = parse_case(settings, "sagsfil")
    key = _data_key(case_id, settings)
    report = _reports.get(key)
    if report is None:
        report = _reports[key] = build(folder / "sag.yaml", case=case)
        while len(_reports) > 8:
            _reports.popitem(last=False)
    profile = _profiles.get((case.profil, str(folder)))
    if profile is None:  # the bundled profile files do not change while the server runs
        profile = _profiles[(case.profil, str(folder))] = load_profile(case.profil, folder)
    doc = build_document(case, report.results, report.findings, report.summary, report.figures, profile,
                         created_at(case))
    return render_html(doc, brand=report.brand)


def _start(server: int) -> None:
    """The worker's initializer: end with the server (pid ``server``; the parent is the
    fork server, or the server itself with spawn), then warm up."""
    from reportgen.web.lifeline import die_with

    die_with(server)
    _warm()


def _warm() -> None:
    """Import the pipeline in the worker before the first preview is asked for."""
    import reportgen.api  # noqa: F401
    import reportgen.render.html  # noqa: F401


def content_key(case_id: int, settings: dict[str, Any], files: dict[str, Any]) -> str:
    """The hash a preview is kept under: everything it is made from."""
    parts = [case_id, settings, {role: f.get("sha256") for role, f in files.items()}]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _processes() -> int:
    return max(1, min(2, (os.cpu_count() or 2) - 1))  # leave a core for the pages and a build


class Previews:
    def __init__(self, data: Path, processes: int | None = None):
        self.data, self.processes = data, processes or _processes()
        self.pool: ProcessPoolExecutor | None = None
        self.done: OrderedDict[str, Preview] = OrderedDict()
        self.pending: dict[str, Future[Preview]] = {}
        self.lock = threading.RLock()  # a done callback may run in the submitting thread

    def start(self) -> None:
        """Start the worker(s) and warm them (imports) without waiting."""
        with self.lock:
            if self.pool is None:
                context = forkbuild.context() if forkbuild.available() else multiprocessing.get_context("spawn")
                self.pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_start,
                                                initargs=(os.getpid(),))
                self.pool.submit(_warm)

    def close(self) -> None:
        with self.lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def preview(self, case_id: int, settings: dict[str, Any], files: dict[str, Any]) -> Preview:
        """The preview of ``settings``: kept, or made in the worker (this thread waits)."""
        key = content_key(case_id, settings, files)
        with self.lock:
            if key in self.done:
                self.done.move_to_end(key)
                return self.done[key]
        try:
            result = self._submit(key, case_id, settings).result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): a new one, once
            self._forget(key, broken=True)
            result = self._submit(key, case_id, settings).result()
        with self.lock:
            self.done[key] = result
            while len(self.done) > KEEP:
                self.done.popitem(last=False)
        return result

    def _submit(self, key: str, case_id: int, settings: dict[str, Any]) -> Future[Preview]:
        self.start()
        with self.lock:
            future = self.pending.get(key)
            if future is None:
                assert self.pool is not None
                future = self.pending[key] = self.pool.submit(render, self.data, case_id, settings)
                future.add_done_callback(lambda f, k=key: self._forget(k, future=f))
        return future

    def _forget(self, key: str, future: Future[Preview] | None = None, broken: bool = False) -> None:
        with self.lock:
            if future is None or self.pending.get(key) is future:
                self.pending.pop(key, None)
            if broken and self.pool is not None:
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = None
