"""PDF renderer: Document → PDF bytes, laid out by WeasyPrint from the HTML renderer's
markup and ``templates/css``.

Offline and confined: the only resources WeasyPrint may load are files inside the
templates folder, the document's own charts, ``data:`` URIs and the exact files a theme
names; anything else stops the render with ``ResourceRefused`` (``render.pdf_fetch``).
Chart PNGs go into the PDF as they are (``render.pdf_images``); the WeasyPrint internals
this relies on are in ``reportgen.compat.weasyprint``.

Deterministic: the PDF's dates come from ``DocMeta.created``, its file identifier is a
hash of its content, and font subsetting runs with a pinned clock, so the same
``Document`` gives the same bytes (on the same WeasyPrint and HarfBuzz versions).

Variants: ``"pdf/a-2a+ua-1"`` (the default of a case: tagged and archival — WeasyPrint's
PDF/A-2 level A, which tags the structure, plus the PDF/UA-1 identification in the XMP
metadata, ``templates/pdf/pdfua-1.xmp``), ``"pdf/ua-1"`` (tagged, accessible),
``"pdf/a-2b"`` (archival, untagged) and ``None`` (plain PDF 1.7, untagged). The tagged
variants need a text alternative for every figure; ``lang`` and the title are set, and
the viewer is told to show the title. Checked with WeasyPrint 70: PDF/A-2a and -3a are
the PDF/A variants that tag; a WeasyPrint variant is one name, so PDF/UA-1 is added as
metadata (its own ``pdf/ua-1`` writes no PDF/A identification).

Speed: WeasyPrint subsets the embedded fonts. With HarfBuzz's subsetter
(``libharfbuzz-subset0``) that is nearly free; without it WeasyPrint falls back to
fontTools, which took ~1,8 s of CPU per PDF on Carlito's 2.800 glyphs. The stylesheets
therefore name "Reportgen Sans" first — Carlito pre-cut to ~520 Latin-script glyphs
(tools/make_fonts.py) — which fontTools subsets in ~0,25 s; other characters fall back
to the full Carlito. (Embedding the small fonts whole, ``full_fonts``, would skip even
that, but WeasyPrint then writes ToUnicode from the cmap only and ligatures such as "ti"
lose their text.) A process subsets each face once
(``compat.install_subset_cache``: the small faces whole, the same bytes for every PDF),
and parses the two bundled stylesheets once per font configuration
(``compat.install_stylesheet_cache``), so a batch worker or the web app pays for
neither again.

Several documents (a sagsfremstilling and its bilag) are laid out one after the other
and then written (``render_pdfs``), so that a worker can lay all of them out while the
charts are still being drawn (``late_figures``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from reportgen.compat import weasyprint as compat
from reportgen.compat.weasyprint_layout import page_extents
from reportgen.compat.weasyprint_lines import install_line_cache
from reportgen.compat.weasyprint_refit import Refittable
from reportgen.compat.weasyprint_refit import available as _refit_available
from reportgen.core.resources import quiet_font_stamp_warning, templates_dir
from reportgen.core.templating import message
from reportgen.errors import ReportgenError
from reportgen.models.document import DocMeta, Document, Figure
from reportgen.render.html import aware_datetime, print_html_and_figures
from reportgen.render.pagefit import fit
from reportgen.render.pdf_rules import (
    DEFAULT_VARIANT,
    TAGGED,
    VARIANTS,
    PdfVariantError,
    check_accessible as _check_accessible,
    check_variant as _check_variant,
    warm_up_document,
)
from reportgen.render.pdf_fetch import ResourceRefused, TemplatesOnlyFetcher
from reportgen.render.pdf_images import (
    PASS_THROUGH,
    LateFiguresUnusable,
    checked_late_figures,
    own_pngs,
    png_idat,
)

__all__ = ["render_pdf", "render_pdfs", "html_to_pdf", "warm_up", "release_font_configs", "VARIANTS",
           "DEFAULT_VARIANT", "TAGGED", "PdfVariantError", "ResourceRefused", "TemplatesOnlyFetcher",
           "LateFiguresUnusable", "png_idat", "PASS_THROUGH"]

# Our variant name → (WeasyPrint's pdf_variant, extra XMP files in the templates folder)
_WEASY_VARIANT = {"pdf/a-2a+ua-1": ("pdf/a-2a", ("pdf/pdfua-1.xmp",))}

# Fonts are subset (WeasyPrint's default) without hinting: small files, fast. Chart
# PNGs come from matplotlib already compressed; re-optimising them gains nothing.
_OPTIONS = {
    "pdf_identifier": True,  # /ID = md5 of the content: present (PDF/A needs it), stable
    "optimize_images": False,
    "hinting": False,
    "full_fonts": False,
}

quiet_font_stamp_warning()  # fontTools (WeasyPrint's fallback subsetter) reads Carlito's 'head'

# A table let break re-makes the pages from where it starts, not the whole document
# (``compat.weasyprint_refit``); REPORTGEN_FULL_REFIT=1 lays it out afresh instead (tests).
REFIT = _refit_available() and os.environ.get("REPORTGEN_FULL_REFIT") != "1"
_LEAN_UA = compat.ReportHTML.LEAN_UA  # the narrowed user-agent stylesheet, or None on another WeasyPrint
compat.install_subset_cache()  # without libharfbuzz-subset: each face is subset once per process
compat.install_stylesheet_cache()  # the bundled stylesheets are parsed once per process (and font set)
install_line_cache()  # a text broken at a width once is not broken again (compat.weasyprint_lines)
# URL of a bundled stylesheet → {(media type, font configuration id): (configuration, parsed CSS)}
_SHARED_CSS: dict[str, dict] = {}


def render_pdf(document: Document, *, variant: str | None = None, brand: object | None = None,
               late_figures: Callable[[], Mapping[bytes, bytes]] | None = None) -> bytes:
    """Lay out ``document`` as PDF bytes (``variant``: None, "pdf/a-2b", "pdf/ua-1";
    ``brand``: a ``reportgen.settings.brand.Brand`` or None for reportgen's own look).

    ``late_figures`` (``reportgen.render.pdfworker``): the document's figures are
    placeholders (``charts.placeholder_png``) and the call returns, once the pages are
    laid out, the real PNG of each (placeholder → PNG) — the layout needs only the
    images' sizes, so it runs while the charts are drawn elsewhere. The PDF is the one
    the document with the real figures gives.
    """
    return render_pdfs((document,), variant=variant, brand=brand, late_figures=late_figures)[0]


def render_pdfs(documents: Sequence[Document], *, variant: str | None = None, brand: object | None = None,
                late_figures: Callable[[], Mapping[bytes, bytes]] | None = None) -> list[bytes]:
    """``[render_pdf(d) for d in documents]``, laid out first, all of them, then written:
    ``late_figures`` (see ``render_pdf``) is called once, after every layout."""
    _check_variant(variant)
    allowed = brand.allowed_files() if brand is not None else ()  # type: ignore[attr-defined]
    laid = []
    for document in documents:
        if variant in TAGGED:
            _check_accessible(document)
        laid.append(_fitted_layout(document, variant, brand, allowed))
    real = late_figures() if late_figures is not None else None
    return [layout.write(real) for layout in laid]


def _fitted_layout(document: Document, variant: str | None, brand: object | None,
                   allowed: tuple[Path, ...]) -> _Layout:
    """The document laid out with no page left half empty before a figure (``render.pagefit``)."""
    def lay_out(doc: Document, split_tables: frozenset[int]) -> _Layout:
        html, figures = print_html_and_figures(doc, brand=brand, split_tables=split_tables)
        return _Layout(html, variant, doc.meta, allowed, figures)

    def allow_break(layout: _Layout, tables: tuple[tuple[str, int], ...], from_page: int) -> _Layout | None:
        return layout.allow_break(tables, from_page)

    return fit(document, lay_out, lambda layout: [page_extents(p) for p in layout.pages.pages], allow_break).layout


def html_to_pdf(html: str, *, variant: str | None = None, meta: DocMeta | None = None,
                allowed: tuple[Path, ...] = (), figures: Mapping[str, bytes] | None = None,
                late_figures: Callable[[], Mapping[bytes, bytes]] | None = None) -> bytes:
    """Lay out ``html`` (resolved against the templates folder, fetching only from it,
    the ``allowed`` files and ``figures``: ``reportgen-figure:`` URL → PNG bytes) as PDF
    bytes. ``meta.created`` pins the clock used while subsetting fonts. ``late_figures``:
    see ``render_pdf``."""
    _check_variant(variant)
    layout = _Layout(html, variant, meta, allowed, figures or {})
    return layout.write(late_figures() if late_figures is not None else None)


class _Layout:
    """One document laid out by WeasyPrint (``HTML.render``), to be written by ``write``:
    ``document.write_pdf(**options)`` in its two public steps."""

    def __init__(self, html: str, variant: str | None, meta: DocMeta | None, allowed: tuple[Path, ...],
                 figures: Mapping[str, bytes]) -> None:
        self.meta = meta
        self.figures = dict(figures)
        self.fetcher = TemplatesOnlyFetcher(allowed=allowed, figures=self.figures)
        self.fetcher.shared_stylesheets = _shared_css()  # type: ignore[attr-defined]
        self.options = _options(variant)
        document = compat.ReportHTML(string=html, base_url=templates_dir().as_uri() + "/",
                                     url_fetcher=self.fetcher)
        self._refit: Refittable | None = None
        with self._errors(), own_pngs(frozenset(self.figures.values())):
            if REFIT:
                self._refit = Refittable(document, _font_config(allowed), self.options)
                self.pages = self._refit.document
            else:
                self.pages = document.render(font_config=_font_config(allowed), **self.options)

    def allow_break(self, tables: tuple[tuple[str, int], ...], from_page: int) -> _Layout | None:
        """This layout with the kept-together ``tables`` (section id, block index) let
        break, re-made from page ``from_page`` on (``compat.weasyprint_refit``); None when
        it cannot be re-made, and then it is unchanged."""
        if self._refit is None:
            return None
        root = self._refit.html.etree_element
        sections = {s.get("id"): s for s in root.iter("section") if s.get("id")}
        elements = []
        for section, index in tables:
            blocks = [c for c in sections[section] if isinstance(c.tag, str)] if section in sections else []
            if not 0 <= index + 1 < len(blocks):
                return None
            elements.append(blocks[index + 1])  # the section's heading comes first
        with self._errors(), own_pngs(frozenset(self.figures.values())):
            pages = self._refit.allow_break(elements, from_page)
        if pages is None:
            return None
        self.pages = pages
        return self

    def write(self, real: Mapping[bytes, bytes] | None = None) -> bytes:
        """The PDF; ``real``: the late figures (placeholder → PNG) of a layout on placeholders."""
        swap = checked_late_figures(self.figures, real) if real is not None else {}
        pngs = frozenset(swap.values()) if real is not None else frozenset(self.figures.values())
        with self._errors(), own_pngs(pngs, swap), _source_date_epoch(self.meta):  # fonts are subset here
            return self.pages.write_pdf(**self.options)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except FatalURLFetchingError as exc:
            if isinstance(exc.__cause__, ReportgenError):
                raise exc.__cause__ from None
            raise ResourceRefused(message("render", "resource_failed", error=exc)) from exc
        if self.fetcher.refused:
            # WeasyPrint only logs errors met inside an SVG image (an <image> it links to);
            # a refused resource must still fail the build.
            raise self.fetcher.refused[0]


def _shared_css() -> dict[str, dict]:
    """The bundled stylesheets every document links (``compat.install_stylesheet_cache``)."""
    if not _SHARED_CSS:
        from reportgen.render.html import DOCUMENT_CSS, DRAFT_CSS, FONTS_CSS

        for name in (FONTS_CSS, DOCUMENT_CSS, DRAFT_CSS):
            _SHARED_CSS.setdefault((templates_dir() / name).as_uri(), {})
    return _SHARED_CSS


def _options(variant: str | None) -> dict[str, object]:
    options: dict[str, object] = dict(_OPTIONS)
    if variant is not None:
        weasy, xmp = _WEASY_VARIANT.get(variant, (variant, ()))
        options["pdf_variant"] = weasy
        if xmp:  # fetched through the fetcher, from the templates folder
            options["xmp_metadata"] = [(templates_dir() / x).as_uri() for x in xmp]
    return options


def warm_up() -> None:
    """Render a one-page document with a block of every kind (headings, runs in bold and
    italics, lists, a data table, a figure, the draft marking), so that the first real
    PDF in this process does not pay for the one-time set-up of the templates, WeasyPrint,
    fontconfig, Pango and the fonts — what ``reportgen.render.pdfworker`` does while it
    waits. It changes no later PDF (the tests hold a PDF to the same bytes either way)."""
    render_pdf(warm_up_document())


_FONT_CONFIGS: dict[tuple[int, int, frozenset[Path]], FontConfiguration] = {}


def _font_config(allowed: tuple[Path, ...]) -> FontConfiguration:
    """WeasyPrint's font configuration for documents that may use the ``allowed`` files
    (a theme's fonts): one per set of files, process and thread, kept between renders.

    A fresh one per render loads and registers the bundled fonts (and a theme's) every
    time; kept, a face already registered is skipped (WeasyPrint keys faces by their
    ``@font-face`` rule) and Pango's font caches stay warm. One per set of files, so a
    document is never laid out with another theme's fonts at hand as fallbacks.
    """
    key = (os.getpid(), threading.get_ident(), frozenset(Path(p).resolve() for p in allowed))
    config = _FONT_CONFIGS.get(key)
    if config is None:
        if not any(k[0] == key[0] for k in _FONT_CONFIGS):  # the first in this process
            _release_at_exit()
        config = _FONT_CONFIGS[key] = FontConfiguration()
    return config


def release_font_configs() -> None:
    """Drop this process's kept font configurations; WeasyPrint then deletes their
    temporary font folders. Runs at exit (also in ``multiprocessing`` workers, which
    leave through ``os._exit``); call it before leaving a forked process otherwise."""
    pid = os.getpid()
    _SHARED_CSS.clear()  # parsed with these configurations
    for key in [k for k in _FONT_CONFIGS if k[0] == pid]:
        compat.release_font_folder(_FONT_CONFIGS.pop(key))  # WeasyPrint's __del__ would, when collected


def _release_at_exit() -> None:
    import atexit
    from multiprocessing import util

    atexit.register(release_font_configs)
    util.Finalize(None, release_font_configs, exitpriority=0)  # run by a worker's exit


def _forget_inherited() -> None:
    """In a forked child: the parent's configurations are the parent's to delete."""
    for config in _FONT_CONFIGS.values():
        compat.forget_font_folder(config)  # its __del__ would delete the parent's font folder
    _FONT_CONFIGS.clear()
    _SHARED_CSS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited)


@contextmanager
def _source_date_epoch(meta: DocMeta | None) -> Iterator[None]:
    """Pin the clock that font subsetting reads, to ``meta.created``.

    Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools, which stamps
    each subset font's ``head.modified`` with the current time unless
    ``SOURCE_DATE_EPOCH`` is set — the PDF bytes would change from run to run. An epoch
    already set by the caller (a reproducible-build environment) is left alone.

    The environment is the process's, so the pin is held under a lock: two threads
    writing PDFs at once (the web app) would otherwise see each other's epoch, or none
    once the first is done and has removed it, and fontTools would stamp the wall clock.
    """
    with _EPOCH_LOCK:
        if meta is None or "SOURCE_DATE_EPOCH" in os.environ:
            yield
            return
        os.environ["SOURCE_DATE_EPOCH"] = str(int(aware_datetime(meta.created).timestamp()))
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


_EPOCH_LOCK = threading.RLock()
