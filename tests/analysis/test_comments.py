"""Open-text comments: opt-in only, counts per theme, redacted quotes, never from a small group."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import synth
from reportgen.analysis.comments import hidden_counts, redact
from tests.analysis.test_analyze_kit import docx_text, model_text, pdf_text, write_case

CPR = re.compile(r"\b\d{6}-?\d{4}\b")
PHONE = re.compile(r"(?:\+45\s?)?\b\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b")
EMAIL = re.compile(r"\S+@\S+\.\w+")


@pytest.mark.parametrize("text,gone", [
    ("Mit cpr-nummer er 010190-1234, I har registreret mig forkert.", "010190-1234"),
    ("Mit cpr er 0101901234.", "0101901234"),
    ("Ring på 12 34 56 78 hvis I vil.", "12 34 56 78"),
    ("Ring på +45 12345678 i morgen.", "12345678"),
    ("Ring på 1234 5678.", "1234 5678"),
    ("Skriv til hanne.jensen@eksempel.dk i stedet.", "hanne.jensen@eksempel.dk"),
    ("Hanne Jensen var sød, men Mads var ikke.", "Hanne Jensen"),
    ("hanne jensen var sød.", "hanne jensen"),
])
def test_redact_removes_personal_data(text, gone):
    out, n = redact(text, ["Hanne Jensen", "Mads"])
    assert gone not in out and n >= 1
    assert "fjernet]" in out


def test_redact_keeps_ordinary_numbers_and_words():
    out, n = redact("Jeg har haft 3 sagsbehandlere på 12 måneder siden 2023.", ["Mads"])
    assert out == "Jeg har haft 3 sagsbehandlere på 12 måneder siden 2023." and n == 0
    out, _ = redact("Madsen var fin.", ["Mads"])
    assert out == "Madsen var fin."


def test_hidden_counts_complementary():
    assert hidden_counts({"A": 10, "B": 3, "C": 8}, 21, 5) == {"A"}  # B hidden; 21-18=3 → C hidden too
    assert hidden_counts({"A": 10, "B": 12}, 22, 5) == {"A", "B"}
    assert hidden_counts({"A": 10, "B": 0}, 10, 5) == {"A", "B"}


@pytest.fixture(scope="module")
def commented(tmp_path_factory):
    resp, cat, inv = synth.generate(3000, ["Norddjurs", "Syddjurs", "Aarhus"], seed=12, sizes={"Norddjurs": 900},
                                    group_sizes={"Norddjurs": {"Ressourceforløb": 3}})
    resp = resp.copy()
    focus = (resp["kommune"] == "Norddjurs").to_numpy()
    small = focus & (resp["maalgruppe"] == "Ressourceforløb").to_numpy()
    resp.loc[small, "kommentar"] = [f"Unik kommentar fra lille gruppe nummer {i} om min sagsbehandler." for i in
                                    range(int(small.sum()))]
    extra = np.flatnonzero(focus & ~small)[:4]
    resp.loc[extra, "kommentar"] = ["Hanne Jensen fra jobcentret har været god til at lytte til mig.",
                                    "Ring til mig på 22 33 44 55 om min samtale med sagsbehandleren.",
                                    "Min samtale gik godt, skriv til a.b@eksempel.dk hvis I vil høre mere.",
                                    "Jeg fik aldrig tilbudt et job, og min samtale var kort."]
    return resp, cat, inv


KEYWORDS = {"Samtalen": ["samtale"], "Progression": ["job"], "Mødet med jobcentret": ["lytte", "respekt"]}


@pytest.fixture(scope="module")
def opted_in(tmp_path_factory, commented):
    from reportgen.api import build

    resp, cat, inv = commented
    path = write_case(tmp_path_factory.mktemp("komm"), resp, cat, invited=inv, analyse={
        "kommentarer": {"medtag": True, "citater": 3, "noegleord": KEYWORDS, "navne": ["Hanne Jensen"]}})
    report = build(path)
    return report, pdf_text(report, "komm.pdf"), docx_text(report, "komm.docx")


def _focus_comments(resp: pd.DataFrame) -> pd.DataFrame:
    d = resp[resp["kommune"] == "Norddjurs"]
    qs = [c for c in d.columns if c.startswith("q")]
    d = d[d[qs].apply(lambda c: c.astype(str).isin(list("12345"))).any(axis=1)]
    return d[d["kommentar"].fillna("").astype(str).str.strip() != ""]


def test_counts_total_and_per_theme(opted_in, commented):
    report, pdf, docx = opted_in
    resp = commented[0]
    com = _focus_comments(resp)
    c = report.results.comments
    assert c.n_comments == len(com)
    assert f"I alt har {len(com)} borgere i Norddjurs skrevet en kommentar i undersøgelsen." in pdf
    counts = {t.theme: t.n for t in c.by_theme}
    for theme, words in KEYWORDS.items():
        pattern = r"(?<!\w)(?:" + "|".join(words) + ")"
        k = int(com["kommentar"].str.contains(pattern, case=False, regex=True).sum())
        if k >= 5:
            assert counts[theme] in (k, None)
        else:
            assert counts[theme] is None
        if counts[theme] is not None:
            assert f"{theme} {k}" in docx


def test_quotes_are_redacted_and_never_from_a_small_group(opted_in):
    report, pdf, docx = opted_in
    quotes = report.results.comments.quotes
    assert quotes, "quotes were asked for"
    shown = model_text(report)
    for q in quotes:
        assert not CPR.search(q.text) and not PHONE.search(q.text) and not EMAIL.search(q.text), q.text
        assert "Hanne Jensen" not in q.text
    for text in (pdf, docx, shown):
        assert "lille gruppe" not in text
        assert "22 33 44 55" not in text and "a.b@eksempel.dk" not in text and "Hanne Jensen" not in text
        assert not CPR.search(text)


def test_comments_are_off_unless_asked_for(demo_report, demo_pdf_text, demo_docx_text):
    assert demo_report.results.comments is None
    resp = pd.read_csv("fixtures/demo/besvarelser.csv", sep=";", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    sample = [c for c in resp["kommentar"] if c.strip()][:50]
    assert sample
    for c in sample:
        assert c not in demo_pdf_text and c not in demo_docx_text
    assert "kommentar" not in " ".join(demo_pdf_text.split()).lower().replace("kommentarer", "")
