"""Property-based anonymity test: over many random surveys, nothing shown reveals a suppressed group.

Each example is a random survey: group sizes from 0 to 30 with many of 1–4, respondents
with no category, a rare third gender, skewed age groups, questions with many missing
answers, 0–3 other municipalities, one or two periods and, sometimes, comments. It runs
through analyze → narrate → document (every analysis block, figure alt texts included)
and the shown text is parsed. The checks are computed from the raw rows, not from
reportgen's results:

* a group below min_n shows "–" in every focus cell, and no text names it next to a number;
* for every breakdown and every measure shown (counts, each theme, the overall score,
  shares), what is *not* shown — hidden groups plus respondents with no category — is
  nobody or at least min_n respondents (complementary suppression), and every shown
  figure rests on at least min_n;
* a benchmark figure never lets the other municipalities' part be worked out when it is
  1 … min_n-1 (per group, and for what is left of their total);
* theme and question figures below min_n are hidden; the respondent profile only states
  shares of at least min_n with a remainder of 0 or at least min_n, and none that overlap
  a hidden category;
* a period below min_n shows "–" in the trend table;
* quotes come only from respondents in categories of at least min_n that are shown, and
  comment counts below min_n are not shown.

``make test`` runs the same 200 surveys on every machine (the "repeatable" profile in
tests/conftest.py); ``ANONYMITY_EXAMPLES=5000`` runs more, and ``HYPOTHESIS_RANDOM=1`` draws
new ones, for a longer search before a release.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.document.marks import DASH, NOT_ASKED
from reportgen.analysis.analyze import analyze
from reportgen.settings.case import Analyse, CaseFile
from reportgen.charts.priority import priority_alt_text
from reportgen.charts.trend import trend_alt_text
from reportgen.document.build import build_document
from reportgen.models.document import Figure, ListBlock, Paragraph, Table
from reportgen.models.survey import DataAccount, Question, Survey
from reportgen.narrative.narrate import narrate, summary
from reportgen.narrative.words import person_form
from reportgen.document.profile import Profile
from reportgen.ingest.scales import BUILTIN

CATS = ["Alfa", "Bravo", "Charlie", "Delta", "Echo"]
GENDERS = ["Kvinde", "Mand", "Nonbinær"]
AGES = ["18-29 år", "30-39 år", "40-49 år", "50-59 år", "60+ år"]
TITLES = {"maalgruppe": "Målgruppe", "koen": "Køn", "alder": "Alder"}
THEMES = ["Overordnet tilfredshed", "Mødet", "Progression"]
BLOCKS = ["fund", "respondentprofil", "tematabel", "gruppetabel", "gruppetematabel", "udvikling", "udviklingsfigur",
          "udviklingstabel_spoergsmaal", "styrker", "prioritering", "prioriteringsfigur", "prioriteringstabel",
          "spoergsmaalstabel", "kommentarer", "metode"]
PROFILE = Profile.model_validate({"navn": "alt", "sektioner": [
    {"noegle": "alt", "overskrift": "Alt", "indhold": [{"blok": b} for b in BLOCKS]}]})
FOCUS = "Fokus"
NUMBER = re.compile(r"\d")

count = st.one_of(st.integers(0, 4), st.integers(0, 8), st.integers(5, 30))


@st.composite
def survey_specs(draw):
    n_other = draw(st.integers(0, 3))
    return {
        "min_n": draw(st.sampled_from([3, 4, 5, 6])),
        "focus": draw(st.lists(count, min_size=len(CATS), max_size=len(CATS))),
        "focus_unknown": draw(st.one_of(st.just(0), st.integers(1, 6))),
        "others": [draw(st.lists(count, min_size=len(CATS), max_size=len(CATS))) + [draw(st.integers(0, 5))]
                   for _ in range(n_other)],
        "points": draw(st.sampled_from([4, 5])),
        "n_q": draw(st.integers(3, 6)),
        "n_themes": draw(st.integers(1, 3)),
        "missing": draw(st.lists(st.sampled_from([0.0, 0.1, 0.5, 0.9]), min_size=6, max_size=6)),
        "gender_p": draw(st.sampled_from([(0.6, 0.4, 0.0, 0.0), (0.5, 0.44, 0.03, 0.03), (0.3, 0.5, 0.1, 0.1)])),
        "age_skew": draw(st.sampled_from([0.3, 1.0, 5.0])),
        "two_periods": draw(st.booleans()),
        "comments": draw(st.booleans()),
        "quotes": draw(st.integers(1, 4)),
        "threshold": draw(st.sampled_from([50.0, 70.0])),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def make_survey(spec: dict) -> tuple[Survey, Analyse]:
    rng = np.random.default_rng(spec["seed"])
    munis, groups = [], []
    for name, counts in [(FOCUS, spec["focus"] + [spec["focus_unknown"]]),
                         *[(f"Kommune{i}", c) for i, c in enumerate(spec["others"])]]:
        for g, k in zip(CATS + [""], counts):
            munis += [name] * k
            groups += [g] * k
    if FOCUS not in munis:
        munis.append(FOCUS)
        groups.append(CATS[0])
    n = len(munis)
    k = spec["points"]
    scale = BUILTIN["tilfredshed5" if k == 5 else "grad4"]
    themes = THEMES[: spec["n_themes"]]
    questions = tuple(Question(f"q{j}", f"q{j}", f"Spørgsmål nummer {j + 1}?", themes[j % len(themes)], scale,
                               number=str(j + 1)) for j in range(spec["n_q"]))
    gp = np.array(spec["gender_p"])
    gender = rng.choice(GENDERS + [""], n, p=gp / gp.sum())
    age_p = rng.dirichlet(np.full(len(AGES), spec["age_skew"]))
    age = rng.choice(AGES, n, p=age_p)
    age[rng.random(n) < 0.04] = ""
    df = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(n)], "kommune": munis, "maalgruppe": groups,
                       "koen": gender, "alder": age})
    if spec["two_periods"]:
        df["periode"] = np.where(rng.random(n) < 0.4, "2023", "2024")
    level = rng.normal(0, 0.8, n)
    for j, q in enumerate(questions):
        v = np.clip(np.rint((k + 1) / 2 + level + rng.normal(0, 0.8, n)), 1, k)
        v[rng.random(n) < spec["missing"][j]] = np.nan
        df[q.id] = v
    valid_any = df[[q.id for q in questions]].notna().any(axis=1)
    if spec["comments"]:
        has = rng.random(n) < 0.5
        df["kommentar"] = np.where(has, [f"Om min samtale: ord K{i}X" for i in range(n)], "")
    df = df[valid_any | (df["kommune"] == FOCUS)].reset_index(drop=True)
    if not df[[q.id for q in questions]].notna().any(axis=1).all():  # every row needs one valid answer
        first = questions[0].id
        df.loc[df[[q.id for q in questions]].isna().all(axis=1), first] = 1.0
    kinds = pd.DataFrame({q.id: np.where(df[q.id].isna(), 1, 0).astype(np.int8) for q in questions})
    periods = ("2023", "2024") if spec["two_periods"] else ()
    survey = Survey(df, kinds, questions, tuple(themes), FOCUS, None, DataAccount(("x.csv",), n, len(df), {}),
                    ("maalgruppe", "koen", "alder", *(("periode",) if periods else ())),
                    dict(TITLES), periods)
    a = Analyse(min_n=spec["min_n"], grupper=["maalgruppe", "koen", "alder"], styrke_graense=spec["threshold"],
                prioritet={"min_svar": 3},
                kommentarer={"medtag": spec["comments"], "citater": spec["quotes"], "noegleord": {themes[0]: ["samtale"]}})
    return survey, a


def run(survey: Survey, a: Analyse):
    results = analyze(a, survey)
    findings = narrate(a, results)
    figs = {}
    if results.trend is not None:
        figs["udviklingsfigur"] = Figure(b"", "Udvikling", trend_alt_text(results))
    if results.priority is not None:
        figs["prioriteringsfigur"] = Figure(b"", "Prioriteringskort", priority_alt_text(results))
    case = CaseFile.model_validate({"sag": {"titel": "T", "kommune": FOCUS, "udvalg": "U"},
                                    "data": {"besvarelser": "x.csv"}, "analyse": a.model_dump()})
    doc = build_document(case, results, findings, summary(a, results), figs, PROFILE,
                         dt.datetime(2024, 6, 3, tzinfo=dt.timezone.utc))
    return results, findings, doc


# --------------------------------------------------------------------------- the oracle


class Truth:
    """Counts from the raw rows (current period)."""

    def __init__(self, survey: Survey):
        df = survey.responses
        cur = (df["periode"] == "2024").to_numpy() if survey.periods else np.ones(len(df), dtype=bool)
        self.df, self.cur = df, cur
        self.focus = cur & (df["kommune"] == FOCUS).to_numpy()
        self.rest = cur & ~self.focus
        self.questions = survey.questions
        self.themes = survey.themes
        valid = {q.id: df[q.id].notna().to_numpy() for q in survey.questions}
        self.qvalid = valid
        self.mvalid = {t: np.any([valid[q.id] for q in survey.questions if q.theme == t], axis=0) for t in self.themes}
        self.mvalid["_samlet"] = np.any(list(valid.values()), axis=0)
        self.mvalid["_antal"] = np.ones(len(df), dtype=bool)
        self._stripped: dict[str, np.ndarray] = {}
        self._cats: dict[tuple[str, str], np.ndarray] = {}

    def n(self, mask: np.ndarray, measure: str = "_antal") -> int:
        return int((mask & self.mvalid[measure]).sum())

    def cat(self, col: str, name: str) -> np.ndarray:
        """Rows whose ``col`` reads ``name`` (stripped); each column is stripped once, each
        mask made once per survey (the checks ask for the same ones many times)."""
        key = (col, name)
        if key not in self._cats:
            if col not in self._stripped:
                self._stripped[col] = self.df[col].astype(str).str.strip().to_numpy()
            self._cats[key] = self._stripped[col] == name
            self._cats[key].flags.writeable = False  # shared: a check cannot change it
        return self._cats[key]


@functools.cache
def age_forms() -> tuple[tuple[str, str], ...]:
    """Each age group with its person form ('30-39 år', 'borgere på 30-39 år'), made once."""
    return tuple((age, person_form(age, "alder")) for age in AGES)


def ok_hidden(k: int, min_n: int) -> bool:
    return k == 0 or k >= min_n


def shown_texts(doc) -> list[str]:
    out = []
    for sec in doc.sections:
        for b in sec.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, ListBlock):
                out += [i.text for i in b.items]
            elif isinstance(b, Figure):
                out += [b.caption, b.alt_text]
            elif isinstance(b, Table):
                out += [b.caption, b.note]
    return out


def tables(doc) -> list[Table]:
    return [b for sec in doc.sections for b in sec.blocks if isinstance(b, Table)]


def check(survey: Survey, a: Analyse, results, findings, doc) -> None:
    t = Truth(survey)
    min_n = a.min_n
    texts = shown_texts(doc)
    all_tables = tables(doc)
    hidden_in_table: dict[str, set[str]] = {}

    for col, title in TITLES.items():
        names = sorted({v.strip() for v in survey.responses[col].astype(str) if v.strip()})
        focus_n = {g: t.n(t.focus & t.cat(col, g)) for g in names}
        small = [g for g in names if 0 < focus_n[g] < min_n]
        # 1. no text names a small group next to a number
        for g in small:
            for text in texts:
                for other, other_form in age_forms():  # other group names (and their person forms) may hold digits
                    if other != g:
                        text = text.replace(other_form, "§").replace(other, "§")
                for m in re.finditer(r"(?<!\w)" + re.escape(g) + r"(?!\w)", text, flags=re.IGNORECASE):
                    assert not NUMBER.search(text[m.end():m.end() + 25]), (g, text)
        for tab in all_tables:
            if tab.columns[:2] != (title, "Antal svar"):
                continue
            cols = list(tab.columns)
            group_table = "Andel, pct." in cols
            if group_table:
                measures = {1: "_antal", 2: "_antal", 3: "_samlet", len(cols) - 1: "_samlet"}
            else:
                measures = {1: "_antal", **{2 + i: th for i, th in enumerate(survey.themes)}, len(cols) - 1: "_samlet"}
            rows = {r[0]: r for r in tab.rows}
            hidden_in_table.setdefault(col, set()).update(g for g, r in rows.items() if r[1] == DASH)
            for g, r in rows.items():
                in_g = t.focus & t.cat(col, g)
                if t.n(in_g) < min_n:  # 2. a small group shows only dashes for the focus municipality
                    assert all(r[i] in (DASH, NOT_ASKED) for i in measures), (title, r)
                if r[1] != DASH:
                    assert int(r[1].replace(".", "")) == t.n(in_g)
            for i, m in measures.items():  # 3. complementary suppression per measure shown
                for g, r in rows.items():  # "·" (not asked) only where nobody in the group answered
                    if r[i] == NOT_ASKED:
                        assert t.n(t.focus & t.cat(col, g), m) == 0, (title, g, m)
                shown = [g for g, r in rows.items() if r[i] not in (DASH, NOT_ASKED)]
                for g in shown:
                    assert t.n(t.focus & t.cat(col, g), m) >= min_n, (title, g, m)
                left = t.n(t.focus, m) - sum(t.n(t.focus & t.cat(col, g), m) for g in shown)
                total_shown = t.n(t.focus, m) >= min_n  # else nothing (allowed) to subtract from
                assert not total_shown or ok_hidden(left, min_n), (title, cols[i], m, left, tab.rows)
            bench_col = next((i for i, c in enumerate(cols) if c == results.benchmark_name), None)
            if bench_col is not None:  # 4. benchmark groups: the other municipalities' part
                shown = [g for g, r in rows.items() if r[bench_col] != DASH]
                for g in shown:
                    in_g = t.cat(col, g)
                    assert t.n(t.cur & in_g, "_samlet") >= min_n
                    rest = t.n(t.rest & in_g, "_samlet")
                    assert ok_hidden(rest, min_n), (title, g, rest)
                    if rows[g][3] == DASH:
                        assert rest >= min_n, (title, g, rest)
                pooled_left = t.n(t.cur, "_samlet") - sum(t.n(t.cur & t.cat(col, g), "_samlet") for g in shown)
                bench_total_shown = results.benchmark.overall.value is not None  # else nothing to subtract from
                assert not bench_total_shown or ok_hidden(pooled_left, min_n), (title, pooled_left)
                if results.benchmark.overall.value is not None:
                    both = [g for g in shown if rows[g][3] != DASH]
                    rest_left = t.n(t.rest, "_samlet") - sum(t.n(t.rest & t.cat(col, g), "_samlet") for g in both)
                    assert ok_hidden(rest_left, min_n), (title, rest_left)

    # 5. themes and questions
    for tab in all_tables:
        if tab.columns[0] == "Tema" and len(tab.columns) > 2 and tab.columns[2] == "KI (95 pct.)":
            for r in tab.rows:
                m = "_samlet" if r[0] == "Samlet score" else r[0]
                focus_cell, _, bench_cell = r[1].partition(" (")
                if t.n(t.focus, m) < min_n:
                    assert focus_cell == DASH and r[2] == DASH, r
                if bench_cell and not bench_cell.startswith(DASH):
                    assert ok_hidden(t.n(t.rest, m), min_n) and t.n(t.cur, m) >= min_n, r
        if tab.columns[:3] == ("Nr.", "Spørgsmål", "Antal svar"):
            by_number = {q.number: q for q in survey.questions}
            for r in tab.rows:
                q = by_number[r[0]]
                nf = int((t.focus & t.qvalid[q.id]).sum())
                if nf < min_n:
                    assert r[2] == DASH and r[3].startswith(DASH) and r[4].startswith(DASH), r
                if " (" in r[3] and not r[3].split(" (")[1].startswith(DASH):
                    assert ok_hidden(int((t.rest & t.qvalid[q.id]).sum()), min_n), r
    focus_q_n = {q.id: int((t.focus & t.qvalid[q.id]).sum()) for q in survey.questions}
    for f in findings:
        for key in ("items", "all_up", "all_down"):
            for item in f.values.get(key, ()) or ():
                if isinstance(item, dict) and "id" in item:
                    assert focus_q_n[item["id"]] >= min_n, (f.kind, item)
    if results.priority is not None:
        for item in results.priority.items:
            assert focus_q_n[item.question.id] >= min_n

    # 6. respondent profile
    prof = results.profile
    if prof is not None and any(f.kind == "respondentprofil" for f in findings):
        n = t.n(t.focus)
        for part in prof.parts:
            k = int(sum((t.focus & t.cat(part.column, c)).sum() for c in part.categories))
            assert k >= min_n and ok_hidden(n - k, min_n), part
            assert not set(part.categories) & hidden_in_table.get(part.column, set()), part

    # 7. trend: a period with fewer than min_n shows only dashes
    if results.trend is not None:
        for tab in all_tables:
            if tab.columns[0] != "Tema" or "2023" not in tab.columns:
                continue
            for p_i, period in enumerate(("2023", "2024")):
                rows_p = (survey.responses["periode"] == period).to_numpy() & (survey.responses["kommune"] == FOCUS).to_numpy()
                for r in tab.rows:
                    m = "_antal" if r[0] == "Antal svar" else ("_samlet" if r[0] == "Samlet score" else r[0])
                    if int((rows_p & t.mvalid[m]).sum()) < min_n:
                        assert r[1 + p_i] == DASH, (period, r)
        for pr in results.trend.results:
            rows_p = (survey.responses["periode"] == pr.period).to_numpy()
            rest_p = rows_p & (survey.responses["kommune"] != FOCUS).to_numpy()
            if pr.benchmark is not None and pr.benchmark.overall.value is not None:
                assert ok_hidden(int((rest_p & t.mvalid["_samlet"]).sum()), min_n)

    # 8. comments
    c = results.comments
    if c is not None:
        f = next(x for x in findings if x.kind == "kommentarer")
        assert f.values["n"] is None or f.values["n"] >= min_n or f.values["n"] == 0
        for cc in c.by_theme:
            assert cc.n is None or cc.n == 0 or cc.n >= min_n
        for q in c.quotes:
            idx = int(re.search(r"K(\d+)X", q.text).group(1))
            row = survey.responses.index[survey.responses["respondent_id"] == f"R{idx}"][0]
            assert t.focus[row]
            for col in TITLES:
                g = str(survey.responses.at[row, col]).strip()
                same = t.focus & (survey.responses[col].astype(str).str.strip() == g).to_numpy()
                assert int(same.sum()) >= min_n, (col, g)
                assert g not in hidden_in_table.get(col, set()), (col, g)


EXAMPLES = int(os.environ.get("ANONYMITY_EXAMPLES", "200"))


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(survey_specs())
def test_no_output_reveals_a_suppressed_group(spec):
    survey, a = make_survey(spec)
    results, findings, doc = run(survey, a)
    check(survey, a, results, findings, doc)


def test_the_attack_finds_small_groups():
    """A fixed example with a 2-person group, an unknown category and a small other municipality."""
    spec = {"min_n": 5, "focus": [2, 7, 20, 0, 9], "focus_unknown": 1, "others": [[3, 1, 0, 2, 0, 1]],
            "points": 5, "n_q": 5, "n_themes": 3, "missing": [0.0, 0.1, 0.5, 0.9, 0.0, 0.0],
            "gender_p": (0.5, 0.44, 0.03, 0.03), "age_skew": 0.3, "two_periods": True, "comments": True,
            "quotes": 3, "threshold": 50.0, "seed": 1}
    survey, a = make_survey(spec)
    results, findings, doc = run(survey, a)
    check(survey, a, results, findings, doc)
    bd = results.focus_groups["maalgruppe"]
    hidden = {g.name for g in bd.groups if g.suppressed}
    assert "Alfa" in hidden and len(hidden) >= 2


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey_specs())
def test_real_chart_alt_texts_hide_small_figures(spec):
    """The drawn charts (theme, distribution, trend, priority): a theme or question below min_n
    in the focus municipality is never given a value in an alt text."""
    from reportgen.charts import figures as charts
    from reportgen.api import make_figures

    survey, a = make_survey(spec)
    results = analyze(a, survey)
    t = Truth(survey)
    figs = make_figures(results, charts)
    alt = " ".join(f.alt_text for f in figs.values())
    for theme in survey.themes:
        if t.n(t.focus, theme) < a.min_n:
            assert not re.search(re.escape(theme) + r": \d,\d\d", alt), (theme, alt)  # theme chart
            assert not re.search(re.escape(theme) + r": [^;]*?2024: \d,\d\d", alt), (theme, alt)  # trend chart
    for q in survey.questions:
        if int((t.focus & t.qvalid[q.id]).sum()) < a.min_n:
            assert not re.search(rf"(?<![\d.]){re.escape(q.number)} (?:{re.escape(q.text)}: |\(score )", alt), alt
