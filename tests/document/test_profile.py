"""Profiles are data: the bundled three build from the same survey into PDF and DOCX with the
same headings in the same order, and a profile written in a test as a YAML file — renamed,
dropped and reordered sections — changes both outputs alike."""

from __future__ import annotations

import numpy as np
import pytest

from reportgen.api import build
from reportgen.errors import InputError
from reportgen.document.profile import bundled_profiles, known_blocks, load_profile
from tests.render_cases import (
    FULL_TEXTS,
    docx_headings,
    keep,
    make_case,
    pdf_outline,
    pdf_pages,
    write_yaml,
)

EXPECTED = {
    "sagsfremstilling": ["Resumé", "Sagsfremstilling",
                         "Sammenhæng til andre politikker/strategier og fagområder",
                         "Økonomiske konsekvenser", "Lovgrundlag", "Indstilling",
                         "Beslutning i Arbejdsmarkedsudvalget", "Bilag"],
    "temadroeftelse": ["Resumé", "Indstilling", "Problemstilling", "Løsning", "Økonomi",
                       "Politisk handlerum", "Videre proces", "Beslutning i Arbejdsmarkedsudvalget",
                       "Ansvarlige"],
    "handleplan": ["Indledning", "Brugerundersøgelsens konklusioner", "Udfordringer og tiltag", "Metode"],
}


def test_bundled_profiles_and_their_sections():
    assert set(EXPECTED) <= set(bundled_profiles())
    for name, headings in EXPECTED.items():
        profile = load_profile(name)
        assert profile.navn == name
        shown = [s.overskrift.replace("{udvalg}", "Arbejdsmarkedsudvalget") for s in profile.sektioner
                 if not s.udelad_hvis_tom]
        assert shown == headings


@pytest.fixture(scope="module")
def profile_reports(tmp_path_factory):
    """The demo survey built in each bundled profile (drafts, hand-written texts given)."""
    out = {}
    for name in EXPECTED:
        folder = tmp_path_factory.mktemp(name)
        out[name] = build(make_case(folder, {"profil": name, "tekster": dict(FULL_TEXTS)}))
    return out


@pytest.mark.parametrize("name", list(EXPECTED))
def test_profile_builds_to_pdf_and_docx_with_the_same_headings(profile_reports, name):
    report = profile_reports[name]
    pdf, docx = report.render("pdf"), report.render("docx")
    keep(f"profil-{name}.pdf", pdf)
    keep(f"profil-{name}.docx", docx)
    sections = [s.heading for s in report.document.sections]
    assert sections == EXPECTED[name]
    # Bookmarks: the title, then every section and sub-heading; DOCX: Heading 1/3 in the same order.
    outline = pdf_outline(pdf)
    assert outline[0] == report.document.meta.title
    assert outline[1:] == [text for _, text in docx_headings(docx)]
    assert [t for style, t in docx_headings(docx) if style == "Heading 1"] == sections
    assert all(h in outline for h in sections)


def test_temadroeftelse_has_table_1_with_scale_note_and_officials(profile_reports):
    report = profile_reports["temadroeftelse"]
    problem = next(s for s in report.document.sections if s.key == "problemstilling")
    table = next(b for b in problem.blocks if type(b).__name__ == "Table")
    assert table.caption.startswith("Tabel 1. Score pr. tema")
    assert "Score på skalaen 1–5, hvor 1 er mest negativ og 5 mest positiv" in table.note
    assert table.columns[1] == "Norddjurs (alle kommuner)"
    text = "\n".join(pdf_pages(report.render("pdf")))
    assert "Tabel 1. Score pr. tema" in text
    assert "Mette Kjærgaard, arbejdsmarkedschef" in text


def test_handleplan_lists_udfordringer_with_room_for_actions(profile_reports):
    """The demo has no clear udfordring (its one candidate's interval starts at 0,5724, the
    median is 0,5682: both print as 0,57), so the handleplan takes the three questions with the
    lowest share positive as indsatsområder, each with room for the actions."""
    report = profile_reports["handleplan"]
    section = next(s for s in report.document.sections if s.key == "handleplan")
    headings = [b.text for b in section.blocks if type(b).__name__ == "Heading"]
    pm = report.results.priority
    assert pm is not None
    # The rule, by hand: the Udfordringer quadrant and the whole 95 % interval above the median,
    # both as printed (two decimals).
    median = round(float(np.median([i.importance for i in pm.items])), 2)
    low = {i.question.id: np.tanh(np.arctanh(i.importance) - 1.959963984540054 / np.sqrt(i.n - 3)) for i in pm.items}
    assert not [i for i in pm.items if i.quadrant == "Udfordringer" and round(low[i.question.id], 2) > median]
    shares = sorted(((q.share_positive.value, n, q_id) for n, (q_id, q) in enumerate(report.results.focus.questions.items())
                     if q.share_positive.value is not None and q_id in {i.question.id for i in pm.items}))
    by_id = {i.question.id: i.question for i in pm.items}
    lowest = [by_id[q_id] for _, _, q_id in shares[:3]]
    assert headings == [f"Indsatsområde {n}: {q.text} – spørgsmål {q.number}" for n, q in enumerate(lowest, start=1)]
    placeholders = [b.text for b in section.blocks if getattr(b, "style", "") == "placeholder"]
    assert len(placeholders) == 3
    assert f"tekster.ekstra.tiltag_{lowest[0].id}" in placeholders[0]


# --------------------------------------------------------------------------- a profile as data


def _custom_profile(path, sections):
    return write_yaml(path, {"navn": "test_profil", "sektioner": sections})


BASE_SECTIONS = [
    {"noegle": "resume", "overskrift": "Kort fortalt", "indhold": [{"tekst": "resume", "ellers": "resume"}]},
    {"noegle": "tal", "overskrift": "Resultaterne for {kommune}",
     "indhold": [{"blok": "temaliste"}, {"blok": "tematabel", "overskrift": "Temaerne i tal"}]},
    {"noegle": "indstilling", "overskrift": "Forvaltningens indstilling",
     "indhold": [{"blok": "indstilling", "paakraevet": True}]},
    {"noegle": "oekonomi", "overskrift": "Økonomi", "indhold": [{"tekst": "oekonomi"}]},
]


def test_a_new_profile_from_a_data_file_drives_pdf_and_docx_alike(tmp_path):
    profile = _custom_profile(tmp_path / "profiler" / "test_profil.yaml", BASE_SECTIONS)
    case = make_case(tmp_path, {"profil": "profiler/test_profil.yaml"})
    first = build(case)
    expected = ["Kort fortalt", "Resultaterne for Norddjurs Kommune", "Temaerne i tal",
                "Forvaltningens indstilling", "Økonomi"]
    assert pdf_outline(first.render("pdf"))[1:] == expected
    assert [t for _, t in docx_headings(first.render("docx"))] == expected

    # Rename one heading, drop a section and move another: both outputs follow.
    changed = [dict(BASE_SECTIONS[2], overskrift="Indstilling"), BASE_SECTIONS[0], BASE_SECTIONS[3]]
    _custom_profile(profile, changed)
    second = build(case)
    expected = ["Indstilling", "Kort fortalt", "Økonomi"]
    pdf, docx = second.render("pdf"), second.render("docx")
    keep("profil-test.pdf", pdf)
    assert pdf_outline(pdf)[1:] == expected
    assert [t for _, t in docx_headings(docx)] == expected
    assert "Resultaterne for" not in "\n".join(pdf_pages(pdf))


@pytest.mark.parametrize(
    ("sections", "needle"),
    [
        ([{"noegle": "a", "overskrift": "A", "indhold": [{"blok": "findes_ikke"}]}], "ukendt blok 'findes_ikke'"),
        ([{"noegle": "a", "overskrift": "A", "indhold": [{"tekst": "x", "blok": "fund"}]}], "præcis én"),
        ([{"noegle": "a", "overskrift": "A", "farve": "rød"}], "farve"),
        ([{"noegle": "a", "overskrift": "A"}, {"noegle": "a", "overskrift": "B"}], "mere end én gang"),
        ([{"noegle": "a", "overskrift": "  "}], "overskrift"),
        ([{"noegle": "a", "overskrift": "A", "indhold": [{"blok": "fund", "ellers": "resume"}]}], "ellers"),
    ],
)
def test_bad_profiles_are_refused_in_danish_with_file_and_place(tmp_path, sections, needle):
    path = _custom_profile(tmp_path / "p.yaml", sections)
    with pytest.raises(InputError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert needle in message and "p.yaml" in message


def test_unknown_profile_names_the_bundled_ones():
    with pytest.raises(InputError, match="handleplan") as info:
        load_profile("findes_ikke")
    assert "temadroeftelse" in str(info.value)


def test_known_blocks_include_the_handleplan_blocks():
    assert {"fund", "tematabel", "metode", "fordeling_samlet", "styrker_spoergsmaal",
            "udfordringer_tiltag"} <= set(known_blocks())


def test_handleplan_strengths_say_what_the_printed_map_supports(profile_reports):
    """The demo's strengths include 5.2, whose importance prints as 0,57 like the split it is
    cut at, and no importance on the map is clearly above the median: the handleplan says
    "på eller over" and gives the same caveat as the priority-map text in the bilag."""
    report = profile_reports["handleplan"]
    pm = report.results.priority
    section = next(s for s in report.document.sections if s.key == "konklusioner")
    lead = next(b.text for b in section.blocks if getattr(b, "text", "").startswith("Styrkerne er"))
    on_line = [i for i in pm.items if i.quadrant == "Styrker" and round(i.importance, 2) == round(pm.importance_split, 2)]
    assert on_line and not any(i.clearly_high for i in pm.items)
    assert "der begge ligger på eller over gennemsnittet" in lead
    assert "kan data dog ikke skelne deres betydning sikkert fra de øvrige spørgsmåls" in lead


def test_the_method_note_explains_the_priority_map_only_where_the_document_shows_it(profile_reports, demo_report):
    """The temadroeftelse profile has no priority map, so its method note does not explain
    one (a note that does not apply, like a footnote under a table without its mark); the
    sagsfremstilling's bilag and the handleplan show the map and explain it."""
    def method(doc) -> str:
        return next(b.text for s in doc.sections for b in s.blocks if getattr(b, "text", "").startswith("Metode."))

    def shows_map(doc) -> bool:
        return any(type(b).__name__ == "Figure" and "Prioriteringskort" in b.caption for s in doc.sections
                   for b in s.blocks)

    docs = [profile_reports["temadroeftelse"].document, profile_reports["handleplan"].document,
            *demo_report.document.attachments]
    assert [shows_map(d) for d in docs] == [False, True, True]
    for doc in docs:
        assert ("prioriteringskortet" in method(doc)) == shows_map(doc), method(doc)
        assert ("udfordring" in method(doc)) == shows_map(doc), method(doc)
