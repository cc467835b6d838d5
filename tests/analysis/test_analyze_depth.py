"""Benchmarks, ranks, subgroups, significance, strengths: figures computed independently
(pandas/scipy on the raw CSV) found in the results and in the PDF and DOCX text."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import synth
from tests.analysis.test_analyze_kit import Data, da, docx_text, model_text, pdf_text, write_case

MUNIS = ["Norddjurs", "Syddjurs", "Aarhus", "Randers", "Favrskov", "Skive"]


@pytest.fixture(scope="module")
def frames():
    resp, cat, inv = synth.generate(2500, MUNIS, seed=7, sizes={"Norddjurs": 400},
                                    group_sizes={"Norddjurs": {"Ressourceforløb": 2}})
    return resp, cat, inv


@pytest.fixture(scope="module")
def case(tmp_path_factory, frames):
    from reportgen.api import build

    resp, cat, inv = frames
    path = write_case(tmp_path_factory.mktemp("depth"), resp, cat, invited=inv,
                      analyse={"grupper": ["maalgruppe", "koen", "alder"], "styrke_graense": 60})
    report = build(path)
    return report, Data(resp, cat), pdf_text(report, "depth.pdf"), docx_text(report, "depth.docx")


def _welch(a: pd.Series, b: pd.Series) -> float:
    return float(stats.ttest_ind(a.dropna(), b.dropna(), equal_var=False).pvalue)


def _two_prop(k1: int, n1: int, k2: int, n2: int) -> float | None:
    p = (k1 + k2) / (n1 + n2)
    if min(n1 * p, n1 * (1 - p), n2 * p, n2 * (1 - p)) < 5:
        return None
    z = (k1 / n1 - k2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return float(2 * stats.norm.sf(abs(z)))


def _verdict(diff: float, p: float | None, min_diff: float = 0.05) -> str:
    if p is None or p >= 0.05 or abs(diff) < min_diff:
        return "paa_niveau"
    return "over" if diff > 0 else "under"


def test_question_comparisons_welch_and_two_proportions(case):
    report, d, _, _ = case
    focus = d.mask(kommune="Norddjurs")
    everyone = np.ones(len(d.raw), dtype=bool)
    for qid in d.ids():
        qc = report.results.question_comparisons[qid]
        a, b = d.vals.loc[focus, qid], d.vals.loc[~focus, qid]
        assert qc.mean.p_value == pytest.approx(_welch(a, b), rel=1e-9)
        diff = d.qmean(qid, focus) - d.qmean(qid, everyone)
        assert qc.mean.verdict == _verdict(diff, qc.mean.p_value)
        a, b = a.dropna(), b.dropna()
        p = _two_prop(int(a.isin([4, 5]).sum()), len(a), int(b.isin([4, 5]).sum()), len(b))
        if p is None:
            assert qc.share.p_value is None
        else:
            assert qc.share.p_value == pytest.approx(p, rel=1e-9)
        sdiff = d.qshare(qid, focus) - d.qshare(qid, everyone)
        assert qc.share.verdict == _verdict(sdiff, qc.share.p_value, 0.02)


def test_ranks_and_rank_sentence(case):
    report, d, pdf, docx = case
    r = report.results
    for theme in [None, *d.themes]:
        scores = {m: d.score(theme, d.mask(kommune=m)) for m in MUNIS}
        rank = 1 + sum(s > scores["Norddjurs"] for s in scores.values())
        key = "_samlet" if theme is None else theme
        assert (r.ranks[key].rank, r.ranks[key].of) == (rank, len(MUNIS))
    overall = {m: d.score(None, d.mask(kommune=m)) for m in MUNIS}
    rank = 1 + sum(s > overall["Norddjurs"] for s in overall.values())
    where = {1: "har Norddjurs den højeste score", len(MUNIS): "har Norddjurs den laveste score"}.get(
        rank, f"ligger Norddjurs som nr. {rank}")
    word = {2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "syv", 8: "otte"}[len(MUNIS)]
    sentence = f"Målt på den samlede score {where} blandt de {word} deltagende kommuner"
    assert sentence in pdf and sentence in docx
    # A first or last place goes with its evidence; a theme's first or last place is named only
    # when the theme lies significantly over or under the average (verdicts tested above).
    verdict = {t: r.comparisons[t].verdict for t in [*d.themes, "_samlet"]}
    if rank in (1, len(MUNIS)) and verdict["_samlet"] != ("over" if rank == 1 else "under"):
        assert f"{sentence}, men forskellen til gennemsnittet er ikke statistisk signifikant." in docx
    f = next(x for x in report.findings if x.kind == "rang")
    for theme in d.themes:
        scores = {m: d.score(theme, d.mask(kommune=m)) for m in MUNIS}
        lowest = min(scores, key=scores.get) == "Norddjurs" and verdict[theme] == "under"
        highest = max(scores, key=scores.get) == "Norddjurs" and verdict[theme] == "over"
        assert (theme in f.values["worst"], theme in f.values["best"]) == (lowest, highest), theme
        if lowest:
            assert re.search(rf"Inden for temae[rt][^.]*{theme}[^.]*har kommunen den laveste score og ligger "
                             r"statistisk signifikant under gennemsnittet", docx)
        if highest:
            assert re.search(rf"Inden for temae[rt][^.]*{theme}[^.]*har kommunen den højeste score og ligger "
                             r"statistisk signifikant over gennemsnittet", docx)


def test_theme_table_shows_confidence_intervals(case):
    report, d, pdf, docx = case
    focus = d.mask(kommune="Norddjurs")
    for theme in d.themes:
        x = d.per_respondent(theme, focus)
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
        cell = f"{da(x.mean() - half)}–{da(x.mean() + half)}"
        assert f"{theme} {da(x.mean())} (" in docx
        assert cell in docx and cell in pdf


def test_group_comparison_against_the_same_group_elsewhere(case):
    report, d, pdf, docx = case
    bd = report.results.focus_groups["maalgruppe"]
    focus = d.mask(kommune="Norddjurs")
    expected_over = []
    for g in bd.groups:
        if g.suppressed or g.overall.value is None:
            continue
        in_g = (d.raw["maalgruppe"] == g.name).to_numpy()
        a = d.per_respondent(None, focus & in_g)
        b = d.per_respondent(None, ~focus & in_g)
        c = bd.comparisons[g.name]
        assert c.p_value == pytest.approx(_welch(a, b), rel=1e-9)
        bench = d.score(None, in_g)
        assert c.benchmark == pytest.approx(bench, abs=1e-12)
        assert c.verdict == _verdict(a.mean() - bench, c.p_value)
        if c.verdict == "over":
            expected_over.append(g.name)
    finding = next(f for f in report.findings if f.kind == "grupper_benchmark" and f.values["dimension"] == "maalgruppe")
    assert [o["name"] for o in finding.values["over"]] == [n[0].lower() + n[1:] for n in expected_over]
    assert finding.text in docx and finding.text in pdf


def test_group_table_scores_and_shares(case):
    report, d, pdf, docx = case
    focus = d.mask(kommune="Norddjurs")
    n_focus = int(focus.sum())
    bd = report.results.focus_groups["koen"]
    for g in bd.groups:
        in_g = focus & (d.raw["koen"] == g.name).to_numpy()
        n = int(in_g.sum())
        vals = d.vals.loc[in_g].stack().dropna()
        share_pos = float(vals.isin([4, 5]).mean())
        row = (f"{g.name} {n} {da(100 * n / n_focus, 0)} {da(d.score(None, in_g))} "
               f"{da(d.score(None, (d.raw['koen'] == g.name).to_numpy()))} {da(100 * share_pos, 0)}")
        assert row in docx, row
        assert row in pdf, row


def test_theme_by_group_table(case):
    report, d, pdf, docx = case
    focus = d.mask(kommune="Norddjurs")
    for name in ("Dagpengemodtagere", "Sygedagpengemodtagere"):
        in_g = focus & (d.raw["maalgruppe"] == name).to_numpy()
        row = f"{name} {int(in_g.sum())} " + " ".join(da(d.score(t, in_g)) for t in d.themes) + \
            f" {da(d.score(None, in_g))}"
        assert row in docx, row


def test_small_group_and_its_complement_hidden_everywhere(case):
    report, d, pdf, docx = case
    bd = report.results.focus_groups["maalgruppe"]
    hidden = [g.name for g in bd.groups if g.suppressed]
    assert "Ressourceforløb" in hidden and len(hidden) >= 2
    focus = d.mask(kommune="Norddjurs")
    assert sum(int((focus & (d.raw["maalgruppe"] == h).to_numpy()).sum()) for h in hidden) >= 5
    for h in hidden:
        true = da(d.score(None, focus & (d.raw["maalgruppe"] == h).to_numpy()))
        for text in (docx, pdf):
            for m in re.finditer(re.escape(h) + r" – – –", text):
                assert true not in text[m.start():m.end() + 12]
    text = model_text(report)
    assert "Ressourceforløb – – –" in text


def _age_window(ages: pd.Series, n: int) -> tuple[str, int]:
    bands = []
    for label, k in ages.value_counts().items():
        m = re.match(r"(\d+)-(\d+)", label)
        lo, hi = (int(m.group(1)), int(m.group(2))) if m else (int(label.split("+")[0]), 999)
        bands.append((lo, hi, int(k)))
    bands.sort()
    best = None
    for a in range(len(bands)):
        for b in range(a, len(bands)):
            tot = sum(x[2] for x in bands[a:b + 1])
            if 2 * tot >= n:
                cand = (b - a, -tot, a, b)
                best = cand if best is None or cand < best else best
                break
    _, neg, a, b = best
    hi = bands[b][1]
    label = f"{bands[a][0]}-{hi} år" if hi != 999 else f"{bands[a][0]} år eller derover"
    return label, -neg


def test_respondent_profile_sentence(case):
    report, d, pdf, docx = case
    focus = d.raw[d.mask(kommune="Norddjurs")]
    n = len(focus)
    counts = focus["koen"].value_counts()
    top = counts.index[0]
    label = {"Kvinde": "kvinder", "Mand": "mænd"}[top]
    age_label, k_age = _age_window(focus["alder"], n)
    assert f"Af de {n} borgere i Norddjurs, der har svaret, er" in docx
    for text in (pdf, docx):
        assert f"{label} ({da(100 * counts.iloc[0] / n, 0)} pct.)" in text
        assert re.search(rf"i alderen {re.escape(age_label)}( \({da(100 * k_age / n, 0)} pct\.\))?", text)
        assert f"{da(100 * k_age / n, 0)} pct." in text


def test_strengths_development_and_extremes(case):
    report, d, pdf, docx = case
    focus = d.mask(kommune="Norddjurs")
    shares = {qid: d.qshare(qid, focus) for qid in d.ids()}
    numbers = dict(zip(d.cat["id"], d.cat["nummer"]))
    texts = dict(zip(d.cat["id"], d.cat["tekst"]))
    # Decided on the whole percent that is printed (school rounding), not on the raw share.
    shown = {q: int(da(100 * shares[q], 0)) for q in shares}
    strong = [q for q in shares if shown[q] >= 60]
    weak = [q for q in shares if shown[q] < 60]
    f = next(x for x in report.findings if x.kind == "styrker")
    assert sorted(i["id"] for i in f.values["items"]) == sorted(strong)
    if weak:
        g = next(x for x in report.findings if x.kind == "udviklingsomraader")
        assert sorted(i["id"] for i in g.values["items"]) == sorted(weak)
    for q in strong[:3] + weak[:3]:
        item = f"Spørgsmål {numbers[q]} »{texts[q]}« ({da(100 * shares[q], 0)} pct.)"
        assert item in docx, item
        assert item in pdf, item
    high = max(shares, key=shares.get)
    low = min(shares, key=shares.get)
    assert (f"Den største andel positive svar har spørgsmål {numbers[high]} »{texts[high]}« "
            f"({da(100 * shares[high], 0)} pct.)" in docx)
    assert f"den mindste har spørgsmål {numbers[low]} »{texts[low]}« ({da(100 * shares[low], 0)} pct." in pdf


def test_method_note_summarises_the_methods(case):
    _, _, pdf, docx = case
    for text in (pdf, docx):
        assert "Welch's t-test" in text
        assert "test for to andele" in text
        assert "Wilsons metode" in text
        assert "korrelationen mellem borgernes svar" in text
        assert "færre end 5 besvarelser" in text


@pytest.fixture(scope="module")
def mean_of_munis(tmp_path_factory, frames):
    from reportgen.api import build

    resp, cat, inv = frames
    path = write_case(tmp_path_factory.mktemp("kgns"), resp, cat, invited=inv,
                      analyse={"benchmark": "kommunegennemsnit"})
    report = build(path)
    return report, Data(resp, cat), docx_text(report, "kgns.docx")


def test_benchmark_as_mean_of_municipalities(mean_of_munis):
    report, d, docx = mean_of_munis
    focus = d.mask(kommune="Norddjurs")
    for theme in d.themes:
        expected = float(np.mean([d.score(theme, d.mask(kommune=m)) for m in MUNIS]))
        assert report.results.benchmark.themes[theme].score.value == pytest.approx(expected, abs=1e-12)
        assert f"{theme} {da(d.score(theme, focus))} ({da(expected)})" in docx
    for qid in d.ids()[:4]:
        expected = float(np.mean([d.qmean(qid, d.mask(kommune=m)) for m in MUNIS]))
        assert report.results.benchmark.questions[qid].mean.value == pytest.approx(expected, abs=1e-12)
    assert "gennemsnittet af kommunernes egne resultater" in docx
