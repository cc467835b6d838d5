"""Problems with the output location are input errors: a clear message, exit 2, nothing half-written."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from reportgen.cli import main

OK = Path(__file__).resolve().parent / "bad_inputs" / "_ok" / "sag.yaml"


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("command", ["build", "validate"])
def test_out_that_is_a_file(tmp_path: Path, capsys, command: str) -> None:
    out = tmp_path / "out"
    out.write_text("x", encoding="utf-8")
    assert main([command, str(OK), "--out", str(out), "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert "Outputstien er en fil, ikke en mappe" in err and str(out) in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "x"


def test_out_under_a_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    assert main(["build", str(OK), "--out", str(tmp_path / "f" / "out"), "--format", "html"]) == 2
    assert "går gennem en fil" in capsys.readouterr().err


@pytest.mark.parametrize("code, needle", [
    (errno.ENOSPC, "ikke mere plads på disken"),
    (errno.EACCES, "Ingen adgang til at skrive"),
    (errno.EROFS, "skrivebeskyttet filsystem"),
])
def test_write_failures_are_input_errors_and_leave_nothing(tmp_path: Path, capsys, monkeypatch,
                                                           code: int, needle: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "sag.html").write_text("earlier", encoding="utf-8")
    real = os.fsync

    def failing(fd: int) -> None:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).endswith(".tmp"):
            raise OSError(code, os.strerror(code))
        real(fd)

    monkeypatch.setattr(os, "fsync", failing)
    assert main(["build", str(OK), "--out", str(out), "--format", "html,docx"]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
    assert _files(out) == ["sag.html"] and (out / "sag.html").read_text(encoding="utf-8") == "earlier"


def test_batch_out_that_is_a_file(tmp_path: Path, capsys) -> None:
    from tests.batch_helpers import make_batch_dir

    run_file = make_batch_dir(tmp_path, formats=("html",))
    (tmp_path / "out").write_text("x", encoding="utf-8")
    assert main(["batch", str(run_file), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "Outputstien er en fil" in err and "Traceback" not in err
