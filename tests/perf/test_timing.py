"""Wall-clock assertions: marked ``perf``, left out of ``make test`` (pyproject's addopts
deselect them) and run by ``make bench`` (``pytest -m perf``), where the machine is
measured on purpose rather than shared with the rest of the suite."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

import synth
from reportgen.charts import figures as charts
from tests.charts.test_charts import make_results

pytestmark = pytest.mark.perf


def test_analyze_is_fast_on_a_large_survey():
    """200.000 respondents × 18 questions: the vectorised analysis takes well under a second or two."""
    from reportgen.analysis.analyze import analyze
    from reportgen.ingest.scales import BUILTIN
    from reportgen.models.survey import DataAccount, Question, Survey
    from reportgen.settings.case import Analyse

    resp, cat, _ = synth.generate(200_000, synth.MUNICIPALITIES, seed=3)
    questions = tuple(Question(r["id"], r["id"], r["tekst"], r["tema"], BUILTIN[r["skala"]], r["omvendt"] == "ja",
                               r["nummer"]) for _, r in cat.iterrows())
    df = resp[["respondent_id", "kommune", "maalgruppe", "koen", "alder", "periode"]].copy()
    for q in questions:
        v = pd.to_numeric(resp[q.id], errors="coerce").astype(float)
        df[q.id] = 6 - v if q.reverse else v
    kinds = pd.DataFrame({q.id: np.where(df[q.id].isna(), 1, 0).astype(np.int8) for q in questions})
    survey = Survey(df, kinds, questions, tuple(dict.fromkeys(cat["tema"])), "Aarhus", None,
                    DataAccount(("x",), len(df), len(df), {}), ("maalgruppe", "koen", "alder"), {}, ("2024",))
    t = time.perf_counter()
    r = analyze(Analyse(grupper=["maalgruppe", "koen", "alder"]), survey)
    elapsed = time.perf_counter() - t
    assert r.focus.n_respondents == int((df["kommune"] == "Aarhus").sum())
    assert elapsed < 3.0, elapsed


def test_charts_render_fast() -> None:
    results = make_results()
    charts.theme_chart(results)  # warm up font cache
    t0 = time.perf_counter()
    for _ in range(3):
        charts.theme_chart(results)
        charts.distribution_chart(results)
    per_chart = (time.perf_counter() - t0) / 6
    assert per_chart < 0.5  # generous for slow CI; typically well under 0.15 s
