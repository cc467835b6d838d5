"""Scrubbing proven where comments are shown: a case with ``medtag: ja`` and quotes in which
every focus comment carries personal data; the PDF, DOCX and HTML show the quotes with the
data replaced (CPR with and without dash, phone with spaces and +45, e-mail, 'jeg hedder')."""

from __future__ import annotations

import html as htmllib
import re

import numpy as np
import pytest

import synth
from tests.analysis.test_analyze_kit import docx_text, pdf_text, write_case

SECRETS = ["010190-1234", "0202851234", "22 33 44 55", "+45 87 65 43 21", "karen.nielsen@eksempel.dk",
           "Karen Nielsen"]
TEMPLATES = [
    "Min samtale gik skidt, mit cpr er 010190-1234 og I har det forkert.",
    "Samtalen var god, men skriv mit cpr 0202851234 rigtigt næste gang.",
    "Ring til mig om min samtale på 22 33 44 55 efter klokken ti.",
    "Efter samtalen kan I ringe på +45 87 65 43 21 hvis der er noget.",
    "Min samtale var fin, skriv til karen.nielsen@eksempel.dk med svar.",
    "Jeg hedder Karen Nielsen og min samtale med jobcentret var kort.",
]
MARKERS = ["[cpr-nr. fjernet]", "[telefonnr. fjernet]", "[e-mail fjernet]", "[navn fjernet]"]


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    from reportgen.api import build

    resp, cat, inv = synth.generate(1200, ["Norddjurs", "Syddjurs"], seed=7)
    resp = resp.copy()
    focus = np.flatnonzero((resp["kommune"] == "Norddjurs").to_numpy())
    resp["kommentar"] = ""
    resp.loc[resp.index[focus], "kommentar"] = [TEMPLATES[i % len(TEMPLATES)] for i in range(len(focus))]
    path = write_case(tmp_path_factory.mktemp("scrub"), resp, cat, invited=inv, analyse={
        "kommentarer": {"medtag": "ja", "citater": 6, "noegleord": {"Samtalen": ["samtale"]}}})
    report = build(path)
    page = " ".join(re.sub(r"<[^>]+>", " ", report.render("html", doc).decode("utf-8"))
                    for doc in report.documents)  # the main document and its bilag
    return report, {"pdf": pdf_text(report, "scrub.pdf"), "docx": docx_text(report, "scrub.docx"),
                    "html": " ".join(htmllib.unescape(page).split())}


def test_quotes_are_shown_in_every_format(shown) -> None:
    report, texts = shown
    quotes = report.results.comments.quotes
    assert len(quotes) >= 4
    for fmt, text in texts.items():
        flat = " ".join(text.split())
        assert sum(" ".join(q.text.split())[:40] in flat for q in quotes) >= 4, fmt


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_personal_data_is_scrubbed_where_shown(shown, fmt: str) -> None:
    _, texts = shown
    text = " ".join(texts[fmt].split())
    for secret in SECRETS:
        assert secret not in text, (fmt, secret)
    assert not re.search(r"(?<!\d)\d{6}-?\d{4}(?!\d)", text)
    assert not re.search(r"\S+@\S+\.\w{2,}", text)
    assert sum(m in text for m in MARKERS) >= 3, fmt  # the scrubbed quotes really are in the output
