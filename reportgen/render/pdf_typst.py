"""PDF renderer, the default engine: Document → PDF bytes, typeset by Typst.

``templates/typst/document.typ.j2`` writes the document as Typst source that imports
``templates/typst/reportgen.typ`` (the layout: page, furniture, headings, tables, charts);
every value from the model enters that source as a Typst string literal
(``core.templating.typst_string``), so no text is ever read as markup or code. The source,
the library, the chart PNGs, the draft watermark and a theme's logo are written to a
temporary folder that is Typst's root: Typst reads nothing outside it, and the only fonts
it sees are the bundled ones (``templates/fonts``), a theme's own and Typst's built-in
fallbacks — never the machine's, so a PDF is the same on every machine.

The pages are fitted as WeasyPrint's are (``render.pagefit``: no page left half empty
before a figure or a short table): the Typst source carries a mark at each block's start
and end, read back with a query after the compile, and the document is set again when a
figure was shrunk or moved or a table let break.

Variants (``render.pdf_rules``): ``"pdf/a-2a+ua-1"`` (tagged and archival: Typst's
PDF/A-2a and PDF/UA-1 together), ``"pdf/ua-1"``, ``"pdf/a-2b"`` (untagged) and ``None``
(PDF 1.7, untagged). The PDF's dates come from ``DocMeta.created``, so the same
``Document`` gives the same bytes (on the same Typst version).

Speed: Typst lays out and writes a report's PDF in a few hundredths of a second and
subsets its fonts itself, so it needs no optional system library (WeasyPrint needs
``libharfbuzz-subset0`` for that, ``render.pdf``). The bundled fonts are scanned once per
process (``render.typst_child``, which also keeps a forked process from waiting for
Typst's threads for ever).
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from reportgen.core.png import png_size
from reportgen.core.resources import templates_dir
from reportgen.core.templating import message, render_template
from reportgen.errors import ReportgenError
from reportgen.models.document import KEEP_TOGETHER_ROWS, Document, Figure, Table
from reportgen.render import draft_marking
from reportgen.render.html import TABLE_SETTINGS, TEXT_WIDTH_PT, _masthead, aware_datetime, html_lang, table_fit
from reportgen.compat.weasyprint_layout import Extent, PageExtents
from reportgen.render.metrics import column_widths_pt
from reportgen.render.pagefit import fit
from reportgen.render.pdf_rules import TAGGED, check_accessible, check_variant, warm_up_document
from reportgen.render.typst_child import compile_typst, inherited, run_apart

__all__ = ["render_pdf", "render_pdfs", "warm_up", "TypstFailed", "STANDARDS"]

TEMPLATE = "typst/document.typ.j2"
LIBRARY = "typst/reportgen.typ"
WATERMARK = "pdf/udkast.svg"
BUNDLED_FONTS = "fonts"
PRIMARY, SECONDARY = "#1b3a5c", "#a6bddb"  # css/document.css: --blue, --accent
FONT = "Carlito"  # the bundled font (templates/fonts); Typst subsets it itself
LOGO_HEIGHT_CM = 1.4
SCROLL_SIZE_PT = 7.5  # a table too wide even when compact (css/document.css, @media print)
MAX_FIGURE_HEIGHT_CM = 16.0  # as the stylesheet's figure.chart img { max-height } on paper

# Our variant name → (Typst's PDF standards, tagged)
STANDARDS: dict[str | None, tuple[tuple[str, ...], bool]] = {
    None: (("1.7",), False),
    "pdf/a-2b": (("a-2b",), False),
    "pdf/ua-1": (("ua-1",), True),
    "pdf/a-2a+ua-1": (("a-2a", "ua-1"), True),
}


class TypstFailed(ReportgenError):
    """Typst could not typeset the document (a defect in reportgen's own templates)."""


def render_pdf(document: Document, *, variant: str | None = None, brand: object | None = None,
               late_figures: Callable[[], Mapping[bytes, bytes]] | None = None) -> bytes:
    """``document`` as PDF bytes (``variant``: see the module docstring; ``brand``: a
    ``reportgen.settings.brand.Brand`` or None for reportgen's own look). ``late_figures``:
    the document's figures are placeholders and the call returns their real PNGs
    (placeholder → PNG), as ``render.pdf`` takes it."""
    return render_pdfs((document,), variant=variant, brand=brand, late_figures=late_figures)[0]


def render_pdfs(documents: Sequence[Document], *, variant: str | None = None, brand: object | None = None,
                late_figures: Callable[[], Mapping[bytes, bytes]] | None = None) -> list[bytes]:
    """``[render_pdf(d) for d in documents]``; ``late_figures`` is called once, first."""
    check_variant(variant)
    if variant in TAGGED:
        for document in documents:
            check_accessible(document)
    real = dict(late_figures()) if late_figures is not None else {}
    return [_render(document, variant, brand, real) for document in documents]


def _render(document: Document, variant: str | None, brand: object | None, real: Mapping[bytes, bytes]) -> bytes:
    standards, tagged = STANDARDS[variant]
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as folder:
        root = Path(folder)
        (root / "reportgen.typ").write_bytes(_template_bytes(LIBRARY))
        if document.is_draft:
            (root / "udkast.svg").write_bytes(_template_bytes(WATERMARK))
        files = _FigureFiles(root, real)
        folders, families = _font_folders(brand, root)
        theme_fonts = len(folders) > 1  # in this render's own folder: not kept
        run = run_apart if inherited() else compile_typst
        timestamp = int(aware_datetime(document.meta.created).timestamp())

        def typeset(source: bytes, export: bool) -> tuple[bytes, str]:
            outcome = run(str(root), folders, source, standards, tagged, timestamp, not theme_fonts, export)
            if not isinstance(outcome[0], bytes):
                raise TypstFailed(message("render", "typst_failed", error=outcome[0], detail=outcome[1]))
            return outcome  # type: ignore[return-value]

        def lay_out(doc: Document, split_tables: frozenset[int]) -> _Laid:
            source = _source(doc, brand, root, files, families, split_tables).encode("utf-8")
            return _Laid(doc, source, typeset(source, export=False)[1])

        # Each pass of the fitting is laid out only; the fitted document is then written
        # (its layout kept by Typst from the last pass).
        return typeset(fit(document, lay_out, lambda laid: laid.pages()).layout.source, export=True)[0]


class _Laid:
    """One document laid out by Typst: its source, and where its blocks went (the marks)."""

    def __init__(self, document: Document, source: bytes, marks: str) -> None:
        self.document = document
        self.source = source
        self.marks = marks

    def pages(self) -> list[PageExtents | None]:
        """Each page's blocks (``render.pagefit``), in CSS px as WeasyPrint's: from the marks
        at each block's start and end (a block over several pages is on each of them)."""
        try:
            marks = json.loads(self.marks)
        except ValueError:
            return []
        edges: dict[tuple[str, int], dict[str, tuple[int, float]]] = {}
        for m in marks:
            y = float(m["y"]) * _PX_PER_PT
            if m["inline"]:  # a line's baseline: its top is an ascender above, its bottom a descender below
                y += (-_ASCENT if m["e"] == "start" else _DESCENT) * _LINE_PX
            edges.setdefault((m["s"], int(m["i"])), {})[m["e"]] = (int(m["page"]), y)
        count = max((p for e in edges.values() for p, _ in e.values()), default=0)
        blocks: list[list[Extent]] = [[] for _ in range(count)]
        for (section, index), edge in edges.items():
            if "start" not in edge or "end" not in edge:
                continue
            (first, top), (last, bottom) = edge["start"], edge["end"]
            size = self._image_px(section, index)
            for page in range(first, last + 1):
                blocks[page - 1].append(Extent(section, index, top if page == first else _TOP_PX,
                                               bottom if page == last else _BOTTOM_PX, *size))
        return [PageExtents(_TOP_PX, _BOTTOM_PX, tuple(sorted(b, key=lambda e: e.top))) for b in blocks]

    def _image_px(self, section: str, index: int) -> tuple[float | None, float | None]:
        block = next((s.blocks[index] for s in self.document.sections if s.key == section), None) if index >= 0 else None
        if not isinstance(block, Figure):
            return (None, None)
        width = _figure_width_cm(block) * _PX_PER_CM
        return (width * _figure_aspect(block), width)


_PX_PER_PT = 96 / 72
_PX_PER_CM = 96 / 2.54
_TOP_PX, _BOTTOM_PX = 2.5 * _PX_PER_CM, (29.7 - 2.4) * _PX_PER_CM  # the text area (templates/typst/reportgen.typ)
_LINE_PX = 11 * _PX_PER_PT  # an em of the body text
_ASCENT, _DESCENT = 0.95, 0.45  # Carlito's ascender, and its descender with half the leading


def _source(document: Document, brand: object | None, root: Path, files: _FigureFiles,
            families: tuple[str, ...] = (), split_tables: frozenset[int] = frozenset()) -> str:
    masthead = _masthead(document, brand, embed=False)
    logo = getattr(brand, "logo", None)
    if logo is not None:
        name = f"logo.{logo.kind}"
        (root / name).write_bytes(logo.data)
        masthead = dataclasses.replace(masthead, logo_src=name)
    lang, _, region = html_lang(document.meta.language).partition("-")
    font = (*families, FONT) if families else (FONT,)
    return render_template(
        TEMPLATE,
        document=document,
        lang=lang,
        region=region,
        masthead=masthead,
        logo_height_cm=getattr(brand, "logo_height_cm", LOGO_HEIGHT_CM),
        draft_marking=draft_marking(document.meta) if document.is_draft else "",
        primary=getattr(brand, "primary", PRIMARY),
        secondary=getattr(brand, "secondary", SECONDARY),
        font=font,
        figure_file=files,
        figure_width_cm=_figure_width_cm,
        table_fit=table_fit,
        column_widths=_column_widths,
        may_split=lambda table: id(table) in split_tables,
        keep_together_rows=KEEP_TOGETHER_ROWS,
    )


class _FigureFiles:
    """Writes each chart's PNG (the real one for a placeholder) into Typst's root once and
    gives its file name; equal images share a file, so the PDF embeds them once."""

    def __init__(self, root: Path, real: Mapping[bytes, bytes]) -> None:
        self.root = root
        self.real = real
        self._names: dict[bytes, str] = {}

    def __call__(self, figure: Figure) -> str:
        png = self.real.get(figure.png, figure.png)
        name = self._names.get(png)
        if name is None:
            name = self._names[png] = f"figur-{len(self._names) + 1}.png"
            (self.root / name).write_bytes(png)
        return name


def _column_widths(table: Table, fit: str) -> list[float]:
    """The table's column widths in points for its fit ("", "compact", "scroll": html.table_fit)."""
    size, pad, figure_pad = TABLE_SETTINGS["" if fit == "" else "compact"]
    if fit == "scroll":
        size = SCROLL_SIZE_PT
    return column_widths_pt(table, size, pad * size, figure_pad * size, TEXT_WIDTH_PT)


def _figure_width_cm(figure: Figure) -> float:
    """The printed width: the figure's own, at most the text width, and narrower still
    when its height would pass ``MAX_FIGURE_HEIGHT_CM`` (keeping its proportions)."""
    width = min(figure.width_cm, TEXT_WIDTH_PT / 72 * 2.54)
    size = png_size(figure.png)
    if size is not None and size[0] > 0 and size[1] > 0:
        width = min(width, MAX_FIGURE_HEIGHT_CM * size[0] / size[1])
    return width


def _figure_aspect(figure: Figure) -> float:
    """The chart's height over its width (1 when its size cannot be read)."""
    size = png_size(figure.png)
    return size[1] / size[0] if size is not None and size[0] > 0 and size[1] > 0 else 1.0


def _font_folders(brand: object | None, root: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The font folders Typst may use — the bundled fonts', and a theme's font files copied
    into ``root/skrifter`` — and the family names those theme files give themselves (Typst
    picks a font by the name inside the file; the theme's ``skrifttype.navn`` is the name
    the HTML and DOCX use)."""
    folders = [str(templates_dir() / BUNDLED_FONTS)]
    families: list[str] = []
    faces = getattr(brand, "font_files", ())
    if faces:
        from fontTools.ttLib import TTFont

        own = root / "skrifter"
        own.mkdir()
        for i, face in enumerate(faces):
            data = Path(face.path).read_bytes()
            target = own / f"{i}{Path(face.path).suffix.lower()}"
            target.write_bytes(data)
            with TTFont(str(target), lazy=True) as font:
                family = font["name"].getBestFamilyName()
            if family and family not in families:
                families.append(family)
        folders.append(str(own))
    return tuple(folders), tuple(families)


_TEMPLATES: dict[str, bytes] = {}


def _template_bytes(name: str) -> bytes:
    data = _TEMPLATES.get(name)
    if data is None:
        data = _TEMPLATES[name] = (templates_dir() / name).read_bytes()
    return data


def warm_up() -> None:
    """Render a one-page document with a block of every kind, so that the first real PDF
    of this process finds Typst's fonts scanned and the layout library parsed (what
    ``reportgen.render.pdfworker`` does while it waits). It changes no later PDF."""
    render_pdf(warm_up_document())
