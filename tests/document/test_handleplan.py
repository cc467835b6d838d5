"""The handleplan's udfordringer follow the priority-map text's rule (one source,
``narrative.challenges``): an "Udfordring" only when the question lies in the
Udfordringer quadrant and its importance is clearly above the median (the whole 95 %
interval of the correlation above it); otherwise a note that the data cannot separate the
questions, and the questions with the lowest share positive as "Indsatsområde". Expected
figures are computed here with numpy/pandas on data whose drivers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reportgen.api import build
from tests.analysis.test_analyze_kit import da, pdf_text, write_case

ITEMS = {  # id → (text, how strongly it drives the overall answer, latent level)
    "a1": ("Hvor tydelig var planen for dit forløb?", 0.95, -1.0),
    "a2": ("Hvor venligt blev du mødt?", 0.35, 0.8),
    "a3": ("Hvor let var det at komme i kontakt?", 0.30, 0.3),
    "a4": ("Hvor godt blev du informeret om regler?", 0.25, -0.6),
    "a5": ("Hvor godt var samtalen forberedt?", 0.30, 0.5),
    "a6": ("Hvor meget bragte forløbet dig nærmere et job?", 0.20, -0.9),
}
Z95 = 1.959963984540054


def _survey(n: int, seed: int, drivers: dict[str, float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    latent = rng.normal(0, 1, n)
    cols: dict[str, object] = {"respondent_id": np.arange(1, n + 1), "kommune": "Norddjurs"}
    cols["o1"] = np.clip(np.round(3 + 1.1 * latent + rng.normal(0, 0.5, n)), 1, 5).astype(int)
    for qid, (_, weight, level) in ITEMS.items():
        w = (drivers or {}).get(qid, weight)
        x = 3 + level + 1.2 * (w * latent + np.sqrt(1 - w * w) * rng.normal(0, 1, n))
        cols[qid] = np.clip(np.round(x), 1, 5).astype(int)
    cat = [{"id": "o1", "nummer": "1", "tekst": "Hvor tilfreds er du alt i alt med jobcentret?",
            "tema": "Overordnet tilfredshed", "skala": "tilfredshed5"}]
    cat += [{"id": qid, "nummer": str(k), "tekst": text, "tema": "Forløbet", "skala": "grad5"}
            for k, (qid, (text, _, _)) in enumerate(ITEMS.items(), start=2)]
    return pd.DataFrame(cols), pd.DataFrame(cat)


def _expected(resp: pd.DataFrame) -> pd.DataFrame:
    """Score (mean), importance (r with o1), its Fisher-z interval and quadrant, by hand."""
    rows = []
    for qid in ITEMS:
        r, n = resp[qid].corr(resp["o1"]), len(resp)
        half = Z95 / np.sqrt(n - 3)
        rows.append({"id": qid, "score": resp[qid].mean(), "r": r, "lo": np.tanh(np.arctanh(r) - half),
                     "hi": np.tanh(np.arctanh(r) + half), "share": float((resp[qid] >= 4).mean())})
    df = pd.DataFrame(rows).set_index("id")
    median = float(df["r"].median())
    df["quadrant_udf"] = (df["score"] < df["score"].mean()) & (df["r"] >= df["r"].mean())
    df["clear"] = df["quadrant_udf"] & (df["lo"] > median)
    df.attrs["median"] = median
    return df


def _handleplan(tmp_path, resp, cat):
    case = write_case(tmp_path, resp, cat, kolonner={"respondent_id": "respondent_id", "kommune": "kommune"},
                      analyse={"grupper": []})
    text = case.read_text(encoding="utf-8")
    case.write_text("profil: handleplan\n" + text, encoding="utf-8")
    return build(case)


def _section(report):
    section = next(s for s in report.document.sections if s.key == "handleplan")
    headings = [b.text for b in section.blocks if type(b).__name__ == "Heading"]
    notes = [b.text for b in section.blocks if getattr(b, "style", "") == "note"]
    return headings, notes


def test_clear_udfordring_is_named_and_matches_the_priority_text(tmp_path):
    resp, cat = _survey(900, seed=3)
    exp = _expected(resp)
    clear = exp[exp["clear"]].sort_values("r", ascending=False)
    assert list(clear.index) == ["a1"], "the known driver with a low level is the one clear udfordring"
    assert exp["quadrant_udf"].sum() >= 1
    report = _handleplan(tmp_path, resp, cat)
    headings, notes = _section(report)
    numbers = dict(zip(cat["id"], cat["nummer"]))
    assert headings == [f"Udfordring {k}: {ITEMS[q][0]} – spørgsmål {numbers[q]}" for k, q in enumerate(clear.index, 1)]
    assert f"ligger over medianen ({da(exp.attrs['median'])})" in notes[0]
    row = clear.iloc[0]
    assert (f"Betydning for den samlede tilfredshed (korrelation): {da(row['r'])}, 95 pct.-konfidensinterval "
            f"{da(row['lo'])} til {da(row['hi'])}.") in notes[1]
    # The same rule as the priority-map finding (one source).
    f = next(x for x in report.findings if x.kind == "prioritering")
    assert [i["id"] for i in f.values["items"]] == list(clear.index)
    text = pdf_text(report, "handleplan-klar.pdf")
    assert f"Udfordring 1: {ITEMS['a1'][0]} – spørgsmål 2" in text


def test_no_udfordring_when_every_interval_crosses_the_median(tmp_path):
    drivers = {"a1": 0.45, "a2": 0.40, "a3": 0.40, "a4": 0.40, "a5": 0.40, "a6": 0.35}
    resp, cat = _survey(60, seed=11, drivers=drivers)
    exp = _expected(resp)
    assert not exp["clear"].any() and exp["quadrant_udf"].any(), "small sample: in the quadrant, none clear"
    report = _handleplan(tmp_path, resp, cat)
    headings, notes = _section(report)
    assert not any(h.startswith("Udfordring") for h in headings)
    lowest = exp.assign(order=range(len(exp))).sort_values(["share", "order"]).index[:3]
    numbers = dict(zip(cat["id"], cat["nummer"]))
    assert headings == [f"Indsatsområde {k}: {ITEMS[q][0]} – spørgsmål {numbers[q]}" for k, q in enumerate(lowest, 1)]
    n_quadrant = int(exp["quadrant_udf"].sum())
    word = {1: "Et", 2: "To", 3: "Tre", 4: "Fire", 5: "Fem"}[n_quadrant]
    assert notes[0].startswith(f"{word} spørgsmål ligger i prioriteringskortets felt »lav score, høj betydning«, men ved "
                               "dette antal besvarelser kan data ikke skelne")
    assert "de tre spørgsmål med den laveste andel positive svar" in notes[0]
    f = next(x for x in report.findings if x.kind == "prioritering")
    assert f.values["items"] == [] and "Kortet kan derfor ikke pege på bestemte udfordringer" in f.text
    for q, note in zip(lowest, notes[1:]):
        assert f"Spørgsmål {numbers[q]}: {da(100 * exp.loc[q, 'share'], 0)} pct. positive svar" in note
    text = pdf_text(report, "handleplan-uskarp.pdf")
    assert "kan data ikke skelne" in text and "Udfordring 1" not in text


def test_samlet_set_is_the_overall_question_not_a_pool(tmp_path):
    resp, cat = _survey(300, seed=5)
    report = _handleplan(tmp_path, resp, cat)
    v = resp["o1"]
    pos, neu, neg = float((v >= 4).mean()), float((v == 3).mean()), float((v <= 2).mean())
    want = (f"På spørgsmål 1 »Hvor tilfreds er du alt i alt med jobcentret?« svarer samlet set "
            f"{da(100 * pos, 0)} pct. »meget tilfreds« eller »tilfreds«, {da(100 * neu, 0)} pct. »hverken tilfreds "
            f"eller utilfreds« og {da(100 * neg, 0)} pct. »utilfreds« eller »meget utilfreds« (300 gyldige svar "
            f"i Norddjurs).")
    section = next(s for s in report.document.sections if s.key == "konklusioner")
    assert want in [b.text for b in section.blocks if type(b).__name__ == "Paragraph"]
    text = pdf_text(report, "handleplan-samlet.pdf")
    assert want in text and "gyldige svar fra Norddjurs på" not in text


@pytest.mark.parametrize("seed", [1, 2])
def test_handleplan_and_priority_text_always_agree(tmp_path, seed):
    resp, cat = _survey(150, seed=seed)
    report = _handleplan(tmp_path, resp, cat)
    headings, _ = _section(report)
    f = next(x for x in report.findings if x.kind == "prioritering")
    named = [h.rsplit(" – spørgsmål ", 1)[1] for h in headings if h.startswith("Udfordring ")]
    assert named == [i["number"] for i in f.values["items"]]
