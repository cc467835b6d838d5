"""bench/compare_outputs.py's comparers on small made-up files (no build, no git): the
document date in docProps/core.xml is normalised away, any other change in a part is
reported with a diff, and a changed HTML line is shown."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bench.compare_outputs import compare_builds, compare_docx, compare_text, Build, Tally

CORE = ('<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">{d}</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">{d}</dcterms:modified></cp:coreProperties>')


def _docx(path: Path, date: str, body: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/core.xml", CORE.format(d=date))
        z.writestr("word/document.xml", f"<w:document><w:body><w:p>{body}</w:p></w:body></w:document>")
        z.writestr("word/media/image1.png", b"\x89PNG" + body.encode())
    return path


def test_docx_date_is_normalised_but_text_is_not(tmp_path: Path) -> None:
    a = _docx(tmp_path / "a.docx", "2024-08-26T00:00:00Z", "Tilfredsheden er 4,1")
    b = _docx(tmp_path / "b.docx", "2026-12-03T00:00:00Z", "Tilfredsheden er 4,1")
    assert compare_docx(a, b, "x.docx") == []
    c = _docx(tmp_path / "c.docx", "2024-08-26T00:00:00Z", "Tilfredsheden er 4,2")
    notes = "\n".join(compare_docx(a, c, "x.docx"))
    assert "part word/document.xml" in notes and "+<w:p>Tilfredsheden er 4,2</w:p>" in notes.replace("    ", "")
    assert "part word/media/image1.png: bytes differ" in notes


def test_html_difference_is_shown_and_tallied(tmp_path: Path) -> None:
    (tmp_path / "A").mkdir(), (tmp_path / "B").mkdir()
    (tmp_path / "A" / "sag.html").write_text("<p>a</p><p>b</p>", encoding="utf-8")
    (tmp_path / "B" / "sag.html").write_text("<p>a</p><p>c</p>", encoding="utf-8")
    assert "+<p>c</p>" in "".join(compare_text(tmp_path / "A" / "sag.html", tmp_path / "B" / "sag.html", "sag.html"))
    tally = Tally()
    builds = [{"demo": Build("demo", d, files={"sag.html": d / "sag.html", "manifest.json": d / "sag.html"})}
              for d in (tmp_path / "A", tmp_path / "B")]
    compare_builds(*builds, tally)
    assert (tally.files, tally.different) == (1, 1)  # manifest.json is the batch's run record: skipped
