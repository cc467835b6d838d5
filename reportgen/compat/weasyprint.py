"""WeasyPrint internals used by ``reportgen.render.pdf``.

Checked against WeasyPrint 70.0 (pyproject allows 68–70; each use below falls back to
WeasyPrint's own behaviour when what it relies on is not found, so another version
renders correctly, only slower). What the PDF renderer uses of WeasyPrint otherwise is
public and documented: ``HTML``, ``HTML.render`` → ``Document.write_pdf``, the options
``pdf_variant``, ``pdf_identifier``, ``xmp_metadata``, ``optimize_images``, ``hinting``,
``full_fonts``, ``FontConfiguration`` and the URL fetcher (``URLFetcher``,
``URLFetcherResponse``, ``FatalURLFetchingError``).

- ``install_png_data_hook``: WeasyPrint encodes every raster image for the PDF through
  the static method ``weasyprint.images.RasterImage._get_png_data(pillow_image)`` (PNG
  predictors + Flate: the IDAT data of a PNG). The hook lets the renderer hand over the
  IDAT data of its own chart PNGs as they are instead of decoding and re-encoding them.
  Not a static method any more → not installed (``PNG_HOOK`` stays False) and WeasyPrint
  encodes as usual.
- ``lean_ua_stylesheet`` / ``ReportHTML``: WeasyPrint's user-agent stylesheet is the
  module attribute ``weasyprint.html.UA`` (text) with ``UA_COUNTER_STYLE``, and an
  ``HTML`` gets it from its method ``_ua_stylesheets(forms)``. The lean copy narrows the
  ``::marker`` rule to list items and drops the five footnote/note pseudo-element rules
  (a third of the cascade's time); the text not found as expected → None and the full
  stylesheet is used.
- ``release_font_folder`` / ``forget_font_folder``: a ``FontConfiguration`` keeps the
  theme and bundled fonts in a temporary folder (``FontConfiguration._folder``) that its
  ``__del__`` deletes. Kept configurations (one per process) are released explicitly
  before a forked worker leaves through ``os._exit`` (no ``__del__`` then), and a forked
  child forgets its parent's folder so that it never deletes it. No such attribute →
  nothing to release.

- ``install_subset_cache``: without HarfBuzz's subsetter WeasyPrint subsets each embedded
  font with fontTools in ``weasyprint.pdf.fonts.Font._fonttools_subset(self, to_unicode,
  hinting)``, which replaces ``self.file_content``; ``self.glyph_count``, ``self.index``
  and ``self.missing`` are set before. The cache keeps the result by the font's bytes and
  everything the subsetter reads, so a process subsets each face once for every PDF it
  writes: a font of at most ``WHOLE_FONT_GLYPHS`` glyphs (the bundled "Reportgen Sans")
  is subset to all its glyphs (tables dropped, outlines kept: one result per face, still
  small), a larger one to the glyphs used (a hit only for the same glyphs). The ToUnicode
  map and widths come from the glyphs used either way. A face cached under another
  ``SOURCE_DATE_EPOCH`` (another document date) is restamped (``head.modified``) instead
  of subset again: the same bytes a fresh subset gives under that date. Not a method any more → not
  installed, and WeasyPrint subsets as usual.

- ``install_stylesheet_cache``: WeasyPrint parses every ``<link rel=stylesheet>`` of every
  document again (``weasyprint.css.find_stylesheets(wrapper_element, device_media_type,
  url_fetcher, base_url, font_config, counter_style, color_profiles, page_rules,
  layers)``, a generator of ``CSS`` in source order). The replacement does what it does,
  except that a link whose URL is in ``url_fetcher.shared_stylesheets`` (a dict the PDF
  renderer owns) is parsed once per URL, media type and font configuration and reused.
  A reused sheet keeps its own ``page_rules`` and ``layers`` lists, which is what the
  cascade reads of a sheet; the shared sheets have no ``@layer``, ``@counter-style`` or
  ``@color-profile`` rules (checked when parsed: such a sheet is not kept).

``tests/compat/test_weasyprint.py`` fails when any of these stops holding.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["install_png_data_hook", "PNG_HOOK", "lean_ua_stylesheet", "ReportHTML", "release_font_folder",
           "forget_font_folder", "install_subset_cache", "clear_subset_cache", "install_stylesheet_cache", "SUBSET_CACHE", "WHOLE_FONT_GLYPHS"]

PNG_HOOK = False  # whether install_png_data_hook is in place
SUBSET_CACHE = False  # whether install_subset_cache is in place
WHOLE_FONT_GLYPHS = 1024  # fonts this small are subset to all their glyphs (see install_subset_cache)
_SUBSETS: dict[tuple, bytes] = {}
_SUBSETS_MAX = 256
_SUBSETS_LOCK = threading.Lock()


def _once(flag: str, install: Callable[[], bool]) -> bool:
    """Run ``install`` until it succeeds once in this process; the module attribute
    ``flag`` (``PNG_HOOK``, ``SUBSET_CACHE``, ``STYLESHEET_CACHE``) says whether it has."""
    if globals()[flag]:
        return True
    done = bool(install())
    globals()[flag] = done
    return done


def _replace(owner: Any, name: str, replacement: Callable[..., Any], original: Callable[..., Any],
             wrap: Callable[[Any], Any] | None = None) -> None:
    """Put ``replacement`` in place of ``owner.<name>`` (wrapped by ``wrap``, e.g.
    ``staticmethod``), with ``__wrapped__`` pointing at what it replaces."""
    replacement.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(owner, name, replacement if wrap is None else wrap(replacement))


def install_png_data_hook(choose: Callable[[Any], bytes | None]) -> bool:
    """Have WeasyPrint ask ``choose(pillow_image)`` first for the image data of each raster
    image it embeds (``RasterImage._get_png_data``); None from ``choose`` → WeasyPrint's
    own encoding. Returns whether the hook is in place (installed once per process)."""
    return _once("PNG_HOOK", lambda: _hook_png_data(choose))


def _hook_png_data(choose: Callable[[Any], bytes | None]) -> bool:
    try:
        from weasyprint.images import RasterImage
    except ImportError:  # pragma: no cover - another WeasyPrint
        return False
    original = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(original, staticmethod):  # another WeasyPrint: leave it alone
        return False
    encode = original.__func__

    def _get_png_data(pillow_image):  # type: ignore[no-untyped-def]
        data = choose(pillow_image)
        return encode(pillow_image) if data is None else data

    _replace(RasterImage, "_get_png_data", _get_png_data, encode, wrap=staticmethod)
    return True


def install_subset_cache() -> bool:
    """Cache fontTools' font subsets in this process (see the module docstring); returns
    whether the cache is in place (installed once per process)."""
    return _once("SUBSET_CACHE", _hook_subset)


def _hook_subset() -> bool:
    try:
        from weasyprint.pdf.fonts import Font
    except ImportError:  # pragma: no cover - another WeasyPrint
        return False
    original = Font.__dict__.get("_fonttools_subset")
    if not callable(original) or not all(hasattr(Font, a) for a in ("subset", "clean")):
        return False

    def _fonttools_subset(self, to_unicode, hinting):  # type: ignore[no-untyped-def]
        count = getattr(self, "glyph_count", None)
        missing = bool(getattr(self, "missing", None))
        whole = isinstance(count, int) and 0 < count <= WHOLE_FONT_GLYPHS and not missing
        gids = dict.fromkeys(range(count), "") if whole else to_unicode
        face = (hashlib.sha256(self.file_content).digest(), getattr(self, "index", 0),
                "all" if whole else tuple(sorted(to_unicode)), bool(hinting), missing)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        with _SUBSETS_LOCK:
            done = _SUBSETS.get((*face, epoch))
            other = next((v for k, v in _SUBSETS.items() if k[:-1] == face), None) if done is None else None
        if done is None and other is not None and epoch is not None:
            done = _restamped(other)  # the same subset, stamped with this document's date
        if done is None:
            original(self, gids, hinting)
            done = self.file_content
        with _SUBSETS_LOCK:
            if len(_SUBSETS) >= _SUBSETS_MAX:
                _SUBSETS.clear()
            _SUBSETS[(*face, epoch)] = done
        self.file_content = done

    _replace(Font, "_fonttools_subset", _fonttools_subset, original)
    return True


def _restamped(font_bytes: bytes) -> bytes | None:
    """A subset font from the cache with ``head.modified`` set as fontTools' subsetter sets it
    (``fontTools.misc.timeTools.timestampNow``: ``SOURCE_DATE_EPOCH``) — the bytes a fresh
    subset of the same glyphs gives under this epoch, without subsetting again (a PDF's
    fonts are stamped with the document's own date, so each date would otherwise subset
    every face again). None if fontTools cannot read it back: then the face is subset."""
    import io

    from fontTools.misc.timeTools import timestampNow
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(font_bytes), lazy=True, recalcTimestamp=False)
        font["head"].modified = timestampNow()
        out = io.BytesIO()
        font.save(out, reorderTables=False)
    except (TTLibError, KeyError, OSError, ValueError):
        return None
    return out.getvalue()


def clear_subset_cache() -> None:
    """Forget the cached font subsets (tests: the next PDF subsets every face again)."""
    with _SUBSETS_LOCK:
        _SUBSETS.clear()


STYLESHEET_CACHE = False  # whether install_stylesheet_cache is in place
_FIND_ARGS = ("wrapper_element", "device_media_type", "url_fetcher", "base_url", "font_config", "counter_style",
              "color_profiles", "page_rules", "layers")


def install_stylesheet_cache() -> bool:
    """Parse shared linked stylesheets once (see the module docstring); returns whether
    the replacement is in place (installed once per process)."""
    return _once("STYLESHEET_CACHE", _hook_find_stylesheets)


def _hook_find_stylesheets() -> bool:
    """Replace ``weasyprint.css.find_stylesheets`` when it and everything the replacement
    uses of WeasyPrint are as checked (the signature ``_FIND_ARGS``); else leave it."""
    try:
        import inspect

        import weasyprint.css as wcss
        from weasyprint import CSS  # noqa: F401 - the steps below use these: all must exist
        from weasyprint.css import get_child_text, media_queries  # noqa: F401
        from weasyprint.html import element_has_link_type, parse_url  # noqa: F401
        from weasyprint.logger import LOGGER  # noqa: F401
        from weasyprint.urls import URLFetchingError  # noqa: F401
    except ImportError:  # pragma: no cover - another WeasyPrint
        return False
    original = getattr(wcss, "find_stylesheets", None)
    if original is None or tuple(inspect.signature(original).parameters) != _FIND_ARGS:
        return False

    def find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url, font_config,  # type: ignore[no-untyped-def]
                         counter_style, color_profiles, page_rules, layers):
        args = (wrapper_element, device_media_type, url_fetcher, base_url, font_config, counter_style,
                color_profiles, page_rules, layers)
        shared = getattr(url_fetcher, "shared_stylesheets", None)
        yield from original(*args) if shared is None else _find_sharing(shared, *args)

    _replace(wcss, "find_stylesheets", find_stylesheets, original)
    return True


def _find_sharing(shared, wrapper_element, device_media_type, url_fetcher, base_url, font_config,  # type: ignore[no-untyped-def]
                  counter_style, color_profiles, page_rules, layers):
    """What WeasyPrint 70's ``find_stylesheets`` yields, in its order, except that a linked
    sheet whose URL is in ``shared`` is parsed once (``_shared_sheet``)."""
    from weasyprint import CSS
    from weasyprint.css import get_child_text
    from weasyprint.logger import LOGGER
    from weasyprint.urls import URLFetchingError

    options = {"url_fetcher": url_fetcher, "media_type": device_media_type, "font_config": font_config,
               "counter_style": counter_style, "color_profiles": color_profiles, "page_rules": page_rules,
               "layers": layers}
    for element in _stylesheet_elements(wrapper_element, device_media_type):
        if element.tag == "style":
            yield CSS(string=get_child_text(element), base_url=base_url, **options)
            continue
        href = _stylesheet_href(element, base_url)
        if href is None:
            continue
        try:
            if href in shared:
                yield _shared_sheet(shared, href, device_media_type, url_fetcher, font_config)
            else:
                yield CSS(url=href, _check_mime_type=True, **options)
        except URLFetchingError as exception:
            LOGGER.error("Failed to load stylesheet at %s: %s", href, exception)


def _stylesheet_elements(wrapper_element, device_media_type):  # type: ignore[no-untyped-def]
    """The ``<style>`` and ``<link>`` elements of type text/css for this media type, in
    source order (as WeasyPrint 70's ``find_stylesheets`` picks them)."""
    from weasyprint.css import media_queries

    for wrapper in wrapper_element.query_all("style", "link"):
        element = wrapper.etree_element
        if element.get("type", "text/css").split(";", 1)[0].strip() != "text/css":
            continue
        media = [m.strip() for m in (element.get("media", "").strip() or "all").split(",")]
        if media_queries.evaluate_media_query(media, device_media_type):
            yield element


def _stylesheet_href(element: Any, base_url: str | None) -> str | None:
    """The URL of a ``<link rel=stylesheet>`` (not an alternate one), None for anything else."""
    from weasyprint.html import element_has_link_type, parse_url

    if element.tag != "link" or not element.get("href"):
        return None
    if not element_has_link_type(element, "stylesheet") or element_has_link_type(element, "alternate"):
        return None
    return parse_url(element.get("href"), base_url)


def _shared_sheet(shared, href, media_type, url_fetcher, font_config):  # type: ignore[no-untyped-def]
    """The sheet parsed once per URL, media type and font configuration (kept only when it
    has no ``@layer``, ``@counter-style`` or ``@color-profile`` rules)."""
    from weasyprint import CSS

    key = (media_type, id(font_config))
    kept = shared[href].get(key)
    if kept is not None and kept[0] is font_config:
        return kept[1]
    counters: dict = {}
    profiles: dict = {}
    sheet = CSS(url=href, url_fetcher=url_fetcher, media_type=media_type, font_config=font_config,
                counter_style=counters, color_profiles=profiles, _check_mime_type=True)
    if not sheet.layers and not counters and not profiles:
        shared[href][key] = (font_config, sheet)  # the config is kept too: its id is not reused
    return sheet


_MARKER = "\n::marker {"
_NOTES = re.compile(r"\n::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}")


def lean_ua_stylesheet() -> Any | None:
    """WeasyPrint's user-agent stylesheet with ``::marker`` on list items (and
    ``<summary>``) only and without the footnote and note pseudo-elements, as a ``CSS``;
    None when ``weasyprint.html.UA`` is not the text this was checked against."""
    try:
        from weasyprint import CSS
        from weasyprint.html import UA, UA_COUNTER_STYLE
    except ImportError:  # pragma: no cover - another WeasyPrint
        return None
    if not isinstance(UA, str) or UA.count(_MARKER) != 1 or len(_NOTES.findall(UA)) != 5:
        return None
    return CSS(string=_NOTES.sub("", UA.replace(_MARKER, "\nli::marker, summary::marker {")),
               counter_style=UA_COUNTER_STYLE)


def _report_html_class() -> type:
    from weasyprint import HTML

    lean = lean_ua_stylesheet()

    class ReportHTML(HTML):  # type: ignore[misc, valid-type]
        """WeasyPrint's ``HTML`` with the lean user-agent stylesheet (``lean_ua_stylesheet``)."""

        LEAN_UA = lean

        def _ua_stylesheets(self, forms: bool = False):  # type: ignore[no-untyped-def]
            if forms or lean is None or not hasattr(HTML, "_ua_stylesheets"):
                return super()._ua_stylesheets(forms)
            return [lean]

    return ReportHTML


ReportHTML = _report_html_class()


def release_font_folder(config: Any) -> None:
    """Delete the temporary font folder of a WeasyPrint ``FontConfiguration`` now (what
    its ``__del__`` does when it is collected)."""
    folder = getattr(config, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        config._folder = None


def forget_font_folder(config: Any) -> None:
    """Make ``config`` (inherited by a forked child) leave its font folder alone."""
    if getattr(config, "_folder", None) is not None:
        config._folder = None
