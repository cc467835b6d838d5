"""charts: Results → figures (PNG bytes, Danish captions and alt texts)."""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path

import pytest

from reportgen.charts import figures as charts
from reportgen.charts import style as chart_style
from reportgen.models.document import Figure
from reportgen.models.results import Estimate, QuestionResult, Results, ThemeResult, UnitResult
from reportgen.models.survey import DataAccount, Question
from reportgen.ingest.scales import BUILTIN

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TILF = BUILTIN["tilfredshed5"]
GRAD4 = BUILTIN["grad4"]

THEMES = ("Overordnet tilfredshed", "Mødet med jobcentret", "Mål og aktiviteter",
          "Samarbejde på tværs")

QUESTIONS = (
    Question("q1", "q1", "Hvor tilfreds er du alt i alt med jobcentret?",
             THEMES[0], TILF, number="1.1"),
    Question("q2", "q2", "Hvor tilfreds er du med den måde, du bliver mødt på, når du er i "
             "kontakt med jobcentret, både på telefon og ved personlige samtaler?",
             THEMES[1], TILF, number="2.1"),
    Question("q3", "q3", "Hvor tilfreds er du med dine aktiviteter?", THEMES[2], TILF,
             number="3.1"),
    Question("q4", "q4", "Hvor tilfreds er du med samarbejdet mellem jobcentret og andre?",
             THEMES[3], TILF, number="4.1"),
    Question("q5", "q5", "I hvilken grad har du fået hjælp?", THEMES[2], GRAD4, number="3.2"),
)


def _qr(q: Question, counts: tuple[int, ...], suppressed: bool = False) -> QuestionResult:
    n = sum(counts)
    mean = sum(v * c for v, c in zip(q.scale.values, counts)) / n if n else None
    pos = sum(c for v, c in zip(q.scale.values, counts) if v in q.scale.positive)
    neg = sum(c for v, c in zip(q.scale.values, counts) if v in q.scale.negative)
    return QuestionResult(
        question=q, n=n, n_missing=3, mean=Estimate(n, mean),
        share_positive=Estimate(n, pos / n if n else None),
        share_neutral=(n - pos - neg) / n if n else None,
        share_negative=neg / n if n else None, counts=counts, suppressed=suppressed)


def _tr(theme: str, value: float | None, ci: float | None = None,
        suppressed: bool = False) -> ThemeResult:
    est = Estimate(100, value, None if ci is None or value is None else value - ci,
                   None if ci is None or value is None else value + ci, suppressed=suppressed)
    return ThemeResult(theme, 100, est, Estimate(100, 0.5), suppressed=suppressed)


def make_results(*, suppress_theme: bool = True, ci: bool = True) -> Results:
    focus_counts = {"q1": (5, 10, 20, 40, 25), "q2": (2, 8, 30, 35, 25),
                    "q3": (10, 10, 10, 40, 30), "q4": (1, 1, 1, 1, 0), "q5": (4, 6, 50, 40)}
    bench_counts = {"q1": (50, 100, 250, 400, 200), "q2": (30, 80, 290, 350, 250),
                    "q3": (90, 110, 100, 400, 300), "q4": (60, 90, 200, 450, 200),
                    "q5": (40, 60, 500, 400)}
    focus_q = {q.id: _qr(q, focus_counts[q.id], suppressed=(q.id == "q4")) for q in QUESTIONS}
    bench_q = {q.id: _qr(q, bench_counts[q.id]) for q in QUESTIONS}
    c = 0.08 if ci else None
    focus_t = {THEMES[0]: _tr(THEMES[0], 3.8123, c), THEMES[1]: _tr(THEMES[1], 4.105, c),
               THEMES[2]: _tr(THEMES[2], 3.5, c),
               THEMES[3]: _tr(THEMES[3], None if suppress_theme else 3.3, c,
                              suppressed=suppress_theme)}
    bench_t = {THEMES[0]: _tr(THEMES[0], 3.64, 0.02 if ci else None),
               THEMES[1]: _tr(THEMES[1], 3.905, 0.02 if ci else None),
               THEMES[2]: _tr(THEMES[2], 3.71, 0.02 if ci else None),
               THEMES[3]: _tr(THEMES[3], 3.27, 0.02 if ci else None)}
    account = DataAccount(files=("data.csv",), rows_read=1100, rows_used=1100,
                          rows_excluded={})
    focus = UnitResult("Norddjurs", 104, Estimate(104, 3.8), focus_t, focus_q)
    bench = UnitResult("Alle kommuner", 1000, Estimate(1000, 3.7), bench_t, bench_q)
    return Results(
        focus=focus, benchmark=bench, themes=THEMES, questions=QUESTIONS, comparisons={},
        ranks={}, focus_groups={}, benchmark_groups={}, response_rate_focus=0.4,
        response_rate_benchmark=0.388, invited_focus=260, invited_benchmark=2600,
        n_municipalities=44, min_n=5, account=account)


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


@pytest.fixture(scope="module")
def results() -> Results:
    return make_results()


# --------------------------------------------------------------------------- theme chart


def test_theme_chart_png_and_caption(results: Results) -> None:
    fig = charts.theme_chart(results)
    assert isinstance(fig, Figure)
    assert fig.png.startswith(PNG_SIGNATURE)
    width_px, _ = _png_size(fig.png)
    assert width_px == int(16 / 2.54 * 200)
    assert fig.caption == "Figur 1. Gennemsnitlig score pr. tema (skala 1–5)"
    assert fig.width_cm == 16.0


def test_theme_chart_is_byte_identical_on_rerender(results: Results) -> None:
    assert charts.theme_chart(results).png == charts.theme_chart(make_results()).png


def test_theme_chart_alt_text_states_numbers(results: Results) -> None:
    alt = charts.theme_chart(results).alt_text
    assert alt.startswith("Søjlediagram over gennemsnitlig score pr. tema for Norddjurs "
                          "sammenlignet med Alle kommuner")
    assert "Overordnet tilfredshed: 3,81 (3,64)" in alt
    # Half-up rounding through fmt.num: 4.105 → 4,11 and 3.905 → 3,91.
    assert "Mødet med jobcentret: 4,11 (3,91)" in alt
    assert "Mål og aktiviteter: 3,50 (3,71)" in alt
    assert "konfidensinterval" in alt


def test_theme_chart_omits_suppressed_theme(results: Results) -> None:
    alt = charts.theme_chart(results).alt_text
    assert "Samarbejde på tværs:" not in alt
    assert "Temaet Samarbejde på tværs vises ikke" in alt
    unsuppressed = charts.theme_chart(make_results(suppress_theme=False))
    assert "Samarbejde på tværs: 3,30 (3,27)" in unsuppressed.alt_text
    # One more theme → a taller figure.
    assert _png_size(unsuppressed.png)[1] > _png_size(charts.theme_chart(results).png)[1]


def test_theme_chart_interval_past_scale_end_and_no_theme() -> None:
    r = make_results()
    themes = {**r.focus.themes, THEMES[0]: _tr(THEMES[0], 4.97, 0.1)}
    fig = charts.theme_chart(replace(r, focus=replace(r.focus, themes=themes)))
    assert "Overordnet tilfredshed: 4,97 (3,64)" in fig.alt_text
    no_themes = {t: _tr(t, None, suppressed=True) for t in THEMES}
    with pytest.raises(ValueError, match="no theme"):
        charts.theme_chart(replace(r, focus=replace(r.focus, themes=no_themes)))


def test_theme_chart_without_ci_and_brand_colors() -> None:
    fig = charts.theme_chart(make_results(ci=False), brand_colors=("#7a1f1f", "#dddddd"),
                             number=None)
    assert fig.png.startswith(PNG_SIGNATURE)
    assert "konfidensinterval" not in fig.alt_text
    assert fig.caption == "Gennemsnitlig score pr. tema (skala 1–5)"


# --------------------------------------------------------------------------- distribution


def test_distribution_chart_png_caption_and_shares(results: Results) -> None:
    fig = charts.distribution_chart(results)
    assert fig.png.startswith(PNG_SIGNATURE)
    assert fig.caption == ("Figur 2. Fordeling af svar pr. spørgsmål med skalaen »Meget utilfreds … Meget "
                           "tilfreds«, Norddjurs (pct. af gyldige svar)")  # one question is on another scale
    alt = fig.alt_text
    assert alt.startswith("Stablet søjlediagram over fordelingen af gyldige svar")
    assert ("1.1 Hvor tilfreds er du alt i alt med jobcentret?: Meget utilfreds 5 pct., "
            "Utilfreds 10 pct., Hverken tilfreds eller utilfreds 20 pct., Tilfreds 40 pct., "
            "Meget tilfreds 25 pct. (n = 100)") in alt
    # Suppressed question and the question on another scale are not shown.
    assert "andre?: " not in alt
    assert "Spørgsmålet 4.1 Hvor tilfreds er du med samarbejdet mellem jobcentret og " \
           "andre? vises ikke" in alt
    assert "I hvilken grad" not in alt
    assert "1 spørgsmål med en anden svarskala" in alt
    assert alt.index("1.1 ") < alt.index("2.1 ") < alt.index("3.1 ")


def test_distribution_chart_is_byte_identical_on_rerender(results: Results) -> None:
    assert charts.distribution_chart(results).png == \
        charts.distribution_chart(make_results()).png


def test_distribution_chart_other_scale_and_unit(results: Results) -> None:
    assert [s.name for s in charts.distribution_scales(results)] == ["tilfredshed5", "grad4"]
    fig = charts.distribution_chart(results, scale="grad4")
    assert "3.2 I hvilken grad har du fået hjælp?: Slet ikke 4 pct., I mindre grad 6 pct., " \
           "I nogen grad 50 pct., I høj grad 40 pct. (n = 100)" in fig.alt_text
    bench = charts.distribution_chart(results, unit="benchmark", questions=["q1", "q4"])
    assert "for Alle kommuner" in bench.alt_text
    assert "4.1 Hvor tilfreds er du med samarbejdet" in bench.alt_text
    assert "2.1 " not in bench.alt_text
    with pytest.raises(ValueError, match="unknown question"):
        charts.distribution_chart(results, questions=["nope"])
    with pytest.raises(ValueError, match="scale"):
        charts.distribution_chart(results, scale="janej")


def test_distribution_share_rounding_is_danish() -> None:
    r = make_results()
    q = QUESTIONS[0]
    counts = (1, 2, 0, 3, 1)  # 14,3 / 28,6 / 0 / 42,9 / 14,3 pct.
    focus = UnitResult("Norddjurs", 7, r.focus.overall, r.focus.themes,
                       {**r.focus.questions, "q1": _qr(q, counts)})
    alt = charts.distribution_chart(replace(r, focus=focus), questions=["q1"]).alt_text
    assert "Meget utilfreds 14 pct., Utilfreds 29 pct., Hverken tilfreds eller utilfreds " \
           "0 pct., Tilfreds 43 pct., Meget tilfreds 14 pct. (n = 7)" in alt


# --------------------------------------------------------------------------- palette


def test_scale_palette_survives_greyscale() -> None:
    for scale in (TILF, GRAD4, BUILTIN["janej"]):
        light = [chart_style.lightness(c) for c in charts.scale_colors(scale)]
        gaps = [abs(a - b) for i, a in enumerate(light) for b in light[i + 1:]]
        assert min(gaps) >= 10, (scale.name, light)
    assert abs(chart_style.lightness(charts.FOCUS_COLOR)
               - chart_style.lightness(charts.BENCHMARK_COLOR)) >= 30


def test_bundled_font_is_used_when_present() -> None:
    fonts = Path(__file__).resolve().parents[2] / "templates" / "fonts"
    expected = "Carlito" if (fonts / "Carlito-Regular.ttf").is_file() else "DejaVu Sans"
    assert charts.font_family() == expected
