"""The PDF engines a case can choose (``sag.pdf_motor``): ``typst`` (the default,
``render.pdf_typst``) and ``weasyprint`` (``render.pdf``, laid out from the HTML
preview's markup and stylesheet). Each engine is imported when first used, so a build
that uses one never pays for importing the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from reportgen.models.document import Document

__all__ = ["ENGINES", "DEFAULT_ENGINE", "render_pdfs"]

ENGINES = ("typst", "weasyprint")
DEFAULT_ENGINE = "typst"


def render_pdfs(documents: Sequence[Document], *, engine: str = DEFAULT_ENGINE, variant: str | None = None,
                brand: object | None = None,
                late_figures: Callable[[], Mapping[bytes, bytes]] | None = None) -> list[bytes]:
    """The PDF of each document, made by ``engine`` (see the engines' ``render_pdfs``)."""
    if engine == "weasyprint":
        from reportgen.render.pdf import render_pdfs as render
    elif engine == "typst":
        from reportgen.render.pdf_typst import render_pdfs as render
    else:
        raise ValueError(f"unknown PDF engine {engine!r}; known: {', '.join(ENGINES)}")
    return render(documents, variant=variant, brand=brand, late_figures=late_figures)
