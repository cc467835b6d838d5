"""The benchmark's peer pipeline renders the same document: same text, tables and chart PNGs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reportgen.models.document import Figure, ListBlock, Paragraph, Table
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from bench.peer import esc, to_markdown  # noqa: E402


def test_markdown_holds_every_text_table_and_figure(demo_report, tmp_path: Path):
    doc = demo_report.document
    md = to_markdown(doc, tmp_path)
    figures = [b for s in doc.sections for b in s.blocks if isinstance(b, Figure)]
    assert sorted(p.name for p in tmp_path.glob("figur-*.png")) == [f"figur-{i}.png" for i in
                                                                      range(1, len(figures) + 1)]
    assert [(tmp_path / f"figur-{i}.png").read_bytes() for i in range(1, len(figures) + 1)] == \
        [f.png for f in figures]
    for s in doc.sections:
        assert esc(s.heading) in md
        for b in s.blocks:
            if isinstance(b, Table):
                assert esc(b.caption) in md
                assert all(" | ".join(esc(c) for c in row) in md for row in b.rows)


def test_escaping_keeps_text_literal_through_pandoc(demo_report, tmp_path: Path):
    pypandoc = pytest.importorskip("pypandoc")
    tricky = "1. at *ikke* [fremhæve] #3 <b>x</b> 30-59 år | 4 \\ 5_6"
    assert pypandoc.convert_text(esc(tricky), "plain", format="markdown-smart").strip() == tricky
    md = to_markdown(demo_report.document, tmp_path)
    plain = " ".join(pypandoc.convert_text(md, "plain", format="markdown-smart",
                                           extra_args=["--wrap=none"]).split())
    for s in demo_report.document.sections:
        for b in s.blocks:
            paras = b.items if isinstance(b, ListBlock) else (b,) if isinstance(b, Paragraph) else ()
            for p in paras:
                assert " ".join(p.text.split()) in plain
