"""Provider exports (CSV, XLSX, SAV) → correct report, checked against figures computed here.

Each export has label answers (SPSS: codes with value labels), a title block above the
header (CSV/XLSX), foreign column names, provider category names and a separate catalogue.
The expected question means and theme scores are computed with plain pandas from the
generated data — not with reportgen — and compared with ``build(case).results`` and with
the text of the rendered DOCX ("3,81 (3,64)").
"""

from __future__ import annotations

import io
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest

import synth
from reportgen.api import build
from reportgen.cli import main
from reportgen.ingest.scales import BUILTIN

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from exports import make_exports as mx  # noqa: E402

EXPORTS = Path(__file__).resolve().parents[1] / "exports"


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    return mx.generate(n=1600, seed=21)


def _numeric(responses: pd.DataFrame) -> pd.DataFrame:
    """Label answers → scale values (reverse-coded item turned), NaN for 'Ved ikke'/blank."""
    out = {}
    for q in synth.CATALOGUE:
        labels = BUILTIN[q["skala"]].labels
        x = responses[q["id"]].map({lab: float(i + 1) for i, lab in enumerate(labels)}).astype(float)
        out[q["id"]] = 6 - x if q["omvendt"] else x
    return pd.DataFrame(out)


def _theme_scores(num: pd.DataFrame) -> dict[str, float]:
    scores = {}
    for theme in synth.THEMES:
        ids = [q["id"] for q in synth.CATALOGUE if q["tema"] == theme]
        per_respondent = num[ids].mean(axis=1, skipna=True)  # NaN when no valid answer in the theme
        scores[theme] = float(per_respondent.dropna().mean())
    return scores


def _da(x: float) -> str:
    return str(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)).replace(".", ",")


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", sorted(mx.VARIANTS))
def test_export_builds_correct_report(fmt: str, responses: pd.DataFrame, tmp_path: Path) -> None:
    case = mx.VARIANTS[fmt](tmp_path / fmt, responses)
    report = build(case)
    num = _numeric(responses)
    is_focus = (responses["kommune"] == mx.FOCUS).to_numpy()
    r = report.results

    assert report.survey.account.rows_read == len(responses)
    assert r.focus.name == mx.FOCUS
    assert r.focus.n_respondents == int(is_focus.sum())
    for q in synth.CATALOGUE:
        got = r.focus.questions[q["id"]]
        assert got.n == int(num.loc[is_focus, q["id"]].notna().sum())
        assert got.mean.value == pytest.approx(float(num.loc[is_focus, q["id"]].mean()), abs=1e-12)
        assert r.benchmark.questions[q["id"]].mean.value == pytest.approx(float(num[q["id"]].mean()), abs=1e-12)
    focus_scores = _theme_scores(num.loc[is_focus])
    bench_scores = _theme_scores(num)
    for theme in synth.THEMES:
        assert r.focus.themes[theme].score.value == pytest.approx(focus_scores[theme], abs=1e-12)
        assert r.benchmark.themes[theme].score.value == pytest.approx(bench_scores[theme], abs=1e-12)

    text = _docx_text(report.render("docx"))
    for theme in synth.THEMES:
        assert f"{_da(focus_scores[theme])} ({_da(bench_scores[theme])})" in text
    # Provider group names are mapped back; question texts come from the catalogue or SPSS labels.
    groups = {g.name for g in r.focus_groups["maalgruppe"].groups}
    assert "Dagpengemodtagere" in groups and "A-dagpenge" not in groups
    texts = {q.id: q.text for q in report.survey.questions}
    assert texts["q1_1"] == synth.CATALOGUE[0]["tekst"]
    assert [q.reverse for q in report.survey.questions] == [q["omvendt"] for q in synth.CATALOGUE]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav"])
def test_committed_worked_examples_build(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The worked examples in docs/input.md (tests/exports/<fmt>/sag.yaml) validate and build."""
    case = EXPORTS / fmt / "sag.yaml"
    assert main(["validate", str(case)]) == 0
    out = capsys.readouterr().out
    assert "Rækker indlæst: 300; brugt: 300" in out
    assert "Spørgsmål: 18 i 6 temaer" in out
    assert main(["build", str(case), "--out", str(tmp_path), "--format", "docx"]) == 0
    assert (tmp_path / "sag.docx").stat().st_size > 10_000


def test_csv_export_rows_are_excel_rows(responses: pd.DataFrame, tmp_path: Path) -> None:
    """Header on row 4 below the title block → the first respondent is row 5 (as Excel shows it)."""
    case = mx.write_csv_export(tmp_path, responses)
    report = build(case)
    rows = report.survey.responses["_row"].to_numpy()
    assert rows[0] == 5
    assert rows[-1] == 4 + len(responses)  # the quoted line break does not add a row
    assert np.all(np.diff(rows) == 1)
