"""ingest.prefetch: an XLSX export parsed on a thread gives the table a plain read gives,
is used only for the exact bytes it read, and never changes an error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from reportgen.errors import InputError
from reportgen.ingest import prefetch
from reportgen.ingest.read import read_table


def _workbook(path: Path, rows: list[list[object]], sheet: str = "Data") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    book.save(path)
    return path


def _case(folder: Path, answers: str, **data: object) -> Path:
    case = folder / "sag.yaml"
    case.write_text(yaml.safe_dump({"data": {"besvarelser": answers, **data}}), encoding="utf-8")
    return case


@pytest.fixture(autouse=True)
def _clean():
    prefetch.clear()
    yield
    prefetch.clear()


def test_prefetched_rows_are_used_and_give_the_plain_table(tmp_path: Path, monkeypatch) -> None:
    path = _workbook(tmp_path / "svar.xlsx", [["kommune", "q1"], ["Aarhus", 4], ["Odense", "Ved ikke"]])
    plain = read_table(path, display="svar.xlsx", expected=("kommune",))
    prefetch.start_for_case(_case(tmp_path, "svar.xlsx"))
    opened = []
    import python_calamine

    real = python_calamine.CalamineWorkbook

    class Spy:
        @staticmethod
        def from_filelike(*args, **kwargs):
            opened.append(1)
            return real.from_filelike(*args, **kwargs)

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Spy)  # read_excel imports it per call
    early = read_table(path, display="svar.xlsx", expected=("kommune",))
    assert opened == [], "the prefetched rows were not used"
    assert early.header == plain.header and early.frame.equals(plain.frame)
    assert prefetch._JOBS == []  # handed over once


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "svar.xlsx", [["kommune", "q1"], ["Aarhus", 4]])
    prefetch.start_for_case(_case(tmp_path, "svar.xlsx"))
    prefetch._JOBS[0].done.wait()
    _workbook(path, [["kommune", "q1"], ["Vejle", 2], ["Skive", 3]])
    table = read_table(path, display="svar.xlsx", expected=("kommune",))
    assert list(table.frame.iloc[:, 0]) == ["Vejle", "Skive"]


def test_another_sheet_than_prefetched_is_read_itself(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Forside"
    book.active.append(["intet her"])
    ws = book.create_sheet("Svar")
    ws.append(["kommune", "q1"])
    ws.append(["Aarhus", 5])
    path = tmp_path / "svar.xlsx"
    book.save(path)
    prefetch.start_for_case(_case(tmp_path, "svar.xlsx"))  # no data.ark: the first sheet is parsed
    table = read_table(path, display="svar.xlsx", expected=("kommune",), sheet="Svar")
    assert list(table.frame.iloc[:, 0]) == ["Aarhus"]


def test_nothing_outside_the_case_folder_and_no_csv(tmp_path: Path) -> None:
    outside = _workbook(tmp_path / "svar.xlsx", [["kommune"], ["Aarhus"]])
    folder = tmp_path / "sag"
    folder.mkdir()
    prefetch.start_for_case(_case(folder, "../svar.xlsx"))
    prefetch.start_for_case(_case(folder, "svar.csv"))
    prefetch.start_for_case(folder / "findes-ikke.yaml")
    assert prefetch._JOBS == [] and outside.is_file()


def test_a_broken_workbook_fails_as_without_prefetch(tmp_path: Path) -> None:
    path = tmp_path / "svar.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError) as plain:
        read_table(path, display="svar.xlsx", expected=("kommune",))
    prefetch.start_for_case(_case(tmp_path, "svar.xlsx"))
    with pytest.raises(InputError) as early:
        read_table(path, display="svar.xlsx", expected=("kommune",))
    assert str(early.value) == str(plain.value)
