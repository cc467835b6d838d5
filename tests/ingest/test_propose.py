"""The mapping proposal: roles from names and values, scales from labels and codes."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert got["id"].role == "ignorer" and got["id"].key == "respondent_id"  # not analysed
    assert got["koen"].role == "baggrund" and got["koen"].key == "koen"
    assert (got["q1"].role, got["q1"].scale, got["q1"].missing_codes) == ("spoergsmaal", "tilfredshed5", ())
    assert (got["q2_r"].scale, got["q2_r"].missing_codes, got["q2_r"].reverse) == ("grad4", (9.0,), True)
    assert got["tilfreds"].scale == "tilfredshed5"
    assert (got["fritekst"].role, got["fritekst"].key) == ("baggrund", "kommentar")
    assert (got["loebenr"].role, got["loebenr"].key) == ("ignorer", None)  # a second id: only one keeps the key
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


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.parametrize("export", ["demo/besvarelser.csv", "batch/besvarelser.csv"])
def test_the_fixture_exports_respondent_id_is_ignored_not_background(export):
    got = {p.column: p for p in propose(read_table(FIXTURES / export, display=export))}
    assert (got["respondent_id"].role, got["respondent_id"].key) == ("ignorer", "respondent_id")
    assert [p.column for p in got.values() if p.key == "respondent_id"] == ["respondent_id"]
    assert got["koen"].role == "baggrund" and got["kommune"].role == "kommune"


def test_an_id_column_is_found_by_its_values(tmp_path):
    rows = ["nr;tekst;vaegt;svar;kode"]
    for i in range(20):
        rows.append(f"{i + 1};fin service nr {i};0,{90 + i};{1 + i % 5};A-{i:03d}/2024")
    got = {p.column: p for p in propose(_table(tmp_path, "\n".join(rows)))}
    assert (got["nr"].role, got["nr"].key) == ("ignorer", "respondent_id")  # unique filled integers
    assert got["kode"].key is None  # also id-like, but only the first column is the id
    assert got["tekst"].key is None and got["vaegt"].key is None  # unique, but text and decimals
    assert got["svar"].role == "spoergsmaal"


def test_a_column_with_repeats_or_blanks_is_no_id(tmp_path):
    rows = ["a;b"] + [f"{i % 15};{'' if i == 4 else i}" for i in range(20)]
    got = {p.column: p for p in propose(_table(tmp_path, "\n".join(rows)))}
    assert got["a"].key is None and got["b"].key is None


def test_the_ignored_id_still_finds_repeated_respondents(tmp_path):
    """kolonner.respondent_id is written for the ignored id column, so the loader's check
    for repeated ids runs on a case made from the proposal."""
    from reportgen.errors import InputError
    from reportgen.ingest.sources import load_all
    from reportgen.web.mapping_state import initial_roles

    text = (FIXTURES / "demo" / "besvarelser.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[3] = lines[2].split(";")[0] + ";" + lines[3].split(";", 1)[1]  # row 3's id again in row 4
    (tmp_path / "b.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    roles = initial_roles(propose(read_table(tmp_path / "b.csv", display="b.csv")))
    data = to_data_settings(roles, with_catalogue=False)
    assert data["kolonner"]["respondent_id"] == "respondent_id"
    assert "respondent_id" not in data["kolonner"].get("ekstra", {})
    case = parse_case({"sag": {"titel": "T", "kommune": "Norddjurs", "udvalg": "U"},
                       "data": {"besvarelser": "b.csv", "fokus": "Norddjurs", **data}})
    with pytest.raises(InputError) as err:
        load_all(case, tmp_path, case_file="sagsfil")
    assert any("forekommer flere gange" in str(p) and "respondent_id" in str(p) for p in err.value.problems)
