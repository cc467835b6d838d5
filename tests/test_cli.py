"""The command line: exit codes, messages, and nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from reportgen.cli import main
from tests.conftest import DEMO


def _case(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load((DEMO / "sag.yaml").read_text(encoding="utf-8"))
    for f in ("besvarelser.csv", "katalog.csv", "inviterede.csv"):
        shutil.copy(DEMO / f, tmp_path / f)
    for dotted, value in changes.items():
        node = data
        keys = dotted.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    p = tmp_path / "sag.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert "reportgen" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    assert "sagsfremstillinger" in capsys.readouterr().out


def test_build_writes_three_formats(tmp_path, capsys):
    case = _case(tmp_path)
    out = tmp_path / "ud"
    assert main(["build", str(case), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["sag-bilag-1.docx", "sag-bilag-1.html", "sag-bilag-1.pdf",
                                                     "sag.docx", "sag.html", "sag.indhold.json", "sag.pdf"]
    printed = capsys.readouterr().out
    assert "sag.pdf" in printed and "sag-bilag-1.pdf" in printed


def test_build_single_format(tmp_path):
    case = _case(tmp_path)
    out = tmp_path / "ud"
    assert main(["build", str(case), "--out", str(out), "--format", "docx"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["sag-bilag-1.docx", "sag.docx", "sag.indhold.json"]


def test_validate_writes_nothing(tmp_path, capsys):
    case = _case(tmp_path)
    out = tmp_path / "ud"
    assert main(["validate", str(case), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Rækker indlæst: 3.000" in text and "Intet er skrevet" in text
    assert not out.exists()


@pytest.mark.parametrize("changes,needle", [
    ({"sag__udvalgg": "X"}, "Ukendt nøgle i sagsfilen"),
    ({"data__besvarelser": "findes_ikke.csv"}, "Filen findes ikke"),
    ({"data__fokus": "Nordjurs"}, "mente du 'Norddjurs'"),
    ({"data__kolonner__maalgruppe": "malgruppe"}, "mente du 'maalgruppe'"),
    ({"sag__moededato": "17-06-2024"}, "ÅÅÅÅ-MM-DD"),
    ({"tekster__indstilling__punkter": ["orienteringen tages til efterretning"]}, "skal begynde med 'at'"),
    ({"profil": "ukendt"}, "Ukendt profil"),
])
def test_bad_case_files_exit_2_and_write_nothing(tmp_path, capsys, changes, needle):
    case = _case(tmp_path, **changes)
    out = tmp_path / "ud"
    assert main(["build", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "sag.yaml" in err or "fil '" in err or "profil" in err
    assert not out.exists() or not any(out.iterdir())


def test_answer_outside_scale_names_file_row_column_value(tmp_path, capsys):
    case = _case(tmp_path)
    lines = (tmp_path / "besvarelser.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    cells = lines[5].split(";")
    cells[header.index("q2_1")] = "7"
    lines[5] = ";".join(cells)
    (tmp_path / "besvarelser.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "ud"
    assert main(["build", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "fil 'besvarelser.csv', række 6, kolonne 'q2_1'" in err
    assert "værdien '7'" in err and "uden for skalaen" in err
    assert not out.exists()


def test_final_build_refuses_with_missing_text(tmp_path, capsys):
    case = _case(tmp_path, sag__status="endelig", tekster__oekonomi=None, tekster__lovgrundlag=None)
    out = tmp_path / "ud"
    assert main(["build", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Økonomiske konsekvenser" in err and "Lovgrundlag" in err
    assert not out.exists()


def test_draft_with_missing_text_shows_placeholder(tmp_path):
    from reportgen.api import build

    case = _case(tmp_path, tekster__oekonomi=None)
    report = build(case)
    sec = next(s for s in report.document.sections if s.key == "oekonomi")
    assert sec.blocks[0].style == "placeholder"
    assert "[Mangler" in report.render("html").decode()


def test_failed_build_keeps_earlier_output(tmp_path):
    case = _case(tmp_path)
    out = tmp_path / "ud"
    assert main(["build", str(case), "--out", str(out)]) == 0
    before = (out / "sag.pdf").read_bytes()
    bad = _case(tmp_path, data__fokus="Ingen")
    assert main(["build", str(bad), "--out", str(out)]) == 2
    assert (out / "sag.pdf").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_internal_error_exits_1(tmp_path, monkeypatch, capsys):
    import reportgen.api

    def boom(*a, **k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(reportgen.api, "build", boom)
    assert main(["build", str(_case(tmp_path))]) == 1
    assert "intern fejl" in capsys.readouterr().err


def test_a_build_prints_no_library_warnings(tmp_path):
    """fontTools warns about Carlito's creation stamp whenever its 'head' table is read (the
    DOCX measures its column widths with it): the user's terminal shows only reportgen's
    own lines. In a fresh process, so that no other test has quieted the logger before."""
    import os
    import subprocess
    import sys

    case = _case(tmp_path)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-m", "reportgen.cli", "build", str(case), "--out", str(tmp_path / "ud"),
                           "--format", "docx"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr
