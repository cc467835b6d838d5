"""A 4-point-scale survey from one municipality against a published benchmark table.

The data is made here with a fixed seed; every expected figure is computed with pandas and
scipy from the raw labels and then looked for in the results and the PDF/DOCX text.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.analysis.test_analyze_kit import da, docx_text, pdf_text, write_case, write_csv

LABELS = ["Slet ikke", "I mindre grad", "I nogen grad", "I høj grad"]
CATALOGUE = pd.DataFrame([
    ("a1", "1", "I hvor høj grad har du fået den hjælp, du havde brug for?", "Overordnet tilfredshed"),
    ("a2", "2", "I hvor høj grad er du samlet set tilfreds med jobcentret?", "Overordnet tilfredshed"),
    ("b1", "3", "I hvor høj grad bliver du mødt med venlighed?", "Mødet"),
    ("b2", "4", "I hvor høj grad får du svar, når du henvender dig?", "Mødet"),
    ("b3", "5", "I hvor høj grad gør din sagsbehandler sit bedste?", "Mødet"),
    ("c1", "6", "I hvor høj grad styrker forløbet din mulighed for job?", "Progression"),
    ("c2", "7", "I hvor høj grad tages der hensyn til din samlede situation?", "Progression"),
], columns=["id", "nummer", "tekst", "tema"]).assign(skala="grad4", omvendt="nej")
TABLE = {"Overordnet tilfredshed": (2.70, 30000), "Mødet": (3.05, 30000), "Progression": (2.95, 30000),
         "Samlet": (2.90, 30000)}


def _data(seed: int = 11, n: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    level = rng.normal(0, 0.6, n)
    rows = {"respondent_id": [f"M{i:03d}" for i in range(n)],
            "koen": rng.choice(["Kvinde", "Mand"], n, p=[0.66, 0.34]),
            "alder": rng.choice(["18-29 år", "30-39 år", "40-49 år", "50-59 år", "60+ år"], n,
                                p=[0.1, 0.15, 0.25, 0.3, 0.2])}
    offsets = {"a1": 0.2, "a2": 0.1, "b1": 0.7, "b2": 0.3, "b3": 0.5, "c1": -0.4, "c2": -0.2}
    for qid, off in offsets.items():
        v = np.clip(np.rint(2.8 + off + level + rng.normal(0, 0.7, n)), 1, 4).astype(int)
        cells = np.array(LABELS, dtype=object)[v - 1]
        cells[rng.random(n) < 0.06] = "Ved ikke"
        cells[rng.random(n) < 0.04] = ""
        rows[qid] = cells
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    from reportgen.api import build

    folder = tmp_path_factory.mktemp("grad4")
    resp = _data()
    write_csv(pd.DataFrame({"tema": list(TABLE), "vaerdi": [str(v[0]).replace(".", ",") for v in TABLE.values()],
                            "n": [v[1] for v in TABLE.values()]}), folder / "benchmark.csv")
    path = write_case(folder, resp, CATALOGUE, fokus="Mariagerfjord",
                      kolonner={"respondent_id": "respondent_id", "koen": "koen", "alder": "alder"},
                      analyse={"benchmark_tabel": "benchmark.csv", "benchmark_svarprocent": 38.8,
                               "benchmark_kommuner": 44, "grupper": ["koen"]})
    report = build(path)
    vals = resp[CATALOGUE["id"]].apply(lambda c: c.map({lab: i + 1 for i, lab in enumerate(LABELS)})).astype(float)
    return report, vals, pdf_text(report, "grad4.pdf"), docx_text(report, "grad4.docx")


def _theme(vals: pd.DataFrame, theme: str | None) -> pd.Series:
    ids = list(CATALOGUE["id"]) if theme is None else list(CATALOGUE.loc[CATALOGUE["tema"] == theme, "id"])
    return vals[ids].mean(axis=1).dropna()


def test_four_point_scores_and_shares(case):
    report, vals, pdf, docx = case
    r = report.results
    for theme in ("Overordnet tilfredshed", "Mødet", "Progression"):
        assert r.focus.themes[theme].score.value == pytest.approx(_theme(vals, theme).mean(), abs=1e-12)
    for qid in CATALOGUE["id"]:
        v = vals[qid].dropna()
        qr = r.focus.questions[qid]
        assert qr.mean.value == pytest.approx(v.mean(), abs=1e-12)
        assert qr.share_positive.value == pytest.approx((v >= 3).mean(), abs=1e-12)  # top two of four
        assert qr.counts == tuple(int((v == k).sum()) for k in (1, 2, 3, 4))
    overall = _theme(vals, None).mean()
    sentence = (f"Den samlede score for Mariagerfjord er {da(overall)} på en skala fra 1 til 4, hvor 4 er mest "
                f"positiv. Gennemsnittet for alle kommuner er {da(2.90)}.")
    assert sentence in pdf and sentence in docx


def test_published_benchmark_one_sample_test_and_wording(case):
    report, vals, pdf, docx = case
    r = report.results
    assert r.benchmark_source == "tabel"
    for theme, (value, _) in TABLE.items():
        key = "_samlet" if theme == "Samlet" else theme
        x = _theme(vals, None if theme == "Samlet" else theme)
        p = stats.ttest_1samp(x, value).pvalue
        c = r.comparisons[key]
        assert c.benchmark == value
        assert c.p_value == pytest.approx(p, rel=1e-9)
        diff = x.mean() - value
        want = "paa_niveau" if (p >= 0.05 or abs(diff) < 0.05) else ("over" if diff > 0 else "under")
        assert c.verdict == want
        if theme != "Samlet":
            cell = f"{theme} {da(x.mean())} ({da(value)})"
            assert cell in pdf and cell in docx
            word = {"over": "Over", "under": "Under", "paa_niveau": "På niveau"}[want]
            assert f"{cell} " in docx and word in docx.split(cell, 1)[1][:60]
    assert "(38,8 pct. for alle kommuner)" not in docx  # no invited file: no own response rate to compare
    assert "resultaterne fra 44 deltagende kommuner" not in docx or "Til sammenligning" in docx


def test_strengths_on_the_four_point_scale(case):
    report, vals, pdf, docx = case
    shares = {q: float((vals[q].dropna() >= 3).mean()) for q in CATALOGUE["id"]}
    strong = sorted((q for q in shares if shares[q] >= 0.70), key=lambda q: -shares[q])
    weak = [q for q in shares if shares[q] < 0.70]
    assert strong and weak, shares
    f = next(x for x in report.findings if x.kind == "styrker")
    assert [i["id"] for i in f.values["items"]] == strong
    text = dict(zip(CATALOGUE["id"], CATALOGUE["tekst"]))
    number = dict(zip(CATALOGUE["id"], CATALOGUE["nummer"]))
    for q in strong + weak:
        item = f"Spørgsmål {number[q]} »{text[q]}« ({da(100 * shares[q], 0)} pct.)"
        assert item in docx and item in pdf, item


def test_respondent_profile_on_small_survey(case):
    report, vals, pdf, docx = case
    resp = _data()
    keep = vals.notna().any(axis=1)
    n = int(keep.sum())
    women = int((resp.loc[keep, "koen"] == "Kvinde").sum())
    assert f"Af de {n} borgere i Mariagerfjord, der har svaret, er" in docx
    assert f"kvinder ({da(100 * women / n, 0)} pct.)" in pdf


def test_confidence_interval_for_a_share_is_wilson(case):
    report, vals, _, _ = case
    v = vals["b1"].dropna()
    k, n = int((v >= 3).sum()), len(v)
    z = stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    est = report.results.focus.questions["b1"].share_positive
    assert est.ci_low == pytest.approx(centre - half)
    assert est.ci_high == pytest.approx(centre + half)
