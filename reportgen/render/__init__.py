"""Renderers: one per output format, each laying out a ``Document`` as bytes or text.

``html`` (Document → HTML preview), ``pdf`` (Document → PDF via WeasyPrint, from the
same HTML) and ``docx`` (Document → Word). Renderers never compute a number or write a
sentence of their own; the only words they add are the page furniture defined here, so
the PDF and the DOCX say the same thing. ``pdfworker`` runs ``pdf`` in a forked process
during ``reportgen build`` (same bytes, same errors; see there).
"""

from __future__ import annotations

from reportgen.core.templating import render_text
from reportgen.models.document import KEEP_TOGETHER_ROWS, DocMeta  # noqa: F401 - KEEP_TOGETHER_ROWS: re-exported

# The output formats, one renderer each; ``api.RENDERERS`` maps each name to its renderer
# (a test checks they agree). The run file's ``koersel.formater`` accepts these names.
FORMATS = ("pdf", "docx", "html")


def draft_marking(meta: DocMeta) -> str:
    """The header line of a draft: 'UDKAST – version 2 – dannet 3. juni 2024'
    (templates/text/udkast.txt.j2)."""
    return render_text("udkast", version=meta.version, created=meta.created.date())
