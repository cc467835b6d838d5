"""The analysis blocks in the document model, the default profile and the HTML preview."""

from __future__ import annotations

import pandas as pd
import pytest

import synth
from reportgen.document.analysis_blocks import BLOCKS
from reportgen.document.blocks import BLOCK_BUILDERS
from reportgen.models.document import Figure, Heading, Table
from tests.analysis.test_analyze_kit import Data, da, model_text, write_case

NEW_BLOCKS = {*BLOCKS, "udviklingsfigur", "prioriteringsfigur"}


def test_new_blocks_are_registered_and_valid_in_profiles():
    from reportgen.document.profile import Profile

    assert NEW_BLOCKS <= set(BLOCK_BUILDERS)
    Profile.model_validate({"navn": "x", "sektioner": [
        {"noegle": "a", "overskrift": "A", "indhold": [{"blok": b} for b in sorted(NEW_BLOCKS)]}]})


def test_default_profile_shows_the_analysis(demo_report):
    (bilag,) = demo_report.attachments  # the results bilag holds the analysis
    headings = [s.heading for s in bilag.sections]
    assert "Andelen af positive svar pr. spørgsmål" in headings
    assert "Prioriteringskort" in headings
    assert "Udvikling over tid" not in headings  # one period only
    assert "Borgernes kommentarer" not in headings  # not opted in
    for doc in demo_report.documents:  # each document numbers its own tables from 1
        captions = [b.caption for s in doc.sections for b in s.blocks if isinstance(b, (Figure, Table))]
        numbers = [int(c.split(".")[0].split()[1]) for c in captions if c.startswith("Tabel")]
        assert numbers == list(range(1, len(numbers) + 1))
    captions = [b.caption for s in bilag.sections for b in s.blocks if isinstance(b, (Figure, Table))]
    assert any("Prioriteringskort" in c for c in captions)
    assert any(c.startswith("Tabel") and "Score pr. tema og målgruppe" in c for c in captions)


def test_html_preview_has_the_new_content(demo_report):
    html = demo_report.render("html", demo_report.attachments[0]).decode()
    assert "Prioriteringskort" in html and "når hele intervallet ligger over medianen" in html
    assert "KI (95 pct.)" in html


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """One municipality, no benchmark table: nothing is compared."""
    from reportgen.api import build

    resp, cat, _ = synth.generate(400, ["Norddjurs"], seed=21)
    resp = resp.drop(columns=["kommune"])
    path = write_case(tmp_path_factory.mktemp("single"), resp, cat,
                      kolonner={"respondent_id": "respondent_id", "maalgruppe": "maalgruppe", "koen": "koen",
                                "alder": "alder"})
    return build(path), Data(resp, cat)


def test_single_municipality_without_benchmark(single):
    report, d = single
    r = report.results
    assert r.benchmark_source == "ingen" and not r.has_benchmark
    text = model_text(report)
    sections = [s for doc in report.documents for s in doc.sections]
    words = [b for s in sections for b in s.blocks if not isinstance(b, Figure)]
    assert all("alle kommuner" not in str(b).lower() for b in words)
    # nor do the figures' captions and alt texts (the theme chart shows the focus bars alone)
    figures = [b for s in sections for b in s.blocks if isinstance(b, Figure)]
    assert figures and all("alle kommuner" not in f"{f.caption} {f.alt_text}".lower() for f in figures)
    assert "(ikke oplyst)" not in report.figures["temafigur"].alt_text
    everyone = pd.Series(True, index=d.raw.index).to_numpy()
    assert f"Den samlede score for Norddjurs er {da(d.score(None, everyone))} på en skala fra 1 til 5" in text
    table = next(b for s in sections for b in s.blocks
                 if isinstance(b, Table) and b.columns[0] == "Tema")
    assert table.columns == ("Tema", "Norddjurs", "KI (95 pct.)", "Antal svar")
    for theme in d.themes:
        assert f"{theme} {da(d.score(theme, everyone))} " in text
