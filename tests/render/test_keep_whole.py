"""Age bands and number ranges stay on one line ("18-29 år", not "18-29" / "år") in the
HTML, the PDF (a no-wrap span; WeasyPrint's layout read back with pdfplumber) and the DOCX
(no-break space and hyphen; LibreOffice's rendering in test_docx_tables)."""

from __future__ import annotations

import io

import pytest

from reportgen.core.fmt import keep_whole_parts
from reportgen.core.templating import keep_whole
from reportgen.render.html import render_html
from reportgen.render.metrics import longest_word_pt, text_width_pt
from reportgen.render.pdf import render_pdf
from tests.render.test_docx_tables import age_document, broken_age_bands
from tests.render_cases import keep


@pytest.mark.parametrize(("text", "parts"), [
    ("18-29 år", [("18-29 år", True)]),
    ("borgere på 30-59 år og 60+ år (19)", [("borgere på ", False), ("30-59 år", True), (" og ", False),
                                           ("60+ år", True), (" (19)", False)]),
    ("60+", [("60+", False)]),
    ("3,81 (3,64)", [("3,81 (3,64)", False)]),
    ("", [("", False)]),
])
def test_parts_that_must_stay_whole(text, parts):
    assert keep_whole_parts(text) == parts
    assert "".join(p for p, _ in parts) == text


def test_html_wraps_an_age_band_in_a_no_wrap_span_and_escapes_the_rest():
    assert str(keep_whole("<b> 18-29 år")) == '&lt;b&gt; <span class="nobr">18-29 år</span>'
    html = render_html(age_document())
    assert '<th scope="row" class="align-left"><span class="nobr">18-29 år</span></th>' in html


def test_an_age_band_is_one_word_when_columns_are_measured():
    assert longest_word_pt("18-29 år", 10) == pytest.approx(text_width_pt("18-29 år", 10))


def test_an_age_band_stays_on_one_line_in_the_pdf(tmp_path):
    data = render_pdf(age_document())
    keep("alder.pdf", data)
    assert broken_age_bands(io.BytesIO(data)) == []
