"""Trends over several periods: a periode column, and earlier exports named in the case file.

Expected scores, changes, tests and verdicts are computed with pandas/scipy on the raw
CSV; the sentences and the table rows built from them must be in the PDF and DOCX.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import synth
from tests.analysis.test_analyze_kit import COLUMNS, Data, da, docx_text, model_text, pdf_text, write_case, write_csv

MUNIS = ["Norddjurs", "Syddjurs", "Aarhus", "Randers", "Skive"]
PERIODS = ("2022", "2023", "2024")


@pytest.fixture(scope="module")
def frames():
    return synth.generate(9000, MUNIS, seed=5, periods=PERIODS, sizes={"Norddjurs": 4000})


@pytest.fixture(scope="module")
def with_column(tmp_path_factory, frames):
    from reportgen.api import build

    resp, cat, inv = frames
    path = write_case(tmp_path_factory.mktemp("trend"), resp, cat, invited=inv,
                      kolonner={**COLUMNS, "periode": "periode"})
    report = build(path)
    return report, Data(resp, cat), pdf_text(report, "trend.pdf"), docx_text(report, "trend.docx")


@pytest.fixture(scope="module")
def with_exports(tmp_path_factory, frames):
    """The same data as three files: 2022 and 2023 named under analyse.tidligere, 2024 the main one."""
    from reportgen.api import build

    resp, cat, inv = frames
    folder = tmp_path_factory.mktemp("exports")
    for p in ("2022", "2023"):
        write_csv(resp[resp["periode"] == p].drop(columns="periode"), folder / f"besvarelser_{p}.csv")
    main = resp[resp["periode"] == "2024"].drop(columns="periode")
    inv24 = inv[inv["periode"] == "2024"].drop(columns="periode")
    path = write_case(folder, main, cat, invited=inv24, analyse={
        "periode": "2024", "tidligere": [{"periode": "2022", "besvarelser": "besvarelser_2022.csv"},
                                         {"periode": "2023", "besvarelser": "besvarelser_2023.csv"}]})
    return build(path)


def _welch(a: pd.Series, b: pd.Series) -> float:
    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def _verdict(diff: float, p: float, min_diff: float = 0.05) -> str:
    if p >= 0.05 or abs(diff) < min_diff:
        return "uaendret"
    return "steget" if diff > 0 else "faldet"


def _focus(d: Data, period: str) -> np.ndarray:
    return d.mask(kommune="Norddjurs", periode=period)


def _change(d: Data, theme: str | None, a: str, b: str) -> tuple[float, float, str]:
    x, y = d.per_respondent(theme, _focus(d, a)), d.per_respondent(theme, _focus(d, b))
    return x.mean(), y.mean(), _verdict(y.mean() - x.mean(), _welch(y, x))


def _sentence(scope: str, a: str, b: str, before: float, after: float, verdict: str) -> str:
    head = f"Siden målingen i {a} er" if scope == "forrige" else f"Over hele perioden fra {a} til {b} er"
    if verdict == "steget":
        return f"{head} den samlede score for Norddjurs steget fra {da(before)} til {da(after)}."
    if verdict == "faldet":
        return f"{head} den samlede score for Norddjurs faldet fra {da(before)} til {da(after)}."
    since = f"målingen i {a}" if scope == "forrige" else f"den første måling i perioden, {a}"
    return f"Den samlede score for Norddjurs er på niveau med {since} ({da(before)} i {a} og {da(after)} i {b})."


def test_scores_per_period(with_column):
    report, d, _, _ = with_column
    t = report.results.trend
    assert t.periods == PERIODS
    for pr in t.results:
        for theme in d.themes:
            assert pr.focus.themes[theme].score.value == pytest.approx(d.score(theme, _focus(d, pr.period)), abs=1e-12)
        everyone = d.mask(periode=pr.period)
        assert pr.benchmark.overall.value == pytest.approx(d.score(None, everyone), abs=1e-12)
    # the main analysis is the latest period
    assert report.results.focus.overall.value == pytest.approx(d.score(None, _focus(d, "2024")), abs=1e-12)
    assert report.results.period == "2024"


def test_change_since_previous_and_over_all_periods_in_text(with_column):
    report, d, pdf, docx = with_column
    t = report.results.trend
    for scope, a in (("forrige", "2023"), ("hele", "2022")):
        changes = t.previous if scope == "forrige" else t.first
        before, after, verdict = _change(d, None, a, "2024")
        c = changes["_samlet"]
        assert (c.before, c.after) == (pytest.approx(before, abs=1e-12), pytest.approx(after, abs=1e-12))
        assert c.verdict == verdict
        sentence = _sentence(scope, a, "2024", before, after, verdict)
        assert sentence in pdf and sentence in docx
        for theme in d.themes:
            b, af, v = _change(d, theme, a, "2024")
            assert changes[theme].verdict == v
            if v != "uaendret":
                assert f"{theme} (fra {da(b)} til {da(af)})" in docx
    assert any(t.previous[th].verdict == "steget" for th in d.themes), "the data should show a rise"


def test_question_changes_and_shares(with_column):
    report, d, pdf, docx = with_column
    t = report.results.trend
    a_mask, b_mask = _focus(d, "2023"), _focus(d, "2024")
    up = []
    for qid in d.ids():
        x, y = d.vals.loc[a_mask, qid].dropna(), d.vals.loc[b_mask, qid].dropna()
        v = _verdict(y.mean() - x.mean(), _welch(y, x))
        assert t.previous[qid].verdict == v
        if v == "steget":
            up.append(qid)
        k1, n1, k2, n2 = int(y.isin([4, 5]).sum()), len(y), int(x.isin([4, 5]).sum()), len(x)
        p = (k1 + k2) / (n1 + n2)
        z = (k1 / n1 - k2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
        assert t.previous_share[qid].p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    f = next(x for x in report.findings if x.kind == "udvikling_spoergsmaal")
    assert sorted(i["id"] for i in f.values["all_up"]) == sorted(up)
    first = f.values["up"][0]
    assert f"{first['number']} »{first['text']}« (fra {da(first['before'])} til {da(first['after'])})" in pdf


def test_trend_table_and_chart(with_column):
    report, d, pdf, docx = with_column
    for theme in d.themes:
        s = [d.score(theme, _focus(d, p)) for p in PERIODS]
        b, af, v = _change(d, theme, "2023", "2024")
        diff = da(af - b)
        row = f"{theme} {' '.join(da(x) for x in s)} {'+' if af > b and diff != '0,00' else ''}{diff} " \
              f"{ {'steget': 'Steget', 'faldet': 'Faldet', 'uaendret': 'Uændret'}[v] }"
        assert row in docx, row
        assert row in pdf, row
    fig = report.figures["udviklingsfigur"]
    assert fig.png.startswith(b"\x89PNG")
    s = [d.score(None, _focus(d, p)) for p in PERIODS]
    assert "Samlet score: " + ", ".join(f"{p}: {da(x)}" for p, x in zip(PERIODS[:-1], s[:-1])) in fig.alt_text
    assert "Udvikling i gennemsnitlig score, Norddjurs" in pdf
    assert "Udvikling over tid" in model_text(report)


def test_earlier_exports_give_the_same_trend(with_column, with_exports):
    a, b = with_column[0].results.trend, with_exports.results.trend
    assert b.periods == a.periods
    for ra, rb in zip(a.results, b.results):
        assert rb.focus.overall.value == pytest.approx(ra.focus.overall.value, abs=1e-12)
        assert rb.benchmark.overall.value == pytest.approx(ra.benchmark.overall.value, abs=1e-12)
    for key, c in a.previous.items():
        assert b.previous[key].verdict == c.verdict
    texts = [f.text for f in with_exports.findings if f.kind.startswith("udvikling")]
    assert texts == [f.text for f in with_column[0].findings if f.kind.startswith("udvikling")]


def test_single_period_has_no_trend_block(demo_report):
    assert demo_report.results.trend is None
    assert "udviklingsfigur" not in demo_report.figures
    assert "Udvikling over tid" not in model_text(demo_report)
