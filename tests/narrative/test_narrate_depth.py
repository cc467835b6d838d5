"""Wording of the new findings: the verdict decides the words, the numbers come from Results."""

from __future__ import annotations

from reportgen.narrative.words import number_word

import dataclasses

import pytest

from reportgen.models.results import Change, Comparison, PeriodResult, Trend
from reportgen.narrative.narrate import approx_fraction, narrate, trend_previous
from reportgen.analysis.respondents import age_bounds, age_label


@pytest.mark.parametrize("share,words", [
    (0.5, "halvdelen"), (0.52, "godt halvdelen"), (0.48, "knap halvdelen"), (2 / 3, "to tredjedele"),
    (0.64, "knap to tredjedele"), (0.26, "godt en fjerdedel"), (0.42, ""), (0.58, ""), (1.0, "alle"), (0.98, ""),
])
def test_approximate_fractions(share, words):
    assert approx_fraction(share) == words


@pytest.mark.parametrize("label,bounds,text", [
    ("40-49 år", (40, 49), "40-49 år"), ("60+ år", (60, float("inf")), "60 år eller derover"),
    ("under 25 år", (0, 24), "under 25 år"), ("65 år og derover", (65, float("inf")), "65 år eller derover"),
])
def test_age_bands(label, bounds, text):
    assert age_bounds(label) == bounds
    assert age_label(*bounds) == text


def test_unknown_age_labels_give_no_window():
    assert age_bounds("Ung") is None


def _with_trend(results, verdicts: dict[str, str]):
    def change(key: str, before: float, after: float) -> Change:
        v = verdicts.get(key, "uaendret")
        return Change(key, "mean", "2023", "2024", before, after, after - before, 0.01, v)  # type: ignore[arg-type]

    prev = {"_samlet": change("_samlet", 3.41, 3.57 if verdicts.get("_samlet") != "faldet" else 3.30)}
    for i, t in enumerate(results.themes):
        prev[t] = change(t, 3.0 + i / 10, 3.2 + i / 10)
    for q in results.questions:
        prev[q.id] = change(q.id, 3.0, 3.0)
    pr = PeriodResult("2023", results.focus, None)
    trend = Trend(("2023", "2024"), (pr, dataclasses.replace(pr, period="2024")), prev, {}, prev)
    return dataclasses.replace(results, trend=trend)


def test_trend_wording_follows_the_verdict(demo_report):
    a = demo_report.case.analyse
    themes = demo_report.results.themes
    up = trend_previous(a, _with_trend(demo_report.results, {"_samlet": "steget", themes[0]: "steget"}))
    assert up.text.startswith("Siden målingen i 2023 er den samlede score for Norddjurs steget fra 3,41 til 3,57.")
    assert f"Scoren er steget inden for temaet {themes[0]} (fra 3,00 til 3,20)" in up.text
    assert f"de øvrige {number_word(len(themes) - 1)} temaer ligger på niveau med 2023" in up.text
    down = trend_previous(a, _with_trend(demo_report.results, {"_samlet": "faldet"}))
    assert "faldet fra 3,41 til 3,30" in down.text
    assert "Inden for de enkelte temaer ligger scoren på niveau med 2023." in down.text
    level = trend_previous(a, _with_trend(demo_report.results, {}))
    assert level.text.startswith("Den samlede score for Norddjurs er på niveau med målingen i 2023 "
                                 "(3,41 i 2023 og 3,57 i 2024).")
    assert "steget" not in level.text and "faldet" not in level.text


def test_group_benchmark_wording(demo_report):
    r = demo_report.results
    bd = r.focus_groups["maalgruppe"]
    shown = [g for g in bd.groups if not g.suppressed]

    def comp(v: str) -> Comparison:
        return Comparison("_samlet", 3.5, 3.4, 0.1, 0.01, v)  # type: ignore[arg-type]

    one_over = {g.name: comp("over" if i == 0 else "paa_niveau") for i, g in enumerate(shown)}
    res = dataclasses.replace(r, focus_groups={"maalgruppe": dataclasses.replace(bd, comparisons=one_over)})
    f = next(x for x in narrate(demo_report.case.analyse, res) if x.kind == "grupper_benchmark")
    from reportgen.narrative.words import person_form

    name = person_form(shown[0].name, "maalgruppe")
    assert name.endswith(" borgere") or name.startswith("borgere ") or name.endswith("modtagere")
    # The demo's overall score mixes satisfaction and degree scales: "positive", not "tilfredse".
    assert f"er {name} som den eneste målgruppe mere positive i Norddjurs (3,50 mod 3,40)" in f.text
    none = {g.name: comp("paa_niveau") for g in shown}
    res = dataclasses.replace(r, focus_groups={"maalgruppe": dataclasses.replace(bd, comparisons=none)})
    f = next(x for x in narrate(demo_report.case.analyse, res) if x.kind == "grupper_benchmark")
    assert f.text == "Alle målgrupper i Norddjurs ligger på niveau med de samme målgrupper i alle kommuner."


def test_own_block_findings_are_not_repeated_in_fund(demo_report):
    from reportgen.models.document import Paragraph
    from reportgen.narrative.narrate import OWN_BLOCK

    own = [f.text for f in demo_report.findings if f.kind in OWN_BLOCK]
    assert own
    fund = [b.text for s in demo_report.document.sections for b in s.blocks if isinstance(b, Paragraph)]
    for text in own:
        assert fund.count(text) <= 1
