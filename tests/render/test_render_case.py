"""Hand-written text from the case file through the whole pipeline: the Markdown subset comes
out alike in PDF and DOCX, markup and template syntax come out as literal text and nothing is
fetched; drafts are marked and finals are clean or refused."""

from __future__ import annotations

import io
import socket

import docx
import pytest

from reportgen.api import build
from reportgen.errors import BuildRefused
from reportgen.render.pdf import TemplatesOnlyFetcher
from tests.render_cases import (
    FULL_TEXTS, docx_part, docx_parts, docx_text, flat, keep, make_case, pdf_pages, run_looks, with_engine,
)

EVIL = {
    "titel": "Borgerundersøgelse {{ 7*7 }} <b>2024</b>",
    "oekonomi": "Udgiften er <script>alert(1)</script> og {{ 7*7 }} kr. {% if true %}ja{% endif %}",
    "lovgrundlag": 'Se <img src="file:///etc/passwd"> og <a href="https://example.com">her</a>.',
    "sammenhaeng": ("Der er sammenhæng til:\n\n- **Beskæftigelsesplan 2025**\n- *Erhvervspolitikken*\n\n"
                    "Læs mere i [planen](https://norddjurs.dk/plan)."),
}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    texts = {k: v for k, v in EVIL.items() if k != "titel"}
    return build(make_case(folder, {"sag": {"titel": EVIL["titel"]}, "tekster": texts}))


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_markup_and_template_syntax_come_out_literally(evil_report, no_network, monkeypatch, engine):
    fetched: list[str] = []
    real_fetch = TemplatesOnlyFetcher.fetch
    monkeypatch.setattr(TemplatesOnlyFetcher, "fetch",
                        lambda self, url, headers=None: fetched.append(url) or real_fetch(self, url, headers))
    evil_report = with_engine(evil_report, engine)
    pdf = evil_report.render("pdf")
    keep(f"sag-escaping-{engine}.pdf", pdf)
    pdf_text = flat("\n".join(pdf_pages(pdf)))
    docx_bytes = evil_report.render("docx")
    word = flat(docx_text(docx_bytes))
    html = evil_report.render("html").decode("utf-8")
    for text in (pdf_text, word):
        assert "Borgerundersøgelse {{ 7*7 }} <b>2024</b>" in text
        assert "Udgiften er <script>alert(1)</script> og {{ 7*7 }} kr. {% if true %}ja{% endif %}" in text
        assert 'Se <img src="file:///etc/passwd"> og <a href="https://example.com">her</a>.' in text
        assert " 49 kr." not in text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    assert not any("passwd" in u or "example.com" in u for u in fetched)
    evil_report.render("pdf", evil_report.documents[-1])  # the results bilag has the charts
    assert not any("passwd" in u or "example.com" in u for u in fetched)
    if engine == "weasyprint":  # Typst reads nothing but the files it is given (render/pdf_typst.py)
        # template files by file: URL; the charts by the renderer's own reportgen-figure: URLs
        assert all(u.startswith(("file:", "data:", "reportgen-figure:")) for u in fetched)
        assert any(u.startswith("reportgen-figure:") for u in fetched)
    else:
        assert not fetched


TYPST_EVIL = ('Se #read("/etc/passwd") og $x^2$ \\ "citat" ] [ #set text(red) @ref <mærke> '
              '// ingen kommentar /* heller ikke */ ~ 1. ikke en liste')


def test_typst_syntax_comes_out_literally(tmp_path, no_network):
    """Every text enters the Typst source as a string literal (render/pdf_typst.py):
    Typst's markup and code in a text are printed, never run."""
    report = build(make_case(tmp_path, {"sag": {"titel": 'Titel #"x" $y$'}, "tekster": {"oekonomi": TYPST_EVIL}}))
    assert report.case.sag.pdf_motor == "typst"
    text = flat("\n".join(pdf_pages(report.render("pdf"))))
    assert flat(TYPST_EVIL) in text
    assert 'Titel #"x" $y$' in text
    assert "root:" not in text


def test_markdown_subset_alike_in_pdf_and_docx(evil_report):
    pdf_text = flat("\n".join(pdf_pages(evil_report.render("pdf"))))
    data = evil_report.render("docx")
    word = flat(docx_text(data))
    for text in (pdf_text, word):
        assert "Læs mere i planen (https://norddjurs.dk/plan)." in text
        assert "Beskæftigelsesplan 2025" in text and "**" not in text
    assert "• Beskæftigelsesplan 2025 • Erhvervspolitikken" in pdf_text
    d = docx.Document(io.BytesIO(data))
    bullets = [p for p in d.paragraphs if p.style.name == "List Bullet"
               and p.text in ("Beskæftigelsesplan 2025", "Erhvervspolitikken")]
    assert [p.text for p in bullets] == ["Beskæftigelsesplan 2025", "Erhvervspolitikken"]
    assert run_looks(bullets[0].runs[0])[0] and run_looks(bullets[1].runs[0])[1]
    section = next(s for s in evil_report.document.sections if s.key == "sammenhaeng")
    kinds = [type(b).__name__ for b in section.blocks]
    assert kinds == ["Paragraph", "ListBlock", "Paragraph"]


# --------------------------------------------------------------------------- drafts and finals


def test_draft_marks_header_and_shows_placeholders_final_has_neither(tmp_path):
    draft = build(make_case(tmp_path / "udkast", {"tekster": {"lovgrundlag": None}}))
    pages = pdf_pages(draft.render("pdf"))
    assert all("UDKAST – version 1 – dannet 3. juni 2024" in p for p in pages)
    assert "[Mangler: tekst til 'Lovgrundlag'. Skrives i sagsfilen under tekster.lovgrundlag.]" in flat("".join(pages))
    data = draft.render("docx")
    headers = "".join(docx_part(data, n) for n in docx_parts(data, "word/header") if n.endswith(".xml"))
    assert "UDKAST – version 1 – dannet 3. juni 2024" in headers
    assert "[Mangler: tekst til 'Lovgrundlag'" in docx_text(data)

    final = build(make_case(tmp_path / "endelig", {"sag": {"status": "endelig", "version": "2"}}))
    pdf = final.render("pdf")
    keep("sag-endelig.pdf", pdf)
    text = "\n".join(pdf_pages(pdf))
    assert "UDKAST" not in text and "version 2" not in text and "[Mangler" not in text
    data = final.render("docx")
    headers = "".join(docx_part(data, n) for n in docx_parts(data, "word/header") if n.endswith(".xml"))
    assert "UDKAST" not in headers and "Norddjurs Kommune" in headers
    assert "[Mangler" not in docx_text(data)
    assert "UDKAST" not in final.render("html").decode().split("<body class=", 1)[1]
    beslutning = next(s for s in final.document.sections if s.key == "beslutning")
    assert beslutning.blocks == ()


def test_final_refuses_while_a_placeholder_would_remain(tmp_path):
    with pytest.raises(BuildRefused) as info:
        build(make_case(tmp_path / "a", {"sag": {"status": "endelig"}, "tekster": {"lovgrundlag": None}}))
    assert "tekster.lovgrundlag" in str(info.value)

    with pytest.raises(BuildRefused) as info:
        build(make_case(tmp_path / "b", {"profil": "handleplan", "sag": {"status": "endelig"},
                                         "tekster": dict(FULL_TEXTS)}))
    message = str(info.value)
    assert "tekster.ekstra.tiltag_q4_2" in message and "Udfordringer og tiltag" in message


def test_final_handleplan_builds_when_every_action_is_written(tmp_path):
    draft = build(make_case(tmp_path / "udkast", {"profil": "handleplan", "tekster": dict(FULL_TEXTS)}))
    from reportgen.document.handleplan import tiltag_key, udfordringer

    found, from_map = udfordringer(draft.results)
    # The demo's priority map names no question whose importance is clearly above the median
    # (on the printed values), so the plan falls back to the three lowest shares.
    assert not from_map and len(found) == 3
    actions = {tiltag_key(u.question): f"Tiltag nr. {i}: **opfølgning** hver måned." for i, u in enumerate(found, 1)}
    texts = dict(FULL_TEXTS, ekstra=actions)
    final = build(make_case(tmp_path / "endelig", {"profil": "handleplan", "sag": {"status": "endelig"},
                                                   "tekster": texts}))
    text = flat("\n".join(pdf_pages(final.render("pdf"))))
    for i, u in enumerate(found, 1):
        assert f"Indsatsområde {i}: {u.question.text} – spørgsmål {u.question.number}" in text
        assert f"Tiltag nr. {i}: opfølgning hver måned." in text
    assert "[Mangler" not in text


def test_beslutning_is_shown_once_given(tmp_path):
    report = build(make_case(tmp_path, {"tekster": {"beslutning": "Godkendt."}}))
    section = next(s for s in report.document.sections if s.key == "beslutning")
    assert [b.text for b in section.blocks] == ["Godkendt."]
    assert "Beslutning i Arbejdsmarkedsudvalget Godkendt." in flat("\n".join(pdf_pages(report.render("pdf"))))
    assert "Godkendt." in docx_text(report.render("docx"))
