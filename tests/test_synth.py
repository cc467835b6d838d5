"""Tests for the synthetic survey generator and the committed demo fixtures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import synth
from reportgen.settings.case import parse_case
from reportgen.ingest.scales import BUILTIN

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo"
QIDS = [q["id"] for q in synth.CATALOGUE]
BACKGROUND = ["respondent_id", "kommune", "maalgruppe", "koen", "alder", "periode", "kommentar"]


def _numeric(responses: pd.DataFrame) -> pd.DataFrame:
    """Answers as floats in positive direction (reverse-coded items flipped)."""
    num = responses[QIDS].apply(pd.to_numeric, errors="coerce")
    for q in synth.CATALOGUE:
        if q["omvendt"]:
            num[q["id"]] = 6 - num[q["id"]]
    return num


@pytest.fixture(scope="module")
def big() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return synth.generate(30_000, synth.MUNICIPALITIES, seed=11)


def test_same_seed_same_frames() -> None:
    a = synth.generate(800, synth.MUNICIPALITIES[:6], seed=7, periods=["2023", "2024"])
    b = synth.generate(800, synth.MUNICIPALITIES[:6], seed=7, periods=["2023", "2024"])
    for x, y in zip(a, b):
        pd.testing.assert_frame_equal(x, y)
    c = synth.generate(800, synth.MUNICIPALITIES[:6], seed=8, periods=["2023", "2024"])
    assert not a[0].equals(c[0])


def test_columns_and_values(big: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    responses, _, _ = big
    assert list(responses.columns) == BACKGROUND + QIDS
    assert len(responses) == 30_000
    assert responses["respondent_id"].is_unique
    assert responses["respondent_id"].iloc[0] == "R000001"
    assert set(responses["kommune"]) == set(synth.MUNICIPALITIES)
    assert set(responses["maalgruppe"]) == set(synth.TARGET_GROUPS)
    assert set(responses["koen"]) == {"Kvinde", "Mand"}
    assert set(responses["alder"]) == set(synth.AGE_GROUPS)
    assert synth.AGE_GROUPS == ["18-29 år", "30-39 år", "40-49 år", "50-59 år", "60+ år"]
    assert set(responses["periode"]) == {"2024"}
    allowed = {1, 2, 3, 4, 5, "Ved ikke", None}
    for q in QIDS:
        values = set(responses[q].tolist())
        assert values <= allowed, q
        assert all(type(v) is int for v in values if v not in ("Ved ikke", None))


def test_catalogue() -> None:
    _, catalogue, _ = synth.generate(10, ["Norddjurs"], seed=1)
    assert list(catalogue.columns) == ["id", "nummer", "tekst", "tema", "skala", "omvendt"]
    assert catalogue["id"].is_unique and list(catalogue["id"]) == QIDS
    assert list(dict.fromkeys(catalogue["tema"])) == [
        "Overordnet tilfredshed", "Mødet med jobcentret", "Mål og aktiviteter",
        "Samarbejde på tværs", "Samtalen", "Progression"]
    assert catalogue.groupby("tema").size().between(2, 4).all()
    first = catalogue["tema"] == "Overordnet tilfredshed"
    assert set(catalogue.loc[first, "skala"]) == {"tilfredshed5"}
    assert set(catalogue.loc[~first, "skala"]) == {"grad5"}
    assert set(catalogue["omvendt"]) == {"ja", "nej"}
    assert set(catalogue["skala"]) <= set(BUILTIN)
    assert catalogue["nummer"].str.fullmatch(r"\d\.\d").all()


def test_reverse_coded_item_runs_against_its_theme(
        big: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    responses, catalogue, _ = big
    rev = catalogue.loc[catalogue["omvendt"] == "ja"]
    assert len(rev) == 1
    qid, theme = rev["id"].iloc[0], rev["tema"].iloc[0]
    assert "gentage din historie" in rev["tekst"].iloc[0]
    raw = responses[QIDS].apply(pd.to_numeric, errors="coerce")
    others = catalogue.loc[(catalogue["tema"] == theme) & (catalogue["omvendt"] == "nej"), "id"]
    assert len(others) >= 2
    for other in others:
        assert raw[qid].corr(raw[other]) < -0.2
    assert raw[others.iloc[0]].corr(raw[others.iloc[1]]) > 0.2


def test_missing_rates() -> None:
    responses, _, _ = synth.generate(20_000, synth.MUNICIPALITIES[:10], seed=3,
                                     ved_ikke_rate=0.10, blank_rate=0.05)
    answers = responses[QIDS]
    assert (answers == "Ved ikke").to_numpy().mean() == pytest.approx(0.10, abs=0.005)
    assert answers.isna().to_numpy().mean() == pytest.approx(0.05, abs=0.005)
    none, _, _ = synth.generate(2_000, ["Norddjurs"], seed=3, ved_ikke_rate=0, blank_rate=0)
    assert none[QIDS].isin([1, 2, 3, 4, 5]).to_numpy().all()


def test_labels_use_the_scale_texts() -> None:
    responses, _, _ = synth.generate(3_000, ["Norddjurs", "Aarhus"], seed=5, labels=True)
    for q in synth.CATALOGUE:
        allowed = set(BUILTIN[q["skala"]].labels) | {"Ved ikke"}
        assert set(responses[q["id"]].dropna()) <= allowed
    assert "Meget tilfreds" in set(responses["q1_1"])
    assert "I meget høj grad" in set(responses["q2_1"])


def test_realistic_structure(big: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    responses, catalogue, invited = big
    num = _numeric(responses)
    themes = catalogue.groupby("tema", sort=False)["id"].apply(list)
    score = pd.DataFrame({t: num[ids].mean(axis=1) for t, ids in themes.items()})
    by_theme = score.mean()
    assert by_theme.idxmin() == "Progression"
    assert by_theme.drop("Progression").idxmin() == "Samarbejde på tværs"
    assert 2.7 < by_theme.min() and by_theme.max() < 4.1
    by_group = score.mean(axis=1).groupby(responses["maalgruppe"]).mean()
    low = max(by_group["Aktivitetsparate"], by_group["Job- og uddannelsesparate"])
    high = min(by_group[g] for g in ("Dagpengemodtagere", "Sygedagpengemodtagere", "Jobafklaring"))
    assert low < high
    shares = responses["maalgruppe"].value_counts(normalize=True)
    assert shares.idxmin() == "Ressourceforløb"
    sizes = responses["kommune"].value_counts()
    assert sizes.idxmax() == "Aarhus" and sizes.max() > 5 * sizes.min()
    rate = sizes / invited.set_index("kommune")["inviterede"]
    assert list(invited.columns) == ["kommune", "inviterede"]
    assert rate.between(0.345, 0.425).all()


def test_periods_and_invited() -> None:
    responses, _, invited = synth.generate(4_000, ["Norddjurs", "Syddjurs"], seed=2,
                                           periods=["2023K4", "2024K1", "2024K2"])
    assert set(responses["periode"]) == {"2023K4", "2024K1", "2024K2"}
    assert list(invited.columns) == ["kommune", "periode", "inviterede"]
    assert len(invited) == 6
    counts = responses.groupby(["kommune", "periode"]).size()
    rate = counts / invited.set_index(["kommune", "periode"])["inviterede"]
    assert rate.between(0.345, 0.425).all()


def test_comments_include_personal_data() -> None:
    responses, _, _ = synth.generate(20_000, synth.MUNICIPALITIES, seed=4)
    comments = responses["kommentar"].dropna()
    assert len(comments) / len(responses) == pytest.approx(0.05, abs=0.01)
    text = "\n".join(comments)
    assert re.search(r"\b\d{6}-\d{4}\b", text)
    assert re.search(r"\b\d{2} \d{2} \d{2} \d{2}\b", text)
    assert re.search(r"\+45 ?\d", text)
    assert re.search(r"[\w.]+@[\w.]+\.\w+", text)
    assert comments.str.contains(r"\d{6}-\d{4}|@|\d{2} \d{2} \d{2}|\d{8}").mean() < 0.5


def test_pinned_sizes() -> None:
    responses, _, _ = synth.generate(1_000, ["Norddjurs", "Aarhus", "Skive"], seed=9,
                                     sizes={"Norddjurs": 300},
                                     group_sizes={"Norddjurs": {"Ressourceforløb": 3}})
    nd = responses[responses["kommune"] == "Norddjurs"]
    assert len(nd) == 300
    assert (nd["maalgruppe"] == "Ressourceforløb").sum() == 3
    with pytest.raises(ValueError):
        synth.generate(100, ["Norddjurs"], seed=1, sizes={"Norddjurs": 200})
    with pytest.raises(ValueError):
        synth.generate(100, ["Norddjurs"], seed=1, sizes={"Viborg": 20})


def test_write_csv_is_excel_style(tmp_path: Path) -> None:
    responses, _, _ = synth.generate(200, ["Norddjurs"], seed=1)
    path = tmp_path / "x.csv"
    synth.write_csv(responses, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + b"respondent_id;kommune;")
    assert b".0;" not in raw and not re.search(rb"\d\.0\n", raw)
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(responses.columns)
    assert back["q1_1"].isin(["1", "2", "3", "4", "5", "Ved ikke", ""]).all()


def test_large_run_is_vectorised() -> None:
    # Not a benchmark; only guards against an accidental per-row Python loop.
    responses, _, _ = synth.generate(200_000, synth.MUNICIPALITIES, seed=1)
    assert len(responses) == 200_000
    assert np.isclose((responses[QIDS] == "Ved ikke").to_numpy().mean(), 0.04, atol=0.002)


# --------------------------------------------------------------------------- fixtures


def test_make_fixtures_is_byte_identical(tmp_path: Path) -> None:
    script = ROOT / "fixtures" / "make_fixtures.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                   cwd=tmp_path)
    for name in ("besvarelser.csv", "katalog.csv", "inviterede.csv", "sag.yaml"):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_demo_data() -> None:
    responses = pd.read_csv(DEMO / "besvarelser.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert 2_800 <= len(responses) <= 3_200
    assert responses["kommune"].nunique() == 8
    nd = responses[responses["kommune"] == "Norddjurs"]
    assert 330 <= len(nd) <= 370
    groups = nd["maalgruppe"].value_counts()
    assert groups["Ressourceforløb"] == 3
    assert (groups.drop("Ressourceforløb") >= 5).all()
    invited = pd.read_csv(DEMO / "inviterede.csv", sep=";", encoding="utf-8-sig")
    assert set(invited["kommune"]) == set(responses["kommune"])


def test_demo_case_file_is_valid() -> None:
    raw = yaml.safe_load((DEMO / "sag.yaml").read_text(encoding="utf-8"))
    case = parse_case(raw, "sag.yaml")
    assert case.sag.kommune == "Norddjurs Kommune"
    assert case.sag.sagsnummer == "24/1370"
    assert case.sag.moededato is not None and case.sag.moededato.isoformat() == "2024-06-17"
    assert case.data.fokus == "Norddjurs"
    assert case.tekster.indstilling is not None
    assert case.tekster.indstilling.indledning == "Arbejdsmarkedschefen indstiller,"
    assert len(case.tekster.bilag) == 2
    for path in (case.data.besvarelser, case.data.katalog, case.data.inviterede):
        assert path is not None and (DEMO / path).is_file()
