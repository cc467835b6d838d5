"""Mapping and scales in the case file: columns by name/prefix/pattern/position, recoding,
label matching, custom and shared scales, missing codes, reverse coding, warnings, account."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from reportgen.settings.case import parse_case
from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.ingest.load import load
from reportgen.models.survey import MISSING_CODE, MISSING_LABEL, Survey
from reportgen.ingest.scales import BUILTIN, find_scale

HEADER = ["Resp", "Kommunenavn", "Ydelse", "Q1_a", "Q1_b", "Q2_a", "Note"]


def rows(q1a: list[str], q1b: list[str] | None = None, q2a: list[str] | None = None,
         munis: list[str] | None = None) -> list[list[str]]:
    n = len(q1a)
    q1b = q1b or ["3"] * n
    q2a = q2a or ["2"] * n
    munis = munis or (["Ærø", "Tønder"] * n)[:n]
    groups = (["A-dagpenge", "Sygedagpenge"] * n)[:n]
    return [[str(i + 1), munis[i], groups[i], q1a[i], q1b[i], q2a[i], ""] for i in range(n)]


def write(tmp: Path, body: list[list[str]], header: list[str] = HEADER) -> None:
    text = "\n".join(";".join(r) for r in [header, *body]) + "\n"
    (tmp / "d.csv").write_text(text, encoding="utf-8")


def run(tmp: Path, data: dict[str, Any], **extra: Any) -> Survey:
    raw = {"sag": {"titel": "T", "kommune": "Ærø", "udvalg": "U"},
           "data": {"besvarelser": "d.csv", "kolonner": {"respondent_id": "Resp", "kommune": "Kommunenavn"}, **data},
           **extra}
    (tmp / "sag.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load(parse_case(raw), tmp, case_file="sag.yaml")


def fail(tmp: Path, data: dict[str, Any]) -> list[Any]:
    with pytest.raises(InputError) as info:
        run(tmp, data)
    return info.value.problems


Q = [{"praefiks": "Q1_", "tema": "Et"}, {"kolonne": "Q2_a", "tema": "To"}]


# --------------------------------------------------------------------------- selecting columns


@pytest.mark.parametrize("selector", [
    {"praefiks": "Q"}, {"praefiks": "q"}, {"moenster": "Q[12]_.*"}, {"position": "D:F"}, {"position": "4-6"},
    {"kolonner": ["Q1_a", "q1_b", "Q2_A"]},
])
def test_question_selectors(tmp_path: Path, selector: dict[str, Any]) -> None:
    write(tmp_path, rows(["5", "4", "3", "2"]))
    s = run(tmp_path, {"spoergsmaal": [{**selector, "tema": "Et"}]})
    assert [q.column for q in s.questions] == ["Q1_a", "Q1_b", "Q2_a"]
    assert [q.number for q in s.questions] == ["1.1", "1.2", "1.3"]


def test_single_position_with_id_and_text(tmp_path: Path) -> None:
    write(tmp_path, rows(["5", "4", "3", "2"]))
    s = run(tmp_path, {"spoergsmaal": [{"position": 4, "id": "tilf", "tekst": "Hvor tilfreds?", "tema": "Et"},
                                       {"position": "E", "tema": "Et"}]})
    assert [(q.id, q.column, q.text) for q in s.questions] == [("tilf", "Q1_a", "Hvor tilfreds?"),
                                                               ("Q1_b", "Q1_b", "Q1_b")]


def test_patterns_skip_background_and_catalogue_columns(tmp_path: Path) -> None:
    write(tmp_path, rows(["5", "4", "3", "2"]), header=["Q_id", "Kommunenavn", "Ydelse", "Q1_a", "Q1_b", "Q2_a", "N"])
    (tmp_path / "k.csv").write_text("kolonne;tema;skala\nQ2_a;Særskilt;tilfredshed5\n", encoding="utf-8")
    s = run(tmp_path, {"katalog": "k.csv", "spoergsmaal": [{"praefiks": "Q", "tema": "Et"}],
                       "kolonner": {"respondent_id": "Q_id", "kommune": "Kommunenavn"}})
    assert [(q.column, q.theme) for q in s.questions] == [("Q2_a", "Særskilt"), ("Q1_a", "Et"), ("Q1_b", "Et")]


def test_column_names_match_ignoring_case_and_spacing(tmp_path: Path) -> None:
    write(tmp_path, rows(["5", "4", "3", "2"]), header=["RESP", "Kommune navn", "Ydelse", "Q1_a", "Q1_b", "Q2_a", "N"])
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": {"respondent_id": "resp", "kommune": "kommune  navn",
                                                       "maalgruppe": "YDELSE"}})
    assert list(s.responses["respondent_id"]) == ["1", "2", "3", "4"]
    assert set(s.responses["maalgruppe"]) == {"A-dagpenge", "Sygedagpenge"}


def test_recoding_categories_and_municipalities(tmp_path: Path) -> None:
    write(tmp_path, rows(["5", "4", "3", "2"], munis=["ÆRØ KOMMUNE", "Tønder", "Ærø kommune", "Tønder"]))
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": {"respondent_id": "Resp", "kommune": "Kommunenavn",
                                                       "maalgruppe": "Ydelse", "ekstra": {"note": "Note"}},
                       "omkodning": {"maalgruppe": {"a-dagpenge": "Dagpengemodtagere", "Kontanthjælp": "X"},
                                     "Kommunenavn": {"Ærø Kommune": "Ærø"}}})
    assert list(s.responses["kommune"]) == ["Ærø", "Tønder", "Ærø", "Tønder"]
    assert list(s.responses["maalgruppe"]) == ["Dagpengemodtagere", "Sygedagpenge"] * 2
    assert s.group_columns == ("maalgruppe", "note")
    assert any("'Kontanthjælp'" in w and "bruges ikke" in w for w in s.account.warnings)


def test_single_municipality_export_without_municipality_column(tmp_path: Path) -> None:
    write(tmp_path, [r[:1] + r[3:] for r in rows(["5", "4", "3", "2"])],
          header=["Resp", "Q1_a", "Q1_b", "Q2_a", "Note"])
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": {"respondent_id": "Resp"}})
    assert set(s.responses["kommune"]) == {"Ærø"} and not s.has_municipalities


# --------------------------------------------------------------------------- labels and scales


def test_label_matching_tolerates_case_space_and_nfd_but_nothing_looser(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Hverken tilfreds eller utilfreds")
    write(tmp_path, rows(["  meget TILFREDS ", nfd, "ved ikke", "Tilfreds"]))
    s = run(tmp_path, {"spoergsmaal": Q})
    assert list(s.responses["Q1_a"].fillna(-1)) == [5, 3, -1, 4]
    write(tmp_path, rows(["Meget  tilfreds", "Tilfreds.", "4", "Tilfreds"]))
    ps = fail(tmp_path, {"spoergsmaal": Q})
    assert {p.value for p in ps} == {"Meget  tilfreds", "Tilfreds."}
    assert all(p.row in (2, 3) and p.column == "Q1_a" for p in ps)


@pytest.mark.parametrize("name,labels", [
    ("tilfredshed5", ["Meget utilfreds", "Utilfreds", "Hverken tilfreds eller utilfreds", "Tilfreds",
                      "Meget tilfreds"]),
    ("grad5", ["I meget lav grad", "I lav grad", "I nogen grad", "I høj grad", "I meget høj grad"]),
    ("grad4", ["Slet ikke", "I mindre grad", "I nogen grad", "I høj grad"]),
    ("enighed5", ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig", "Helt enig"]),
    ("janej", ["Nej", "Ja"]),
])
def test_builtin_scales(tmp_path: Path, name: str, labels: list[str]) -> None:
    answers = (labels * 2)[:4]
    write(tmp_path, rows(answers))
    s = run(tmp_path, {"spoergsmaal": [{"kolonne": "Q1_a", "tema": "Et", "skala": name}]})
    scale = BUILTIN[name]
    assert list(s.responses["Q1_a"]) == [scale.values[labels.index(a)] for a in answers]
    assert len(scale.positive) == len(scale.negative) == (1 if name == "janej" else 2)


def test_scale_names_tolerate_spelling() -> None:
    assert find_scale("Tilfredshed", BUILTIN) is BUILTIN["tilfredshed5"]
    assert find_scale("Ja/nej", BUILTIN) is BUILTIN["janej"]
    assert find_scale("GRAD 4", BUILTIN) is BUILTIN["grad4"]
    assert find_scale("grad", BUILTIN) is None


def test_custom_three_point_scale_with_codes_reversed_in_the_data(tmp_path: Path) -> None:
    write(tmp_path, rows(["1", "2", "3", "Dårlig"]))
    s = run(tmp_path, {"spoergsmaal": [{"kolonne": "Q1_a", "tema": "Et", "skala": "tre"}],
                       "skalaer": {"tre": {"etiketter": ["Dårlig", "Middel", "God"], "koder": [3, 2, 1],
                                           "positive": ["God"], "negative": [1]}}})
    assert list(s.responses["Q1_a"]) == [3, 2, 1, 1]
    q = s.questions[0]
    assert q.scale.positive == frozenset({3.0}) and q.scale.negative == frozenset({1.0})
    assert q.scale.title == "1 = Dårlig … 3 = God"


def test_eleven_point_scale_missing_codes_and_reverse_coding(tmp_path: Path) -> None:
    write(tmp_path, rows(["0", "10", "99", "7"], q1b=["0", "10", "8", "9"]))
    labels = [str(i) for i in range(11)]
    s = run(tmp_path, {"spoergsmaal": [{"kolonne": "Q1_a", "tema": "Et", "skala": "nps"},
                                       {"kolonne": "Q1_b", "tema": "Et", "skala": "nps", "omvendt": "ja"}],
                       "skalaer": {"nps": {"etiketter": labels, "vaerdier": list(range(11)),
                                           "positive": [9, 10], "negative": list(range(7))}},
                       "manglende_koder": [9, 99, "NA"]})
    assert list(s.responses["Q1_a"].fillna(-1)) == [0, 10, -1, 7]
    assert list(s.missing_kind["Q1_a"]) == [0, 0, MISSING_CODE, 0]
    # 9 is a value on this scale, so the global missing code 9 does not apply to it
    assert list(s.responses["Q1_b"]) == [10, 0, 2, 1]


def test_reverse_coding_with_uneven_values(tmp_path: Path) -> None:
    write(tmp_path, rows(["Lav", "Høj", "Middel", "Lav"]))
    s = run(tmp_path, {"spoergsmaal": [{"kolonne": "Q1_a", "tema": "Et", "skala": "u", "omvendt": True}],
                       "skalaer": {"u": {"etiketter": ["Lav", "Middel", "Høj"], "vaerdier": [0, 50, 100]}}})
    assert list(s.responses["Q1_a"]) == [100, 0, 50, 100]


def test_shared_scale_file_and_default_scale(tmp_path: Path) -> None:
    (tmp_path / "skalaer.yaml").write_text(
        "skalaer:\n  fire:\n    etiketter: [Aldrig, Sjældent, Ofte, Altid]\n    mangler: [Husker ikke]\n"
        "    manglende_koder: [9]\n", encoding="utf-8")
    write(tmp_path, rows(["Altid", "husker ikke", "9", "1"], q1b=["Aldrig"] * 4, q2a=["Ofte"] * 4))
    s = run(tmp_path, {"spoergsmaal": [{"praefiks": "Q", "tema": "Et"}], "skalafil": "skalaer.yaml",
                       "standardskala": "fire"})
    assert list(s.responses["Q1_a"].fillna(-1)) == [4, -1, -1, 1]
    assert list(s.missing_kind["Q1_a"]) == [0, MISSING_LABEL, MISSING_CODE, 0]
    assert {q.scale.name for q in s.questions} == {"fire"}


def test_global_missing_labels(tmp_path: Path) -> None:
    write(tmp_path, rows(["#NULL!", "Uoplyst", "4", "5"]))
    s = run(tmp_path, {"spoergsmaal": Q, "manglende_etiketter": ["#NULL!", "Uoplyst"]})
    assert list(s.missing_kind["Q1_a"]) == [MISSING_LABEL, MISSING_LABEL, 0, 0]


# --------------------------------------------------------------------------- warnings and account


def test_whole_column_of_ved_ikke_is_a_warning_and_left_out(tmp_path: Path) -> None:
    write(tmp_path, rows(["5", "4", "3", "2"], q2a=["Ved ikke"] * 4))
    s = run(tmp_path, {"spoergsmaal": Q})
    assert [q.column for q in s.questions] == ["Q1_a", "Q1_b"]
    assert s.themes == ("Et",)
    assert any("Q2_a" in w and "ingen gyldige svar" in w for w in s.account.warnings)


def test_few_answers_warning(tmp_path: Path) -> None:
    write(tmp_path, rows(["5", "4", "3", "2"] * 3))
    s = run(tmp_path, {"spoergsmaal": Q})
    assert any("kun 6 gyldige svar i Ærø" in w for w in s.account.warnings)


def test_rows_are_accounted_for(tmp_path: Path) -> None:
    body = rows(["5", "", "Ved ikke", "2", "4"], q1b=["3", "", "", "1", "1"], q2a=["2", "", "", "3", "3"],
                munis=["Ærø", "Tønder", "Ærø", "", "Tønder"])
    write(tmp_path, body)
    s = run(tmp_path, {"spoergsmaal": Q})
    acc = s.account
    assert (acc.rows_read, acc.rows_used) == (5, 2)
    assert dict(acc.rows_excluded) == {"ingen kommune angivet": 1,
                                       "ingen gyldige svar (kun blanke eller 'Ved ikke')": 2}
    assert acc.rows_read == acc.rows_used + sum(acc.rows_excluded.values())


def test_all_problems_in_one_pass(tmp_path: Path) -> None:
    write(tmp_path, rows(["5", "Tilfredss", "3", "9"], q2a=["2", "2", "7", "2"]) +
          [["2", "Ærø", "A-dagpenge", "4", "4", "4", ""]])
    (tmp_path / "inv.csv").write_text("kommune;inviterede\nTønder;40\n", encoding="utf-8")
    ps = fail(tmp_path, {"spoergsmaal": Q + [{"kolonne": "Q9", "tema": "X"}], "inviterede": "inv.csv",
                         "kolonner": {"respondent_id": "Resp", "kommune": "Kommunenavn", "koen": "Køn"}})
    messages = {p.message.split(" (")[0] for p in ps}
    assert {"Ukendt svarkategori", "Svaret ligger uden for skalaen", "Respondent-id'et forekommer flere gange",
            "Spørgsmålets kolonne findes ikke i besvarelserne", "Kolonnen til 'koen' findes ikke i besvarelserne",
            "Kommunen mangler i filen med inviterede"} <= messages


def test_validate_prints_the_account_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, rows(["5", "4", "Ved ikke", "2"] * 3))
    run(tmp_path, {"spoergsmaal": Q})
    assert main(["validate", str(tmp_path / "sag.yaml"), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "Rækker indlæst: 12; brugt: 12" in out and "Intet er skrevet" in out
    assert not (tmp_path / "out").exists()


def test_rows_without_period_are_left_out_and_counted(tmp_path: Path) -> None:
    header = HEADER + ["Måling"]
    body = [r + [p] for r, p in zip(rows(["5", "4", "3", "2"]), ["2023", "2024", "", "2024"])]
    write(tmp_path, body, header=header)
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": {"respondent_id": "Resp", "kommune": "Kommunenavn",
                                                       "periode": "Måling"}})
    assert s.periods == ("2023", "2024")
    assert dict(s.account.rows_excluded) == {"ingen periode angivet": 1}
    assert s.account.rows_used == 3


def test_catalogue_without_scale_column_uses_the_default_scale(tmp_path: Path) -> None:
    write(tmp_path, rows(["I høj grad", "Slet ikke", "I nogen grad", "I mindre grad"], q1b=["I høj grad"] * 4))
    (tmp_path / "k.csv").write_text("ID;Tema;Tekst\nQ1_a;Et;Første\nQ1_b;Et;Anden\n", encoding="utf-8")
    s = run(tmp_path, {"katalog": "k.csv", "standardskala": "grad4"})
    assert [q.scale.name for q in s.questions] == ["grad4", "grad4"]
    assert list(s.responses["Q1_a"]) == [4, 1, 3, 2]
    with pytest.raises(InputError, match="Kolonnen mangler i spørgsmålskataloget"):
        run(tmp_path, {"katalog": "k.csv"})


def test_same_respondent_id_in_two_periods_is_allowed(tmp_path: Path) -> None:
    header = HEADER + ["Måling"]
    body = [r + [p] for r, p in zip(rows(["5", "4", "3", "2"]), ["2023", "2024", "2024", "2024"])]
    body[1][0] = "1"
    write(tmp_path, body, header=header)
    cols = {"respondent_id": "Resp", "kommune": "Kommunenavn", "periode": "Måling"}
    assert run(tmp_path, {"spoergsmaal": Q, "kolonner": cols}).account.rows_used == 4
    body[3][0] = "1"  # now id 1 twice in 2024
    write(tmp_path, body, header=header)
    (p,) = fail(tmp_path, {"spoergsmaal": Q, "kolonner": cols})
    assert (p.row, p.value) == (5, "1") and "også brugt i række 3" in str(p)


def test_windows_backslashes_in_paths(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", rows(["5", "4", "3", "2"]))
    s = run(tmp_path, {"besvarelser": "data\\d.csv", "spoergsmaal": Q})
    assert s.account.rows_read == 4
