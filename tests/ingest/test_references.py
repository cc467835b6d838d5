"""``analyse.prioritet.maal`` names a question by id, number or data column, or a theme
(exact first, then ignoring case and spacing); a name that fits nothing or several is a
Danish problem naming the value and the candidates. ``analyse.grupper`` must name mapped
background variables when the case file lists them; the default is left out quietly."""

from __future__ import annotations

import pandas as pd
import pytest

import synth
from reportgen.api import build
from reportgen.errors import InputError, Problem
from reportgen.ingest.references import check_target
from reportgen.ingest.targets import Target, resolve_target
from reportgen.ingest.scales import BUILTIN
from reportgen.models.survey import Question
from reportgen.settings.case import CaseFile
from tests.analysis.test_analyze_kit import write_case

S = BUILTIN["tilfredshed5"]
QS = [Question("q1_1", "S1_1", "Alt i alt?", "Overordnet tilfredshed", S, number="1"),
      Question("q2_1", "S2_1", "Mødet?", "Mødet", S, number="2a"),
      Question("q2_2", "S2_2", "Planen?", "Mødet", S, number="Spm. 3")]
THEMES = ["Overordnet tilfredshed", "Mødet"]


@pytest.mark.parametrize(("maal", "want"), [
    ("q1_1", Target("spoergsmaal", "q1_1")),  # id
    ("2a", Target("spoergsmaal", "q2_1")),  # number as the citizens saw it
    ("S2_2", Target("spoergsmaal", "q2_2")),  # data column
    ("spm.  3", Target("spoergsmaal", "q2_2")),  # case and spacing do not matter
    ("Mødet", Target("tema", "Mødet")),  # a theme
    (" overordnet tilfredshed ", Target("tema", "Overordnet tilfredshed")),
    ("", None), (None, None), ("q9", None),
])
def test_maal_names_a_question_by_id_number_or_column_or_a_theme(maal, want):
    assert resolve_target(maal, QS, THEMES) == want


def _case(maal: str) -> CaseFile:
    return CaseFile.model_validate({"sag": {"titel": "T", "kommune": "K", "udvalg": "U"},
                                    "data": {"besvarelser": "b.csv"}, "analyse": {"prioritet": {"maal": maal}}})


def test_unknown_maal_names_the_value_and_the_candidates():
    problems: list[Problem] = []
    check_target(_case("q9"), QS, THEMES, "sag.yaml", problems)
    [p] = problems
    assert (p.file, p.key, p.value) == ("sag.yaml", "analyse.prioritet.maal", "q9")
    text = str(p)
    assert "findes ikke blandt undersøgelsens spørgsmål og temaer" in text
    assert "id (q1_1, q2_1, q2_2)" in text and "nummer (1, 2a, Spm. 3)" in text
    assert "temaerne Overordnet tilfredshed, Mødet" in text


def test_ambiguous_maal_is_refused():
    qs = [*QS, Question("x", "X", "?", "Mødet", S, number="q1_1")]  # a number equal to another's id
    problems: list[Problem] = []
    check_target(_case("q1_1"), qs, THEMES, "sag.yaml", problems)
    [p] = problems
    assert "mere end ét" in p.message and "spørgsmålet 'q1_1'" in p.message and "spørgsmålet 'x'" in p.message


@pytest.fixture(scope="module")
def survey():
    resp, cat, inv = synth.generate(700, ["Norddjurs", "Syddjurs"], seed=4, sizes={"Norddjurs": 400})
    resp = resp.rename(columns={q: "S" + q[1:] for q in cat["id"]})
    cat = cat.assign(kolonne=["S" + q[1:] for q in cat["id"]])
    return resp, cat, inv


@pytest.mark.parametrize("maal", ["q1_1", "1.1", "S1_1"])
def test_build_accepts_id_number_and_column_alike(tmp_path, survey, maal):
    resp, cat, inv = survey
    report = build(write_case(tmp_path, resp, cat, invited=inv, analyse={"prioritet": {"maal": maal}}))
    assert report.results.priority.target == "spørgsmål 1.1"
    f = next(x for x in report.findings if x.kind == "samlet_fordeling")
    assert f.values["number"] == "1.1"


def test_build_refuses_unknown_maal_and_unmapped_group(tmp_path, survey):
    resp, cat, inv = survey
    with pytest.raises(InputError) as info:
        build(write_case(tmp_path, resp, cat, invited=inv,
                         analyse={"prioritet": {"maal": "S1_9"}, "grupper": ["maalgruppe", "uddannelse"]}))
    text = str(info.value)
    assert "værdien 'S1_9'" in text and "analyse.prioritet.maal" in text
    assert "analyse.grupper[2]" in text and "værdien 'uddannelse'" in text
    assert "maalgruppe, koen, alder" in text


def test_default_groups_are_left_out_quietly_without_a_target_group_column(tmp_path, survey):
    resp, cat, inv = survey
    resp = resp.drop(columns=["maalgruppe"])
    report = build(write_case(tmp_path, resp, cat, invited=inv))
    assert "maalgruppe" not in report.results.focus_groups
    assert isinstance(report.results.focus.n_respondents, int)
    assert not pd.isna(report.results.focus.overall.value)
