"""Batch: an invalid pr_kommune entry fails only its municipality's items; a malformed run file
stops the run and leaves no lock file and no output folder behind."""

from __future__ import annotations

from pathlib import Path

from reportgen.cli import main
from tests.batch_helpers import edit_run_file, make_batch_dir, manifest


def test_invalid_override_fails_only_its_items(tmp_path: Path, capsys) -> None:
    run_file = make_batch_dir(tmp_path, formats=("html",), perioder=["2024K2"])
    edit_run_file(run_file, koersel__pr_kommune={"Norddjurs": {"sag": {"aabenhed": "Hemmelig"}}})
    code = main(["batch", str(run_file), "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 2
    items = {i["kommune"]: i for i in manifest(tmp_path / "out")["elementer"]}
    bad = items.pop("Norddjurs")
    assert bad["status"] == "fejlet" and bad["fejl"]["art"] == "input"
    assert "koersel.pr_kommune.Norddjurs.sag.aabenhed" in bad["fejl"]["besked"]
    assert "Hemmelig" in bad["fejl"]["besked"]
    assert items and all(i["status"] == "dannet" for i in items.values())
    for m in items:
        assert (tmp_path / "out" / "2024K2" / m / "sagsfremstilling.html").is_file()
    assert not (tmp_path / "out" / "2024K2" / "Norddjurs" / "sagsfremstilling.html").exists()
    assert "koersel.pr_kommune.Norddjurs.sag.aabenhed" in out
    assert not (tmp_path / "out" / ".reportgen-batch.lock").exists()


def test_malformed_run_file_stops_and_leaves_nothing(tmp_path: Path, capsys) -> None:
    run_file = make_batch_dir(tmp_path, formats=("html",))
    edit_run_file(run_file, sag__moededato=None)
    text = run_file.read_text(encoding="utf-8")
    assert "\nsag:\n" in text
    run_file.write_text(text.replace("\nsag:\n", "\nsag:\n  moededato: 2024-13-45\n", 1), encoding="utf-8")
    code = main(["batch", str(run_file), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "sag.moededato" in err and "2024-13-45" in err and str(run_file) in err
    assert not (tmp_path / "out").exists()


def test_run_that_cannot_start_leaves_no_lock(tmp_path: Path, capsys) -> None:
    run_file = make_batch_dir(tmp_path, formats=("html",))
    (tmp_path / "out").mkdir()
    (tmp_path / "besvarelser.csv").write_bytes(b"")  # unreadable data: the run stops after locking
    code = main(["batch", str(run_file), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert list((tmp_path / "out").iterdir()) == []
