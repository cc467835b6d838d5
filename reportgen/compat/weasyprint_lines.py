"""WeasyPrint's line breaking, remembered: the same text in the same font at the same width
is broken once per process.

WeasyPrint breaks every line of text with ``weasyprint.text.line_break.split_first_line(
text, style, context, max_width, justification_spacing, is_line_start=True,
minimum=False)``, which asks Pango to lay the text out and returns ``(layout, length,
resume_index, width, height, baseline)``; ``layout`` (a ``line_break.Layout``) comes back
*deactivated*: it holds the text and a few font metrics, no Pango object, and drawing
re-creates its Pango layout from the box's own style (``Layout.reactivate``). The layout
modules call it by the names ``weasyprint.layout.inline.split_first_line`` and
``weasyprint.layout.preferred.split_first_line``; ``install_line_cache`` replaces those two
names (checked with WeasyPrint 70.0, ``SUPPORTED``).

A report's PDFs break the same question texts, headings and notes many times: the minimum
and maximum widths of every table cell, a page laid out again by ``render.pagefit``, the
next municipality's bilag in a batch. About 85 pct. of the calls in a batch repeat an
earlier one exactly.

The key is everything the function reads: the text, the width, the justification
spacing, the two flags, and the computed values of every style property that
``line_break`` and ``text.fonts`` read (``STYLE_KEYS``); the cache belongs to the font
configuration (``style.font_config``), as the fonts do. A hit returns a copy of the
deactivated layout (each box owns its own, as before) with the same numbers. A style value
that cannot be hashed, or a layout that is not deactivated, is not cached.
``tests/compat/test_weasyprint_lines.py`` compares the cached function with WeasyPrint's
on many texts and widths and holds a PDF to the same bytes with and without the cache.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import weasyprint

__all__ = ["install_line_cache", "cached_split", "STYLE_KEYS", "SUPPORTED", "MAX_ENTRIES", "ENABLED"]

SUPPORTED = ("70.",)
MAX_ENTRIES = 50_000  # per font configuration; then the cache starts again
# Every property weasyprint/text/line_break.py and text/fonts.py read of a style (70.0).
STYLE_KEYS = (
    "direction", "font_family", "font_feature_settings", "font_kerning", "font_language_override",
    "font_size", "font_stretch", "font_style", "font_variant_alternates", "font_variant_caps",
    "font_variant_east_asian", "font_variant_ligatures", "font_variant_numeric", "font_variant_position",
    "font_variation_settings", "font_weight", "hyphenate_character", "hyphenate_limit_chars",
    "hyphenate_limit_zone", "hyphens", "lang", "letter_spacing", "line_height", "overflow_wrap",
    "tab_size", "text_decoration_line", "white_space", "word_break", "word_spacing",
)
ENABLED = True  # False: every call goes to WeasyPrint (the tests compare the two)
_LOCK = threading.Lock()
_INSTALLED: list[Any] = []  # [WeasyPrint's split_first_line] once installed


def install_line_cache() -> bool:
    """Install the cache (once); False when this WeasyPrint is not one it was checked with."""
    with _LOCK:
        if _INSTALLED:
            return True
        if not weasyprint.__version__.startswith(SUPPORTED):
            return False
        import weasyprint.layout.inline as inline
        import weasyprint.layout.preferred as preferred
        from weasyprint.text import line_break

        original = line_break.split_first_line
        if inline.split_first_line is not original or preferred.split_first_line is not original:
            return False  # someone else's replacement, or a moved function

        def split_first_line(text: str, style: Any, context: Any, max_width: Any, justification_spacing: Any,
                             is_line_start: bool = True, minimum: bool = False) -> tuple:
            return cached_split(original, text, style, context, max_width, justification_spacing,
                                is_line_start, minimum)

        inline.split_first_line = preferred.split_first_line = split_first_line
        _INSTALLED.append(original)
        return True


def _cache_of(style: Any) -> dict | None:
    config = getattr(style, "font_config", None)
    if config is None:
        return None
    cache = getattr(config, "reportgen_lines", None)
    if cache is None:
        try:
            cache = config.reportgen_lines = {}
        except AttributeError:  # a configuration that takes no attributes
            return None
    return cache


def cached_split(original: Any, text: str, style: Any, context: Any, max_width: Any, justification_spacing: Any,
                 is_line_start: bool = True, minimum: bool = False) -> tuple:
    """``original(text, style, …)`` (WeasyPrint's ``split_first_line``), remembered."""
    cache = _cache_of(style) if ENABLED else None
    key = None
    if cache is not None:
        try:
            key = (text, max_width, justification_spacing, is_line_start, minimum,
                   tuple(style[k] for k in STYLE_KEYS))
            hit = cache.get(key)
        except TypeError:  # an unhashable value
            key = hit = None
        if hit is not None:
            return (copy.copy(hit[0]), *hit[1:])
    result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    if key is not None and not hasattr(result[0], "layout"):  # deactivated: no Pango object held
        if len(cache) >= MAX_ENTRIES:  # type: ignore[arg-type]
            cache.clear()  # type: ignore[union-attr]
        cache[key] = (copy.copy(result[0]), *result[1:])  # type: ignore[index]
    return result
