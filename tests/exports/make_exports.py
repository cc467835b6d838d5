"""Provider-style survey exports (CSV, XLSX, SAV) made from ``reportgen.synth`` data.

Each export looks like a real provider's file rather than reportgen's own format: a title
block above the header, foreign column names, target groups under the provider's names,
label answers (or SPSS codes with value labels), and a separate question catalogue. The
case file maps it all. ``python tests/exports/make_exports.py`` rewrites the committed
worked examples in tests/exports/{csv,xlsx,sav}/ (referenced from docs/input.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # the test-data generator
import synth  # noqa: E402
from reportgen.ingest.scales import BUILTIN

MUNICIPALITIES = ["Norddjurs", "Syddjurs", "Randers", "Favrskov", "Aarhus", "Skanderborg"]
FOCUS = "Norddjurs"

# reportgen's target groups under a provider's names (mapped back with data.omkodning).
PROVIDER_GROUPS = {
    "Dagpengemodtagere": "A-dagpenge",
    "Sygedagpengemodtagere": "Sygedagpenge",
    "Jobafklaring": "Jobafklaringsforløb",
    "Aktivitetsparate": "Kontanthjælp, aktivitetsparat",
    "Job- og uddannelsesparate": "Kontanthjælp, jobparat",
    "Ressourceforløb": "Ressourceforløb",
}
BACKGROUND = {"respondent_id": "Løbenr.", "kommune": "Kommunenavn", "maalgruppe": "Ydelse",
              "koen": "Køn", "alder": "Aldersgruppe", "periode": "Måling"}
SPSS_NAMES = {"respondent_id": "lobenr", "kommune": "kommune_kode", "maalgruppe": "ydelse",
              "koen": "kon", "alder": "alder_grp", "periode": "maaling"}
TITLE = ["Borgerundersøgelse på beskæftigelsesområdet 2024", "Udtræk: respondentdata (Analyseinstitut A/S)"]


def question_column(qid: str, fmt: str) -> str:
    """The provider's column for a question: 'Spm. 1.1' (CSV/XLSX) or 'S1_1' (SAV)."""
    return f"S{qid[1:]}" if fmt == "sav" else f"Spm. {qid[1:].replace('_', '.')}"


def generate(n: int = 2400, seed: int = 5) -> pd.DataFrame:
    """Respondent-level answers as labels (reportgen's own column names and categories)."""
    responses, _, _ = synth.generate(n, MUNICIPALITIES, seed=seed, labels=True, sizes={FOCUS: n // 4})
    return responses


def invited(responses: pd.DataFrame) -> pd.DataFrame:
    counts = responses["kommune"].value_counts()
    return pd.DataFrame({"kommune": counts.index, "inviterede": (counts.to_numpy() * 2.6).round().astype(int)})


def provider_frame(responses: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """The answers under the provider's column names and group names, label answers."""
    out = pd.DataFrame({BACKGROUND[k]: responses[k] for k in BACKGROUND})
    out[BACKGROUND["maalgruppe"]] = responses["maalgruppe"].map(PROVIDER_GROUPS)
    out["Bemærkninger"] = responses["kommentar"]
    for q in synth.CATALOGUE:
        out[question_column(q["id"], fmt)] = responses[q["id"]]
    return out


def catalogue(fmt: str, with_text: bool = True) -> pd.DataFrame:
    rows = []
    for q in synth.CATALOGUE:
        row = {"id": q["id"], "kolonne": question_column(q["id"], fmt), "tema": q["tema"], "skala": q["skala"],
               "omvendt": "ja" if q["omvendt"] else ""}
        if with_text:
            row["tekst"] = q["tekst"]
        rows.append(row)
    return pd.DataFrame(rows)


def case_dict(fmt: str, data: dict[str, object]) -> dict[str, object]:
    kolonner = {k: (SPSS_NAMES if fmt == "sav" else BACKGROUND)[k] for k in BACKGROUND}
    if fmt != "sav":
        kolonner["kommentar"] = "Bemærkninger"
    return {
        "sag": {"titel": f"Borgerundersøgelsen 2024 ({fmt.upper()}-udtræk)", "kommune": "Norddjurs Kommune",
                "udvalg": "Arbejdsmarkedsudvalget", "moededato": "2024-06-17", "sagsnummer": "24/1370",
                "dato": "2024-06-03"},
        "data": {**data, "fokus": FOCUS, "kolonner": kolonner,
                 "omkodning": {"maalgruppe": {v: k for k, v in PROVIDER_GROUPS.items() if k != v}}},
        "analyse": {"min_n": 5},
        "tekster": {"indstilling": {"punkter": ["at orienteringen tages til efterretning."]}},
    }


def write_case(folder: Path, case: dict[str, object]) -> Path:
    path = folder / "sag.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- CSV


def write_csv_export(folder: Path, responses: pd.DataFrame) -> Path:
    """cp1252, ';'-separated, a two-line title block and a blank line above the header,
    a comment with a line break in quotes; separate catalogue (UTF-8 with BOM, ',')."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = provider_frame(responses, "csv")
    frame.loc[frame.index[1], "Bemærkninger"] = "Første linje;\nanden linje med \"citat\""
    body = frame.to_csv(sep=";", index=False, lineterminator="\r\n")
    title = "".join(f"{t};;;\r\n" for t in TITLE) + "\r\n"
    (folder / "besvarelser.csv").write_bytes((title + body).encode("cp1252"))
    catalogue("csv").to_csv(folder / "katalog.csv", sep=",", index=False, encoding="utf-8-sig")
    invited(responses).to_csv(folder / "inviterede.csv", sep=";", index=False, encoding="utf-8-sig")
    return write_case(folder, case_dict("csv", {"besvarelser": "besvarelser.csv", "katalog": "katalog.csv",
                                                "inviterede": "inviterede.csv"}))


# --------------------------------------------------------------------------- XLSX


def write_xlsx_export(folder: Path, responses: pd.DataFrame, catalogue_sheet: bool = True) -> Path:
    """Title rows (one merged) above the header on row 4, answers as labels, blank formatted
    rows at the end; the catalogue in a sheet 'Spørgsmål' (or a separate katalog.xlsx)."""
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    frame = provider_frame(responses, "xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Besvarelser"
    ws["A1"] = TITLE[0]
    ws.merge_cells("A1:F1")
    ws["A2"] = TITLE[1]
    ws.append([])  # row 3 blank
    ws.append(list(frame.columns))
    for rec in frame.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and np.isnan(v)) else v for v in rec])
    ws.cell(row=ws.max_row + 3, column=1).number_format = "0"  # formatted but empty rows at the end
    table = catalogue("xlsx")
    if catalogue_sheet:
        cat = wb.create_sheet("Spørgsmål")
        cat.append(list(table.columns))
        for rec in table.itertuples(index=False):
            cat.append(list(rec))
        where: dict[str, object] = {"katalog_ark": "Spørgsmål"}
    else:
        table.rename(columns={"id": "Variabel", "tekst": "Spørgsmålstekst"}).to_excel(
            folder / "katalog.xlsx", index=False, sheet_name="Katalog")
        where = {"katalog": "katalog.xlsx", "katalog_kolonner": {"id": "Variabel", "tekst": "Spørgsmålstekst"}}
    wb.save(folder / "besvarelser.xlsx")
    invited(responses).to_csv(folder / "inviterede.csv", sep=";", index=False, encoding="utf-8-sig")
    return write_case(folder, case_dict("xlsx", {"besvarelser": "besvarelser.xlsx", "ark": "Besvarelser", **where,
                                                 "inviterede": "inviterede.csv"}))


# --------------------------------------------------------------------------- SAV


def write_sav_text_export(folder: Path, responses: pd.DataFrame) -> Path:
    """SPSS with the answers as text (string variables holding the labels) and a CSV catalogue."""
    import pyreadstat

    folder.mkdir(parents=True, exist_ok=True)
    frame = provider_frame(responses, "sav").drop(columns=["Bemærkninger"]).fillna("")
    frame.columns = [SPSS_NAMES.get(k, c) for k, c in zip([*BACKGROUND, *frame.columns[len(BACKGROUND):]],
                                                         frame.columns)]
    frame = frame.astype(str)
    pyreadstat.write_sav(frame, str(folder / "besvarelser.sav"))
    catalogue("sav").to_csv(folder / "katalog.csv", sep=";", index=False, encoding="utf-8")
    invited(responses).to_csv(folder / "inviterede.csv", sep=";", index=False, encoding="utf-8-sig")
    return write_case(folder, case_dict("sav", {"besvarelser": "besvarelser.sav", "katalog": "katalog.csv",
                                                "inviterede": "inviterede.csv"}))


def write_sav_export(folder: Path, responses: pd.DataFrame) -> Path:
    """Numeric codes with value labels, 9 = 'Ved ikke' declared user-missing, question texts
    as variable labels, municipality and target group as labelled codes; the catalogue
    (without texts) in a separate workbook and the scale in a shared scale file."""
    import pyreadstat

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, object] = {}
    value_labels: dict[str, dict[float, str]] = {}
    for key in ("kommune", "maalgruppe"):
        cats = sorted(responses[key].unique())
        names = [PROVIDER_GROUPS[c] for c in cats] if key == "maalgruppe" else cats
        codes = {c: float(i + 1) for i, c in enumerate(cats)}
        out[SPSS_NAMES[key]] = responses[key].map(codes).astype(float)
        value_labels[SPSS_NAMES[key]] = {codes[c]: n for c, n in zip(cats, names)}
    out[SPSS_NAMES["respondent_id"]] = np.arange(1, len(responses) + 1, dtype=float)
    for key in ("koen", "alder", "periode"):
        out[SPSS_NAMES[key]] = responses[key].astype(str)
    labels: dict[str, str] = {}
    missing: dict[str, list[float]] = {}
    for q in synth.CATALOGUE:
        scale = BUILTIN[q["skala"]]
        code_of = {lab: float(v) for lab, v in zip(scale.labels, scale.values)} | {synth.VED_IKKE: 9.0}
        col = question_column(q["id"], "sav")
        out[col] = responses[q["id"]].map(code_of).astype(float)
        value_labels[col] = {v: k for k, v in code_of.items()}
        labels[col] = q["tekst"]
        missing[col] = [9.0]
    frame = pd.DataFrame(out)
    pyreadstat.write_sav(frame, str(folder / "besvarelser.sav"), column_labels=labels,
                         variable_value_labels=value_labels, missing_ranges=missing)
    table = catalogue("sav", with_text=False)
    table["skala"] = table["skala"].map({"tilfredshed5": "tilfreds", "grad5": "grad"})
    table.to_excel(folder / "katalog.xlsx", index=False, sheet_name="Katalog")
    (folder / "skalaer.yaml").write_text(SCALE_FILE, encoding="utf-8")
    invited(responses).to_csv(folder / "inviterede.csv", sep=";", index=False, encoding="utf-8-sig")
    return write_case(folder, case_dict("sav", {"besvarelser": "besvarelser.sav", "katalog": "katalog.xlsx",
                                                "skalafil": "skalaer.yaml", "inviterede": "inviterede.csv"}))


SCALE_FILE = """\
# Fælles skalaer for analyseinstituttets SPSS-udtræk (9 = Ved ikke).
tilfreds:
  etiketter: [Meget utilfreds, Utilfreds, Hverken tilfreds eller utilfreds, Tilfreds, Meget tilfreds]
  positive: [Tilfreds, Meget tilfreds]
  negative: [Meget utilfreds, Utilfreds]
  manglende_koder: [9]
grad:
  etiketter: [I meget lav grad, I lav grad, I nogen grad, I høj grad, I meget høj grad]
  manglende_koder: [9]
"""


WRITERS = {"csv": write_csv_export, "xlsx": write_xlsx_export, "sav": write_sav_export}
VARIANTS = {**WRITERS, "xlsx-katalogfil": lambda f, r: write_xlsx_export(f, r, catalogue_sheet=False),
            "sav-tekstsvar": write_sav_text_export}


def main() -> None:
    here = Path(__file__).resolve().parent
    responses = generate(n=300, seed=2)
    for fmt, writer in WRITERS.items():
        print(writer(here / fmt, responses))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
