"""Helpers for the profile, theme and output tests: demo-based case folders made from data
files only (a case YAML, optionally a profile YAML and a theme folder), and text/structure
extraction from the PDF and DOCX a case renders to.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import DEMO, RESULTS_DIR

FULL_TEXTS = {
    "indledning": "Handleplanen bygger på KL's tværkommunale borgerundersøgelse.",
    "problemstilling": "Udvalget drøfter, hvordan borgernes oplevelse af progression kan styrkes.",
    "loesning": "Forvaltningen foreslår en fast procedure for skift af sagsbehandler.",
    "politisk_handlerum": "Udvalget kan prioritere indsatsen inden for den givne ramme.",
    "videre_proces": "Forvaltningen vender tilbage med en status i 2025.",
}


def merge(base: dict, changes: dict) -> dict:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        elif value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def make_case(folder: Path, changes: dict[str, Any] | None = None, name: str = "sag.yaml") -> Path:
    """A copy of the demo case in ``folder`` with ``changes`` merged into its YAML."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in DEMO.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    data = yaml.safe_load((DEMO / "sag.yaml").read_text(encoding="utf-8"))
    merge(data, changes or {})
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour, written without Pillow so the bytes are fixed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def keep(name: str, data: bytes) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / name).write_bytes(data)


def pdf_pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def docx_headings(data: bytes) -> list[tuple[str, str]]:
    import docx

    d = docx.Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]


def docx_text(data: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def docx_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def docx_parts(data: bytes, prefix: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return sorted(n for n in z.namelist() if n.startswith(prefix))


def pdf_outline(data: bytes) -> list[str]:
    import pikepdf

    titles: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            titles.append(str(item.title))
            walk(item.children)

    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        walk(outline.root)
    return titles


def struct_elements(node: Any, kind: str | None = None):
    import pikepdf

    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node and (kind is None or node.S == kind):
            yield node
        children = node.get("/K")
        if isinstance(children, pikepdf.Array):
            for child in children:
                yield from struct_elements(child, kind)
        elif isinstance(children, pikepdf.Dictionary):
            yield from struct_elements(children, kind)


# --------------------------------------------------------------------------- DOCX formatting
# The DOCX formats through named styles (reportgen/render/docx/named.py), so what a run or
# a list item looks like is read through its style, as Word resolves it.


def run_looks(run: Any) -> tuple[bool, bool]:
    """(bold, italic) of a python-docx run: its own w:b/w:i or its character style's."""
    style = run.style if run.style is not None and run.style.name != "Default Paragraph Font" else None
    bold = bool(run.bold) or bool(style is not None and style.font.bold)
    italic = bool(run.italic) or bool(style is not None and style.font.italic)
    return bold, italic


def docx_list_items(data: bytes) -> list[tuple[str, str, str]]:
    """(style id, numId, text) of every numbered paragraph of the body: its own numId, or
    the one its style supplies."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    styles = etree.fromstring(docx_part(data, "word/styles.xml").encode())
    style_num = {}
    for st in styles.iter(f"{w}style"):
        num = st.find(f"{w}pPr/{w}numPr/{w}numId")
        if num is not None:
            style_num[st.get(f"{w}styleId")] = num.get(f"{w}val")
    body = etree.fromstring(docx_part(data, "word/document.xml").encode())
    out = []
    for p in body.iter(f"{w}p"):
        sid = p.find(f"{w}pPr/{w}pStyle")
        sid = sid.get(f"{w}val") if sid is not None else "Normal"
        own = p.find(f"{w}pPr/{w}numPr/{w}numId")
        num = own.get(f"{w}val") if own is not None else style_num.get(sid)
        if num is not None:
            out.append((sid, num, "".join(t.text or "" for t in p.iter(f"{w}t"))))
    return out


def with_engine(report: Any, engine: str) -> Any:
    """``report`` (an ``api.Report``) as if its case asked for the PDF engine ``engine``
    (``sag.pdf_motor``): the same document, rendered by that engine."""
    import dataclasses

    sag = report.case.sag.model_copy(update={"pdf_motor": engine})
    return dataclasses.replace(report, case=report.case.model_copy(update={"sag": sag}))
