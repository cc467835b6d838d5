"""PDF renderer: Document → PDF bytes, laid out by WeasyPrint from the HTML renderer's
markup and ``templates/css``.

Offline and confined: the only resources WeasyPrint may load are files inside the
templates folder (stylesheets, fonts), the document's own charts (internal
``reportgen-figure:`` URLs, served from memory), ``data:`` URIs and the exact files a
theme names (its logo and font files; see ``reportgen.settings.brand``). Anything else — another
file on disk, an http(s) URL, an image an SVG logo links to — stops the render with
``ResourceRefused``.

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
lose their text.)
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
import struct
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.images import RasterImage
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from reportgen.errors import ReportgenError
from reportgen.models import DocMeta, Document, Figure
from reportgen.render.html import FIGURE_SCHEME, aware_datetime, print_html_and_figures
from reportgen.core.resources import templates_dir

VARIANTS: tuple[str | None, ...] = (None, "pdf/a-2b", "pdf/ua-1", "pdf/a-2a+ua-1")
DEFAULT_VARIANT = "pdf/a-2a+ua-1"
TAGGED = frozenset({"pdf/ua-1", "pdf/a-2a+ua-1"})
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

_CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}

# Carlito's 'head' table has a creation stamp that fontTools (WeasyPrint's fallback
# subsetter) calls "very low" every time; the stamp is harmless, the warning only noise.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)


class ResourceRefused(ReportgenError):
    """The document asked for a resource outside the templates folder."""


class PdfVariantError(ReportgenError):
    """Unknown PDF variant, or a document that cannot meet the variant's rules."""


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
    _check_variant(variant)
    if variant in TAGGED:
        _check_accessible(document)
    allowed = brand.allowed_files() if brand is not None else ()  # type: ignore[attr-defined]
    html, figures = print_html_and_figures(document, brand=brand)
    return html_to_pdf(html, variant=variant, meta=document.meta, allowed=allowed, figures=figures,
                       late_figures=late_figures)


def warm_up() -> None:
    """Render a one-page document with a block of every kind (headings, runs in bold and
    italics, lists, a data table, a figure, the draft marking), so that the first real
    PDF in this process does not pay for the one-time set-up of the templates, WeasyPrint,
    fontconfig, Pango and the fonts — what ``reportgen.render.pdfworker`` does while it
    waits. It changes no later PDF (the tests hold a PDF to the same bytes either way)."""
    render_pdf(_warm_up_document())


def _warm_up_document() -> Document:
    import datetime as dt

    from reportgen.models import Heading, ListBlock, Paragraph, Run, Section, Table

    png = _tiny_png()
    meta = DocMeta(title="Prøve", municipality="Prøve Kommune", committee="Udvalg", meeting_date=dt.date(2024, 1, 1),
                   meeting_place="", case_number="1", openness="Åben", sagsgang=("U",), status="udkast",
                   author="", version="1", created=dt.datetime(2024, 1, 1))
    blocks = (
        Paragraph((Run("Tekst "), Run("fed", bold=True), Run(" kursiv", italic=True),
                   Run(" begge", bold=True, italic=True))),
        Paragraph.of("Note", "note"), Paragraph.of("Indledning", "lead"), Paragraph.of("Udfyldes", "placeholder"),
        Heading("Underafsnit", 3),
        ListBlock((Paragraph.of("en"), Paragraph.of("to")), ordered=True), ListBlock((Paragraph.of("tre"),)),
        Table(caption="Tabel 1. Prøve", columns=("Tema", "Score"), rows=(("Samlet", "3,50 (3,40)"),),
              note="Note.", align=("left", "right"), alt_text="Tabel"),
        Figure(png=png, caption="Figur 1. Prøve", alt_text="Figur", width_cm=2),
    )
    return Document(meta=meta, title_rows=(("Mødedato", "1. januar 2024"),),
                    sections=(Section("sagsfremstilling", "Sagsfremstilling", blocks),))


def _tiny_png() -> bytes:
    """A white 2×2 RGB PNG."""
    from reportgen.core.png import RGB, png_bytes

    return png_bytes(2, 2, RGB, b"\x00" + b"\xff" * 6 + b"\x00" + b"\xff" * 6)


def html_to_pdf(html: str, *, variant: str | None = None, meta: DocMeta | None = None,
                allowed: tuple[Path, ...] = (), figures: Mapping[str, bytes] | None = None,
                late_figures: Callable[[], Mapping[bytes, bytes]] | None = None) -> bytes:
    """Lay out ``html`` (resolved against the templates folder, fetching only from it,
    the ``allowed`` files and ``figures``: ``reportgen-figure:`` URL → PNG bytes) as PDF
    bytes. ``meta.created`` pins the clock used while subsetting fonts. ``late_figures``:
    see ``render_pdf``."""
    _check_variant(variant)
    figures = dict(figures or {})
    fetcher = TemplatesOnlyFetcher(allowed=allowed, figures=figures)
    document = _ReportHTML(
        string=html,
        base_url=templates_dir().as_uri() + "/",
        url_fetcher=fetcher,
    )
    options = dict(_OPTIONS)
    if variant is not None:
        weasy, xmp = _WEASY_VARIANT.get(variant, (variant, ()))
        options["pdf_variant"] = weasy
        if xmp:  # fetched through the fetcher, from the templates folder
            options["xmp_metadata"] = [(templates_dir() / x).as_uri() for x in xmp]
    own = _OWN_PNGS.set(frozenset(figures.values()))
    swap = _SWAP_PNGS.set({})
    try:
        # = document.write_pdf(**options), in its two steps: lay out, then draw and write
        pages = document.render(font_config=_font_config(allowed), **options)
        if late_figures is not None:
            real = _checked_late_figures(figures, late_figures())
            _SWAP_PNGS.set(real)
            _OWN_PNGS.set(frozenset(real.values()))
        with _source_date_epoch(meta):  # fonts are subset while writing
            data = pages.write_pdf(**options)
    except FatalURLFetchingError as exc:
        if isinstance(exc.__cause__, ReportgenError):
            raise exc.__cause__ from None
        raise ResourceRefused(f"En ressource kunne ikke hentes: {exc}") from exc
    finally:
        _SWAP_PNGS.reset(swap)
        _OWN_PNGS.reset(own)
    if fetcher.refused:
        # WeasyPrint only logs errors met inside an SVG image (an <image> it links to);
        # a refused resource must still fail the build.
        raise fetcher.refused[0]
    return data


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
    import shutil

    pid = os.getpid()
    for key in [k for k in _FONT_CONFIGS if k[0] == pid]:
        config = _FONT_CONFIGS.pop(key)
        folder = getattr(config, "_folder", None)  # WeasyPrint's __del__ would, when collected
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None


def _release_at_exit() -> None:
    import atexit
    from multiprocessing import util

    atexit.register(release_font_configs)
    util.Finalize(None, release_font_configs, exitpriority=0)  # run by a worker's exit


def _forget_inherited() -> None:
    """In a forked child: the parent's configurations are the parent's to delete."""
    for config in _FONT_CONFIGS.values():
        if getattr(config, "_folder", None) is not None:
            config._folder = None  # its __del__ would delete the parent's font folder
    _FONT_CONFIGS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited)


class TemplatesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside ``root`` (default: the
    templates folder), the exact files in ``allowed`` (a theme's logo and fonts), the
    document's charts (``figures``: ``reportgen-figure:`` URL → PNG bytes, from memory)
    and ``data:`` URIs, and refuses everything else."""

    def __init__(self, root: Path | None = None, allowed: tuple[Path, ...] = (),
                 figures: Mapping[str, bytes] | None = None) -> None:
        # fail_on_errors: a refused URL stops the render instead of becoming a warning
        # and a silently missing image.
        super().__init__(fail_on_errors=True, allow_redirects=False)
        self.root = (root or templates_dir()).resolve()
        self.allowed = frozenset(Path(p).resolve() for p in allowed)
        self.figures = dict(figures or {})
        self.refused: list[ResourceRefused] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == FIGURE_SCHEME:
            png = self.figures.get(url)
            if png is None:
                raise self._refuse(f"Figuren '{url}' findes ikke i dokumentet")
            return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
        path = self._local_path(url) if scheme == "file" else None
        if path is None:
            raise self._refuse(
                f"Adressen '{url}' må ikke hentes: dokumentet må kun bruge filer i "
                f"skabelonmappen ({self.root}), temaets egne logo- og skriftfiler og "
                "indlejrede data:-adresser. reportgen henter aldrig noget fra netværket "
                "eller fra andre steder på disken."
            )
        if not path.is_file():
            raise self._refuse(f"Filen '{url}' findes ikke i skabelonmappen {self.root}")
        content_type = _CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def _refuse(self, message: str) -> ResourceRefused:
        error = ResourceRefused(message)
        self.refused.append(error)
        return error

    def _local_path(self, url: str) -> Path | None:
        """The file a ``file:`` URL names, if it lies inside the root; else None."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(unquote(parts.path))).resolve()
        return path if path.is_relative_to(self.root) or path in self.allowed else None


def _check_variant(variant: str | None) -> None:
    if variant not in VARIANTS:
        allowed = ", ".join(repr(v) for v in VARIANTS)
        raise PdfVariantError(f"Ukendt PDF-variant {variant!r} (tilladt: {allowed})")


def _check_accessible(document: Document) -> None:
    """PDF/UA needs a title and a text alternative for every figure."""
    if not document.meta.title.strip():
        raise PdfVariantError("PDF/UA kræver en titel, men dokumentet har ingen titel")
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Figure) and not (block.alt_text or block.caption).strip():
                raise PdfVariantError(
                    "PDF/UA kræver en tekstbeskrivelse af alle figurer: en figur i "
                    f"afsnittet '{section.heading}' har hverken alt-tekst eller figurtekst"
                )


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


# --------------------------------------------------------------------------- chart PNGs as they are

# WeasyPrint embeds a PNG as a Flate stream with PNG predictors — exactly the IDAT data of
# an 8-bit, non-interlaced PNG — but gets that data by decoding the image and encoding it
# again with Pillow, about 0.1 s for the charts of a report. For the charts reportgen drew
# itself (matplotlib + Pillow: 8-bit RGB, no transparency, no interlacing) the IDAT data
# is taken as it is: the same pixels, the same PDF objects, only another zlib stream.
# Every other image (a theme's logo, say) goes WeasyPrint's own way.

_OWN_PNGS: ContextVar[frozenset[bytes]] = ContextVar("reportgen_own_pngs", default=frozenset())
_SWAP_PNGS: ContextVar[Mapping[bytes, bytes]] = ContextVar("reportgen_swap_pngs", default={})
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_idat(png: bytes, size: tuple[int, int], mode: str) -> bytes | None:
    """The joined IDAT data of ``png`` if it is an 8-bit, non-interlaced, opaque PNG of
    ``size`` in ``mode`` ("RGB" or "L"): what a PDF image stream with PNG predictors
    holds; else None."""
    color_type = {"RGB": 2, "L": 0}.get(mode)
    if color_type is None or not png.startswith(_PNG_SIGNATURE):
        return None
    pos, header, idat = len(_PNG_SIGNATURE), b"", []
    while pos + 8 <= len(png):
        length, kind = struct.unpack_from(">I4s", png, pos)
        body = png[pos + 8:pos + 8 + length]
        if len(body) != length:
            return None
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"tRNS":
            return None
        elif kind == b"IEND":
            break
        pos += 12 + length
    if len(header) != 13 or not idat:
        return None
    width, height, depth, color, compression, filtering, interlace = struct.unpack(">IIBBBBB", header)
    if (width, height) != tuple(size) or depth != 8 or color != color_type or compression or filtering or interlace:
        return None
    return b"".join(idat)


def _install_png_pass_through() -> None:
    original = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(original, staticmethod):  # another WeasyPrint: leave it alone
        return
    encode = original.__func__

    def _get_png_data(pillow_image):  # type: ignore[no-untyped-def]
        fp = getattr(pillow_image, "fp", None)
        own = _OWN_PNGS.get()
        if own and getattr(pillow_image, "format", None) == "PNG" and hasattr(fp, "getvalue"):
            png = fp.getvalue()
            png = _SWAP_PNGS.get().get(png, png)  # a placeholder's real pixels (late figures)
            if png in own:
                idat = png_idat(png, pillow_image.size, pillow_image.mode)
                if idat is not None:
                    return idat
        return encode(pillow_image)

    _get_png_data.__wrapped__ = encode  # type: ignore[attr-defined]
    RasterImage._get_png_data = staticmethod(_get_png_data)
    global PASS_THROUGH
    PASS_THROUGH = True


PASS_THROUGH = False  # whether the hook is in place (late figures need it)
_install_png_pass_through()


def _png_size(png: bytes) -> tuple[int, int] | None:
    if not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    return struct.unpack_from(">II", png, 16)


def _checked_late_figures(figures: Mapping[str, bytes], real: Mapping[bytes, bytes]) -> dict[bytes, bytes]:
    """``real`` (placeholder → PNG) if it gives every figure of the layout a PNG of the
    placeholder's size, and distinct figures distinct PNGs; else the layout cannot be
    reused (equal PNGs would have shared one image) and ``LateFiguresUnusable`` is raised."""
    out = {placeholder: real[placeholder] for placeholder in figures.values() if placeholder in real}
    if (not PASS_THROUGH or len(out) != len(figures) or len(set(out.values())) != len(out)
            or any(_png_size(p) != _png_size(r) for p, r in out.items())):
        raise LateFiguresUnusable("the laid-out placeholders do not match the figures")
    return out


class LateFiguresUnusable(RuntimeError):
    """The figures that arrived after the layout do not fit it (render the document anew)."""


# --------------------------------------------------------------------------- user-agent stylesheet

# WeasyPrint's user-agent stylesheet gives every element a ``::marker``, two footnote and
# three note pseudo-elements, and computes a style for each of them — six per element,
# most of the time of the cascade. The document has markers on list items only and no
# footnotes or notes, so those rules are narrowed to list items (and <summary>) and the
# note rules dropped; the PDF is the same. Another WeasyPrint (the rules not found as
# expected) keeps its own stylesheet.

def _lean_ua_stylesheet() -> CSS | None:
    try:
        from weasyprint.html import UA, UA_COUNTER_STYLE
    except ImportError:  # pragma: no cover - another WeasyPrint
        return None
    marker = "\n::marker {"
    notes = re.compile(r"\n::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}")
    if UA.count(marker) != 1 or len(notes.findall(UA)) != 5:
        return None
    return CSS(string=notes.sub("", UA.replace(marker, "\nli::marker, summary::marker {")),
               counter_style=UA_COUNTER_STYLE)


_LEAN_UA = _lean_ua_stylesheet()


class _ReportHTML(HTML):
    """WeasyPrint's ``HTML`` with the lean user-agent stylesheet (see above)."""

    def _ua_stylesheets(self, forms: bool = False):  # type: ignore[no-untyped-def]
        if forms or _LEAN_UA is None or not hasattr(HTML, "_ua_stylesheets"):
            return super()._ua_stylesheets(forms)
        return [_LEAN_UA]
