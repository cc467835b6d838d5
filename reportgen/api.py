"""The two-level API: ``build(case) -> Report`` to inspect, ``write(report, out)`` to save.

``build`` runs the whole pipeline in memory (load → analyze → narrate → charts → document);
``write`` renders the requested formats and only then writes them, each to a temporary
name renamed into place, so a failure never leaves a half-written or mixed set of files.
Given a ``reportgen.render.pdfworker.PdfWorker`` (``reportgen build`` starts one), it
has the PDFs laid out in that forked process while it renders DOCX and HTML itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.settings.brand import Brand, load_brand
from reportgen.settings.case import CaseFile, load_case
from reportgen.models.document import Document, Figure
from reportgen.models.findings import Finding
from reportgen.models.results import Results
from reportgen.models.survey import Survey
from reportgen.render import FORMATS

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from reportgen.charts.figures import PendingFigure
    from reportgen.document.profile import Profile
    from reportgen.render.pdfworker import PdfWorker



@dataclass(frozen=True)
class Report:
    case: CaseFile
    case_path: Path
    survey: Survey
    results: Results
    findings: tuple[Finding, ...]
    summary: Finding
    figures: dict[str, Figure]
    document: Document
    brand: Brand | None = None

    @property
    def name(self) -> str:
        return self.case_path.stem

    @property
    def documents(self) -> tuple[Document, ...]:
        """The main document followed by its bilag documents (``document.attachments``)."""
        return self.document.documents

    @property
    def attachments(self) -> tuple[Document, ...]:
        """The bilag documents the profile builds beside the main one (may be empty)."""
        return self.document.attachments

    def render(self, fmt: str, document: Document | None = None) -> bytes:
        """The document (default: the main one; or one of ``attachments``) in one format
        (``pdf``, ``docx`` or ``html``: ``RENDERERS``) as bytes, in the case's theme
        (``tema``) and, for PDF, the case's ``sag.pdf_variant``."""
        renderer = RENDERERS.get(fmt)
        if renderer is None:
            raise ValueError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}")
        return renderer(self, self.document if document is None else document)

    def file_names(self, formats: Iterable[str], name: str | None = None) -> list[tuple[str, Document, str]]:
        """``(file name, document, format)`` of every file the report makes: the main
        document's ``<name>.<format>`` first, then each bilag's ``<name>-bilag-N.<format>``."""
        stem = name or self.name
        return [(f"{stem}-{d.suffix}.{f}" if d.suffix else f"{stem}.{f}", d, f)
                for d in self.documents for f in formats]

    def pdf_arguments(self) -> tuple[Document, str | None, Brand | None]:
        """What ``render_pdf`` is called with: the document, the case's PDF variant
        (None for "standard") and the theme."""
        return self.document, pdf_variant(self.case), self.brand


def pdf_variant(case: CaseFile) -> str | None:
    """The case's ``sag.pdf_variant`` as ``render_pdf`` takes it (None for "standard")."""
    return None if case.sag.pdf_variant == "standard" else case.sag.pdf_variant


def _render_pdf(report: Report, doc: Document) -> bytes:
    from reportgen.render.pdf_engine import render_pdfs

    _, variant, brand = report.pdf_arguments()
    return render_pdfs((doc,), engine=report.case.sag.pdf_motor, variant=variant, brand=brand)[0]



def _render_docx(report: Report, doc: Document) -> bytes:
    from reportgen.render.docx import render_docx

    template = report.brand.word_template if report.brand is not None else None
    return render_docx(doc, template=template, brand=report.brand)


def _render_html(report: Report, doc: Document) -> bytes:
    from reportgen.render.html import render_html

    return render_html(doc, brand=report.brand).encode("utf-8")


# The output formats (``render.FORMATS``): name → renderer (the renderers are imported when
# first used). A new format is a renderer in render/, its name in ``render.FORMATS`` and one
# line here (docs/arkitektur.md).
RENDERERS: dict[str, Callable[[Report, Document], bytes]] = {
    "pdf": _render_pdf,
    "docx": _render_docx,
    "html": _render_html,
}


def created_at(case: CaseFile) -> dt.datetime:
    """The document date: the case's ``sag.dato``, else SOURCE_DATE_EPOCH, else today."""
    if case.sag.dato:
        return dt.datetime.combine(case.sag.dato, dt.time(0, 0), tzinfo=dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.combine(dt.date.today(), dt.time(0, 0), tzinfo=dt.timezone.utc)


def build(case_path: str | Path, *, case: CaseFile | None = None, pdf_worker: PdfWorker | None = None) -> Report:
    """Run the pipeline for one case file and return everything it produced.

    Reads the profile and theme (so an unknown one is reported before any data is read),
    then every data source (``sources.load_all``: the export, earlier exports, benchmark
    table), then ``build_from_survey``. ``pdf_worker``: see ``build_from_survey``.
    """
    from reportgen.document.profile import load_profile
    from reportgen.ingest.sources import load_all

    case_path = Path(case_path)
    if case is None:
        case, base = load_case(case_path)
    else:
        base = case_path.parent
    if pdf_worker is not None:  # Typst's worker also draws a figure (_figures_two_ways)
        pdf_worker.warm(case.sag.pdf_motor, ("reportgen.charts.figures",) if case.sag.pdf_motor == "typst" else ())
    profile = load_profile(case.profil, base, case.data.tilladte_mapper)
    brand = load_brand(case.tema, base, case.data.tilladte_mapper) if case.tema else None
    survey = load_all(case, base, case_file=str(case_path))  # load + earlier exports + benchmark table
    return build_from_survey(case, case_path, survey, base=base, profile=profile, brand=brand, pdf_worker=pdf_worker)


def build_from_survey(case: CaseFile, case_path: str | Path, survey: Survey, *, base: Path,
                      period: str | None = None, profile: Profile | None = None, brand: Brand | None = None,
                      stage: Callable[[str], AbstractContextManager[object]] | None = None,
                      pdf_worker: PdfWorker | None = None) -> Report:
    """The pipeline after loading: analyse → narrate → figures → document → ``Report``.

    ``survey`` is the loaded data with its focus (``sources.load_all``, or a survey read
    once and given a focus by ``load.for_focus`` as the batch does); ``period`` is the
    analysed period (default: the latest). ``profile`` and ``brand`` are the case's
    ``profil`` and ``tema`` when already read (else read here, relative to ``base``).
    ``stage``, if given, is called with the name of each step ("analyse", "tekst",
    "figurer", "dokument") and returns a context manager around it (the batch times them).
    ``build`` and ``reportgen batch`` both end here, so a batch item and a single build
    of the same case are the same document. With a ``pdf_worker`` (``reportgen build``),
    the worker gets the document with placeholder figures as soon as the charts are laid
    out, and lays out the PDF's pages while the charts are drawn here (then their PNGs);
    the document and figures are the same.
    """
    import contextlib

    from reportgen.charts import figures as charts
    from reportgen.analysis.analyze import analyze
    from reportgen.document.build import build_document
    from reportgen.narrative.narrate import narrate, summary
    from reportgen.document.profile import load_profile

    def step(name: str) -> AbstractContextManager[object]:
        return stage(name) if stage is not None else contextlib.nullcontext()

    if profile is None:
        profile = load_profile(case.profil, base, case.data.tilladte_mapper)
    if brand is None and case.tema:
        brand = load_brand(case.tema, base, case.data.tilladte_mapper)
    with step("analyse"):
        results = analyze(case.analyse, survey, period)
    with step("tekst"):
        findings = narrate(case.analyse, results)
        summ = summary(case.analyse, results)
    created = created_at(case)
    with step("figurer"):
        if pdf_worker is None:
            figures = make_figures(results, charts, brand)
        elif case.sag.pdf_motor == "typst":
            figures = _figures_two_ways(results, charts, brand, pdf_worker)
        else:
            early = functools.partial(build_document, case, results, findings, summ, profile=profile, created=created)
            figures = _figures_laid_out_early(results, charts, brand, pdf_worker, early, pdf_variant(case))
    with step("dokument"):
        document = build_document(case, results, findings, summ, figures, profile, created)
    return Report(case, Path(case_path), survey, results, findings, summ, figures, document, brand)


@dataclass(frozen=True)
class FigureKind:
    """One figure a document can show: its key (the name profiles and blocks refer to),
    whether the results hold what it shows, and the names of its two functions in
    ``reportgen.charts.figures`` (laid out: ``→ PendingFigure``; drawn: ``→ Figure``).
    The functions are looked up by name on the charts module at call time, so a caller (or
    a test) that replaces one there is heard."""

    key: str
    shown: Callable[[Results, Any], bool]  # (results, the charts module)
    lay_out: str
    draw: str
    themed: bool = False  # takes the theme's colours (``brand_colors``)


# The figures, in the document's order. A new figure is a chart in charts/ and one line here.
FIGURES: tuple[FigureKind, ...] = (
    FigureKind("temafigur", lambda r, _: any(not r.focus.themes[t].suppressed for t in r.themes),
               "theme_chart_pending", "theme_chart", themed=True),
    FigureKind("fordelingsfigur", lambda r, charts: bool(charts.distribution_scales(r)),
               "distribution_chart_pending", "distribution_chart"),
    FigureKind("udviklingsfigur", lambda r, _: r.trend is not None, "trend_chart_pending", "trend_chart"),
    FigureKind("prioriteringsfigur", lambda r, _: r.priority is not None and bool(r.priority.items),
               "priority_chart_pending", "priority_chart"),
)


def _chart_calls(results: Results, charts: object, brand: Brand | None, which: str) -> dict[str, Any]:
    """``{key: charts.<function>(results, …)}`` for every figure the results hold, in order;
    ``which`` is ``"lay_out"`` or ``"draw"``."""
    colors = brand.chart_colors if brand is not None else None
    return {kind.key: getattr(charts, getattr(kind, which))(results, **({"brand_colors": colors} if kind.themed else {}))
            for kind in FIGURES if kind.shown(results, charts)}


def _figures_laid_out_early(results: Results, charts: object, brand: Brand | None, pdf_worker: PdfWorker,
                            early: Callable[..., Document], variant: str | None) -> dict[str, Figure]:
    """``make_figures``, with WeasyPrint's PDF worker laying out the document on placeholder
    figures (``early(figures=…)``) while the charts are drawn here, then sent to it."""
    try:
        pending = plan_figures(results, charts, brand)
    except Exception:  # noqa: BLE001 - raised again, in make_figures' order, just below
        return make_figures(results, charts, brand)
    placeholders = {key: p.placeholder(key) for key, p in pending.items()}
    pdf_worker.lay_out(early(figures=placeholders), variant, brand)
    figures = {key: p.draw() for key, p in pending.items()}
    pdf_worker.send_figures({placeholders[key].png: fig.png for key, fig in figures.items()})
    return figures


# Drawn in the PDF worker while this process draws the others (``_figures_two_ways``):
# the largest chart, about as long to draw as the rest together.
DRAWN_APART = frozenset({"fordelingsfigur"})


def draw_figures(results: Results, charts: object, brand: Brand | None, keys: frozenset[str]) -> dict[str, Figure]:
    """The figures of ``make_figures`` whose key is in ``keys`` (what the PDF worker draws)."""
    colors = brand.chart_colors if brand is not None else None
    return {kind.key: getattr(charts, kind.draw)(results, **({"brand_colors": colors} if kind.themed else {}))
            for kind in FIGURES if kind.key in keys and kind.shown(results, charts)}


def draw_apart(results: Results, brand: Brand | None, keys: frozenset[str]) -> dict[str, Figure]:
    """``draw_figures`` with the charts module: what the PDF worker runs (``_figures_two_ways``)."""
    from reportgen.charts import figures as charts

    return draw_figures(results, charts, brand, keys)


def _figures_two_ways(results: Results, charts: object, brand: Brand | None, pdf_worker: PdfWorker) -> dict[str, Figure]:
    """``make_figures``, with the ``DRAWN_APART`` figures drawn by the PDF worker meanwhile
    (two cores). The outcome is make_figures': the same figures, in its order, and the
    same exception — the first figure's, in that order, that fails (a figure the worker
    did not deliver is drawn here, so its error is raised as it would be without it)."""
    shown = [kind for kind in FIGURES if kind.shown(results, charts)]
    apart = frozenset(kind.key for kind in shown if kind.key in DRAWN_APART)
    sent = bool(apart) and pdf_worker.draw(functools.partial(draw_apart, results, brand, apart))
    drawn: dict[str, Figure] = {}
    failed: dict[str, Exception] = {}
    for kind in shown:
        if sent and kind.key in apart:
            continue
        try:
            drawn.update(draw_figures(results, charts, brand, frozenset({kind.key})))
        except Exception as exc:  # noqa: BLE001 - raised below, in make_figures' order
            failed[kind.key] = exc
    if sent:
        delivered = pdf_worker.drawn()
        if delivered is not None and set(delivered) == apart:
            drawn.update(delivered)
    for kind in shown:
        if kind.key in failed:
            raise failed[kind.key]
        if kind.key not in drawn:
            drawn.update(draw_figures(results, charts, brand, frozenset({kind.key})))
    return {kind.key: drawn[kind.key] for kind in shown}


def plan_figures(results: Results, charts: object, brand: Brand | None = None) -> dict[str, PendingFigure]:
    """The figures of ``make_figures``, laid out but not drawn (``charts.PendingFigure``):
    ``{key: pending.draw()}`` is ``make_figures``' result."""
    return _chart_calls(results, charts, brand, "lay_out")


def make_figures(results: Results, charts: object, brand: Brand | None = None) -> dict[str, Figure]:
    """All figures of the document, drawn. Calls the charts' public drawing functions (not
    ``plan_figures``) so that a failing chart surfaces here as it would in a caller's own code."""
    return _chart_calls(results, charts, brand, "draw")


def render_files(report: Report, formats: Iterable[str], name: str | None = None,
                 pdf_worker: PdfWorker | None = None) -> dict[str, bytes]:
    """``{file name: bytes}`` of the main document and every bilag document in each format
    (``Report.file_names``), as ``report.render`` gives them one after the other.

    With a ``pdf_worker`` the PDFs (the main document's and each bilag's) are made in that
    process while this one renders the other files. The outcome is that of rendering the
    files in order here: the same bytes, and the same exception — the first file's, in
    ``file_names`` order, that fails. A PDF the worker did not deliver is rendered here,
    so its error is raised as it would be without the worker.
    """
    files = report.file_names(list(formats), name)
    if pdf_worker is None or not any(f == "pdf" for *_, f in files) or not pdf_worker.send(*report.pdf_arguments()):
        return {file_name: report.render(f, doc) for file_name, doc, f in files}
    rendered: dict[str, bytes] = {}
    failed: tuple[str, Exception] | None = None
    for file_name, doc, f in files:  # the others here, in order, until one fails
        if f == "pdf":
            continue
        try:
            rendered[file_name] = report.render(f, doc)
        except Exception as exc:  # noqa: BLE001 - raised below, unless a PDF before it fails first
            failed = (file_name, exc)
            break
    pdfs = pdf_worker.result()
    documents = report.documents
    if pdfs is None or len(pdfs) != len(documents):
        pdfs = (None,) * len(documents)
    for file_name, doc, f in files:
        if failed is not None and file_name == failed[0]:
            raise failed[1]
        if f == "pdf":
            pdf = pdfs[next(i for i, d in enumerate(documents) if d is doc)]
            rendered[file_name] = pdf if pdf is not None else report.render("pdf", doc)
    return {file_name: rendered[file_name] for file_name, *_ in files}


def write(report: Report, out_dir: str | Path, formats: Iterable[str] = FORMATS,
          name: str | None = None, pdf_worker: PdfWorker | None = None,
          extra: Mapping[str, bytes] | None = None) -> list[Path]:
    """Render every file first (the main document and its bilag documents, each format),
    then write them atomically as one set (``core.atomic.write_files``): temporaries
    first, then the renames, so a failure leaves no half-written or mixed set. Returns
    every written path, the main document's first.

    ``pdf_worker``: a started ``PdfWorker`` to make the PDFs in (see ``render_files``).
    ``extra``: more files of the same set, ``{suffix: bytes}`` written as
    ``<name>.<suffix>`` (``reportgen build`` adds the snapshot, ``indhold.json``).
    """
    from reportgen.core.atomic import write_files

    formats = list(formats)
    for f in formats:
        if f not in FORMATS:
            raise ValueError(f"unknown format {f!r}; supported: {', '.join(FORMATS)}")
    rendered = render_files(report, formats, name, pdf_worker)
    stem = name or report.name
    rendered.update({f"{stem}.{suffix}": data for suffix, data in (extra or {}).items()})
    out = Path(out_dir)
    try:
        return [w.path for w in write_files(out, rendered)]
    except OSError as exc:  # a file in the way, a full disk, no permission, a read-only filesystem
        from reportgen.core.atomic import output_error

        raise output_error(exc, out) from exc
