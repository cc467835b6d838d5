"""The corpus of bad inputs (tests/bad_inputs/): exit code 2, the specific Danish message, nothing written.

Each folder holds a case file and the files it names; tests/bad_inputs/make_bad_inputs.py
made them from one valid export (``_ok``) by breaking one thing, and lists what the user
must be told: the message and, where it applies, the file, row (as Excel shows it),
column and value.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reportgen.settings.case import load_case
from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.ingest.load import load

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bad_inputs.make_bad_inputs import CASES, HERE, Case  # noqa: E402


def _problems(case_path: Path) -> list:
    with pytest.raises(InputError) as info:
        case, base = load_case(case_path)
        load(case, base, case_file=str(case_path))
    return info.value.problems


def _matches(p: object, c: Case) -> bool:
    return (c.message in p.message  # type: ignore[attr-defined]
            and (c.file is None or p.file == c.file)  # type: ignore[attr-defined]
            and (c.row is None or p.row == c.row)  # type: ignore[attr-defined]
            and (c.column is None or c.column in (p.column, p.key))  # type: ignore[attr-defined]  # a data column or a settings key
            and (c.value is None or p.value == c.value)  # type: ignore[attr-defined]
            and all(a in str(p) for a in c.also))


def test_corpus_is_large_and_complete() -> None:
    assert len(CASES) >= 30
    for name in CASES:
        assert (HERE / name / "sag.yaml").is_file(), f"run tests/bad_inputs/make_bad_inputs.py ({name})"


def test_the_unbroken_base_builds(tmp_path: Path) -> None:
    assert main(["build", str(HERE / "_ok" / "sag.yaml"), "--out", str(tmp_path / "out"), "--format", "docx"]) == 0
    assert (tmp_path / "out" / "sag.docx").is_file()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = CASES[name]
    case_path = HERE / name / "sag.yaml"
    out = tmp_path / "out"
    code = main(["build", str(case_path), "--out", str(out), "--format", "pdf,docx,html"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert c.message in err
    assert "intet er skrevet" in err
    assert not out.exists() or not any(out.iterdir())
    problems = _problems(case_path)
    assert any(_matches(p, c) for p in problems), "\n".join(str(p) for p in problems)
    line = next(str(p) for p in problems if _matches(p, c))
    assert line in err  # the console shows the same located message
    if c.row is not None:
        assert f"række {c.row}" in line
    assert main(["validate", str(case_path)]) == 2
    capsys.readouterr()
