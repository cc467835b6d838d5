"""The default PDF is tagged and archival (``sag.pdf_variant: pdf/a-2a+ua-1``): checked with the
two PDF/UA checkers that install here (``pdfua``, ``outloud``: 0 errors) and with our own pikepdf
assertions for what they do not cover (PDF/A identification, /Lang da-DK, DisplayDocTitle,
alt texts, no heading-level jumps). ``standard`` turns the tagging off."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from reportgen.models.document import Figure
from tests.render_cases import struct_elements


def _tool(name: str) -> str | None:
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else shutil.which(name)


@pytest.fixture(scope="module")
def pdfs(demo_report, demo_pdfs, tmp_path_factory) -> dict[str, Path]:
    """The demo's default PDFs: the main document and its results bilag."""
    folder = tmp_path_factory.mktemp("a11y")
    out = {}
    for doc, data in zip(demo_report.documents, demo_pdfs):
        path = folder / f"sag{'-' + doc.suffix if doc.suffix else ''}.pdf"
        path.write_bytes(data)
        out[doc.suffix or "main"] = path
    return out


def test_default_variant_is_tagged_pdf_a(demo_report):
    assert demo_report.case.sag.pdf_variant == "pdf/a-2a+ua-1"


def test_tagged_archival_structure(demo_report, pdfs):
    for doc in demo_report.documents:
        with pikepdf.open(pdfs[doc.suffix or "main"]) as pdf:
            root = pdf.Root
            assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked)
            assert str(root.Lang) == "da-DK"
            assert bool(root.ViewerPreferences.DisplayDocTitle)
            assert "/OutputIntents" in root  # PDF/A's colour profile
            with pdf.open_metadata() as xmp:
                assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "A"
                assert xmp["dc:title"] == doc.meta.title
                assert xmp["pdfuaid:part"] == "1"  # PDF/UA-1's identification
            figures = [b for s in doc.sections for b in s.blocks if isinstance(b, Figure)]
            alts = [str(f.Alt) for f in struct_elements(root.StructTreeRoot, "/Figure")]
            assert alts == [f.alt_text for f in figures]  # no logo in the demo's own look
            levels = [int(str(e.S)[2:]) for e in _walk(root.StructTreeRoot) if re.fullmatch(r"/H[1-6]", str(e.S))]
            assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def _walk(node):
    kids = node.get("/K")
    if isinstance(kids, pikepdf.Dictionary):
        kids = [kids]
    for k in kids if isinstance(kids, pikepdf.Array) or isinstance(kids, list) else ():
        if isinstance(k, pikepdf.Dictionary) and "/S" in k:
            yield k
            yield from _walk(k)


def test_pdfua_finds_no_errors(pdfs):
    exe = _tool("pdfua")
    if exe is None:
        pytest.skip("pdfua er ikke installeret (pip install pdfua; den er i test-ekstraen)")
    for path in pdfs.values():
        run = subprocess.run([exe, "check", "-f", "json", str(path)], capture_output=True, text=True)
        report = json.loads(run.stdout)
        assert report["summary"]["errors"] == 0, [f for f in report["findings"] if f["severity"] == "error"]


def test_outloud_finds_no_errors(pdfs):
    exe = _tool("outloud")
    if exe is None:
        pytest.skip("outloud er ikke installeret (pip install outloud; den er i test-ekstraen)")
    run = subprocess.run([exe, "--json", "-", "-q", "--layer", "conformance", *map(str, pdfs.values())],
                         capture_output=True, text=True)
    results = json.loads(run.stdout)["results"]
    assert len(results) == len(pdfs)
    for r in results:
        assert r["error"] is None and r["counts"]["error"] == 0, r["findings"]


def test_standard_turns_tagging_off(demo_report):
    import dataclasses

    from reportgen.api import Report

    sag = demo_report.case.sag.model_copy(update={"pdf_variant": "standard"})
    case = demo_report.case.model_copy(update={"sag": sag})
    plain = dataclasses.replace(demo_report, case=case)
    assert isinstance(plain, Report)
    with pikepdf.open(io.BytesIO(plain.render("pdf"))) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
