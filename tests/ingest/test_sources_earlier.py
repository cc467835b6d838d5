"""Earlier exports (``analyse.tidligere``): a question or a municipality missing from an
earlier export, the earlier exports' own warnings, and how their rows are accounted for.

Three periods of synthetic data: 2024 is the main export, 2022 and 2023 earlier exports.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import synth
from tests.analysis.test_analyze_kit import model_text, write_case, write_csv

MUNIS = ["Norddjurs", "Syddjurs", "Aarhus"]


def integer(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return synth.generate(2400, MUNIS, seed=11, periods=("2022", "2023", "2024"), sizes={"Norddjurs": 600})


def _case(folder: Path, frames, earlier: dict[str, pd.DataFrame], main: pd.DataFrame | None = None,
          data: dict | None = None) -> Path:
    resp, cat, inv = frames
    for p, df in earlier.items():
        write_csv(df.drop(columns="periode"), folder / f"besvarelser_{p}.csv")
    main = (resp[resp["periode"] == "2024"] if main is None else main).drop(columns="periode")
    inv24 = inv[inv["periode"] == "2024"].drop(columns="periode")
    return write_case(folder, main, cat, invited=inv24, data=data, analyse={
        "periode": "2024", "tidligere": [{"periode": p, "besvarelser": f"besvarelser_{p}.csv"} for p in earlier]})


@pytest.fixture(scope="module")
def report(tmp_path_factory, frames):
    """2023 lacks the column q2_3 and spells Norddjurs 'Norddjurs Kommune'; in 2022 every
    answer to q1_3 is 'Ved ikke'. The main export spells a target group 'Aktivitetsparat'
    (recoded), so the recoding is unused in the earlier exports: a warning of theirs."""
    from reportgen.api import build

    resp = frames[0]
    y2022 = resp[resp["periode"] == "2022"].copy()
    y2022["q1_3"] = "Ved ikke"
    y2023 = resp[resp["periode"] == "2023"].drop(columns="q2_3")
    y2023["kommune"] = y2023["kommune"].replace({"Norddjurs": "Norddjurs Kommune"})
    main = resp[resp["periode"] == "2024"].copy()
    main["maalgruppe"] = main["maalgruppe"].replace({"Aktivitetsparate": "Aktivitetsparat"})
    recode = {"omkodning": {"maalgruppe": {"Aktivitetsparat": "Aktivitetsparate"}}}
    return build(_case(tmp_path_factory.mktemp("earlier"), frames, {"2022": y2022, "2023": y2023}, main, recode))


def test_question_missing_from_an_earlier_export_counts_as_unanswered(report, frames):
    warnings = report.survey.account.warnings
    assert "Spørgsmål 2.3 (q2_3) findes ikke i den tidligere måling 2023; det indgår ikke i udviklingen for 2023." \
        in warnings
    by_period = {pr.period: pr for pr in report.results.trend.results}
    assert by_period["2023"].focus.questions["q2_3"].n == 0
    assert by_period["2022"].focus.questions["q2_3"].n > 0 and by_period["2024"].focus.questions["q2_3"].n > 0
    resp = frames[0]
    want = resp[(resp["periode"] == "2023") & (resp["kommune"] == "Norddjurs")]["q2_2"]
    assert by_period["2023"].focus.questions["q2_2"].n == int(pd.to_numeric(want, errors="coerce").notna().sum())


def test_earlier_municipality_spelling_is_matched(report, frames):
    """'Norddjurs Kommune' in the 2023 export is Norddjurs of the main export."""
    resp = frames[0]
    by_period = {pr.period: pr for pr in report.results.trend.results}
    assert by_period["2023"].focus.n_respondents == int(((resp["periode"] == "2023") &
                                                         (resp["kommune"] == "Norddjurs")).sum())


def test_earlier_exports_warnings_are_kept_with_their_period(report):
    warnings = report.survey.account.warnings
    for p in ("2022", "2023"):
        assert (f"Den tidligere måling {p}: Omkodningen af 'Aktivitetsparat' i kolonnen maalgruppe bruges ikke; "
                "værdien findes ikke i data.") in warnings
    assert not any(w.startswith("Omkodningen") for w in warnings)  # used in the main export
    assert "Bemærk: Den tidligere måling 2022: Omkodningen" in model_text(report)


def test_question_without_valid_answers_in_an_earlier_export(report):
    warnings = report.survey.account.warnings
    assert "Spørgsmål 1.3 (q1_3) har ingen gyldige svar i den tidligere måling 2022; det indgår ikke i udviklingen " \
           "for 2022." in warnings
    assert [w for w in warnings if "(q1_3)" in w] == [warnings[warnings.index(
        "Spørgsmål 1.3 (q1_3) har ingen gyldige svar i den tidligere måling 2022; det indgår ikke i udviklingen "
        "for 2022.")]]  # said once
    by_period = {pr.period: pr for pr in report.results.trend.results}
    assert by_period["2022"].focus.questions["q1_3"].n == 0 and by_period["2023"].focus.questions["q1_3"].n > 0


def test_account_counts_the_earlier_exports_rows_as_trend_rows(report, frames):
    resp = frames[0]
    n = resp["periode"].value_counts()
    acc = report.survey.account
    assert acc.period == "2024"
    assert acc.rows_read == acc.rows_used == len(resp)
    assert acc.rows_period == n["2024"] and acc.rows_earlier == n["2022"] + n["2023"] and acc.rows_later == 0
    assert {"besvarelser.csv", "besvarelser_2022.csv", "besvarelser_2023.csv"} <= set(acc.files)
    assert any(s.startswith("besvarelser_2023.csv: CSV, tegnsæt") for s in acc.sources)
    note = (f"I alt er {integer(len(resp))} besvarelser indlæst: {integer(n['2024'])} fra målingen 2024 og "
            f"{integer(n['2022'] + n['2023'])} fra tidligere målinger, som kun bruges til at vise udviklingen over tid.")
    assert note in model_text(report)


def test_focus_missing_from_an_earlier_export(tmp_path, frames):
    """Not an error: the trend has no figures for the focus in that period, and a warning says so."""
    from reportgen.api import build

    resp = frames[0]
    y2023 = resp[(resp["periode"] == "2023") & (resp["kommune"] != "Norddjurs")]
    report = build(_case(tmp_path, frames, {"2023": y2023}))
    assert [pr.focus.n_respondents for pr in report.results.trend.results][0] == 0
    assert "Norddjurs har ingen besvarelser i målingen 2023; udviklingen har ingen tal for 2023." \
        in report.survey.account.warnings
