"""PDF renderer: Document → PDF bytes, laid out by WeasyPrint from the HTML renderer's
markup and ``templates/css``.

Offline and confined: the only resources WeasyPrint may load are files inside the
templates folder (stylesheets, fonts), ``data:`` URIs (charts) and the exact files a
theme names (its logo and font files; see ``reportgen.brand``). Anything else — another
file on disk, an http(s) URL, an image an SVG logo links to — stops the render with
``ResourceRefused``.

Deterministic: the PDF's dates come from ``DocMeta.created``, its file identifier is a
hash of its content, and font subsetting runs with a pinned clock, so the same
``Document`` gives the same bytes (on the same WeasyPrint and HarfBuzz versions).

Variants: ``None`` (plain PDF 1.7), ``"pdf/a-2b"`` (archival) and ``"pdf/ua-1"``
(tagged, accessible: every figure needs a text alternative; ``lang`` and the title are
set, and the viewer is told to show the title).

Speed: WeasyPrint subsets the embedded fonts. With HarfBuzz's subsetter
(``libharfbuzz-subset0``) a four-page case renders in about 0.25 s; without it
WeasyPrint falls back to fontTools (and logs a warning), about 3–4 times slower.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from reportgen.errors import ReportgenError
from reportgen.models import DocMeta, Document, Figure
from reportgen.render.html import aware_datetime, print_html
from reportgen.resources import templates_dir

VARIANTS: tuple[str | None, ...] = (None, "pdf/a-2b", "pdf/ua-1")

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


def render_pdf(document: Document, *, variant: str | None = None, brand: object | None = None) -> bytes:
    """Lay out ``document`` as PDF bytes (``variant``: None, "pdf/a-2b", "pdf/ua-1";
    ``brand``: a ``reportgen.brand.Brand`` or None for reportgen's own look)."""
    _check_variant(variant)
    if variant == "pdf/ua-1":
        _check_accessible(document)
    allowed = brand.allowed_files() if brand is not None else ()  # type: ignore[attr-defined]
    return html_to_pdf(print_html(document, brand=brand), variant=variant, meta=document.meta,
                       allowed=allowed)


def html_to_pdf(html: str, *, variant: str | None = None, meta: DocMeta | None = None,
                allowed: tuple[Path, ...] = ()) -> bytes:
    """Lay out ``html`` (resolved against the templates folder, fetching only from it and
    the ``allowed`` files) as PDF bytes. ``meta.created`` pins the clock used while
    subsetting fonts."""
    _check_variant(variant)
    fetcher = TemplatesOnlyFetcher(allowed=allowed)
    document = HTML(
        string=html,
        base_url=templates_dir().as_uri() + "/",
        url_fetcher=fetcher,
    )
    options = dict(_OPTIONS)
    if variant is not None:
        options["pdf_variant"] = variant
    try:
        with _source_date_epoch(meta):
            data = document.write_pdf(**options)
    except FatalURLFetchingError as exc:
        if isinstance(exc.__cause__, ReportgenError):
            raise exc.__cause__ from None
        raise ResourceRefused(f"En ressource kunne ikke hentes: {exc}") from exc
    if fetcher.refused:
        # WeasyPrint only logs errors met inside an SVG image (an <image> it links to);
        # a refused resource must still fail the build.
        raise fetcher.refused[0]
    return data


class TemplatesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside ``root`` (default: the
    templates folder), the exact files in ``allowed`` (a theme's logo and fonts) and
    ``data:`` URIs, and refuses everything else."""

    def __init__(self, root: Path | None = None, allowed: tuple[Path, ...] = ()) -> None:
        # fail_on_errors: a refused URL stops the render instead of becoming a warning
        # and a silently missing image.
        super().__init__(fail_on_errors=True, allow_redirects=False)
        self.root = (root or templates_dir()).resolve()
        self.allowed = frozenset(Path(p).resolve() for p in allowed)
        self.refused: list[ResourceRefused] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
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
    """
    if meta is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(aware_datetime(meta.created).timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
