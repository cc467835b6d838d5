"""Web builds forked from the warm fork server (``reportgen.web.forkbuild``) behave as the
separate ``buildjob`` process does: the same steps, files, Danish problems and exit codes,
a bug's traceback on stderr, and a build that can be ended."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from reportgen.web import buildjob, forkbuild
from reportgen.web.worker import ProcessBuild
from tests.web.conftest import DEMO

pytestmark = pytest.mark.skipif(not forkbuild.available(), reason="no forkserver start method here")


def _case(folder: Path, **changes: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("besvarelser.csv", "katalog.csv", "inviterede.csv"):
        shutil.copy(DEMO / name, folder / name)
    text = (DEMO / "sag.yaml").read_text(encoding="utf-8")
    for old, new in changes.items():
        text = text.replace(old, new)
    (folder / "sag.yaml").write_text(text, encoding="utf-8")
    return folder / "sag.yaml"


def _run(build) -> tuple[int, str, str]:
    out, err = [], []
    for stream, text in build.events():
        (out if stream == "out" else err).append(text)
    return build.wait(), "".join(out), "".join(err)


def test_forked_build_gives_the_files_and_steps_a_separate_process_gives(tmp_path):
    case = _case(tmp_path / "sag")
    names = json.dumps({"besvarelser.csv": "svar.csv"})
    forked = _run(forkbuild.ForkedBuild(buildjob.main, [str(case), str(tmp_path / "a"), names]))
    separate = _run(ProcessBuild([str(case), str(tmp_path / "b"), names]))
    assert forked[0] == separate[0] == 0, (forked[2], separate[2])
    assert forked[1] == separate[1]  # the same TRIN lines in the same order, then UDKAST/ENDELIG
    lines = forked[1].splitlines()
    assert lines[0].startswith("TRIN ") and lines[-1] in ("UDKAST", "ENDELIG"), lines
    assert len([line for line in lines if line.startswith("TRIN ")]) >= 5
    a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert a == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert {"sag.pdf", "sag.docx", "sag.html", "sag.indhold.json"} <= set(a), a
    for name in a:  # byte for byte: the warm process leaves nothing behind that changes a build
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_bad_input_exits_2_with_the_danish_problem_on_stderr(tmp_path):
    case = _case(tmp_path / "sag", **{"besvarelser.csv": "findes-ikke.csv"})
    code, out, err = _run(forkbuild.ForkedBuild(buildjob.main, [str(case), str(tmp_path / "ud")]))
    assert code == 2
    assert "findes-ikke.csv" in err and "Traceback" not in err, err
    assert not (tmp_path / "ud").exists()  # nothing half-written


def test_a_bug_exits_1_with_its_traceback_on_stderr(tmp_path):
    case = _case(tmp_path / "sag")
    # the names of the uploads as a list, not a mapping: the server never sends that, so it is a bug
    code, _, err = _run(forkbuild.ForkedBuild(buildjob.main, [str(case), str(tmp_path / "ud"), "[1, 2]"]))
    assert code == 1
    assert "Traceback" in err and "AttributeError" in err, err
    assert not (tmp_path / "ud").exists()


def test_a_running_build_is_named_and_can_be_ended(tmp_path):
    case = _case(tmp_path / "sag")
    build = forkbuild.ForkedBuild(buildjob.main, [str(case), str(tmp_path / "ud")])
    events = build.events()
    assert next(events)[0] == "out"  # the first step: the build is running
    deadline = time.monotonic() + 10
    comm = b""
    while time.monotonic() < deadline and comm != forkbuild.COMM:
        comm = Path(f"/proc/{build.pid}/comm").read_bytes().strip()
    assert comm == forkbuild.COMM
    assert build.poll() is None
    build.terminate()
    list(events)
    assert build.wait() == -15  # SIGTERM, as a Popen's returncode says it
    assert not (tmp_path / "ud").exists()
