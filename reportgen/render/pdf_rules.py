"""What every PDF engine shares: the variants a case may ask for and the rules a tagged
variant sets for the document (a title, a text alternative for every figure).

``render.pdf`` (WeasyPrint) and ``render.pdf_typst`` (Typst, the default) both check a
document here first, so the two engines refuse the same documents with the same message.
"""

from __future__ import annotations

from reportgen.core.templating import message
from reportgen.errors import ReportgenError
from reportgen.models.document import Document, Figure

__all__ = ["VARIANTS", "DEFAULT_VARIANT", "TAGGED", "PdfVariantError", "check_variant", "check_accessible"]

VARIANTS: tuple[str | None, ...] = (None, "pdf/a-2b", "pdf/ua-1", "pdf/a-2a+ua-1")
DEFAULT_VARIANT = "pdf/a-2a+ua-1"
TAGGED = frozenset({"pdf/ua-1", "pdf/a-2a+ua-1"})


class PdfVariantError(ReportgenError):
    """Unknown PDF variant, or a document that cannot meet the variant's rules."""


def check_variant(variant: str | None) -> None:
    if variant not in VARIANTS:
        raise PdfVariantError(message("render", "unknown_pdf_variant", variant=repr(variant),
                                      names=[repr(v) for v in VARIANTS]))


def check_accessible(document: Document) -> None:
    """PDF/UA needs a title and a text alternative for every figure."""
    if not document.meta.title.strip():
        raise PdfVariantError(message("render", "pdfua_needs_title"))
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Figure) and not (block.alt_text or block.caption).strip():
                raise PdfVariantError(message("render", "pdfua_needs_alt_text", heading=section.heading))
