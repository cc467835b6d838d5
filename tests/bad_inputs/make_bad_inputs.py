"""The corpus of bad inputs: one folder per case with a case file and the files it names.

Every case starts from the same small, valid export (``base``) and breaks one thing. The
expected Danish message (and where it points: file, row, column, value) is listed in
``CASES`` and checked by tests/test_load_bad_inputs.py. ``python
tests/bad_inputs/make_bad_inputs.py`` rewrites the committed folders.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent

HEADER = ["Løbenr.", "Kommune", "Ydelse", "Spm1", "Spm2", "Spm3"]
ROWS = [
    ["1", "Norddjurs", "A-dagpenge", "Tilfreds", "I høj grad", "4"],
    ["2", "Norddjurs", "A-dagpenge", "Meget tilfreds", "I nogen grad", "5"],
    ["3", "Norddjurs", "Sygedagpenge", "Utilfreds", "Slet ikke", "2"],
    ["4", "Norddjurs", "Sygedagpenge", "Ved ikke", "I mindre grad", "3"],
    ["5", "Norddjurs", "A-dagpenge", "Tilfreds", "I høj grad", ""],
    ["6", "Norddjurs", "Sygedagpenge", "Hverken tilfreds eller utilfreds", "I nogen grad", "4"],
    ["7", "Syddjurs", "A-dagpenge", "Meget utilfreds", "Slet ikke", "1"],
    ["8", "Syddjurs", "Sygedagpenge", "Tilfreds", "I høj grad", "4"],
    ["9", "Syddjurs", "A-dagpenge", "Tilfreds", "Ved ikke", "5"],
    ["10", "Syddjurs", "Sygedagpenge", "Meget tilfreds", "I høj grad", "5"],
    ["11", "Syddjurs", "A-dagpenge", "Utilfreds", "I mindre grad", "2"],
    ["12", "Syddjurs", "Sygedagpenge", "Tilfreds", "I nogen grad", "3"],
]
TITLE = ["Borgerundersøgelse 2024 – udtræk", ""]  # the header is on row 3, the first answer on row 4
CATALOGUE = [
    ["id", "kolonne", "tekst", "tema", "skala"],
    ["s1", "Spm1", "Hvor tilfreds er du alt i alt?", "Overordnet tilfredshed", "tilfredshed5"],
    ["s2", "Spm2", "I hvor høj grad bliver du lyttet til?", "Mødet med jobcentret", "grad4"],
    ["s3", "Spm3", "Hvor tilfreds er du med kontakten?", "Overordnet tilfredshed", "tilfredshed5"],
]
INVITED = [["kommune", "inviterede"], ["Norddjurs", "20"], ["Syddjurs", "25"]]


def base_case() -> dict[str, Any]:
    return {
        "sag": {"titel": "Borgerundersøgelsen", "kommune": "Norddjurs Kommune", "udvalg": "Arbejdsmarkedsudvalget"},
        "data": {
            "besvarelser": "besvarelser.csv",
            "katalog": "katalog.csv",
            "inviterede": "inviterede.csv",
            "kolonner": {"respondent_id": "Løbenr.", "kommune": "Kommune", "maalgruppe": "Ydelse"},
            "omkodning": {"maalgruppe": {"A-dagpenge": "Dagpengemodtagere", "Sygedagpenge": "Sygedagpengemodtagere"}},
        },
        "analyse": {"min_n": 3},
    }


def csv_text(rows: list[list[str]], title: bool = True, sep: str = ";") -> str:
    lines = (TITLE if title else []) + [sep.join(r) for r in rows]
    return "\n".join(lines) + "\n"


@dataclass
class Case:
    """A bad input: what to change in the base, and what the user must be told."""

    make: Callable[[Path, dict[str, Any]], None]
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    also: list[str] = field(default_factory=list)
    yaml_patch: tuple[str, str] | None = None  # (old, new) in the written case file: values as a user types them


def write_base(folder: Path, case: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "besvarelser.csv").write_text(csv_text([HEADER, *ROWS]), encoding="utf-8-sig")
    (folder / "katalog.csv").write_text(csv_text(CATALOGUE, title=False), encoding="utf-8")
    (folder / "inviterede.csv").write_text(csv_text(INVITED, title=False), encoding="utf-8")


def rows_with(changes: dict[tuple[int, int], str]) -> list[list[str]]:
    """The base rows with some cells changed: (row index, column index) → text."""
    out = [list(r) for r in ROWS]
    for (i, j), v in changes.items():
        out[i][j] = v
    return out


def data(folder: Path, rows: list[list[str]], header: list[str] = HEADER, **kw: Any) -> None:
    (folder / "besvarelser.csv").write_text(csv_text([header, *rows], **kw), encoding="utf-8")


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sav(folder: Path, q3: list[float]) -> None:
    import numpy as np
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({"id": np.arange(1, 13, dtype=float), "kommune": [r[1] for r in ROWS],
                          "Spm3": np.array(q3, dtype=float)})
    pyreadstat.write_sav(frame, str(folder / "besvarelser.sav"),
                         variable_value_labels={"Spm3": {9.0: "Ved ikke"}}, missing_ranges={"Spm3": [9.0]})


def set_data(**kw: Any) -> Callable[[Path, dict[str, Any]], None]:
    def make(folder: Path, case: dict[str, Any]) -> None:
        case["data"].update(kw)
    return make


def sav_case(folder: Path, case: dict[str, Any], q3: list[float]) -> None:
    sav(folder, q3)
    case["data"] = {"besvarelser": "besvarelser.sav", "kolonner": {"respondent_id": "id", "kommune": "kommune"},
                    "spoergsmaal": [{"kolonne": "Spm3", "tema": "Overordnet tilfredshed"}]}


def _catalogue(folder: Path, rows: list[list[str]]) -> None:
    (folder / "katalog.csv").write_text(csv_text(rows, title=False), encoding="utf-8")


def _invited(folder: Path, rows: list[list[str]]) -> None:
    (folder / "inviterede.csv").write_text(csv_text(rows, title=False), encoding="utf-8")


def _zip_as_csv(folder: Path, case: dict[str, Any]) -> None:
    (folder / "besvarelser.csv").write_bytes(xlsx_bytes({"Ark1": [HEADER, *ROWS]}))


def _xlsx_truncated(folder: Path, case: dict[str, Any]) -> None:
    (folder / "besvarelser.xlsx").write_bytes(xlsx_bytes({"Ark1": [HEADER, *ROWS]})[:700])
    case["data"]["besvarelser"] = "besvarelser.xlsx"


def _xlsx_sheet(folder: Path, case: dict[str, Any]) -> None:
    (folder / "besvarelser.xlsx").write_bytes(xlsx_bytes({"Data": [TITLE[:1], [], HEADER, *ROWS]}))
    case["data"].update(besvarelser="besvarelser.xlsx", ark="Besvarelser")


def _xlsx_answer(folder: Path, case: dict[str, Any]) -> None:
    rows: list[list[object]] = [list(r) for r in ROWS]
    rows[6][5] = 6  # a number outside the 1–5 scale, on Excel row 11 (title, blank, header on 3)
    for r in rows:
        r[5] = int(r[5]) if isinstance(r[5], str) and r[5] else (r[5] or None)
    (folder / "besvarelser.xlsx").write_bytes(xlsx_bytes({"Besvarelser": [TITLE[:1], [], HEADER, *rows]}))
    case["data"]["besvarelser"] = "besvarelser.xlsx"


def _as_data(name: str, content: bytes) -> Callable[[Path, dict[str, Any]], None]:
    def make(folder: Path, case: dict[str, Any]) -> None:
        (folder / name).write_bytes(content)
        case["data"]["besvarelser"] = name
    return make


def _folder_as_data(folder: Path, case: dict[str, Any]) -> None:
    (folder / "mappe.csv").mkdir(exist_ok=True)
    (folder / "mappe.csv" / "laes_mig.txt").write_text("En mappe med et navn som en CSV-fil.\n", encoding="utf-8")
    case["data"]["besvarelser"] = "mappe.csv"


def _png_as_csv(folder: Path, case: dict[str, Any]) -> None:
    (folder / "besvarelser.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def _zip_catalogue_broken(folder: Path, case: dict[str, Any]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "ikke et regneark")
    (folder / "katalog.xlsx").write_bytes(buf.getvalue())
    case["data"]["katalog"] = "katalog.xlsx"


def _scale_file(text: str) -> Callable[[Path, dict[str, Any]], None]:
    def make(folder: Path, case: dict[str, Any]) -> None:
        (folder / "skalaer.yaml").write_text(text, encoding="utf-8")
        case["data"]["skalafil"] = "skalaer.yaml"
    return make


def _scale(**definition: Any) -> Callable[[Path, dict[str, Any]], None]:
    def make(folder: Path, case: dict[str, Any]) -> None:
        case["data"]["skalaer"] = {"egen": definition}
    return make


def _definitions(*defs: dict[str, Any]) -> Callable[[Path, dict[str, Any]], None]:
    def make(folder: Path, case: dict[str, Any]) -> None:
        case["data"].pop("katalog")
        case["data"]["spoergsmaal"] = list(defs)
    return make


CASES: dict[str, Case] = {
    # --- files
    "data_file_missing": Case(set_data(besvarelser="findes_ikke.csv"), "Filen findes ikke", file="findes_ikke.csv"),
    "data_path_is_folder": Case(_folder_as_data, "Stien peger på en mappe, ikke en fil", file="mappe.csv"),
    "empty_file": Case(lambda f, c: (f / "besvarelser.csv").write_bytes(b""), "Filen er tom",
                       file="besvarelser.csv"),
    "only_bom_and_blank_lines": Case(lambda f, c: (f / "besvarelser.csv").write_bytes(b"\xef\xbb\xbf\r\n\r\n"),
                                     "Filen er tom", file="besvarelser.csv"),
    "header_without_rows": Case(lambda f, c: data(f, []), "Filen har ingen rækker med besvarelser under overskriften",
                                file="besvarelser.csv", row=3),
    "unsupported_extension": Case(_as_data("besvarelser.json", b"{}"), "Filtypen understøttes ikke",
                                  file="besvarelser.json", value=".json"),
    "xlsx_that_is_csv": Case(_as_data("besvarelser.xlsx", csv_text([HEADER, *ROWS]).encode()),
                             "Filen er ikke, hvad dens endelse siger: den ligner en tekstfil (CSV)",
                             file="besvarelser.xlsx", value=".xlsx"),
    "csv_that_is_xlsx": Case(_zip_as_csv, "Filen er ikke, hvad dens endelse siger: den ligner et Excel-regneark "
                             "(xlsx)", file="besvarelser.csv", value=".csv"),
    "csv_that_is_png": Case(_png_as_csv, "Filen er ikke, hvad dens endelse siger: den ligner et billede",
                            file="besvarelser.csv"),
    "sav_that_is_text": Case(_as_data("besvarelser.sav", csv_text([HEADER, *ROWS]).encode()),
                             "Filen er ikke, hvad dens endelse siger: den ligner en tekstfil (CSV)",
                             file="besvarelser.sav"),
    "sav_damaged": Case(_as_data("besvarelser.sav", b"$FL2" + b"\x01" * 40), "SPSS-filen kan ikke læses",
                        file="besvarelser.sav"),
    "xlsx_truncated": Case(_xlsx_truncated, "Regnearket kan ikke åbnes", file="besvarelser.xlsx"),
    "catalogue_zip_not_workbook": Case(_zip_catalogue_broken, "Filen er ikke, hvad dens endelse siger: den ligner "
                                       "et zip-arkiv", file="katalog.xlsx"),
    "sheet_not_found": Case(_xlsx_sheet, "Arket findes ikke i regnearket", file="besvarelser.xlsx",
                            value="Besvarelser", also=["et af arkene Data"]),
    "wrong_explicit_encoding": Case(set_data(kodning="ascii"), "Filen kan ikke læses med tegnsættet 'ascii'",
                                    file="besvarelser.csv"),
    "unknown_encoding_name": Case(set_data(kodning="klingon-8"), "Tegnsættet kendes ikke", column="data.kodning",
                                  value="klingon-8"),
    "row_with_extra_fields": Case(lambda f, c: data(f, rows_with({(4, 5): "3;5;1"})),
                                  "Rækken har flere felter end overskriftsrækken", file="besvarelser.csv", row=8),
    "unclosed_quote": Case(lambda f, c: data(f, rows_with({(2, 3): '"Utilfreds'})),
                           "Et felt i anførselstegn lukkes aldrig", file="besvarelser.csv", row=6),
    # --- columns and mapping
    "duplicate_header": Case(lambda f, c: data(f, ROWS, header=HEADER[:5] + ["Spm2"]),
                             "Kolonnenavnet forekommer flere gange i overskriftsrækken", file="besvarelser.csv",
                             row=3, column="Spm2", value="2 gange (kolonne E og F)"),
    "mapped_column_missing": Case(lambda f, c: c["data"]["kolonner"].update(maalgruppe="Ydelsestype"),
                                  "Kolonnen til 'maalgruppe' findes ikke i besvarelserne", file="besvarelser.csv",
                                  row=3, column="Ydelsestype", also=["mente du 'Ydelse'?"]),
    "catalogue_column_not_in_data": Case(lambda f, c: _catalogue(f, [*CATALOGUE, ["s4", "Spm4", "x", "Samtalen",
                                                                                  "grad4"]]),
                                         "Spørgsmålets kolonne findes ikke i besvarelserne", file="besvarelser.csv",
                                         column="Spm4", also=["mente du 'Spm"]),
    "column_both_question_and_background": Case(lambda f, c: c["data"]["kolonner"].update(koen="Spm1"),
                                                "Kolonnen er både et spørgsmål og en baggrundskolonne",
                                                column="Spm1"),
    "group_not_mapped": Case(lambda f, c: c["analyse"].update(grupper=["maalgruppe", "afdeling"]),
                             "Gruppen findes ikke blandt besvarelsernes baggrundskolonner",
                             column="analyse.grupper[2]", value="afdeling",
                             also=["en af de kortlagte baggrundskolonner maalgruppe"]),
    "group_is_data_column_not_mapped": Case(
        lambda f, c: (c["analyse"].update(grupper=["Kommune2"]),
                      data(f, [r + [r[2]] for r in ROWS], header=HEADER + ["Kommune2"])),
        "Gruppen findes ikke blandt besvarelsernes baggrundskolonner", column="analyse.grupper[1]",
        value="Kommune2", also=["findes i besvarelserne, men er ikke kortlagt", "ekstra: {Kommune2: Kommune2}"]),
    "priority_target_unknown": Case(lambda f, c: c["analyse"].update(prioritet={"maal": "s9"}),
                                    "Målet for prioriteringskortet findes ikke blandt undersøgelsens spørgsmål og "
                                    "temaer", column="analyse.prioritet.maal", value="s9",
                                    also=["id (s1, s2, s3)", "temaerne Overordnet tilfredshed, Mødet med jobcentret"]),
    "recode_unknown_column": Case(lambda f, c: c["data"]["omkodning"].update(uddannelse={"a": "b"}),
                                  "data.omkodning nævner en kolonne, der ikke er kortlagt", value="uddannelse"),
    "unknown_case_key": Case(lambda f, c: c["data"].update(kolonnner={}),
                             "Ukendt nøgle i sagsfilen", column="data.kolonnner", value="kolonnner",
                             also=["mente du 'kolonner'?"]),
    "catalogue_sheet_needs_workbook": Case(set_data(katalog=None, katalog_ark="Katalog"),
                                           "data.katalog_ark kræver, at besvarelserne er et regneark",
                                           column="data.katalog_ark"),
    "no_questions": Case(set_data(katalog=None), "Der er ingen spørgsmål at analysere", column="data.katalog"),
    "pattern_invalid": Case(_definitions({"moenster": "Spm(", "tema": "A"}),
                            "Mønsteret er ikke et gyldigt regulært udtryk", column="data.spoergsmaal[0].moenster",
                            value="Spm("),
    "pattern_matches_nothing": Case(_definitions({"moenster": "Q[0-9]+", "tema": "A"}),
                                    "Mønsteret passer ikke på nogen kolonne i besvarelserne",
                                    column="data.spoergsmaal[0].moenster", value="Q[0-9]+"),
    "prefix_matches_nothing": Case(_definitions({"praefiks": "Q_", "tema": "A"}),
                                   "Præfikset passer ikke på nogen kolonne i besvarelserne",
                                   column="data.spoergsmaal[0].praefiks", value="Q_"),
    "position_out_of_range": Case(_definitions({"position": "F:H", "tema": "A"}),
                                  "Kolonnepositionen findes ikke i besvarelserne",
                                  column="data.spoergsmaal[0].position", value="F:H"),
    "two_selectors": Case(_definitions({"kolonne": "Spm1", "praefiks": "Spm", "tema": "A"}),
                          "Angiv præcis én af kolonne, kolonner, praefiks, moenster og position",
                          column="data.spoergsmaal[0]", value="kolonne, praefiks"),
    "theme_order_unknown": Case(set_data(temaer=["Samtalen"]), "Temaet i data.temaer har ingen spørgsmål",
                                column="data.temaer", value="Samtalen"),
    # --- catalogue
    "catalogue_missing_theme_column": Case(lambda f, c: _catalogue(f, [[x for k, x in enumerate(r) if k != 3]
                                                                       for r in CATALOGUE]),
                                           "Kolonnen mangler i spørgsmålskataloget", file="katalog.csv", row=1,
                                           column="tema"),
    "catalogue_duplicate_id": Case(lambda f, c: _catalogue(f, [*CATALOGUE, CATALOGUE[1]]),
                                   "Spørgsmålets id findes to gange i kataloget", file="katalog.csv", row=5,
                                   column="id", value="s1"),
    "catalogue_unknown_scale": Case(lambda f, c: _catalogue(f, [CATALOGUE[0], CATALOGUE[1][:4] + ["tilfredshd5"],
                                                                *CATALOGUE[2:]]),
                                    "Ukendt skala", file="katalog.csv", row=2, column="skala", value="tilfredshd5",
                                    also=["mente du 'tilfredshed5'?"]),
    "catalogue_bad_reverse_flag": Case(lambda f, c: _catalogue(f, [r + [v] for r, v in zip(CATALOGUE, [
        "omvendt", "nej", "måske", "nej"])]), "Ugyldig værdi for omvendt kodning", file="katalog.csv", row=3,
                                       column="omvendt", value="måske"),
    # --- answers
    "answer_outside_scale": Case(lambda f, c: data(f, rows_with({(6, 5): "7"})), "Svaret ligger uden for skalaen",
                                 file="besvarelser.csv", row=10, column="Spm3", value="7"),
    "answer_outside_scale_xlsx": Case(_xlsx_answer, "Svaret ligger uden for skalaen", file="besvarelser.xlsx",
                                      row=10, column="Spm3", value="6"),
    "unknown_label_with_suggestion": Case(lambda f, c: data(f, rows_with({(1, 3): "Meget tilfredss"})),
                                          "Ukendt svarkategori", file="besvarelser.csv", row=5, column="Spm1",
                                          value="Meget tilfredss", also=["mente du 'Meget tilfreds'?"]),
    "label_from_other_scale": Case(lambda f, c: data(f, rows_with({(0, 4): "Tilfreds", (7, 4): "Tilfreds"})),
                                   "Ukendt svarkategori (også i 1 andre rækker: 11)", file="besvarelser.csv", row=4,
                                   column="Spm2", value="Tilfreds"),
    "null_marker_not_declared": Case(lambda f, c: data(f, rows_with({(3, 5): "#NULL!"})), "Ukendt svarkategori",
                                     file="besvarelser.csv", row=7, column="Spm3", value="#NULL!",
                                     also=["data.manglende_etiketter"]),
    "sav_code_outside_scale": Case(lambda f, c: sav_case(f, c, [1, 2, 3, 9, 4, 5, 7, 1, 2, 3, 4, 5]),
                                   "Svaret ligger uden for skalaen (case nr. 7 i SPSS)", file="besvarelser.sav",
                                   row=8, column="Spm3", value="7"),
    "question_column_empty": Case(lambda f, c: data(f, [r[:5] + [""] for r in ROWS]),
                                  "Spørgsmålet har ingen gyldige svar; kolonnen er tom", file="besvarelser.csv",
                                  column="Spm3"),
    # --- respondents
    "duplicate_respondent_id": Case(lambda f, c: data(f, rows_with({(8, 0): "3"})),
                                    "Respondent-id'et forekommer flere gange", file="besvarelser.csv", row=12,
                                    column="Løbenr.", value="3", also=["også brugt i række 6"]),
    "blank_respondent_id": Case(lambda f, c: data(f, rows_with({(5, 0): ""})), "Respondent-id mangler",
                                file="besvarelser.csv", row=9, column="Løbenr."),
    "focus_not_in_data": Case(lambda f, c: c["sag"].update(kommune="Nordfyns Kommune"),
                              "Fokuskommunen findes ikke i besvarelserne", column="sag.kommune",
                              value="Nordfyns Kommune"),
    # --- invited
    "municipality_missing_from_invited": Case(lambda f, c: _invited(f, INVITED[:2]),
                                              "Kommunen mangler i filen med inviterede", file="inviterede.csv",
                                              column="kommune", value="Syddjurs"),
    "group_missing_from_invited": Case(lambda f, c: _invited(f, [["kommune", "maalgruppe", "inviterede"],
                                                                 ["Norddjurs", "A-dagpenge", "10"],
                                                                 ["Norddjurs", "Sygedagpenge", "10"],
                                                                 ["Syddjurs", "A-dagpenge", "12"]]),
                                       "Målgruppen mangler i filen med inviterede", file="inviterede.csv",
                                       column="maalgruppe", value="Syddjurs / Sygedagpengemodtagere"),
    "invited_not_a_number": Case(lambda f, c: _invited(f, [INVITED[0], ["Norddjurs", "tyve"], INVITED[2]]),
                                 "Antal inviterede er ikke et helt tal", file="inviterede.csv", row=2,
                                 column="inviterede", value="tyve"),
    "fewer_invited_than_answers": Case(lambda f, c: _invited(f, [INVITED[0], ["Norddjurs", "4"], INVITED[2]]),
                                       "Der er flere besvarelser end inviterede", file="inviterede.csv",
                                       column="inviterede", value="Norddjurs: 4 inviterede, 6 besvarelser"),
    # --- scales
    "scale_with_twelve_points": Case(_scale(etiketter=[f"P{i}" for i in range(12)]),
                                     "En skala skal have mellem 2 og 11 svarmuligheder",
                                     column="data.skalaer.egen.etiketter", value="12 etiketter"),
    "scale_values_count": Case(_scale(etiketter=["Nej", "Måske", "Ja"], vaerdier=[1, 2]),
                               "Antallet af værdier passer ikke til antallet af etiketter",
                               column="data.skalaer.egen.vaerdier", value="2 værdier"),
    "scale_values_not_increasing": Case(_scale(etiketter=["Dårlig", "God"], vaerdier=[2, 1]),
                                        "Værdierne skal stige fra den mest negative til den mest positive etiket",
                                        column="data.skalaer.egen.vaerdier", also=["'koder'"]),
    "scale_positive_unknown": Case(_scale(etiketter=["Dårlig", "Middel", "God"], positive=["Fin"]),
                                   "Kategorien findes ikke blandt skalaens etiketter eller værdier",
                                   column="data.skalaer.egen.positive", value="Fin"),
    "scale_missing_code_clash": Case(_scale(etiketter=["Dårlig", "Middel", "God"], manglende_koder=[3]),
                                     "En manglende-kode er også en kode på skalaen",
                                     column="data.skalaer.egen.manglende_koder", value="3"),
    "scale_file_missing": Case(set_data(skalafil="skalaer.yaml"), "Skalafilen findes ikke", file="skalaer.yaml"),
    "scale_file_unknown_key": Case(_scale_file("egen:\n  etiketter: [Nej, Ja]\n  positiv: [Ja]\n"),
                                   "Ukendt nøgle i skalaen", file="skalaer.yaml", column="egen.positiv",
                                   value="positiv"),
    "scale_file_not_yaml": Case(_scale_file("egen: [Nej, Ja\n"), "Skalafilen er ikke gyldig YAML",
                                file="skalaer.yaml"),
}


def _zip_bomb() -> bytes:
    """A workbook whose one sheet declares 40 MB of spaces packed into a few kilobytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (40 << 20))
    return buf.getvalue()


def _nothing(folder: Path, case: dict[str, Any]) -> None:
    """The change is in ``yaml_patch`` only."""


# Found by the hostile-input review and the fuzzer (tests/fuzz): values YAML itself used to
# convert, paths out of the case, a zip bomb, a huge cell.
CASES.update({
    "yaml_impossible_date": Case(_nothing, "Ugyldig værdi i sagsfilen", column="sag.moededato", value="2024-13-45",
                                 yaml_patch=("sag:\n", "sag:\n  moededato: 2024-13-45\n")),
    "yaml_time_as_date": Case(_nothing, "Ugyldig værdi i sagsfilen", column="sag.dato", value="12:30",
                              yaml_patch=("sag:\n", "sag:\n  dato: 12:30\n")),
    "yaml_infinite_number": Case(_nothing, "Ugyldig værdi i sagsfilen", column="analyse.min_forskel", value=".inf",
                                 yaml_patch=("min_n: 3", "min_n: 3\n  min_forskel: .inf")),
    "yaml_yes_as_status": Case(_nothing, "Ugyldig værdi i sagsfilen", column="sag.status", value="yes",
                               yaml_patch=("sag:\n", "sag:\n  status: yes\n")),
    "path_outside_case": Case(set_data(besvarelser="../../../../etc/passwd"), "Stien fører uden for sagens mappe",
                              column="data.besvarelser", value="../../../../etc/passwd"),
    "xlsx_zip_bomb": Case(_as_data("besvarelser.xlsx", _zip_bomb()), "Regnearket afvises, før den pakkes ud",
                          file="besvarelser.xlsx", also=["zip-bombe"]),
    "huge_cell_is_capped": Case(lambda f, c: data(f, rows_with({(6, 3): "Tilfreds" * 600})), "Ukendt svarkategori",
                                file="besvarelser.csv", row=10, column="Spm1", also=["4.800 tegn"]),
})


def build(name: str, folder: Path) -> Path:
    """Write one case (base + its change) into ``folder``; return the case file."""
    case = base_case()
    write_base(folder, case)
    CASES[name].make(folder, case)
    case["data"] = {k: v for k, v in case["data"].items() if v is not None}
    path = folder / "sag.yaml"
    text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
    if CASES[name].yaml_patch:
        old, new = CASES[name].yaml_patch  # type: ignore[misc]
        assert old in text, (name, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    for child in HERE.iterdir():
        if child.is_dir() and not child.name.startswith("_"):
            shutil.rmtree(child)
    ok = HERE / "_ok"
    if ok.exists():
        shutil.rmtree(ok)
    case = base_case()
    write_base(ok, case)
    (ok / "sag.yaml").write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in CASES:
        build(name, HERE / name)
    print(f"{len(CASES)} cases written to {HERE}")


if __name__ == "__main__":
    main()
