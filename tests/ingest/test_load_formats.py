"""Reading exports: CSV dialects and encodings, XLSX layouts, SPSS metadata; row numbers as Excel shows them."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from reportgen.settings.case import parse_case
from reportgen.errors import InputError
from reportgen.ingest.load import load
from reportgen.ingest.read import decode_text, file_kind, find_header, read_table, sniff_delimiter
from reportgen.models.survey import BLANK, MISSING_CODE, MISSING_LABEL, Survey

HEADER = ["id", "kommune", "gruppe", "q1", "q2"]
ROWS = [
    ["1", "Ærø", "A-dagpenge", "Meget tilfreds", "4"],
    ["2", "Ærø", "Sygedagpenge", "Utilfreds", "2"],
    ["3", "Ærø", "A-dagpenge", "Ved ikke", "5"],
    ["4", "Tønder", "Sygedagpenge", "Tilfreds", ""],
    ["5", "Tønder", "A-dagpenge", "Hverken tilfreds eller utilfreds", "3"],
    ["6", "Tønder", "Sygedagpenge", "Meget utilfreds", "1"],
]
Q1 = {"1": 5.0, "2": 2.0, "3": np.nan, "4": 4.0, "5": 3.0, "6": 1.0}


def case(tmp: Path, data: dict[str, Any], **sag: Any) -> tuple[Any, Path]:
    raw = {"sag": {"titel": "T", "kommune": "Ærø", "udvalg": "U", **sag},
           "data": {"kolonner": {"respondent_id": "id", "kommune": "kommune"},
                    "spoergsmaal": [{"kolonne": "q1", "tema": "A"}, {"kolonne": "q2", "tema": "A"}], **data}}
    (tmp / "sag.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return parse_case(raw), tmp


def survey(tmp: Path, data: dict[str, Any], **sag: Any) -> Survey:
    c, base = case(tmp, data, **sag)
    return load(c, base, case_file="sag.yaml")


def problems(tmp: Path, data: dict[str, Any]) -> list[Any]:
    c, base = case(tmp, data)
    with pytest.raises(InputError) as info:
        load(c, base, case_file="sag.yaml")
    return info.value.problems


def csv_bytes(rows: list[list[str]], sep: str = ";", encoding: str = "utf-8", newline: str = "\n",
              title: list[str] = ()) -> bytes:  # type: ignore[assignment]
    buf = io.StringIO()
    for t in title:
        buf.write(t + newline)
    import csv

    w = csv.writer(buf, delimiter=sep, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def check_q1(s: Survey) -> None:
    got = dict(zip(s.responses["respondent_id"], s.responses["q1"]))
    for k, v in Q1.items():
        assert (np.isnan(got[k]) and np.isnan(v)) or got[k] == v


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_csv_delimiters(tmp_path: Path, sep: str) -> None:
    (tmp_path / "d.csv").write_bytes(csv_bytes([HEADER, *ROWS], sep=sep))
    s = survey(tmp_path, {"besvarelser": "d.csv"})
    check_q1(s)
    assert set(s.responses["kommune"]) == {"Ærø", "Tønder"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    sep = "\t" if encoding.startswith("utf-16") else ";"  # Excel's "Unicode text" is tab-separated UTF-16
    (tmp_path / "d.csv").write_bytes(csv_bytes([HEADER, *ROWS], sep=sep, encoding=encoding, newline="\r\n"))
    s = survey(tmp_path, {"besvarelser": "d.csv"})
    check_q1(s)
    assert sorted(set(s.responses["kommune"])) == ["Tønder", "Ærø"]


def test_cp1252_detection_on_short_danish_text() -> None:
    data = "kommune;svar\nBrønderslev;Ønsker ikke at svare\nÆrø;I høj grad\n".encode("cp1252")
    text, enc = decode_text(data, "x.csv")
    assert enc == "cp1252" and "Brønderslev" in text and "Ønsker" in text


def test_explicit_encoding_is_used(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_bytes(csv_bytes([HEADER, *ROWS], encoding="cp1252"))
    s = survey(tmp_path, {"besvarelser": "d.csv", "kodning": "ansi"})
    assert "Ærø" in set(s.responses["kommune"])


def test_decimal_comma_and_point_answers(tmp_path: Path) -> None:
    rows = [r[:4] + [v] for r, v in zip(ROWS, ["4,0", "2.0", "5,00", "", " 3 ", "1"])]
    for sep in (";", ","):
        (tmp_path / "d.csv").write_bytes(csv_bytes([HEADER, *rows], sep=sep))
        s = survey(tmp_path, {"besvarelser": "d.csv"})
        assert list(s.responses["q2"].fillna(-1)) == [4, 2, 5, -1, 3, 1]


def test_quoted_line_breaks_title_rows_and_excel_row_numbers(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][2] = "A-dagpenge"
    header = HEADER + ["kommentar"]
    body = [r + [c] for r, c in zip(rows, ["Linje 1\nLinje 2; med semikolon", "", 'Sagde "hej"', "", "", ""])]
    body[4][3] = "Meget tilfredss"  # bad answer on the 5th respondent
    data = csv_bytes([header, *body], title=["Borgerundersøgelse 2024;;", "Udtræk 1. maj;;", ""], newline="\r\n")
    (tmp_path / "d.csv").write_bytes(data)
    ps = problems(tmp_path, {"besvarelser": "d.csv", "kolonner": {"respondent_id": "id", "kommune": "kommune",
                                                                   "kommentar": "kommentar"}})
    (p,) = ps
    assert p.row == 9 and p.column == "q1" and p.value == "Meget tilfredss"  # header row 4, 5th respondent row 9
    assert "mente du 'Meget tilfreds'?" in str(p)


def test_blank_rows_keep_row_numbers_and_are_not_respondents(tmp_path: Path) -> None:
    text = ";".join(HEADER) + "\n" + ";".join(ROWS[0]) + "\n\n;;;;\n" + ";".join(ROWS[1]) + "\n\n\n"
    (tmp_path / "d.csv").write_text(text, encoding="utf-8")
    s = survey(tmp_path, {"besvarelser": "d.csv"})
    assert list(s.responses["_row"]) == [2, 5]
    assert s.account.rows_read == 2


def test_trailing_delimiters_and_cr_only_line_ends(tmp_path: Path) -> None:
    text = "\r".join(";".join(r) + ";;" for r in [HEADER, *ROWS]) + "\r"
    (tmp_path / "d.csv").write_text(text, encoding="utf-8")
    s = survey(tmp_path, {"besvarelser": "d.csv"})
    check_q1(s)


def test_explicit_delimiter_and_header_row(tmp_path: Path) -> None:
    text = "Titel\tmed\ttabulatorer\n" + "\n".join("\t".join(r) for r in [HEADER, *ROWS]) + "\n"
    (tmp_path / "d.tsv").write_text(text, encoding="utf-8")
    s = survey(tmp_path, {"besvarelser": "d.tsv", "skilletegn": "tab", "overskriftsraekke": 2})
    check_q1(s)
    assert list(s.responses["_row"])[:2] == [3, 4]


def test_header_found_below_title_block_without_expected_names() -> None:
    rows = [["Rapport"], [""], ["a", "b", "c", "d"], ["1", "2", "3", "4"]]
    assert find_header(rows, []) == 2
    assert find_header(rows, ["c", "d"]) == 2
    assert find_header([["x", "y"], ["a", "B"]], ["b", "a"]) == 1  # names compared case-insensitively


def test_sniffer_prefers_the_delimiter_that_finds_the_header() -> None:
    text = "id;svar\n1;3,5\n2;4,0\n"
    assert sniff_delimiter(text, ["id", "svar"]) == ";"
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter('id,svar\n1,"3,5"\n2,"4,0"\n') == ","


def test_utf16_without_bom_is_text() -> None:
    data = "id\tq1\n1\tTilfreds\n".encode("utf-16-le")
    assert file_kind(data) == "text"
    assert decode_text(data, "x.csv")[0].startswith("id\tq1")


def test_large_ragged_row_reports_excel_row(tmp_path: Path) -> None:
    rows = [HEADER, *ROWS]
    rows[3] = rows[3] + ["x", "y"]
    (tmp_path / "d.csv").write_bytes(csv_bytes(rows))
    (p,) = problems(tmp_path, {"besvarelser": "d.csv"})
    assert p.message == "Rækken har flere felter end overskriftsrækken" and p.row == 4


# --------------------------------------------------------------------------- XLSX


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], merge: str | None = None) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if merge and name == next(iter(sheets)):
            ws.merge_cells(merge)
    wb.save(path)


def xlsx_rows() -> list[list[Any]]:
    out: list[list[Any]] = []
    for r in ROWS:
        q2 = float(r[4]) if r[4] else None
        out.append([int(r[0]), r[1], r[2], r[3], q2])
    out[1][4] = "2"  # a number stored as text
    out[4][4] = " 3,0 "  # decimal comma text with spaces
    return out


def test_xlsx_title_block_first_sheet_numbers_as_text_blank_rows(tmp_path: Path) -> None:
    rows = [["Borgerundersøgelse 2024", None, None], ["Udtræk", None], [], HEADER, *xlsx_rows(), [], [None, None]]
    write_xlsx(tmp_path / "d.xlsx", {"Besvarelser": rows, "Andet": [["x"]]}, merge="A1:E1")
    s = survey(tmp_path, {"besvarelser": "d.xlsx"})
    check_q1(s)
    assert list(s.responses["q2"].fillna(-1)) == [4, 2, 5, -1, 3, 1]
    assert list(s.responses["_row"]) == [5, 6, 7, 8, 9, 10]
    assert s.responses["respondent_id"].iloc[0] == "1"  # 1.0 from Excel reads as "1"


@pytest.mark.parametrize("ark", ["Data", "data", 2, "2"])
def test_xlsx_named_or_numbered_sheet(tmp_path: Path, ark: Any) -> None:
    write_xlsx(tmp_path / "d.xlsx", {"Forside": [["Se arket Data"]], "Data": [HEADER, *xlsx_rows()]})
    s = survey(tmp_path, {"besvarelser": "d.xlsx", "ark": ark})
    check_q1(s)


def test_xlsx_bad_answer_has_excel_row_and_unnamed_column_is_a_warning(tmp_path: Path) -> None:
    rows = [["Titel"], [], HEADER, *xlsx_rows()]
    rows[5] = rows[5] + [None, "note"]  # G5: a value in a column without header
    write_xlsx(tmp_path / "d.xlsx", {"Ark1": rows})
    s = survey(tmp_path, {"besvarelser": "d.xlsx"})
    assert any("kolonne G" in w and "række 6" in w for w in s.account.warnings)
    rows[6][3] = "Meget godt"
    write_xlsx(tmp_path / "d.xlsx", {"Ark1": rows})
    (p,) = problems(tmp_path, {"besvarelser": "d.xlsx"})
    assert (p.row, p.column, p.value) == (7, "q1", "Meget godt")


def test_xlsx_catalogue_in_a_sheet_of_the_same_workbook(tmp_path: Path) -> None:
    cat = [["Variabel", "Spørgsmål", "Tema", "Skala"], ["q1", "Hvor tilfreds?", "Tilfredshed", "Tilfredshed5"],
           ["q2", "Hvor tilfreds med kontakten?", "Kontakt", "tilfredshed"]]
    write_xlsx(tmp_path / "d.xlsx", {"Data": [HEADER, *xlsx_rows()], "Katalog": cat})
    s = survey(tmp_path, {"besvarelser": "d.xlsx", "katalog_ark": "Katalog", "spoergsmaal": [],
                          "katalog_kolonner": {"id": "Variabel", "tekst": "Spørgsmål"}})
    assert [q.text for q in s.questions] == ["Hvor tilfreds?", "Hvor tilfreds med kontakten?"]
    assert s.themes == ("Tilfredshed", "Kontakt")


def test_xls_extension_with_xlsx_content(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "d.xls", {"Ark1": [HEADER, *xlsx_rows()]})
    check_q1(survey(tmp_path, {"besvarelser": "d.xls"}))


# --------------------------------------------------------------------------- SPSS


def write_sav(path: Path, **meta: Any) -> None:
    import pyreadstat

    frame = pd.DataFrame({
        "id": [1.0, 2, 3, 4, 5, 6],
        "komkode": [1.0, 1, 1, 2, 2, 2],
        "q1": [1.0, 4, 9, 2, 3, 5],  # provider codes: 1 = Meget tilfreds … 5 = Meget utilfreds
        "q2": [4.0, 2, 5, np.nan, 98, 99],
    })
    pyreadstat.write_sav(frame, str(path), **meta)


SAV_META = dict(
    column_labels={"q1": "Hvor tilfreds er du alt i alt?", "q2": "Hvor tilfreds er du med kontakten?"},
    variable_value_labels={
        "komkode": {1.0: "Ærø", 2.0: "Tønder"},
        "q1": {1.0: "Meget tilfreds", 2.0: "Tilfreds", 3.0: "Hverken tilfreds eller utilfreds", 4.0: "Utilfreds",
               5.0: "Meget utilfreds", 9.0: "Ved ikke"},
    },
    missing_ranges={"q2": [{"lo": 98.0, "hi": 99.0}]},
)


def test_sav_value_labels_missing_values_and_variable_labels(tmp_path: Path) -> None:
    write_sav(tmp_path / "d.sav", **SAV_META)
    s = survey(tmp_path, {"besvarelser": "d.sav", "kolonner": {"respondent_id": "id", "kommune": "komkode"}})
    assert list(s.responses["kommune"]) == ["Ærø"] * 3 + ["Tønder"] * 3
    assert list(s.responses["q1"].fillna(-1)) == [5, 2, -1, 4, 3, 1]  # the labels decide, not the codes
    assert list(s.missing_kind["q1"]) == [0, 0, MISSING_LABEL, 0, 0, 0]
    assert list(s.responses["q2"].fillna(-1)) == [4, 2, 5, -1, -1, -1]
    assert list(s.missing_kind["q2"]) == [0, 0, 0, BLANK, MISSING_CODE, MISSING_CODE]
    assert [q.text for q in s.questions] == ["Hvor tilfreds er du alt i alt?", "Hvor tilfreds er du med kontakten?"]


def test_sav_catalogue_text_wins_over_variable_label(tmp_path: Path) -> None:
    write_sav(tmp_path / "d.sav", **SAV_META)
    (tmp_path / "k.csv").write_text("id;tekst;tema;skala\nq1;Egen tekst;A;tilfredshed5\nq2;;A;tilfredshed5\n",
                                    encoding="utf-8")
    s = survey(tmp_path, {"besvarelser": "d.sav", "katalog": "k.csv", "spoergsmaal": [],
                          "kolonner": {"respondent_id": "id", "kommune": "komkode"}})
    assert [q.text for q in s.questions] == ["Egen tekst", "Hvor tilfreds er du med kontakten?"]


def test_sav_rows_count_as_in_excel_and_name_the_spss_case(tmp_path: Path) -> None:
    write_sav(tmp_path / "d.sav", variable_value_labels={"komkode": {1.0: "Ærø", 2.0: "Tønder"}})
    ps = problems(tmp_path, {"besvarelser": "d.sav", "kolonner": {"respondent_id": "id", "kommune": "komkode"}})
    rows = {(p.column, p.value, p.row) for p in ps}
    assert ("q1", "9", 4) in rows and ("q2", "98", 6) in rows and ("q2", "99", 7) in rows
    assert any("(case nr. 3 i SPSS)" in p.message for p in ps if p.value == "9")


def test_excel_sep_hint_line_is_hidden_like_excel_does(tmp_path: Path) -> None:
    body = [r[:4] + [r[4] or "3"] for r in ROWS]
    body[2][3] = "Godt"
    text = "sep=,\n" + "\n".join(",".join(r) for r in [HEADER, *body]) + "\n"
    (tmp_path / "d.csv").write_text(text, encoding="utf-8")
    (p,) = problems(tmp_path, {"besvarelser": "d.csv"})
    assert (p.row, p.value) == (4, "Godt")  # Excel shows the header on row 1, not the 'sep=' line


def test_sav_value_labels_that_are_not_the_scale_labels_give_a_warning(tmp_path: Path) -> None:
    meta = dict(SAV_META)
    meta["variable_value_labels"] = {**SAV_META["variable_value_labels"],
                                     "q2": {1.0: "Meget godt", 5.0: "Meget dårligt"}}
    meta["missing_ranges"] = {"q1": [9.0], "q2": [{"lo": 98.0, "hi": 99.0}]}
    write_sav(tmp_path / "d.sav", **meta)
    s = survey(tmp_path, {"besvarelser": "d.sav", "kolonner": {"respondent_id": "id", "kommune": "komkode"}})
    assert any("Værdietiketterne" in w and "q2" in w and "'Meget godt'" in w for w in s.account.warnings)


def test_invited_municipality_names_match_with_or_without_kommune(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_bytes(csv_bytes([HEADER, *ROWS]))
    (tmp_path / "inv.csv").write_text("Kommune;Inviterede\nÆrø Kommune;10\ntønder;1.250\n", encoding="utf-8")
    s = survey(tmp_path, {"besvarelser": "d.csv", "inviterede": "inv.csv"})
    assert s.invited == {"Ærø": 10, "Tønder": 1250}


def test_first_data_row_wider_than_header_is_an_error_not_lost_data(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0] + ["ekstra"], *ROWS[1:]]
    (tmp_path / "d.csv").write_bytes(csv_bytes(rows))
    (p,) = problems(tmp_path, {"besvarelser": "d.csv"})
    assert p.message == "Rækken har flere felter end overskriftsrækken" and p.row == 2
