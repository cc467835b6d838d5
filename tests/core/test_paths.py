"""One path resolver: ~ and backslashes, inside the case folder or an allowed folder, no escaping symlinks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.core.paths import resolve_inside
from reportgen.errors import InputError

OK = Path(__file__).resolve().parents[1] / "bad_inputs" / "_ok"


def test_inside_backslashes_and_home(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "svar.csv").write_text("x", encoding="utf-8")
    assert resolve_inside("data\\svar.csv", tmp_path) == tmp_path / "data" / "svar.csv"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_inside("~/data/svar.csv", tmp_path / "data").resolve() == (tmp_path / "data" / "svar.csv")


def test_outside_is_refused_and_says_why(tmp_path: Path) -> None:
    case = tmp_path / "sag"
    case.mkdir()
    (tmp_path / "andet").mkdir()
    (tmp_path / "andet" / "svar.csv").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="fører uden for sagens mappe"):
        resolve_inside("../../../../etc/passwd", case, key="data.besvarelser")
    with pytest.raises(InputError, match="fører uden for"):
        resolve_inside("/etc/passwd", case)
    (case / "logo.svg").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="symbolsk link"):
        resolve_inside("logo.svg", case)
    assert resolve_inside("../andet/svar.csv", case, ["../andet"]) == case / "../andet/svar.csv"


def test_case_with_data_outside_exits_2(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "sag"
    shutil.copytree(OK, folder)
    (tmp_path / "andet").mkdir()
    shutil.move(folder / "besvarelser.csv", tmp_path / "andet" / "besvarelser.csv")
    case = folder / "sag.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("besvarelser: besvarelser.csv", "besvarelser: ..\\andet\\besvarelser.csv"),
                    encoding="utf-8")
    assert main(["validate", str(case)]) == 2
    err = capsys.readouterr().err
    assert "uden for sagens mappe" in err and "data.besvarelser" in err and "Traceback" not in err
    case.write_text(case.read_text(encoding="utf-8").replace("data:\n", "data:\n  tilladte_mapper: [../andet]\n"),
                    encoding="utf-8")
    assert main(["validate", str(case)]) == 0, capsys.readouterr().err


def test_theme_logo_symlink_to_passwd_is_refused_before_reading(tmp_path: Path) -> None:
    from reportgen.settings.brand import load_brand

    os.symlink("/etc/passwd", tmp_path / "logo.svg")
    (tmp_path / "tema.yaml").write_text("navn: Test\nlogo: logo.svg\n", encoding="utf-8")
    with pytest.raises(InputError, match="symbolsk link"):
        load_brand(str(tmp_path / "tema.yaml"))


def test_profile_and_theme_paths_stay_inside(tmp_path: Path) -> None:
    from reportgen.document.profile import load_profile
    from reportgen.settings.brand import load_brand

    case = tmp_path / "sag"
    case.mkdir()
    (tmp_path / "tema.yaml").write_text("navn: Ude\n", encoding="utf-8")
    with pytest.raises(InputError, match="fører uden for"):
        load_brand("../tema.yaml", case)
    with pytest.raises(InputError, match="fører uden for"):
        load_profile("/etc/profil.yaml", case)
    assert load_brand("../tema.yaml", case, [".."]).name == "Ude"
