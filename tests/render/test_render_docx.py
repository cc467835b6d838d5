"""Tests for reportgen.render.docx: Document → .docx bytes.

Documents are built by hand, rendered, and read back with python-docx and as raw XML
from the zip. The LibreOffice round trip runs only where ``soffice`` is installed.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from reportgen.errors import InputError
from reportgen.models.document import (
    DocMeta,
    Document,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Table,
)
from reportgen.render.docx import render_docx
from tests.render_cases import docx_list_items, run_looks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
CREATED = dt.datetime(2024, 6, 3, 10, 30)


# --------------------------------------------------------------------------- fixtures


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A small valid RGB PNG made by hand (no plotting library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + b"\x1f\x38\x64" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def make_meta(status: str = "udkast") -> DocMeta:
    return DocMeta(
        title="Lokale resultater fra KL's tværkommunale borgerundersøgelse",
        municipality="Norddjurs Kommune",
        committee="Arbejdsmarkedsudvalget",
        meeting_date=dt.date(2024, 6, 17),
        meeting_place="Rådhuset",
        case_number="24/1370",
        openness="Åben",
        sagsgang=("AU",),
        status=status,  # type: ignore[arg-type]
        author="Jobcenter Norddjurs",
        version="3",
        created=CREATED,
        subject="Borgerundersøgelse 2024",
        keywords=("borgerundersøgelse", "beskæftigelse"),
    )


TABLE = Table(
    caption="Tabel 1. Gennemsnitlig score pr. tema",
    columns=("Tema", "Norddjurs", "Alle kommuner"),
    rows=(("Overordnet tilfredshed", "3,81", "3,64"), ("Progression", "3,13", "2,97")),
    note="Kilde: KL's tværkommunale borgerundersøgelse 2024.",
    align=("left", "right", "right"),
    alt_text="Score for to temaer i Norddjurs og alle kommuner.",
)
FIGURE = Figure(png=tiny_png(), caption="Figur 1. Score pr. tema",
                alt_text="Søjlediagram over score pr. tema.", width_cm=12.0)
PLACEHOLDER = "[Økonomiske konsekvenser mangler – skriv teksten i sagsfilen]"


def make_document(status: str = "udkast") -> Document:
    return Document(
        meta=make_meta(status),
        title_rows=(("Udvalg", "Arbejdsmarkedsudvalget"), ("Mødedato", "17. juni 2024"),
                    ("Sagsnummer", "24/1370")),
        sections=(
            Section("indstilling", "Indstilling", (
                Paragraph.of("Forvaltningen indstiller,", "lead"),
                ListBlock((Paragraph.of("at udvalget tager orienteringen til efterretning"),
                           Paragraph.of("at resultaterne indgår i Beskæftigelsesplan 2025")),
                          ordered=True),
            )),
            Section("sagsfremstilling", "Sagsfremstilling", (
                Paragraph((Run("Norddjurs ligger "), Run("over", bold=True),
                           Run(" gennemsnittet.", italic=True))),
                Heading("Overordnet score", 2),
                ListBlock((Paragraph.of("Overordnet tilfredshed: 3,81 (3,64)"),
                           Paragraph.of("Progression: 3,13 (2,97)"),
                           Paragraph.of("Samtalen: 3,83 (3,75)")), ordered=True),
                TABLE,
                FIGURE,
                Heading("Målgrupper", 3),
                ListBlock((Paragraph.of("dagpengemodtagere"), Paragraph.of("jobafklaring"))),
                Paragraph.of("Grupper med færre end 5 besvarelser vises ikke.", "note"),
            )),
            Section("oekonomi", "Økonomiske konsekvenser",
                    (Paragraph.of(PLACEHOLDER, "placeholder"),)),
            Section("beslutning", "Beslutning", ()),
        ),
    )


@pytest.fixture(scope="module")
def draft_bytes() -> bytes:
    return render_docx(make_document("udkast"))


@pytest.fixture(scope="module")
def final_bytes() -> bytes:
    return render_docx(make_document("endelig"))


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def part_names(data: bytes, prefix: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [n for n in z.namelist() if n.startswith(prefix)]


def text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))


def style_id(p: etree._Element) -> str | None:
    found = [s.get(qn("w:val")) for s in p.iter(qn("w:pStyle"))]
    return found[0] if found else None


# --------------------------------------------------------------------------- structure


def test_title_and_headings_use_builtin_styles_in_order(draft_bytes):
    d = open_docx(draft_bytes)
    sender, first = d.paragraphs[0], d.paragraphs[1]
    assert sender.text == make_meta().municipality
    assert sender.style.name == "Titelblok afsender" and sender.style.font.all_caps
    assert sender.style.font.bold and not sender.runs[0].font.all_caps  # from the style
    assert first.style.name == "Title"
    assert first.text == make_meta().title
    headings = [(p.style.name, p.text) for p in d.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Indstilling"),
        ("Heading 1", "Sagsfremstilling"),
        ("Heading 2", "Overordnet score"),
        ("Heading 3", "Målgrupper"),
        ("Heading 1", "Økonomiske konsekvenser"),
        ("Heading 1", "Beslutning"),
    ]
    styles = part_xml(draft_bytes, "word/styles.xml")
    levels = styles.xpath("//w:style[w:name/@w:val='heading 1']/w:pPr/w:outlineLvl/@w:val",
                          namespaces=NS)
    assert levels == ["0"]  # shows in the navigation pane


def test_title_rows_form_a_borderless_two_column_table(draft_bytes):
    d = open_docx(draft_bytes)
    table = d.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Udvalg", "Arbejdsmarkedsudvalget"],
        ["Mødedato", "17. juni 2024"],
        ["Sagsnummer", "24/1370"],
    ]
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:tblBorders")) is None and tbl_pr.find(qn("w:tblStyle")) is None
    assert d.styles.default(docx.enum.style.WD_STYLE_TYPE.TABLE).element.find(
        qn("w:tblPr") + "/" + qn("w:tblBorders")) is None  # the default table style: no borders
    cells = [c.paragraphs[0] for row in table.rows for c in row.cells]
    assert [p.style.name for p in cells[:2]] == ["Titelblok etiket", "Titelblok tekst"]
    assert d.styles["Titelblok etiket"].font.bold and not any(r.bold for p in cells for r in p.runs)


def _list_paragraphs(data: bytes, style_id: str) -> list[tuple[str, str]]:
    """(numId, text) of the paragraphs in the list style ``style_id``."""
    return [(num, text) for sid, num, text in docx_list_items(data) if sid == style_id]


def _abstract_of(numbering: etree._Element, num_id: str) -> etree._Element:
    abstract_id = numbering.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val",
                                  namespaces=NS)[0]
    return numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']",
                           namespaces=NS)[0]


def test_ordered_lists_are_word_numbering_restarting_at_one(draft_bytes):
    items = _list_paragraphs(draft_bytes, "ListNumber")
    assert [text for _, text in items] == [
        "at udvalget tager orienteringen til efterretning",
        "at resultaterne indgår i Beskæftigelsesplan 2025",
        "Overordnet tilfredshed: 3,81 (3,64)",
        "Progression: 3,13 (2,97)",
        "Samtalen: 3,83 (3,75)",
    ]  # no "1." typed as text
    first, second = items[0][0], items[2][0]
    assert items[1][0] == first and items[3][0] == items[4][0] == second
    assert first != second
    numbering = part_xml(draft_bytes, "word/numbering.xml")
    styles = part_xml(draft_bytes, "word/styles.xml")
    # the first list is the style's own; the second restarts at 1 on the same definition
    assert styles.xpath("w:style[@w:styleId='ListNumber']/w:pPr/w:numPr/w:numId/@w:val",
                        namespaces=NS) == [first]
    start = numbering.xpath(
        f"w:num[@w:numId='{second}']/w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val",
        namespaces=NS)
    assert start == ["1"]
    assert _abstract_of(numbering, first).get(qn("w:abstractNumId")) == \
        _abstract_of(numbering, second).get(qn("w:abstractNumId"))
    for num_id in (first, second):
        lvl = _abstract_of(numbering, num_id).xpath("w:lvl[@w:ilvl='0']", namespaces=NS)[0]
        assert lvl.xpath("w:numFmt/@w:val", namespaces=NS) == ["decimal"]
        assert lvl.xpath("w:lvlText/@w:val", namespaces=NS) == ["%1."]
    # all abstract definitions come before the first w:num (schema order)
    tags = [etree.QName(c).localname for c in numbering]
    assert tags.index("num") > max(i for i, t in enumerate(tags) if t == "abstractNum")


def test_unordered_list_is_real_bullets(draft_bytes):
    items = _list_paragraphs(draft_bytes, "ListBullet")
    assert [text for _, text in items] == ["dagpengemodtagere", "jobafklaring"]
    numbering = part_xml(draft_bytes, "word/numbering.xml")
    fmt = _abstract_of(numbering, items[0][0]).xpath("w:lvl[@w:ilvl='0']/w:numFmt/@w:val",
                                                      namespaces=NS)
    assert fmt == ["bullet"]


def test_table_has_repeating_bold_header_caption_note_and_alt_text(draft_bytes):
    d = open_docx(draft_bytes)
    table = d.tables[1]
    header, *rows = table.rows
    assert [c.text for c in header.cells] == list(TABLE.columns)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.paragraphs[0].style.name for c in header.cells] == \
        ["Tabel hoved", "Tabel hoved tal", "Tabel hoved tal"]
    assert d.styles["Tabel hoved"].font.bold and d.styles["Tabel hoved tal"].base_style.name == "Tabel hoved"
    assert [[c.text for c in row.cells] for row in rows] == [list(r) for r in TABLE.rows]
    # a short table stays together: every row but the last keeps with the next
    assert [c.paragraphs[0].style.name for c in rows[0].cells] == \
        ["Tabel tekst, hold sammen", "Tabel tal, hold sammen", "Tabel tal, hold sammen"]
    assert [c.paragraphs[0].style.name for c in rows[-1].cells] == ["Tabel tekst", "Tabel tal", "Tabel tal"]
    assert d.styles["Tabel tal"].paragraph_format.alignment == 2  # right, from the style
    assert d.styles["Tabel tal, hold sammen"].paragraph_format.keep_with_next
    for row in table.rows:  # no direct formatting in the cells
        for c in row.cells:
            p = c.paragraphs[0]
            assert p.alignment is None and p.paragraph_format.keep_with_next is None
            assert all(r.bold is None and r.font.size is None for r in p.runs)
    assert d.styles["Tabel tekst"].font.size.pt == 10
    tbl_pr = table._tbl.tblPr
    assert d.styles["Tabel"].style_id == tbl_pr.find(qn("w:tblStyle")).get(qn("w:val"))
    assert tbl_pr.find(qn("w:tblBorders")) is None  # the borders are the table style's
    assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val")) == TABLE.caption
    assert tbl_pr.find(qn("w:tblDescription")).get(qn("w:val")) == TABLE.alt_text

    body = d.element.body
    tbl = table._tbl
    caption = tbl.getprevious()
    note = tbl.getnext()
    assert text_of(caption) == TABLE.caption
    assert style_id(caption) == "Tabeltitel"
    assert d.styles["Tabeltitel"].base_style.name == "Caption"
    assert text_of(note) == TABLE.note
    assert style_id(note) == "Tabelnote"
    assert body is tbl.getparent()


def test_figure_is_embedded_with_alt_text_and_caption(draft_bytes):
    body = part_xml(draft_bytes, "word/document.xml")
    doc_prs = body.xpath("//wp:docPr", namespaces=NS)
    assert len(doc_prs) == 1
    assert doc_prs[0].get("descr") == FIGURE.alt_text
    assert doc_prs[0].get("title") == FIGURE.alt_text
    extent = body.xpath("//wp:inline/wp:extent/@cx", namespaces=NS)
    assert int(extent[0]) == Cm(FIGURE.width_cm)
    drawing_p = doc_prs[0].xpath("ancestor::w:p", namespaces=NS)[0]
    caption = drawing_p.getnext()
    assert text_of(caption) == FIGURE.caption
    assert style_id(caption) == "Caption"
    media = part_names(draft_bytes, "word/media/")
    assert len(media) == 1
    with zipfile.ZipFile(io.BytesIO(draft_bytes)) as z:
        assert z.read(media[0]) == FIGURE.png


def test_runs_placeholder_and_note(draft_bytes):
    d = open_docx(draft_bytes)
    by_text = {p.text: p for p in d.paragraphs}
    p = by_text["Norddjurs ligger over gennemsnittet."]
    assert [(r.text, *run_looks(r)) for r in p.runs] == [
        ("Norddjurs ligger ", False, False), ("over", True, False),
        (" gennemsnittet.", False, True)]
    assert [r.style.name for r in p.runs] == ["Default Paragraph Font", "Strong", "Emphasis"]
    assert not any(r.bold or r.italic for r in p.runs)  # from the character styles
    placeholder = by_text[PLACEHOLDER]
    assert all(r.style.name == "Pladsholder" and r.font.highlight_color is None
               for r in placeholder.runs)
    assert d.styles["Pladsholder"].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert d.styles["Pladsholder"].font.italic
    note = by_text["Grupper med færre end 5 besvarelser vises ikke."]
    assert note.style.name == "Notetekst"
    assert note.style.font.size.pt < 11
    assert by_text["Forvaltningen indstiller,"].style.name == "Normal"


def test_language_font_and_page(draft_bytes):
    styles = part_xml(draft_bytes, "word/styles.xml")
    default_lang = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val",
                                namespaces=NS)
    normal_lang = styles.xpath("w:style[@w:styleId='Normal']/w:rPr/w:lang/@w:val",
                               namespaces=NS)
    assert default_lang == ["da-DK"] and normal_lang == ["da-DK"]
    fonts = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", namespaces=NS)[0]
    assert fonts.get(qn("w:ascii")) == "Carlito"
    assert fonts.get(qn("w:asciiTheme")) is None
    assert styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val", namespaces=NS) == ["22"]
    font_table = part_xml(draft_bytes, "word/fontTable.xml")
    assert font_table.xpath("w:font[@w:name='Carlito']/w:altName/@w:val",
                            namespaces=NS) == ["Calibri"]
    section = open_docx(draft_bytes).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    for margin in (section.left_margin, section.right_margin, section.top_margin,
                   section.bottom_margin):
        assert abs(margin.cm - 2.5) < 0.01


def _header_footer_text(data: bytes, kind: str) -> str:
    names = part_names(data, f"word/{kind}")
    return " ".join(text_of(part_xml(data, n)) for n in names)


def test_header_marks_draft_and_final_shows_municipality(draft_bytes, final_bytes):
    assert _header_footer_text(draft_bytes, "header") == \
        "UDKAST \u2013 version 3 \u2013 dannet 3. juni 2024"
    assert _header_footer_text(final_bytes, "header") == "Norddjurs Kommune"


def test_footer_has_page_and_numpages_fields(draft_bytes):
    names = part_names(draft_bytes, "word/footer")
    assert len(names) == 1
    footer = part_xml(draft_bytes, names[0])
    instructions = [t.strip() for t in footer.xpath("//w:instrText/text()", namespaces=NS)]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert len(footer.xpath("//w:fldChar[@w:fldCharType='begin']", namespaces=NS)) == 2
    assert len(footer.xpath("//w:fldChar[@w:fldCharType='end']", namespaces=NS)) == 2
    assert text_of(footer).startswith("Side ")
    assert " af " in text_of(footer)


def test_core_properties_come_from_meta(draft_bytes):
    cp = open_docx(draft_bytes).core_properties
    assert cp.title == make_meta().title
    assert cp.author == "Jobcenter Norddjurs"
    assert cp.last_modified_by == "Jobcenter Norddjurs"
    assert cp.subject == "Borgerundersøgelse 2024"
    assert cp.keywords == "borgerundersøgelse; beskæftigelse"
    assert cp.language == "da-DK"
    utc = CREATED.replace(tzinfo=dt.timezone.utc)  # a naive datetime is written as UTC
    assert cp.created == utc and cp.modified == utc
    assert cp.revision == 1
    with zipfile.ZipFile(io.BytesIO(draft_bytes)) as z:
        core = z.read("docProps/core.xml").decode()
        app = z.read("docProps/app.xml").decode()
    assert "python-docx" not in core and "2013" not in core
    assert "Microsoft" not in app
    assert "docProps/thumbnail.jpeg" not in part_names(draft_bytes, "docProps/")


def test_same_document_gives_identical_bytes(draft_bytes):
    again = render_docx(make_document("udkast"))
    assert again == draft_bytes
    with zipfile.ZipFile(io.BytesIO(draft_bytes)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2024, 6, 3, 10, 30, 0)}


def test_property_elements_follow_schema_order(draft_bytes):
    from reportgen.render.docx.ooxml import PPR_ORDER, RPR_ORDER, TBLPR_ORDER, TCPR_ORDER

    orders = {"pPr": PPR_ORDER, "rPr": RPR_ORDER, "tblPr": TBLPR_ORDER,
              "tcPr": TCPR_ORDER}
    names = (["word/document.xml", "word/styles.xml"] + part_names(draft_bytes, "word/header")
             + part_names(draft_bytes, "word/footer"))
    for name in names:
        root = part_xml(draft_bytes, name)
        for local, order in orders.items():
            rank = {f"{{{W}}}{t.split(':')[1]}": i for i, t in enumerate(order)}
            for el in root.iter(f"{{{W}}}{local}"):
                ranks = [rank[c.tag] for c in el if c.tag in rank]
                assert ranks == sorted(ranks), (name, local, [c.tag for c in el])


def test_drawing_ids_unique_across_parts_with_logo_and_two_figures():
    doc = make_document("endelig")
    second = Figure(png=tiny_png(6, 3), caption="Figur 2", alt_text="Andet diagram.")
    sections = doc.sections + (Section("bilag", "Bilag", (second,)),)
    doc = Document(meta=doc.meta, title_rows=doc.title_rows, sections=sections)
    data = render_docx(doc, brand={"logo_png": tiny_png(8, 4), "color": "#005A9C",
                                   "font": "Carlito"})
    ids = []
    for name in ["word/document.xml"] + part_names(data, "word/header"):
        ids += part_xml(data, name).xpath("//wp:docPr/@id", namespaces=NS)
    assert len(ids) == 3 and len(set(ids)) == 3
    assert render_docx(doc, brand={"logo_png": tiny_png(8, 4), "color": "#005A9C",
                                   "font": "Carlito"}) == data
    styles = part_xml(data, "word/styles.xml")
    assert styles.xpath("w:style[@w:styleId='Heading1']/w:rPr/w:color/@w:val",
                        namespaces=NS) == ["005A9C"]


def test_bad_brand_colour_is_an_input_error():
    with pytest.raises(InputError, match="farve"):
        render_docx(make_document(), brand={"color": "blå"})


# --------------------------------------------------------------------------- templates


def make_dotx(path: Path) -> Path:
    """A .dotx without Caption, List Number and Table Grid styles and without numbering."""
    base = docx.Document()
    base.add_paragraph("SKABELONTEKST DER SKAL FJERNES")
    base.sections[0].header.paragraphs[0].text = "Norddjurs Kommune · Jobcenter"
    styles = base.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) in ("Caption", "ListNumber", "TableGrid"):
            styles.remove(style)
    for rel in list(base.part.rels.values()):
        if rel.reltype == RT.NUMBERING:
            base.part.drop_rel(rel.rId)
    buf = io.BytesIO()
    base.save(buf)
    out = io.BytesIO()
    document_ct = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    template_ct = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                assert document_ct in blob
                blob = blob.replace(document_ct, template_ct)
            dst.writestr(info, blob)
    path.write_bytes(out.getvalue())
    return path


def test_dotx_template_with_missing_styles_works(tmp_path):
    template = make_dotx(tmp_path / "skabelon.dotx")
    with pytest.raises(ValueError):
        docx.Document(str(template))  # python-docx alone refuses a .dotx
    data = render_docx(make_document(), template=template)
    (tmp_path / "med_skabelon.docx").write_bytes(data)
    d = open_docx(data)
    texts = [p.text for p in d.paragraphs]
    assert "SKABELONTEKST DER SKAL FJERNES" not in texts
    assert d.paragraphs[1].text == make_meta().title
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Number",
                 "List Bullet", "Tabel", "Tabel tal", "Tabeltitel"):
        assert d.styles[name] is not None
    assert any(p.style.name == "Caption" for p in d.paragraphs)
    assert len(_list_paragraphs(data, "ListNumber")) == 5
    header = _header_footer_text(data, "header")
    assert "UDKAST" in header and "Norddjurs Kommune · Jobcenter" in header
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        content_types = z.read("[Content_Types].xml").decode()
    assert "template.main+xml" not in content_types
    assert render_docx(make_document(), template=template) == data


def test_template_with_unsupported_suffix_is_refused(tmp_path):
    bad = tmp_path / "skabelon.odt"
    bad.write_bytes(b"not a template")
    with pytest.raises(InputError, match="skabelon.odt"):
        render_docx(make_document(), template=bad)
    with pytest.raises(InputError, match="findes ikke"):
        render_docx(make_document(), template=tmp_path / "mangler.docx")


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_converts_to_pdf(tmp_path, draft_bytes):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice er ikke installeret")
    source = tmp_path / "sagsfremstilling.docx"
    source.write_bytes(draft_bytes)
    result = subprocess.run(
        [soffice, "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'lo_profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "sagsfremstilling.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "Indstilling" in text
    assert "UDKAST" in text
    assert "Side 1 af" in text
    assert "1. at udvalget tager orienteringen til efterretning" in text
    assert "1. Overordnet tilfredshed" in text  # the second list restarts at 1


def test_kept_styles_give_the_bytes_of_a_first_render(tmp_path):
    # render_docx writes the styles once per template, look and language in a process and
    # copies them into later documents; every combination gives what a fresh process gives.
    import reportgen.render.docx as renderer

    template = make_dotx(tmp_path / "skabelon.dotx")
    brand = {"color": "#005A9C", "font": "Arial"}
    variants = [dict(), dict(brand=brand), dict(template=template), dict(template=template, brand=brand)]
    first = []
    for kw in variants:
        renderer._STYLES.clear()
        first.append(render_docx(make_document(), **kw))
    assert len(set(first)) == len(variants)  # each variant has styles of its own
    for kw, data in zip(variants, first):
        assert render_docx(make_document(), **kw) == data  # a kept copy, after the other variants
    other = docx.Document()
    other.styles["Normal"].font.name = "Georgia"
    other.save(str(tmp_path / "skabelon.docx"))
    data = render_docx(make_document(), template=tmp_path / "skabelon.docx")
    other.styles["Normal"].font.name = "Verdana"  # the same file changed: its styles are read anew
    other.save(str(tmp_path / "skabelon.docx"))
    changed = render_docx(make_document(), template=tmp_path / "skabelon.docx")
    assert changed != data and b"Verdana" in part_xml_bytes(changed, "word/styles.xml")


def part_xml_bytes(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)
