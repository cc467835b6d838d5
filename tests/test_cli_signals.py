"""SIGINT and SIGTERM during ``reportgen build`` leave no partial and no temporary file."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from reportgen.cli import main

OK = Path(__file__).resolve().parent / "bad_inputs" / "_ok" / "sag.yaml"


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_while_writing(tmp_path: Path, monkeypatch, capsys, sig: int, code: int) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "sag.html").write_text("earlier", encoding="utf-8")
    real = os.fsync
    sent = []

    def fsync_then_signal(fd: int) -> None:
        real(fd)
        if not sent:  # the first temporary file is complete, the second not yet written
            sent.append(sig)
            os.kill(os.getpid(), sig)

    monkeypatch.setattr(os, "fsync", fsync_then_signal)
    # A command-line process starts with Python's own Ctrl-C handler. An xdist worker that
    # ran other tests first may not have it: once, in a fresh-clone CI run, the SIGINT case
    # built with exit 0 here. So the test sets the handler a fresh process has.
    old_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        status = main(["build", str(OK), "--out", str(out), "--format", "html,docx"])
    finally:
        signal.signal(signal.SIGINT, old_int)
    assert sent == [sig]
    assert status == code
    assert "afbrudt" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["sag.html"]
    assert (out / "sag.html").read_text(encoding="utf-8") == "earlier"
    assert signal.getsignal(signal.SIGTERM) is not None
