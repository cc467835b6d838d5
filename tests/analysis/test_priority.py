"""The priority map: correlations and quadrants computed independently with pandas, and the
udfordringer (number and wording) found in the PDF and DOCX."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import synth
from reportgen.analysis.priority import quadrant
from tests.conftest import Expected
from tests.analysis.test_analyze_kit import Data, da, docx_text, write_case

TARGET = "Overordnet tilfredshed"


def printed(value: float, decimals: int = 2) -> float:
    """``value`` rounded half up as the document prints it, computed here with Decimal."""
    from decimal import ROUND_HALF_UP, Decimal
    return float(Decimal(str(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _expected_map(vals: pd.DataFrame, cat: pd.DataFrame, target: pd.Series, ids: list[str]) -> pd.DataFrame:
    rows = []
    for qid in ids:
        pair = pd.DataFrame({"x": vals[qid], "t": target}).dropna()
        rows.append({"id": qid, "score": vals[qid].dropna().mean(), "importance": pair["x"].corr(pair["t"]),
                     "n": len(pair)})
    df = pd.DataFrame(rows)
    s_split, i_split = df["score"].mean(), df["importance"].mean()
    # the cut is made on the printed values (two decimals), as the table shows them
    hi_s = df["score"].map(printed) >= printed(s_split)
    hi_i = df["importance"].map(printed) >= printed(i_split)
    df["quadrant"] = np.select([hi_s & hi_i, ~hi_s & hi_i, hi_s & ~hi_i], ["Styrker", "Udfordringer", "Vedligehold"],
                               "Lav prioritet")
    return df.set_index("id")


@pytest.fixture(scope="module")
def demo_map(demo_report, expected: Expected):
    focus = expected.is_focus
    vals = expected.vals.loc[focus]
    target = vals[expected.theme_ids(TARGET)].mean(axis=1)
    ids = [q for q in expected.cat["id"] if q not in expected.theme_ids(TARGET)]
    return _expected_map(vals, expected.cat, target, ids)


def test_importance_is_correlation_with_overall_theme(demo_report, demo_map):
    pm = demo_report.results.priority
    assert pm is not None and pm.target == f"temaet {TARGET}"
    got = {i.question.id: i for i in pm.items}
    assert set(got) == set(demo_map.index)
    for qid, row in demo_map.iterrows():
        assert got[qid].importance == pytest.approx(row["importance"], abs=1e-12)
        assert got[qid].score == pytest.approx(row["score"], abs=1e-12)
        assert got[qid].n == row["n"]
        assert got[qid].quadrant == row["quadrant"]
    assert pm.score_split == pytest.approx(demo_map["score"].mean())
    assert pm.importance_split == pytest.approx(demo_map["importance"].mean())


def _fisher(r: float, n: int) -> tuple[float, float]:
    """95 % interval of a correlation, computed here by hand: tanh(atanh r ± 1.96 / sqrt(n - 3))."""
    z, half = np.arctanh(r), 1.959963984540054 / np.sqrt(n - 3)
    return float(np.tanh(z - half)), float(np.tanh(z + half))


def test_importance_intervals_and_clear_udfordringer(demo_report, demo_map):
    pm = demo_report.results.priority
    median = float(np.median(demo_map["importance"]))
    assert pm.importance_median == pytest.approx(median)
    for i in pm.items:
        lo, hi = _fisher(demo_map.loc[i.question.id, "importance"], int(demo_map.loc[i.question.id, "n"]))
        assert (i.ci_low, i.ci_high) == (pytest.approx(lo), pytest.approx(hi))
        assert i.clearly_high == (printed(lo) > printed(median))


def test_a_lower_bound_that_prints_as_the_median_is_not_above_it(demo_report, demo_map, demo_pdf_text):
    """The demo's question 4.2: its interval starts at 0,5724 and the median is 0,5682, both
    printed as 0,57. A reader cannot see the interval "lie above" the median, so the text
    does not call it an udfordring and says that the data cannot tell the questions apart."""
    median = float(np.median(demo_map["importance"]))
    low, _ = _fisher(demo_map.loc["q4_2", "importance"], int(demo_map.loc["q4_2", "n"]))
    assert low > median and da(low) == da(median) == "0,57"
    udf = [i for i in demo_report.results.priority.items if i.clearly_high]
    assert udf == []
    pdf = " ".join(demo_pdf_text.split())
    assert "Kortet kan derfor ikke pege på bestemte udfordringer" in pdf
    assert "Udfordring (markeret med *)" not in pdf


def test_udfordringer_listed_with_number_and_wording(tmp_path):
    """Data with one known driver at a low level (tests/document/test_handleplan.py): the
    udfordring is listed with its number, wording, score, importance and interval in PDF and DOCX."""
    from reportgen.api import build
    from tests.analysis.test_analyze_kit import pdf_text
    from tests.document.test_handleplan import ITEMS, _expected, _survey

    resp, cat = _survey(900, seed=3)
    exp = _expected(resp)
    udf = exp[exp["quadrant_udf"] & (exp["lo"].map(printed) > printed(exp.attrs["median"]))]
    assert list(udf.index) == ["a1"]
    case = write_case(tmp_path, resp, cat, kolonner={"respondent_id": "respondent_id", "kommune": "kommune"},
                      analyse={"grupper": []})
    report = build(case)
    pdf = " ".join(pdf_text(report, "prio.pdf").split()).replace("pct.- konfidens", "pct.-konfidens")  # line end
    docx = " ".join(docx_text(report, "prio.docx").split())
    lead = "Ét spørgsmål har en lav score og en betydning, der tydeligt ligger over medianen"
    assert lead in pdf and lead in docx
    row = udf.loc["a1"]
    item = (f"Spørgsmål 2 »{ITEMS['a1'][0]}« (gennemsnit {da(row['score'])}; betydning {da(row['r'])}, "
            f"95 pct.-konfidensinterval {da(row['lo'])} til {da(row['hi'])})")
    assert item in pdf, item
    assert item in docx, item
    f = next(x for x in report.findings if x.kind == "prioritering")
    assert [i["id"] for i in f.values["items"]] == ["a1"]


def test_priority_chart_and_table(demo_report, demo_map, demo_docx_text, expected):
    fig = demo_report.figures["prioriteringsfigur"]
    assert fig.png.startswith(b"\x89PNG")
    number = dict(zip(expected.cat["id"], expected.cat["nummer"]))
    for qid, row in demo_map.iterrows():
        assert f"{number[qid]} (score {da(row['score'])}, betydning {da(row['importance'])})" in fig.alt_text
    docx = " ".join(demo_docx_text.replace(" | ", " ").split())
    # The table names the quadrant by its position and marks (*) the udfordringer of the text.
    name = {"Styrker": "Høj score, høj betydning", "Udfordringer": "Lav score, høj betydning",
            "Vedligehold": "Høj score, lav betydning", "Lav prioritet": "Lav score, lav betydning"}
    median = demo_map["importance"].median()
    for qid, row in demo_map.iterrows():
        low, _ = _fisher(row["importance"], int(row["n"]))
        mark = "*" if row["quadrant"] == "Udfordringer" and printed(low) > printed(median) else ""
        assert f"{da(row['score'])} {da(row['importance'])} {name[row['quadrant']]}{mark} " in docx, qid


def test_without_overall_theme_uses_corrected_item_total(tmp_path):
    from reportgen.api import build

    resp, cat, inv = synth.generate(1500, ["Norddjurs", "Syddjurs"], seed=9, sizes={"Norddjurs": 700})
    cat = cat[cat["tema"] != TARGET].reset_index(drop=True)
    resp = resp.drop(columns=[c for c in resp.columns if c.startswith("q1_")])
    report = build(write_case(tmp_path, resp, cat, invited=inv))
    d = Data(resp, cat)
    vals = d.vals.loc[d.mask(kommune="Norddjurs")]
    ids = list(cat["id"])
    got = {i.question.id: i for i in report.results.priority.items}
    for qid in ids:
        others = [o for o in ids if o != qid]
        target = vals[others].mean(axis=1)
        pair = pd.DataFrame({"x": vals[qid], "t": target}).dropna()
        assert got[qid].importance == pytest.approx(pair["x"].corr(pair["t"]), abs=1e-12)
    assert "deres samlede score for de øvrige spørgsmål" in docx_text(report, "prio_fallback.docx")


def test_target_can_be_a_question_and_score_the_share(tmp_path):
    from reportgen.api import build

    resp, cat, inv = synth.generate(1200, ["Norddjurs", "Syddjurs"], seed=4, sizes={"Norddjurs": 600})
    report = build(write_case(tmp_path, resp, cat, invited=inv,
                              analyse={"prioritet": {"maal": "q1_1", "score": "andel_positive"}}))
    d = Data(resp, cat)
    vals = d.vals.loc[d.mask(kommune="Norddjurs")]
    ids = [q for q in cat["id"] if q != "q1_1"]
    pm = report.results.priority
    assert pm.target == "spørgsmål 1.1" and pm.score_measure == "andel_positive"
    exp = _expected_map(vals, cat, vals["q1_1"], ids)
    for i in pm.items:
        assert i.importance == pytest.approx(exp.loc[i.question.id, "importance"], abs=1e-12)
        assert i.score == pytest.approx(float(vals[i.question.id].dropna().isin([4, 5]).mean()), abs=1e-12)


def test_quadrant_boundaries_count_as_high():
    assert quadrant(3.0, 0.5, 3.0, 0.5) == "Styrker"
    assert quadrant(2.9, 0.5, 3.0, 0.5) == "Udfordringer"
    assert quadrant(3.0, 0.4, 3.0, 0.5) == "Vedligehold"
    assert quadrant(2.9, 0.4, 3.0, 0.5) == "Lav prioritet"


def test_a_question_on_the_split_line_is_not_said_to_lie_over_it(demo_report, demo_map, demo_pdf_text):
    """The demo's question 5.2 prints an importance of 0,57, the same as the printed mean the
    fields are split at. It counts as high (``quadrant``), so the text must not say that its
    importance is "over gennemsnittet", and the table note says which side the line belongs to."""
    i_split = printed(demo_map["importance"].mean())
    strengths = demo_map[demo_map["quadrant"] == "Styrker"]
    on_line = strengths[strengths["importance"].map(printed) == i_split]
    assert "q5_2" in on_line.index and da(i_split) == "0,57"
    pdf = " ".join(demo_pdf_text.split())
    assert "har både en score og en betydning på eller over gennemsnittet" in pdf
    assert "en betydning over gennemsnittet" not in pdf
    assert "et spørgsmål, der ligger på en delingslinje, regnes til den høje side" in pdf
