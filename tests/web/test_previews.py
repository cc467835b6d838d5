"""The live preview is rendered in the preview worker process, kept by content hash, and
survives the worker being killed."""

from __future__ import annotations

import os
import signal

import pytest

from tests.web.conftest import new_case
from tests.web.test_app import _texts_form


@pytest.fixture(scope="module")
def case_id(admin) -> int:
    return new_case(admin, admin.tok)


def _preview(admin, case_id: int, text: str) -> str:
    form = _texts_form(admin, case_id, indstilling_punkter=text)
    r = admin.post(f"/sager/{case_id}/forhaandsvisning", data=form)
    assert r.status_code == 200 and "srcdoc=" in r.text, r.text[:500]
    return r.text


def _workers(app) -> set[int]:
    pool = app.state.previews.pool
    return set(pool._processes) if pool is not None else set()  # noqa: SLF001 - the pids to check and kill


def test_preview_is_rendered_in_another_process_and_kept_by_content(app, admin, case_id):
    first = _preview(admin, case_id, "at udvalget drøfter punkt 1.")
    workers = _workers(app)
    assert workers and os.getpid() not in workers
    assert "at udvalget drøfter punkt 1." in first
    app.state.previews.close()  # no worker: the same content must come from the server's cache
    assert _preview(admin, case_id, "at udvalget drøfter punkt 1.") == first
    assert app.state.previews.pool is None
    second = _preview(admin, case_id, "at udvalget drøfter punkt 2.")  # new content: a new worker
    assert "at udvalget drøfter punkt 2." in second and "punkt 1." not in second
    assert _workers(app) and not _workers(app) & workers


def test_preview_survives_a_killed_worker(app, admin, case_id):
    _preview(admin, case_id, "at udvalget drøfter punkt 3.")
    for pid in _workers(app):
        os.kill(pid, signal.SIGKILL)
    text = _preview(admin, case_id, "at udvalget drøfter punkt 4.")
    assert "at udvalget drøfter punkt 4." in text
