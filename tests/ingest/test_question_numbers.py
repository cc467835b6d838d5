"""The questionnaire's own numbers: ``nummer`` on an inline question (free text), and
``data.nummer_fra_overskrift`` taking "2a" from a header "Spm. 2a: …"."""

from __future__ import annotations

import yaml

from reportgen.ingest.catalogue import header_number
from reportgen.ingest.sources import load_all
from reportgen.settings.case import load_case


def _case(tmp_path, by_header: bool):
    rows = ["respondent_id;kommune;Spm. 2a: Hvor tilfreds er du med hjælpen?;Q5;Q6"]
    rows += [f"{i};Norddjurs;{1 + i % 5};{1 + (i * 3) % 5};{1 + (i * 7) % 5}" for i in range(1, 31)]
    (tmp_path / "besvarelser.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    case = {"sag": {"titel": "T", "kommune": "Norddjurs", "udvalg": "U"},
            "data": {"besvarelser": "besvarelser.csv", "fokus": "Norddjurs", "nummer_fra_overskrift": by_header,
                     "kolonner": {"respondent_id": "respondent_id", "kommune": "kommune"},
                     "spoergsmaal": [{"kolonne": "Spm. 2a: Hvor tilfreds er du med hjælpen?", "id": "hjaelp",
                                      "tema": "Samlet"},
                                     {"kolonne": "Q5", "tekst": "Blev du mødt med respekt?", "nummer": 13,
                                      "tema": "Mødet"},
                                     {"kolonne": "Q6", "tekst": "Var planen klar?", "nummer": "Spm. 4",
                                      "tema": "Mødet"}]}}
    path = tmp_path / "sag.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    case, base = load_case(path)
    return load_all(case, base, case_file=str(path))


def test_inline_numbers_and_numbers_from_the_header(tmp_path):
    survey = _case(tmp_path, by_header=True)
    got = {q.id: (q.number, q.text) for q in survey.questions}
    assert got == {"hjaelp": ("2a", "Hvor tilfreds er du med hjælpen?"),
                   "Q5": ("13", "Blev du mødt med respekt?"), "Q6": ("Spm. 4", "Var planen klar?")}


def test_without_the_setting_the_header_is_the_text(tmp_path):
    survey = _case(tmp_path, by_header=False)
    q = next(q for q in survey.questions if q.id == "hjaelp")
    assert q.text == "Spm. 2a: Hvor tilfreds er du med hjælpen?" and q.number == "1.1"


def test_header_number_forms():
    assert header_number("Spørgsmål 13 - Hvordan gik det?") == ("13", "Hvordan gik det?")
    assert header_number("spm 4. Noget") == ("4", "Noget")
    assert header_number("Hvor tilfreds er du?") is None
    assert header_number("Q4_1") is None
