"""The URL fetcher of the PDF renderer: WeasyPrint may load files inside the templates
folder (stylesheets, fonts), the document's own charts (internal ``reportgen-figure:``
URLs, served from memory), ``data:`` URIs and the exact files a theme names (its logo and
font files; see ``reportgen.settings.brand``). Anything else — another file on disk, an
http(s) URL, an image an SVG logo links to — is refused with ``ResourceRefused``.

Built on WeasyPrint's public fetcher API (``URLFetcher``, ``URLFetcherResponse``).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from reportgen.core.resources import templates_dir
from reportgen.core.templating import message
from reportgen.errors import ReportgenError
from reportgen.render.html import FIGURE_SCHEME

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


class ResourceRefused(ReportgenError):
    """The document asked for a resource outside the templates folder."""


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
                raise self._refuse(message("render", "figure_not_in_document", url=url))
            return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
        path = self._local_path(url) if scheme == "file" else None
        if path is None:
            raise self._refuse(message("render", "address_refused", url=url, root=self.root))
        if not path.is_file():
            raise self._refuse(message("render", "file_not_in_templates", url=url, root=self.root))
        content_type = _CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def _refuse(self, text: str) -> ResourceRefused:
        error = ResourceRefused(text)
        self.refused.append(error)
        return error

    def _local_path(self, url: str) -> Path | None:
        """The file a ``file:`` URL names, if it lies inside the root; else None."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(unquote(parts.path))).resolve()
        return path if path.is_relative_to(self.root) or path in self.allowed else None
