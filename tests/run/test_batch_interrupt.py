"""An interrupted batch (SIGKILL, SIGTERM) never leaves half-written files, never replaces
an earlier good file with a bad one, and leaves no temporary files among the outputs."""

from __future__ import annotations

import io
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from reportgen.cli import main
from tests.batch_helpers import edit_run_file, hidden_files, make_batch_dir, manifest, outputs
from tests.conftest import ROOT


def _start(run_file: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "reportgen.cli", "batch", str(run_file), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg"})


def _wait_for_first_item(proc: subprocess.Popen[str], timeout: float = 600.0) -> list[str]:
    """Read the log until the first report is done (the run is then surely mid-way)."""
    assert proc.stderr is not None
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if "[1/" in line:
            return lines
    pytest.fail("the run logged no finished report:\n" + "".join(lines))


def _complete(name: str, data: bytes) -> bool:
    if name.endswith(".html"):
        return data.rstrip().endswith(b"</html>")
    if name.endswith(".pdf"):
        return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    if name.endswith(".json"):  # the snapshot (reportgen.review.snapshot)
        return data.rstrip().endswith(b"}")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.testzip() is None and "word/document.xml" in z.namelist()


def _wait_until_unlocked(out: Path, timeout: float = 300.0) -> None:
    """The killed run's workers hold its lock until they are gone (they die with the parent)."""
    import fcntl

    deadline = time.monotonic() + timeout
    with open(out / ".reportgen-batch.lock", "a") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fh, fcntl.LOCK_UN)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail("the killed run's workers are still alive")
                time.sleep(0.05)


def _no_temp_files(out: Path, wait: float = 10.0) -> list[str]:
    deadline = time.monotonic() + wait
    while hidden_files(out) and time.monotonic() < deadline:
        time.sleep(0.1)  # the workers are told (PR_SET_PDEATHSIG) and clean up
    return hidden_files(out)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("earlier")
    run_file = make_batch_dir(folder, formats=("pdf", "docx", "html"), kommuner=["Norddjurs", "Syddjurs"])
    assert main(["batch", str(run_file), "--jobs", "2"]) == 0
    return folder


@pytest.fixture()
def earlier_run(built_once: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    shutil.copytree(built_once, tmp_path / "run")
    run_file = tmp_path / "run" / "koersel.yaml"
    before = outputs(tmp_path / "run" / "out")
    assert len(before) == 28  # 2 municipalities × 2 quarters × (3 formats × (main + bilag) + the snapshot)
    # The next run builds different documents, so a replaced file would show.
    edit_run_file(run_file, sag__titel="Ny titel for {kommune}, {periode}")
    return run_file, before


def test_sigkill_mid_run_leaves_earlier_outputs_intact(earlier_run):
    run_file, before = earlier_run
    out = run_file.parent / "out"
    old_manifest = (out / "manifest.json").read_bytes()
    proc = _start(run_file, "--jobs", "1")
    _wait_for_first_item(proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=300)
    assert proc.returncode == -signal.SIGKILL
    _wait_until_unlocked(out)
    assert _no_temp_files(out) == []
    after = outputs(out)
    assert sorted(after) == sorted(before)  # no file lost, no stray file
    unchanged = [n for n in after if after[n] == before[n]]
    assert unchanged, "the run was killed before it could have rebuilt everything"
    for name, data in after.items():
        assert _complete(name, data), name  # every file is whole: old, or new and complete
    assert (out / "manifest.json").read_bytes() == old_manifest  # the manifest too is intact
    # The next run repairs everything: all items are built with the new title.
    assert main(["batch", str(run_file), "--jobs", "2"]) == 0
    assert all(e["status"] in ("dannet", "uaendret") for e in manifest(out)["elementer"])
    assert "Ny titel for Norddjurs" in (out / "2024K1/Norddjurs/sagsfremstilling.html").read_text(encoding="utf-8")


def test_sigterm_stops_cleanly_with_exit_143_and_a_manifest(earlier_run):
    run_file, before = earlier_run
    out = run_file.parent / "out"
    proc = _start(run_file, "--jobs", "1")
    _wait_for_first_item(proc)
    proc.send_signal(signal.SIGTERM)
    # Upper bounds, not waits: on a loaded machine (the suite runs on every core, other
    # work beside it) the item in flight may take a minute or more to finish after SIGTERM.
    stdout, _ = proc.communicate(timeout=600)
    assert proc.returncode == 143
    _wait_until_unlocked(out)
    assert "Kørsel afbrudt" in stdout and "Afslutningskode 143" in stdout
    assert _no_temp_files(out, wait=0) == []
    m = manifest(out)
    assert m["status"] == "afbrudt" and m["exitkode"] == 143 and m["plan"] == []
    done = [e["id"] for e in m["elementer"] if e["status"] == "dannet"]
    assert 1 <= len(done) < 4
    after = outputs(out)
    for name, data in after.items():
        assert _complete(name, data), name
        item = name.rsplit("/", 1)[0]
        if item not in done:
            assert data == before[name]  # not rebuilt: the earlier file, untouched
    # The next run builds only what the interrupted one did not finish.
    assert main(["batch", str(run_file), "--jobs", "2"]) == 0
    m2 = manifest(out)
    rebuilt = sorted(e["id"] for e in m2["elementer"] if e["status"] == "dannet")
    assert sorted(set(rebuilt) | set(done)) == sorted(e["id"] for e in m2["elementer"])
    assert not set(rebuilt) & set(done)
