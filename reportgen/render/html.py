"""HTML renderer: Document → HTML text (the preview output, and the PDF's source).

One template (``templates/html/document.html.j2``) lays out the document for both
uses. The preview inlines ``css/document.css`` so the file stands alone; images are
data URIs. The bundled fonts are left out of the preview (a browser falls back to
Calibri or a sans-serif); the PDF renderer links ``css/fonts.css`` instead, resolved
against the templates folder. All model text is autoescaped by the template
environment (see ``reportgen.templating``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from reportgen.models import Document
from reportgen.resources import templates_dir
from reportgen.templating import render_template

TEMPLATE = "html/document.html.j2"
DOCUMENT_CSS = "css/document.css"
FONTS_CSS = "css/fonts.css"

# A naive ``DocMeta.created`` is taken as Danish local time: the same on every machine.
_LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def render_html(document: Document, *, standalone: bool = True) -> str:
    """The HTML preview of ``document``.

    ``standalone=True`` gives a complete page with the stylesheet inlined;
    ``standalone=False`` gives only the ``<article>`` element, for embedding in a page
    that brings its own head and styles.
    """
    css = (templates_dir() / DOCUMENT_CSS).read_text(encoding="utf-8")
    return _render(document, standalone=standalone, links=(), inline=(css,))


def print_html(document: Document) -> str:
    """The HTML the PDF renderer lays out: stylesheets and fonts linked by relative
    URL (resolved against the templates folder), nothing inlined."""
    return _render(document, standalone=True, links=(FONTS_CSS, DOCUMENT_CSS), inline=())


def aware_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    """``value`` with a time zone: naive times are Danish local time, dates midnight."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=_LOCAL_TZ)
    return value.replace(microsecond=0)


def w3c_datetime(value: dt.datetime | dt.date) -> str:
    """``value`` as a W3C datetime with offset (``2024-06-03T09:00:00+02:00``)."""
    return aware_datetime(value).isoformat()


def html_lang(language: str) -> str:
    """The primary language subtag: ``'da-DK'`` → ``'da'``."""
    return (language or "da").replace("_", "-").split("-")[0].lower() or "da"


def _render(
    document: Document,
    *,
    standalone: bool,
    links: tuple[str, ...],
    inline: tuple[str, ...],
) -> str:
    return render_template(
        TEMPLATE,
        document=document,
        lang=html_lang(document.meta.language),
        created=w3c_datetime(document.meta.created),
        standalone=standalone,
        stylesheet_links=links,
        inline_styles=inline,
    )
