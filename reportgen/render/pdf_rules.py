"""What every PDF engine shares: the variants a case may ask for and the rules a tagged
variant sets for the document (a title, a text alternative for every figure).

``render.pdf`` (WeasyPrint) and ``render.pdf_typst`` (Typst, the default) both check a
document here first, so the two engines refuse the same documents with the same message.
"""

from __future__ import annotations

from reportgen.core.templating import message
from reportgen.errors import ReportgenError
from reportgen.models.document import DocMeta, Document, Figure

__all__ = ["VARIANTS", "DEFAULT_VARIANT", "TAGGED", "PdfVariantError", "check_variant", "check_accessible",
           "warm_up_document"]

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


def warm_up_document() -> Document:
    """A one-page document with a block of every kind (headings, runs in bold and
    italics, lists, a data table, a figure, the draft marking): what an engine's
    ``warm_up`` renders, so that the first real PDF of a process finds everything set up."""
    import datetime as dt

    from reportgen.models.document import Heading, ListBlock, Paragraph, Run, Section, Table

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
