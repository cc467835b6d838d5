"""compat.weasyprint_lines: the remembered line breaking answers as WeasyPrint's own does,
and a PDF is the same bytes with and without it."""

from __future__ import annotations

import pytest
import weasyprint

from reportgen.compat import weasyprint_lines
from reportgen.render import pdf  # installs the cache

from .test_weasyprint_refit import _document

pytestmark = pytest.mark.skipif(not weasyprint.__version__.startswith(weasyprint_lines.SUPPORTED),
                                reason="the cache is only installed on the WeasyPrint it was checked with")


def _layout_state(layout) -> dict:
    return {k: v for k, v in vars(layout).items()}


def test_installed_over_weasyprints_own_function():
    import weasyprint.layout.inline as inline
    import weasyprint.layout.preferred as preferred
    from weasyprint.text import line_break

    assert weasyprint_lines.install_line_cache()
    assert inline.split_first_line is preferred.split_first_line
    assert inline.split_first_line is not line_break.split_first_line
    assert weasyprint_lines._INSTALLED == [line_break.split_first_line]


def test_every_call_of_a_real_layout_answers_as_weasyprint(monkeypatch):
    """Record every call of a document's layout, then ask each again through the cache
    (twice: a miss, then a hit) and through WeasyPrint's function: same numbers, same
    layout state, and a hit is a copy of its own."""
    import weasyprint.layout.inline as inline

    original = weasyprint_lines._INSTALLED[0]
    cached = inline.split_first_line
    calls = []

    def record(*args, **kwargs):
        calls.append((args, kwargs))
        return cached(*args, **kwargs)

    monkeypatch.setattr(inline, "split_first_line", record)
    monkeypatch.setattr("weasyprint.layout.preferred.split_first_line", record)
    pdf.render_pdf(_document(3))
    monkeypatch.undo()
    assert len(calls) > 200
    widths = {a[3] for a, _ in calls}
    assert None in widths and len(widths) > 10  # preferred widths and lines at many widths
    for args, kwargs in calls:
        expected = original(*args, **kwargs)
        first, second = cached(*args, **kwargs), cached(*args, **kwargs)
        for got in (first, second):
            assert got[1:] == expected[1:]
            assert _layout_state(got[0]) == _layout_state(expected[0])
        assert first[0] is not second[0]


def test_same_pdf_bytes_with_and_without_the_cache(monkeypatch):
    document = _document(4, 3)
    monkeypatch.setattr(weasyprint_lines, "ENABLED", False)
    without = pdf.render_pdf(document)
    monkeypatch.setattr(weasyprint_lines, "ENABLED", True)
    cold = pdf.render_pdf(document)
    warm = pdf.render_pdf(document)
    assert without == cold == warm


class _Config:
    pass


class _Style(dict):
    font_config = _Config()


class _Deactivated:
    text = "Tekst"


def test_a_style_value_that_cannot_be_hashed_is_not_cached():
    asked = []

    def original(text, *args):
        asked.append(text)
        return _Deactivated(), 5, None, 10.0, 12.0, 9.0

    style = _Style({k: 0 for k in weasyprint_lines.STYLE_KEYS})
    style["font_family"] = ["Carlito"]  # a list: unhashable
    for _ in range(2):
        assert weasyprint_lines.cached_split(original, "Tekst", style, None, 100.0, 0)[1:] == (5, None, 10.0, 12.0, 9.0)
    assert asked == ["Tekst", "Tekst"]
    assert _Style.font_config.reportgen_lines == {}

    style["font_family"] = ("Carlito",)  # hashable: asked once, then remembered
    asked.clear()
    first = weasyprint_lines.cached_split(original, "Tekst", style, None, 100.0, 0)
    second = weasyprint_lines.cached_split(original, "Tekst", style, None, 100.0, 0)
    assert asked == ["Tekst"] and first[1:] == second[1:] and first[0] is not second[0]
    assert weasyprint_lines.cached_split(original, "Tekst", style, None, 99.0, 0) and asked == ["Tekst", "Tekst"]
