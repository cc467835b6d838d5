"""The two-level API: ``build(case) -> Report`` to inspect, ``write(report, out)`` to save.

``build`` runs the whole pipeline in memory (load → analyze → narrate → charts → document);
``write`` renders the requested formats and only then writes them, each to a temporary
name renamed into place, so a failure never leaves a half-written or mixed set of files.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen.brand import Brand, load_brand
from reportgen.case import CaseFile, load_case
from reportgen.models import Document, Figure, Finding, Results, Survey

FORMATS = ("pdf", "docx", "html")


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

    def render(self, fmt: str) -> bytes:
        """The document in one format (``pdf``, ``docx`` or ``html``) as bytes, in the
        case's theme (``tema``) and, for PDF, the case's ``sag.pdf_variant``."""
        if fmt == "pdf":
            from reportgen.render.pdf import render_pdf

            variant = None if self.case.sag.pdf_variant == "standard" else self.case.sag.pdf_variant
            return render_pdf(self.document, variant=variant, brand=self.brand)
        if fmt == "docx":
            from reportgen.render.docx import render_docx

            template = self.brand.word_template if self.brand is not None else None
            return render_docx(self.document, template=template, brand=self.brand)
        if fmt == "html":
            from reportgen.render.html import render_html

            return render_html(self.document, brand=self.brand).encode("utf-8")
        raise ValueError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}")


def created_at(case: CaseFile) -> dt.datetime:
    """The document date: the case's ``sag.dato``, else SOURCE_DATE_EPOCH, else today."""
    if case.sag.dato:
        return dt.datetime.combine(case.sag.dato, dt.time(0, 0), tzinfo=dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.combine(dt.date.today(), dt.time(0, 0), tzinfo=dt.timezone.utc)


def build(case_path: str | Path, *, case: CaseFile | None = None) -> Report:
    """Run the pipeline for one case file and return everything it produced."""
    from reportgen import charts
    from reportgen.analyze import analyze
    from reportgen.document import build_document
    from reportgen.narrate import narrate, summary
    from reportgen.profile import load_profile
    from reportgen.sources import load_all

    case_path = Path(case_path)
    if case is None:
        case, base = load_case(case_path)
    else:
        base = case_path.parent
    profile = load_profile(case.profil, base)
    brand = load_brand(case.tema, base) if case.tema else None
    survey = load_all(case, base, case_file=str(case_path))  # load + earlier exports + benchmark table
    results = analyze(case.analyse, survey)
    findings = narrate(case.analyse, results)
    summ = summary(case.analyse, results)
    figures = make_figures(results, charts, brand)
    document = build_document(case, results, findings, summ, figures, profile, created_at(case))
    return Report(case, case_path, survey, results, findings, summ, figures, document, brand)


def make_figures(results: Results, charts: object, brand: Brand | None = None) -> dict[str, Figure]:
    figs: dict[str, Figure] = {}
    colors = brand.chart_colors if brand is not None else None
    if any(not results.focus.themes[t].suppressed for t in results.themes):
        figs["temafigur"] = charts.theme_chart(results, brand_colors=colors)  # type: ignore[attr-defined]
    if charts.distribution_scales(results):  # type: ignore[attr-defined]
        figs["fordelingsfigur"] = charts.distribution_chart(results)  # type: ignore[attr-defined]
    from reportgen.charts_analysis import analysis_figures

    figs.update(analysis_figures(results))  # trend chart, priority map
    return figs


def write(report: Report, out_dir: str | Path, formats: Iterable[str] = FORMATS,
          name: str | None = None) -> list[Path]:
    """Render all formats first, then write each atomically; return the written paths."""
    formats = list(formats)
    for f in formats:
        if f not in FORMATS:
            raise ValueError(f"unknown format {f!r}; supported: {', '.join(FORMATS)}")
    rendered = {f: report.render(f) for f in formats}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = name or report.name
    paths = []
    temps: list[tuple[Path, Path]] = []
    try:
        for f, data in rendered.items():
            target = out / f"{stem}.{f}"
            fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=f".{f}.tmp", dir=out)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            temps.append((Path(tmp), target))
        for tmp, target in temps:
            os.replace(tmp, target)
            paths.append(target)
    finally:
        for tmp, _ in temps:
            if tmp.exists():
                tmp.unlink()
    return paths
