"""The YAML loader types only unambiguous scalars; the settings parse the rest and name file, key, value."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from reportgen.cli import main
from reportgen.core import yamlio
from reportgen.settings.case import load_case

BASE = Path(__file__).resolve().parents[1] / "bad_inputs" / "_ok"


def test_unambiguous_scalars_are_typed_the_rest_stays_text() -> None:
    v = yamlio.load("a: 706\nb: 0.05\nc: true\nd: ~\ne:\nf: 2024-13-45\ng: 12:30\nh: yes\ni: 0755\n"
                    "j: .inf\nk: 1_000\nl: ja\nm: -3\nn: 2.0e3\n")
    assert v == {"a": 706, "b": 0.05, "c": True, "d": None, "e": None, "f": "2024-13-45", "g": "12:30",
                 "h": "yes", "i": "0755", "j": ".inf", "k": "1_000", "l": "ja", "m": -3, "n": 2000.0}


def test_explicit_bad_tag_and_alias_bombs_are_yaml_errors() -> None:
    with pytest.raises(yaml.YAMLError):
        yamlio.load("a: !!int abc\n")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg"))
    with pytest.raises(yaml.YAMLError, match="udfolder"):
        yamlio.load(bomb)
    with pytest.raises(yaml.YAMLError):
        yamlio.load("a: " + "[" * 5000 + "]" * 5000)
    assert yamlio.load("a: !!timestamp 2024-01-02\n") == {"a": "2024-01-02"}


def _case(tmp_path: Path, sag_lines: str) -> Path:
    folder = tmp_path / "sag"
    shutil.copytree(BASE, folder)
    path = folder / "sag.yaml"
    text = path.read_text(encoding="utf-8")
    if sag_lines.count("  titel:") == 1:  # one given title replaces the case's own (a key twice is refused)
        text = text.replace("  titel: Borgerundersøgelsen\n", "", 1)
    text = text.replace("sag:\n", "sag:\n" + sag_lines, 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_legitimate_values_still_parse(tmp_path: Path) -> None:
    path = _case(tmp_path, "  moededato: 2024-03-05\n  sagsnummer: 0755\n")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "min_n: 3", "min_n: 3\n  signifikansniveau: 0.1\n  kommentarer:\n    medtag: nej\n    citater: 2"),
        encoding="utf-8")
    case, _ = load_case(path)
    assert case.sag.moededato == dt.date(2024, 3, 5)
    assert case.sag.sagsnummer == "0755"  # kept as written, not the octal 493
    assert case.analyse.signifikansniveau == 0.1 and case.analyse.min_n == 3
    assert case.analyse.kommentarer.medtag is False and case.analyse.kommentarer.citater == 2


@pytest.mark.parametrize("line, key, value", [
    ("  moededato: 2024-13-45\n", "sag.moededato", "2024-13-45"),
    ("  dato: 12:30\n", "sag.dato", "12:30"),
    ("  titel: yes\n", None, None),  # a title 'yes' is text: it builds
])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_values_yaml_used_to_convert_exit_2_naming_file_key_value(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  line: str, key: str | None, value: str | None,
                                                                  command: str) -> None:
    path = _case(tmp_path, line)
    out = tmp_path / "out"
    args = [command, str(path), "--out", str(out), "--format", "html"]
    code = main(args)
    err = capsys.readouterr().err
    if key is None:
        assert code == 0, err
        return
    assert code == 2, err
    assert "Traceback" not in err and str(path) in err and key in err and value in err and "dato" in err
    assert not out.exists() or not any(out.iterdir())


def test_infinite_number_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _case(tmp_path, "")
    path.write_text(path.read_text(encoding="utf-8").replace("min_n: 3", "min_n: 3\n  min_forskel: .inf"),
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "analyse.min_forskel" in err and ".inf" in err


def test_a_key_written_twice_is_refused_with_both_lines() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        yamlio.load("titel: A\nudvalg: B\ntitel: C\n")
    assert "'titel'" in str(info.value) and "linje 1 og 3" in str(info.value)
    with pytest.raises(yaml.YAMLError, match="'b' står to gange"):
        yamlio.load("a:\n  b: 1\n  c: 2\n  b: 3\n")
    # the same key in two different mappings is fine
    assert yamlio.load("a:\n  n: 1\nb:\n  n: 2\n") == {"a": {"n": 1}, "b": {"n": 2}}


@pytest.mark.parametrize("command", ["validate", "build"])
def test_duplicate_key_in_the_case_file_exits_2_naming_file_and_line(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str],
                                                                     command: str) -> None:
    path = _case(tmp_path, "  titel: Første titel\n  titel: Anden titel\n")
    out = tmp_path / "out"
    code = main([command, str(path), "--out", str(out), "--format", "html"])
    err = capsys.readouterr().err
    line = path.read_text(encoding="utf-8").splitlines().index("  titel: Anden titel") + 1
    assert code == 2, err
    assert "Traceback" not in err and str(path) in err and "'titel' står to gange" in err
    assert f"række {line}" in err or f"linje {line}" in err
    assert not out.exists() or not any(out.iterdir())
