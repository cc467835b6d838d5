"""The three shaped exports of fixtures/make_shapes.py: the generator reproduces the committed
files, and each builds as a committee reads it — a main document of at most three pages
with Bilag 1 beside it (or, with the one-document profile, everything before 'Bilag'),
with the sentences the shape calls for. Figures are checked against pandas/pyreadstat
readings of the files themselves."""

from __future__ import annotations

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
def test_main_document_is_short_with_the_results_beside_it(reports, name):
    report = reports[name]
    main, *bilag = report.documents
    assert len(bilag) == 1 and bilag[0].meta.title.startswith("Bilag 1: Resultater af")
    assert 1 <= len(_pages(report.render("pdf", main))) <= 3


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
    assert (f"(spørgsmålet er negativt formuleret, og {own} pct. af de gyldige svar er »delvis enig« eller "
            "»helt enig«)") in notes[0]


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
    assert listed, "the export lists questions"
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
    too_small = [s for s in sentences if "sammenlignes ikke" in s]
    compared = [s for s in sentences if "sammenlignes ikke" not in s]
    assert len(too_small) == 1 and "færre end 30 besvarelser" in too_small[0]
    for name in small:
        assert name.lower() in too_small[0].lower(), (name, too_small)
        assert not any(name.lower() in s.lower() for s in compared), (name, compared)
    for name in large:
        assert any(name.lower() in s.lower() for s in compared), (name, compared)
