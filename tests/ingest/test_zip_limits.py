"""Bounded decompression: a zip-bomb workbook or Word template is refused from its directory,
before anything is unpacked; quoted values in messages are capped."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.core.ziplimits import MAX_RATIO, RATIO_FLOOR, check_archive
from reportgen.errors import MAX_QUOTED, InputError, Problem

OK = Path(__file__).resolve().parents[1] / "bad_inputs" / "_ok"


def bomb(first: str = "xl/", size: int = RATIO_FLOOR * 4) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{first}worksheets/sheet1.xml" if first == "xl/" else f"{first}document.xml", b" " * size)
    return buf.getvalue()


def test_bomb_ratio_is_measured_from_the_directory() -> None:
    data = bomb()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > MAX_RATIO * info.compress_size  # the fixture really is a bomb
    with pytest.raises(InputError) as e:
        check_archive(data, "x.xlsx", "Regnearket")
    assert "zip-bombe" in str(e.value) and "xl/worksheets/sheet1.xml" in str(e.value)
    check_archive(bomb(size=RATIO_FLOOR // 2), "x.xlsx", "Regnearket")  # small repetitive parts are fine


def test_zip_bomb_workbook_exits_2(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "sag"
    shutil.copytree(OK, folder)
    (folder / "besvarelser.xlsx").write_bytes(bomb())
    case = folder / "sag.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("besvarelser.csv", "besvarelser.xlsx"), encoding="utf-8")
    assert main(["build", str(case), "--out", str(tmp_path / "out"), "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert "zip-bombe" in err and "besvarelser.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_zip_bomb_word_template_is_refused(tmp_path: Path) -> None:
    from reportgen.settings.brand import load_brand

    (tmp_path / "skabelon.docx").write_bytes(bomb("word/"))
    (tmp_path / "tema.yaml").write_text("navn: Test\nword_skabelon: skabelon.docx\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_brand(str(tmp_path / "tema.yaml"))
    assert "Word-skabelonen" in str(e.value) and "zip-bombe" in str(e.value)


def test_quoted_values_are_capped() -> None:
    p = Problem("Ugyldig værdi", file="f.csv", column="x" * 1000, value="æ" * 1000 + "\nnæste linje")
    text = str(p)
    assert len(text) < 4 * MAX_QUOTED + 100 and "1.012 tegn" in text and "\n" not in text
    assert Problem("kort", value="706").value == "706"
