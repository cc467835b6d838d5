"""The analysis stage against figures computed independently with pandas on the demo data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reportgen.analysis.analyze import OVERALL, verdict_for
from tests.conftest import Expected


def test_theme_scores_match_independent_computation(demo_report, expected: Expected):
    r = demo_report.results
    everyone = np.ones(len(expected.raw), dtype=bool)
    for theme in expected.themes:
        assert r.focus.themes[theme].score.value == pytest.approx(expected.theme_score(theme, expected.is_focus), abs=1e-12)
        assert r.benchmark.themes[theme].score.value == pytest.approx(expected.theme_score(theme, everyone), abs=1e-12)
    assert r.focus.overall.value == pytest.approx(expected.theme_score(None, expected.is_focus), abs=1e-12)


def test_question_means_and_shares(demo_report, expected: Expected):
    r = demo_report.results
    for qid in expected.cat["id"]:
        qr = r.focus.questions[qid]
        assert qr.mean.value == pytest.approx(expected.question_mean(qid, expected.is_focus), abs=1e-12)
        assert qr.share_positive.value == pytest.approx(expected.share_positive(qid, expected.is_focus), abs=1e-12)
        assert qr.n == int(expected.vals.loc[expected.is_focus, qid].notna().sum())
        assert sum(qr.counts) == qr.n


def test_reverse_coded_item_is_turned(demo_report, expected: Expected):
    rev = expected.cat.loc[expected.cat["omvendt"] == "ja", "id"].tolist()
    assert rev, "the demo catalogue should have a reverse-coded item"
    raw = expected.raw.loc[expected.is_focus, rev[0]]
    raw = raw[raw.isin(list("12345"))].astype(float)
    assert demo_report.results.focus.questions[rev[0]].mean.value == pytest.approx(6 - raw.mean())


def test_response_rate_and_counts(demo_report, expected: Expected):
    r = demo_report.results
    n_focus = int(expected.is_focus.sum())
    assert r.focus.n_respondents == n_focus
    assert r.response_rate_focus == pytest.approx(n_focus / expected.invited["Norddjurs"])
    assert r.response_rate_benchmark == pytest.approx(len(expected.raw) / sum(expected.invited.values()))
    assert r.n_municipalities == expected.raw["kommune"].nunique()


def test_rank_among_municipalities(demo_report, expected: Expected):
    r = demo_report.results
    for theme in expected.themes:
        scores = {m: expected.theme_score(theme, (expected.raw["kommune"] == m).to_numpy())
                  for m in expected.raw["kommune"].unique()}
        rank = 1 + sum(1 for m, s in scores.items() if s > scores["Norddjurs"])
        assert r.ranks[theme].rank == rank
        assert r.ranks[theme].of == len(scores)


def test_confidence_interval_is_t_based(demo_report, expected: Expected):
    from scipy import stats

    theme = expected.themes[0]
    x = expected.vals.loc[expected.is_focus, expected.theme_ids(theme)].mean(axis=1).dropna()
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    est = demo_report.results.focus.themes[theme].score
    assert est.ci_low == pytest.approx(x.mean() - half)
    assert est.ci_high == pytest.approx(x.mean() + half)


def test_comparison_uses_welch_against_other_municipalities(demo_report, expected: Expected):
    from scipy import stats

    for theme in expected.themes:
        x = expected.vals[expected.theme_ids(theme)].mean(axis=1)
        a, b = x[expected.is_focus].dropna(), x[~expected.is_focus].dropna()
        p = stats.ttest_ind(a, b, equal_var=False).pvalue
        c = demo_report.results.comparisons[theme]
        assert c.p_value == pytest.approx(p)
        diff = expected.theme_score(theme, expected.is_focus) - expected.theme_score(theme, np.ones(len(x), bool))
        want = "paa_niveau" if (p >= 0.05 or abs(diff) < 0.05) else ("over" if diff > 0 else "under")
        assert c.verdict == want


@pytest.mark.parametrize("diff,p,want", [
    (0.2, 0.001, "over"), (-0.2, 0.001, "under"), (0.2, 0.2, "paa_niveau"),
    (0.01, 0.0001, "paa_niveau"), (0.3, None, "paa_niveau"),
])
def test_verdict_rule(diff, p, want):
    assert verdict_for(diff, p, 0.05, 0.05) == want


def test_small_target_group_is_suppressed_with_its_complement(demo_report, expected: Expected):
    bd = demo_report.results.focus_groups["maalgruppe"]
    by = {g.name: g for g in bd.groups}
    focus = expected.raw[expected.is_focus]
    sizes = focus["maalgruppe"].value_counts()
    assert sizes["Ressourceforløb"] == 3
    assert by["Ressourceforløb"].suppressed
    hidden = [g for g in bd.groups if g.suppressed]
    # complementary: the hidden part together has at least min_n respondents
    assert sum(int(sizes[g.name]) for g in hidden) >= 5
    assert len(hidden) >= 2
    for g in bd.groups:
        if not g.suppressed:
            assert g.overall.value == pytest.approx(
                expected.theme_score(None, (expected.is_focus & (expected.raw["maalgruppe"] == g.name).to_numpy())))


def test_analysis_does_not_mutate_survey(demo_report):
    from reportgen.analysis.analyze import analyze

    before = demo_report.survey.responses.copy()
    analyze(demo_report.case.analyse, demo_report.survey)
    assert demo_report.survey.responses.equals(before)


def test_overall_key_present(demo_report):
    assert OVERALL in demo_report.results.comparisons
