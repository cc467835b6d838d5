"""``reportgen build`` lays out the PDFs (the sagsfremstilling's and its bilag's) in a forked
worker (reportgen.render.pdfworker) while it draws the charts and renders DOCX and HTML:
the files, errors and exit codes must be those of rendering everything one after the other
in one process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reportgen import api
from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.render import pdfworker
from reportgen.render.pdfworker import PdfWorker
from tests.conftest import DEMO
from tests.render_cases import make_case

needs_worker = pytest.mark.skipif(not hasattr(os, "fork") or pdfworker.usable_cores() < 2,
                                  reason="the PDF worker needs fork and two cores")


def _sequential(case: Path, out: Path, formats=api.FORMATS) -> dict[str, bytes]:
    report = api.build(case)
    paths = api.write(report, out, formats)
    return {p.name: p.read_bytes() for p in paths}  # the main document and its bilag


def _built(case: Path, out: Path, fmt: str = "pdf,docx,html") -> dict[str, bytes]:
    assert main(["build", str(case), "--out", str(out), "--format", fmt]) == 0
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def _same_files(built: dict[str, bytes], expected: dict[str, bytes]) -> bool:
    """The CLI wrote every file ``api.write`` writes, with the same bytes (it also writes
    the build's snapshot, ``<name>.indhold.json``, which ``api.write`` leaves to its caller)."""
    assert set(expected) <= set(built), sorted(set(expected) - set(built))
    return {k: built[k] for k in expected} == expected


# The worker makes the PDFs with the case's engine (sag.pdf_motor): WeasyPrint in most of
# these cases, whose worker paths are the intricate ones; Typst, the default, in "typst".
CHANGES = {
    "standard": {"sag": {"pdf_motor": "weasyprint"}},
    "pdf-ua": {"sag": {"pdf_variant": "pdf/ua-1", "pdf_motor": "weasyprint"}},
    "pdf-a": {"sag": {"pdf_variant": "pdf/a-2b", "status": "endelig", "pdf_motor": "weasyprint"}},
    "tema": {"tema": "eksempel", "sag": {"pdf_motor": "weasyprint"}},
    "typst": {},
}
CASES = pytest.mark.parametrize("case_id", list(CHANGES))


@pytest.fixture(scope="module")
def sequential(tmp_path_factory):
    """``case_id`` -> (the case file, the files of rendering it one after the other in one
    process), made once per case for the module: both worker tests compare against it."""
    made: dict[str, tuple[Path, dict[str, bytes]]] = {}

    def get(case_id: str) -> tuple[Path, dict[str, bytes]]:
        if case_id not in made:
            folder = tmp_path_factory.mktemp(case_id)
            case = make_case(folder / "sag", CHANGES[case_id])
            made[case_id] = case, _sequential(case, folder / "seq")
        return made[case_id]

    return get


@needs_worker
@CASES
def test_build_with_the_worker_gives_the_same_files(tmp_path: Path, sequential, case_id: str) -> None:
    case, expected = sequential(case_id)
    assert _same_files(_built(case, tmp_path / "cli"), expected)


@needs_worker
@CASES
def test_the_worker_lays_out_early_and_delivers_the_pdfs(sequential, case_id: str) -> None:
    """The worker's PDFs are the bytes of the sequential build of the same case (the main
    document's and the bilag's, in order)."""
    case, expected = sequential(case_id)
    worker = PdfWorker.start()
    assert worker is not None
    try:
        report = api.build(case, pdf_worker=worker)
        assert worker.send(*report.pdf_arguments())  # already has it: the early layout
        data = worker.result()
    finally:
        worker.close()
    assert data is not None, "the worker did not deliver; the build fell back to rendering itself"
    assert len(report.documents) >= 1 and len(data) == len(report.documents)
    assert list(data) == [expected[name] for name, _, _ in report.file_names(["pdf"])]  # the bilag's too


@needs_worker
def test_a_crashed_worker_costs_nothing_but_time(tmp_path: Path, sequential, monkeypatch) -> None:
    """On the demo case (the "standard" copy the worker tests share): the CLI's files with a
    worker that dies at once are those of the sequential build."""
    case, expected = sequential("standard")
    monkeypatch.setattr(pdfworker, "_child_main", lambda conn: os._exit(3))
    assert _same_files(_built(case, tmp_path / "cli"), expected)


class _Broken(ReportgenError):
    pass


def _broken_pdf(*args, **kwargs):
    raise _Broken("PDF'en kunne ikke dannes (test)")


@needs_worker
@pytest.mark.parametrize("engine", ["weasyprint", "typst"])
@pytest.mark.parametrize("worker", [True, False], ids=["worker", "no-worker"])
def test_a_pdf_error_surfaces_as_without_the_worker(tmp_path: Path, capsys, monkeypatch, worker: bool,
                                                   engine: str) -> None:
    from reportgen.render import pdf, pdf_typst

    # both paths go through it; inherited by the worker
    monkeypatch.setattr(pdf if engine == "weasyprint" else pdf_typst, "render_pdfs", _broken_pdf)
    _fails_as_without_the_worker(make_case(tmp_path / "sag", {"sag": {"pdf_motor": engine}}), tmp_path, capsys,
                                 monkeypatch, worker, "PDF'en kunne ikke dannes (test)")


def _fails_as_without_the_worker(case: Path, tmp_path: Path, capsys, monkeypatch, worker: bool, text: str) -> None:
    """``reportgen build`` of ``case`` (with the worker, or none) exits 2 with ``text`` as its
    error, and writes nothing."""
    if not worker:
        monkeypatch.setattr(PdfWorker, "start", classmethod(lambda cls: None))
    out = tmp_path / "out"
    assert main(["build", str(case), "--out", str(out)]) == 2
    assert f"reportgen: fejl: {text}" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())  # nothing written


def test_render_files_raises_the_first_failing_file_in_order(monkeypatch, demo_report) -> None:
    """With a worker, DOCX is rendered while the PDFs are laid out; which error wins must not
    depend on that: the first file in ``file_names`` order that fails."""

    class FakeWorker:
        def __init__(self, pdfs: tuple[bytes, ...] | None) -> None:
            self.pdfs = pdfs

        def send(self, *args) -> bool:
            return True

        def result(self) -> tuple[bytes, ...] | None:
            return self.pdfs

    real_render = type(demo_report).render
    n = len(demo_report.documents)
    assert n == 2  # the demo: a sagsfremstilling and its bilag

    def render(self, fmt, document=None):
        if fmt == "docx":
            raise ValueError("docx fejler")
        if fmt == "pdf":
            raise KeyError("pdf fejler")
        return real_render(self, fmt, document)

    monkeypatch.setattr(type(demo_report), "render", render)
    delivered = tuple(b"%PDF-" + bytes([i]) for i in range(n))
    with pytest.raises(ValueError, match="docx fejler"):  # the worker delivered the PDFs
        api.render_files(demo_report, ["pdf", "docx"], pdf_worker=FakeWorker(delivered))
    with pytest.raises(KeyError, match="pdf fejler"):  # it did not: rendered here, and fails first
        api.render_files(demo_report, ["pdf", "docx"], pdf_worker=FakeWorker(None))
    with pytest.raises(ValueError, match="docx fejler"):
        api.render_files(demo_report, ["docx", "pdf"], pdf_worker=FakeWorker(None))
    files = api.render_files(demo_report, ["html", "pdf"], pdf_worker=FakeWorker(delivered))
    assert [files[name] for name, _, f in demo_report.file_names(["html", "pdf"]) if f == "pdf"] == list(delivered)
    with pytest.raises(KeyError, match="pdf fejler"):  # a short answer is no answer
        api.render_files(demo_report, ["html", "pdf"], pdf_worker=FakeWorker(delivered[:1]))


def test_no_worker_on_one_core(monkeypatch) -> None:
    monkeypatch.setattr(pdfworker, "usable_cores", lambda: 1)
    assert PdfWorker.start() is None


@needs_worker
def test_a_build_leaves_no_temporary_font_folders(tmp_path: Path) -> None:
    """WeasyPrint keeps fonts in a temporary folder per font configuration; the kept
    configurations are released before the worker leaves by os._exit and at exit."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "MPLBACKEND": "Agg"}
    weasy = make_case(tmp_path / "weasy", {"sag": {"pdf_motor": "weasyprint"}})
    for i, case in enumerate((DEMO / "sag.yaml", weasy)):  # Typst's folder, then WeasyPrint's
        subprocess.run([sys.executable, "-m", "reportgen.cli", "build", str(case), "--out",
                        str(tmp_path / f"out{i}")], check=True, env=env, capture_output=True)
        assert {"sag.pdf", "sag.docx", "sag.html"} <= {p.name for p in (tmp_path / f"out{i}").iterdir()}
    assert [p.name for p in tmp.iterdir() if p.name.startswith(("weasyprint-", "reportgen-pdf-"))] == []


def test_build_of_a_case_without_pdf_starts_no_worker(tmp_path: Path, monkeypatch) -> None:
    started = []
    monkeypatch.setattr(PdfWorker, "start", classmethod(lambda cls: started.append(1)))
    data = yaml.safe_load((DEMO / "sag.yaml").read_text(encoding="utf-8"))
    case = tmp_path / "sag.yaml"
    for f in DEMO.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["build", str(case), "--out", str(tmp_path / "out"), "--format", "docx,html"]) == 0
    assert started == []


def _broken_chart(*args, **kwargs):
    raise _Broken("Figuren kunne ikke tegnes (test)")


@needs_worker
@pytest.mark.parametrize("chart", ["distribution_chart", "theme_chart"])
@pytest.mark.parametrize("worker", [True, False], ids=["worker", "no-worker"])
def test_a_chart_error_surfaces_as_without_the_worker(tmp_path: Path, capsys, monkeypatch, worker: bool,
                                                      chart: str) -> None:
    """The Typst case's worker draws the distribution chart while the build draws the
    others (api._figures_two_ways): a chart that fails there or here stops the build with
    the error it gives without the worker, and nothing is written."""
    from reportgen.charts import figures as charts

    monkeypatch.setattr(charts, chart, _broken_chart)  # inherited by the worker
    _fails_as_without_the_worker(DEMO / "sag.yaml", tmp_path, capsys, monkeypatch, worker,
                                 "Figuren kunne ikke tegnes (test)")


@needs_worker
def test_figures_drawn_by_the_worker_are_the_figures(sequential) -> None:
    case, _ = sequential("typst")
    worker = PdfWorker.start()
    try:
        report = api.build(case, pdf_worker=worker)
    finally:
        worker.close()
    alone = api.build(case)
    assert "fordelingsfigur" in report.figures and list(report.figures) == list(alone.figures)
    assert all(report.figures[k] == alone.figures[k] for k in alone.figures)
