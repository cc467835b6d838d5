"""The mapping proposal: roles from names and values, scales from labels and codes."""

from __future__ import annotations

from pathlib import Path

from reportgen.ingest.propose import propose, scale_for, to_data_settings
from reportgen.ingest.read import read_table
from reportgen.settings.case import parse_case


def _table(tmp_path: Path, text: str):
    path = tmp_path / "b.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path, display="b.csv")


def test_roles_scales_and_missing_codes(tmp_path):
    rows = ["id;Kommune;ydelse;koen;q1;q2_r;tilfreds;fritekst;loebenr"]
    for i in range(30):
        rows.append(f"R{i};{'AB'[i % 2]};G{i % 3};{'MK'[i % 2]};{1 + i % 5};{9 if i == 3 else 1 + i % 4};"
                    f"{['Tilfreds', 'Meget tilfreds', 'Utilfreds'][i % 3]};tekst nummer {i};{1000 + i}")
    got = {p.column: p for p in propose(_table(tmp_path, "\n".join(rows)))}
    assert got["Kommune"].role == "kommune" and got["ydelse"].role == "maalgruppe"
    assert got["id"].role == "baggrund" and got["id"].key == "respondent_id"
    assert got["koen"].role == "baggrund" and got["koen"].key == "koen"
    assert (got["q1"].role, got["q1"].scale, got["q1"].missing_codes) == ("spoergsmaal", "tilfredshed5", ())
    assert (got["q2_r"].scale, got["q2_r"].missing_codes, got["q2_r"].reverse) == ("grad4", (9.0,), True)
    assert got["tilfreds"].scale == "tilfredshed5"
    assert (got["fritekst"].role, got["fritekst"].key) == ("baggrund", "kommentar")
    assert got["loebenr"].role == "ignorer"  # many distinct values, no scale, no known name
    assert got["q1"].samples[:2] == ("1", "2") and got["q1"].rows == 30


def test_scale_for_unknown_labels_is_none():
    assert scale_for(["Rød", "Grøn", "Blå"]) == (None, ())
    assert scale_for(["Ja", "Nej", "Ved ikke"]) == ("janej", ())


def test_settings_are_a_valid_case_file():
    roles = {"kommune": {"role": "kommune"}, "ydelse": {"role": "maalgruppe"}, "koen": {"role": "baggrund"},
             "by": {"role": "baggrund"}, "q1_1": {"role": "spoergsmaal", "scale": "grad5", "reverse": True,
                                                  "missing_codes": [9.0]}, "x": {"role": "ignorer"}}
    data = to_data_settings(roles, with_catalogue=False)
    assert data["kolonner"] == {"kommune": "kommune", "maalgruppe": "ydelse", "koen": "koen", "ekstra": {"by": "by"}}
    assert data["spoergsmaal"] == [{"kolonne": "q1_1", "tema": "Tema q1", "skala": "grad5", "omvendt": True}]
    assert data["manglende_koder"] == [9.0]
    case = parse_case({"sag": {"titel": "T", "kommune": "K", "udvalg": "U"}, "data": {"besvarelser": "b.csv", **data}})
    assert case.data.kolonner.ekstra == {"by": "by"}
