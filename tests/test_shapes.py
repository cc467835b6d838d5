"""The three shaped exports of fixtures/make_shapes.py: the generator reproduces the committed
files, and each builds as a committee reads it — a main document of at most three pages
with Bilag 1 beside it (or, with the one-document profile, everything before 'Bilag'),
with the sentences the shape calls for. Figures are checked against pandas/pyreadstat
readings of the files themselves."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from reportgen.api import build

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "fixtures" / "shapes"
TEXT_FILES = {"national": ["besvarelser.csv", "katalog.csv", "inviterede.csv", "sag.yaml"],
              "lokal": ["besvarelser.csv", "katalog.csv", "sag.yaml", "sag_et_dokument.yaml", "et_dokument.yaml"],
              "spss": ["inviterede.csv", "sag.yaml"]}


def test_make_shapes_reproduces_the_committed_files(tmp_path: Path) -> None:
    import pyreadstat

    subprocess.run([sys.executable, str(ROOT / "fixtures" / "make_shapes.py"), "--out", str(tmp_path)], check=True,
                   cwd=tmp_path)
    for shape, names in TEXT_FILES.items():
        for name in names:
            assert (tmp_path / shape / name).read_bytes() == (SHAPES / shape / name).read_bytes(), (shape, name)
    new, meta_new = pyreadstat.read_sav(str(tmp_path / "spss" / "besvarelser.sav"), user_missing=True)
    old, meta_old = pyreadstat.read_sav(str(SHAPES / "spss" / "besvarelser.sav"), user_missing=True)
    pd.testing.assert_frame_equal(new, old)
    assert meta_new.variable_value_labels == meta_old.variable_value_labels
    assert meta_new.column_labels == meta_old.column_labels


@pytest.fixture(scope="module")
def reports():
    return {name: build(SHAPES / name.split("/")[0] / f"{name.split('/')[1]}.yaml")
            for name in ("national/sag", "lokal/sag", "lokal/sag_et_dokument", "spss/sag")}


def _pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


@pytest.mark.parametrize("name", ["national/sag", "lokal/sag", "spss/sag"])
def test_main_document_is_short_with_the_results_beside_it(reports, parsed, name):
    report = reports[name]
    main, *bilag = report.documents
    assert len(bilag) == 1 and bilag[0].meta.title.startswith("Bilag 1: Resultater af")
    doc, pages = parsed[name.replace("/", "-")]
    assert doc is main
    assert 1 <= len(pages) <= 3


def test_one_document_profile_keeps_everything_before_bilag(reports):
    report = reports["lokal/sag_et_dokument"]
    assert len(report.documents) == 1
    headings = [s.heading for s in report.document.sections]
    assert headings[-1] == "Bilag" and "Prioriteringskort" in headings and "Metode og data" in headings
    assert headings.index("Metode og data") < headings.index("Bilag")
    text = " ".join(_pages(report.render("pdf")))
    assert "fremgår af Bilag 1" not in text


def test_national_place_says_which_municipalities_it_is_among(reports):
    report = reports["national/sag"]
    data = pd.read_csv(SHAPES / "national" / "besvarelser.csv", sep=";", encoding="utf-8-sig", dtype=str)
    now = data[data["periode"] == "2024"]["kommune"].value_counts()
    ranked = int((now >= 5).sum())
    assert ranked < len(now), "the export has a municipality with too few answers to be ranked"
    f = next(x for x in report.findings if x.kind == "rang")
    assert f"blandt de {ranked} kommuner med mindst 5 besvarelser" in f.text
    svar = next(x for x in report.findings if x.kind == "svarprocent")
    assert f"fra {len(now)} deltagende kommuner" in svar.text


def test_local_agree_scale_words(reports):
    report = reports["lokal/sag"]
    texts = [f.text for f in report.findings]
    assert not any("mest enige" in t or "mere enige" in t for t in texts), "a reverse-coded statement is in the score"
    assert report.summary.text.startswith("Undersøgelsen i Rødovre bygger på")
    table = next(b for d in report.documents for s in d.sections for b in s.blocks
                 if type(b).__name__ == "Table" and "Andel positive, pct." in b.columns)
    assert table.note.startswith("Andel positive: andelen af gyldige svar i skalaens positive kategorier "
                                 "(delvis enig og helt enig); for et negativt formuleret spørgsmål")
    cat = pd.read_csv(SHAPES / "lokal" / "katalog.csv", sep=";", encoding="utf-8-sig", dtype=str)
    data = pd.read_csv(SHAPES / "lokal" / "besvarelser.csv", sep=";", encoding="utf-8-sig", dtype=str)
    rev = cat[cat["omvendt"] == "ja"].iloc[0]
    answers = data[rev["kolonne"]].dropna()
    answers = answers[answers != "Ved ikke"]
    own = round(100 * answers.isin(["Delvis enig", "Helt enig"]).mean())
    f = next(x for x in report.findings if x.kind == "udviklingsomraader")
    item = next(i for i in f.values["items"] if i["number"] == rev["nummer"])
    assert f"og {own} pct. af de gyldige svar er »delvis enig« eller »helt enig«" in item["share_text"]


def test_spss_priority_target_by_number_and_missing_codes(reports):
    import pyreadstat

    report = reports["spss/sag"]
    assert report.results.priority is not None and report.results.priority.target == "spørgsmål 1"
    df, meta = pyreadstat.read_sav(str(SHAPES / "spss" / "besvarelser.sav"), user_missing=True)
    focus = df[df["kom"] == 1.0]["K1"]
    valid = focus[focus.isin([1, 2, 3, 4, 5])]
    q = next(q for q in report.results.questions if q.number == "1")
    assert report.results.focus.questions[q.id].n == len(valid)
    assert q.text == meta.column_names_to_labels["K1"].split(": ", 1)[1]


def test_handleplan_gives_a_reverse_coded_question_its_own_wording(tmp_path):
    import shutil

    import yaml

    folder = tmp_path / "lokal"
    shutil.copytree(SHAPES / "lokal", folder)
    case = yaml.safe_load((folder / "sag.yaml").read_text(encoding="utf-8"))
    (folder / "sag.yaml").write_text(yaml.safe_dump({**case, "profil": "handleplan"}, allow_unicode=True),
                                     encoding="utf-8")
    report = build(folder / "sag.yaml")
    cat = pd.read_csv(folder / "katalog.csv", sep=";", encoding="utf-8-sig", dtype=str)
    data = pd.read_csv(folder / "besvarelser.csv", sep=";", encoding="utf-8-sig", dtype=str)
    rev = cat[cat["omvendt"] == "ja"].iloc[0]
    answers = data[rev["kolonne"]].dropna()
    answers = answers[answers != "Ved ikke"]
    own = round(100 * answers.isin(["Delvis enig", "Helt enig"]).mean())
    section = next(s for s in report.document.sections if s.key == "handleplan")
    notes = [b.text for b in section.blocks if getattr(b, "text", "").startswith(f"Spørgsmål {rev['nummer']}:")]
    assert notes, "the reverse-coded statement is among the lowest shares positive"
    assert (f"svar. Spørgsmålet er negativt formuleret, og {own} pct. af de gyldige svar er »delvis enig« eller "
            "»helt enig«.") in notes[0]
    assert ") (" not in notes[0]  # one bracket after another read badly ("(… helt enig«) (alle kommuner: …)")


@pytest.mark.parametrize("name", ["national/sag", "lokal/sag", "spss/sag"])
def test_a_listed_question_is_named_as_a_question_not_by_a_bare_number(reports, name):
    """'8 Jobcentret præsenterer mig …' reads as a count; the lists name the question as the
    sentences do: 'Spørgsmål 8 »Jobcentret præsenterer mig …«'."""
    from reportgen.models.document import ListBlock

    report = reports[name]
    numbers = {q.number for q in report.results.questions if q.number}
    items = [" ".join(r.text for r in item.runs) for doc in report.documents for s in doc.sections
             for b in s.blocks if isinstance(b, ListBlock) for item in b.items]
    listed = [t for t in items if "»" in t]
    threshold = [f for f in report.findings if f.kind in ("styrker", "udviklingsomraader")]
    if not listed:  # every question on one side of the threshold: one sentence, no list
        assert [f.values["n"] for f in threshold] == [f.values["n_all"] for f in threshold] and threshold
        assert threshold[0].text.startswith("På alle "), threshold[0].text
        return
    for text in items:
        assert not any(text.startswith(f"{n} ") for n in numbers), text
    for text in listed:
        assert text.startswith("Spørgsmål ") and "«" in text, text


def test_groups_under_the_documented_size_are_not_compared_with_the_benchmark(reports):
    """Groups with fewer than analyse.min_gruppe (30, docs/metode.md) answers are in no
    'mere/mindre/på niveau' sentence against the benchmark; the text says they are too
    small to compare. The group sizes are counted from the export itself."""
    import re

    from reportgen.narrative.words import person_form

    report = reports["national/sag"]
    data = pd.read_csv(SHAPES / "national" / "besvarelser.csv", sep=";", encoding="utf-8-sig", dtype=str)
    focus = data[(data["periode"] == "2024") & (data["kommune"] == "Viborg")]
    sizes = focus["maalgruppe"].value_counts()
    small = [person_form(g, "maalgruppe") for g in sizes.index if sizes[g] < 30]
    large = [person_form(g, "maalgruppe") for g in sizes.index if sizes[g] >= 30]
    assert small and large, "the export has groups on both sides of the limit"
    texts = [f.text for f in report.findings if f.kind == "grupper_benchmark" and f.values["dimension"] == "maalgruppe"]
    assert len(texts) == 1
    sentences = re.split(r"(?<=\.) (?=[A-ZÆØÅ])", texts[0])
    too_small = [s for s in sentences if "indgår ikke i sammenligningen" in s]
    compared = [s for s in sentences if "indgår ikke i sammenligningen" not in s]
    assert len(too_small) == 1 and "færre end 30 besvarelser" in too_small[0]
    # The small groups are named once, with their numbers, in the caveat on small groups.
    caveat = next(f.text for f in report.findings if f.kind == "forbehold")
    for name in small:
        assert not any(re.search(rf"(?<![\wæøå-]){name}", s, re.I) for s in sentences), (name, sentences)
        raw = next(g for g in sizes.index if person_form(g, "maalgruppe") == name)
        assert f"{name} ({sizes[raw]} besvarelser)" in caveat, (name, caveat)
    for name in large:
        assert any(name.lower() in s.lower() for s in compared), (name, compared)


# --------------------------------------------------------------------------- pages


@pytest.fixture(scope="module")
def pdfs(reports, demo_report):
    """name → (document model, PDF bytes) of every document of the three exports and the demo."""
    from tests.render_cases import keep

    out = {}
    for name, report in [*((n, reports[n]) for n in ("national/sag", "lokal/sag", "spss/sag")), ("demo", demo_report)]:
        for doc in report.documents:
            data = report.render("pdf", doc)
            key = f"{name.replace('/', '-')}{'-' + doc.suffix if doc.suffix else ''}"
            keep(f"{key}.pdf", data)
            out[key] = (doc, data)
    return out


@dataclasses.dataclass(frozen=True)
class _Page:
    """What the tests read of a PDF page (pdfplumber's objects, read once per module)."""

    chars: list[dict]
    images: list[dict]
    rects: list[dict]
    text: str


@pytest.fixture(scope="module")
def parsed(pdfs):
    """name → (document model, its PDF's pages as pdfplumber reads them)."""
    import pdfplumber

    out = {}
    for key, (doc, data) in pdfs.items():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            out[key] = (doc, [_Page(p.chars, p.images, p.rects, p.extract_text() or "") for p in pdf.pages])
    return out


TOP_PT, BOTTOM_PT = 2.5 / 2.54 * 72, 841.89 - 2.4 / 2.54 * 72  # the text area of templates/css/document.css


def _page_shapes(pages: list[_Page]) -> list[tuple[float, str]]:
    """Per page: how full its text area is (0–1), and what starts it: 'figure' (an image),
    'table' (a 'Tabel N.' caption), 'section' (a section heading, 14 pt) or 'text'."""
    import re

    shapes = []
    for page in pages:
        inside = lambda o: o["top"] >= TOP_PT - 2 and o["bottom"] <= BOTTOM_PT + 2  # noqa: E731
        objs = [o for o in page.chars + page.images + page.rects if inside(o)]
        bottom = max((o["bottom"] for o in objs), default=TOP_PT)
        chars = sorted((c for c in page.chars if inside(c)), key=lambda c: (round(c["top"]), c["x0"]))
        images = [i for i in page.images if inside(i)]
        first_text = chars[0]["top"] if chars else BOTTOM_PT
        first_image = min((i["top"] for i in images), default=BOTTOM_PT)
        if first_image < first_text:
            kind = "figure"
        elif chars and chars[0]["size"] > 13:
            kind = "section"
        else:
            line = "".join(c["text"] for c in chars if abs(c["top"] - chars[0]["top"]) < 1)
            kind = "table" if re.match(r"Tabel \d+\.", line) else "text"
        shapes.append(((bottom - TOP_PT) / (BOTTOM_PT - TOP_PT), kind))
    return shapes


def test_no_page_is_left_half_empty_before_a_figure_or_table(parsed):
    """A page that is not the last of its section is filled at least 60 pct. when the next
    page starts with a figure or a table (render/pagefit.py shrinks or moves the figure, or
    lets the table break); measured on the PDF itself (pdfplumber)."""
    bad = []
    for key, (_, pages) in parsed.items():
        shapes = _page_shapes(pages)
        for number, ((fill, _), (_, next_kind)) in enumerate(zip(shapes, shapes[1:]), 1):
            if next_kind in ("figure", "table") and fill < 0.6:
                bad.append((key, number, round(fill, 2), next_kind))
    assert not bad, bad


def test_fitting_the_pages_keeps_every_figure_and_table_in_its_section(parsed):
    """Moving a figure changes only its place within its section: every table caption and
    figure caption of the model is printed once, and under its own section heading."""
    for key, (doc, pages) in parsed.items():  # a heading is a line of its own ("Bilag" may be in a sentence)
        lines = [" ".join(line.split()) for p in pages for line in p.text.splitlines()]
        text = "\n" + "\n".join(lines) + "\n"
        at = 0
        for section in doc.sections:
            start = text.index(f"\n{section.heading}\n", at)
            later = [text.find(f"\n{s.heading}\n", start + 1) for s in doc.sections[doc.sections.index(section) + 1:]]
            end = min((i for i in later if i >= 0), default=len(text))
            body = text[start:end].replace("\n", " ")
            for block in section.blocks:
                caption = getattr(block, "caption", "")
                if caption and type(block).__name__ in ("Table", "Figure"):
                    assert body.count(" ".join(caption.split())) == 1, (key, section.key, caption)
            at = start + len(section.heading)


def test_a_local_survey_gives_its_highest_and_lowest_theme_in_the_main_document(reports):
    """Without a comparison there is no 'temaerne mod gennemsnittet'; the short sagsfremstilling
    then names the highest and lowest theme, with the scores its own Tabel 1 prints."""
    report = reports["lokal/sag"]
    main = report.documents[0]
    said = " ".join(b.text for s in main.sections for b in s.blocks if type(b).__name__ == "Paragraph")
    table = next(b for s in main.sections for b in s.blocks if type(b).__name__ == "Table")
    themes = {row[0]: row[1] for row in table.rows if row[0] != "Samlet score"}
    high, low = max(themes, key=lambda t: float(themes[t].replace(",", "."))), \
        min(themes, key=lambda t: float(themes[t].replace(",", ".")))
    assert (f"Den højeste score i Rødovre er inden for temaet {high} ({themes[high]}), og den laveste er "
            f"inden for temaet {low} ({themes[low]})") in said
    national = " ".join(b.text for s in reports["national/sag"].documents[0].sections for b in s.blocks
                        if type(b).__name__ == "Paragraph")
    assert "Den højeste score i" not in national  # there the themes against the average are said


def test_a_table_note_is_never_alone_at_the_top_of_a_page(parsed):
    """The note under a table stays with the table (document.css: break-before: avoid), so the
    first line of a page is never a note's first line (the national bilag's Tabel 7 note once
    stood alone on the next page)."""
    for key, (doc, pages) in parsed.items():
        notes = [" ".join(b.note.split())[:60] for s in doc.sections for b in s.blocks
                 if type(b).__name__ == "Table" and b.note]
        for number, page in enumerate(pages, 1):
            chars = sorted((c for c in page.chars if TOP_PT - 2 <= c["top"] <= BOTTOM_PT + 2),
                           key=lambda c: (round(c["top"]), c["x0"]))
            if not chars:
                continue
            first = " ".join("".join(c["text"] for c in chars if abs(c["top"] - chars[0]["top"]) < 1).split())
            assert not any(n.startswith(first[:40]) or first.startswith(n[:40]) for n in notes), (key, number, first)
