"""The Typst PDF engine (render/pdf_typst.py): what the template may write, forks, speed-
independent facts of its output. The figures in its PDFs are checked with every other
PDF test (the engine is the default)."""

from __future__ import annotations

import os
import re
import signal

import pikepdf
import pytest

from reportgen.core.resources import templates_dir
from reportgen.core.templating import typst_string, typst_text
from reportgen.render import pdf_typst
from tests.render_cases import flat, pdf_pages, struct_elements

# A value may enter the Typst source only as a string literal (ts), as literal text in
# markup (tm), as an alignment keyword, as a formatted number, or through a macro.
_CONSTANT = r"""(?:'[^']*'|"[^"]*")"""
_SAFE = [
    re.compile(r"""^\(?[\w.\s~"()\[\]]+?\|\s*(?:ts|tm|typst_align)\s*\)?(?:\s+if\s+[^|]+?\s+else\s+""" + _CONSTANT + ")?$"),
    re.compile(r"^'%(?:\.\d+f|d)'\s*\|\s*format\([\w.()\[\]]+\)$"),  # a number
    re.compile(r"^(?:runs|paragraph|heading|list_block|table|figure|block|at_)\([\w., ()\-]+\)$"),  # a macro
    re.compile(r"^\[\[h\.level, 3\] \| max, 6\] \| min$"),  # a heading level: a whole number
    re.compile("^" + _CONSTANT + r"\s+if\s+.+?\s+else\s+" + _CONSTANT + "$"),  # a choice of constants
]


def test_every_value_in_the_typst_template_is_a_literal():
    source = (templates_dir() / "typst" / "document.typ.j2").read_text(encoding="utf-8")
    expressions = re.findall(r"\{\{(.*?)\}\}", source, re.S)
    assert len(expressions) > 30
    unsafe = [e.strip() for e in expressions if not any(p.match(e.strip()) for p in _SAFE)]
    assert unsafe == []


@pytest.mark.parametrize("text", ['a "b" \\ c', "#read(\"/etc/passwd\")", "linje\nto", "\x00\x1f\x7f", "$x$ ] ["])
def test_string_literals_hold_any_text(text):
    literal = typst_string(text)
    assert literal.startswith('"') and literal.endswith('"')
    inner = literal[1:-1]
    assert not re.search(r'(?<!\\)"', inner.replace("\\\\", ""))  # no quote left unescaped
    assert "\n" not in literal and "\x00" not in literal


def test_markup_text_keeps_age_bands_whole_and_breaks_lines():
    assert typst_text("18-29 år (19)\nny") == '#box("18-29 år")#" (19)"#linebreak()#"ny"'


def test_same_bytes_in_a_forked_process(demo_report):
    """Typst's threads do not survive a fork: a forked process makes its PDF in a fresh
    interpreter (render/typst_child.py), with the same bytes, instead of waiting for ever."""
    first = pdf_typst.render_pdf(demo_report.document, variant="pdf/a-2a+ua-1")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        signal.alarm(60)
        try:
            again = pdf_typst.render_pdf(demo_report.document, variant="pdf/a-2a+ua-1")
            os.write(write, b"same" if again == first else b"different")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 16)
    os.waitpid(pid, 0)
    assert answer == b"same"


def test_tables_are_tagged_with_header_cells(demo_report):
    pdf = pdf_typst.render_pdf(demo_report.documents[-1], variant="pdf/a-2a+ua-1")
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        tables = list(struct_elements(doc.Root.StructTreeRoot, "/Table"))
        headers = list(struct_elements(doc.Root.StructTreeRoot, "/TH"))
        assert tables and len(headers) >= len(tables)
        assert str(doc.Root.Lang) == "da-DK"


def test_draft_watermark_is_not_text(demo_report):
    assert demo_report.document.is_draft
    text = flat(" ".join(pdf_pages(pdf_typst.render_pdf(demo_report.document))))
    assert text.count("UDKAST") == len(pdf_pages(pdf_typst.render_pdf(demo_report.document)))  # the header only


def test_warm_up_changes_no_byte(demo_report):
    before = pdf_typst.render_pdf(demo_report.document)
    pdf_typst.warm_up()
    assert pdf_typst.render_pdf(demo_report.document) == before


def test_typst_failure_is_a_reportgen_error_naming_the_template(demo_report, monkeypatch):
    """A defect in reportgen's own Typst templates stops the build with a Danish message
    (exit code 2 through the CLI's handler), not a traceback."""
    from reportgen.errors import ReportgenError

    monkeypatch.setattr(pdf_typst, "render_template",
                        lambda name, **context: '#import "reportgen.typ": *\n#undefined-function()\n')
    with pytest.raises(ReportgenError, match="kunne ikke sættes med Typst"):
        pdf_typst.render_pdf(demo_report.document)
