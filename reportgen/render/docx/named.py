"""The named styles reportgen formats with, so that a Word template can restyle it all.

The DOCX is the staff's working copy, and the municipality's Word template must be able
to change its look. So the body carries no direct formatting: every paragraph and run
points at a named style, and the look lives in ``styles.xml``. A template that defines a
style of the same name keeps its own look (only missing styles are added); without a
template, reportgen's house look below is written into them.

Derived styles are based on a parent (``Tabel tal`` on ``Tabel tekst``) and set only what
differs, so restyling the parent in a template restyles the family.

Direct formatting that is left, each on purpose (``tests/render/test_docx_styles.py``
holds the allowance):

- an ordered list after the first one in a document points at its own ``w:num`` (same
  abstract definition as the style's list, with ``startOverride`` 1): that is how Word
  itself restarts numbering at 1, there is no way to say it in a style;
- a run that is a placeholder and bold at the same time gets ``w:b`` beside the
  ``Pladsholder`` character style (a run has one character style);
- table geometry (column widths, the table's width, the landscape page of a table too
  wide for a portrait page) is computed from the content and written on the table and its
  section; borders, cell margins and the header row's shading come from the table style.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    """A style and the house look written into it (None: inherited from ``base``)."""

    name: str
    base: str | None = "Normal"
    kind: str = "paragraph"  # or "character"
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    color: str | None = None
    highlight: str | None = None
    before: float | None = None
    after: float | None = None
    line: float | None = None
    keep_next: bool | None = None
    align: str | None = None
    extra: dict = field(default_factory=dict)


NOTE = "Notetekst"
TABLE_TEXT = "Tabel tekst"
TABLE_CAPTION = "Tabeltitel"
TABLE_NOTE = "Tabelnote"
FIGURE = "Figur"
SENDER = "Titelblok afsender"
TITLE_LABEL = "Titelblok etiket"
TITLE_VALUE = "Titelblok tekst"
STRONG = "Strong"
EMPHASIS = "Emphasis"
STRONG_EMPHASIS = "Kraftig kursiv"
PLACEHOLDER = "Pladsholder"
DRAFT_MARK = "Udkastmærke"
HEADER_LOGO = "Sidehoved logo"
TABLE_STYLE = "Tabel"
TABLE_COMPACT = "Tabel lille"  # the cells' text of a table set smaller to fit a portrait page

# Table cells: (row kind, alignment) → paragraph style. "body-keep" is a body row of a
# short table that stays on one page (keep with next), as the PDF keeps it together.
_ALIGN_WORD = {"left": "tekst", "right": "tal", "center": "midt"}


def cell_style(kind: str, align: str) -> str:
    """The paragraph style of a table cell: ``kind`` is "head", "body" or "body-keep"."""
    word = _ALIGN_WORD.get(align, "tekst")
    if kind == "head":
        return "Tabel hoved" if word == "tekst" else f"Tabel hoved {word}"
    name = f"Tabel {word}"
    return f"{name}, hold sammen" if kind == "body-keep" else name


def _table_specs() -> list[Spec]:
    specs = [Spec(TABLE_TEXT, size=10, before=2, after=2, line=1.0),
             Spec("Tabel tal", TABLE_TEXT, align="right"),
             Spec("Tabel midt", TABLE_TEXT, align="center"),
             Spec("Tabel hoved", TABLE_TEXT, bold=True, keep_next=True),
             Spec("Tabel hoved tal", "Tabel hoved", align="right"),
             Spec("Tabel hoved midt", "Tabel hoved", align="center")]
    for base in ("Tabel tekst", "Tabel tal", "Tabel midt"):
        specs.append(Spec(f"{base}, hold sammen", base, keep_next=True))
    return specs


def house_specs(grey: str) -> list[Spec]:
    """reportgen's own styles (beside the built-in ones set up in ``styles``), parents first."""
    return [
        Spec(NOTE, size=9, color=grey, before=4, after=10),
        *_table_specs(),
        Spec(TABLE_CAPTION, "Caption", keep_next=True),
        Spec(TABLE_NOTE, NOTE, before=3),
        Spec(FIGURE, after=2, keep_next=True),
        Spec(SENDER, size=10, bold=True, caps=True, color=grey, before=0, after=6,
             keep_next=True),
        Spec(TITLE_VALUE, size=10, before=0, after=2, line=1.0),
        Spec(TITLE_LABEL, TITLE_VALUE, bold=True),
        Spec(HEADER_LOGO, "Header", after=4),
        Spec(STRONG, "Default Paragraph Font", "character", bold=True),
        Spec(EMPHASIS, "Default Paragraph Font", "character", italic=True),
        Spec(STRONG_EMPHASIS, "Default Paragraph Font", "character", bold=True, italic=True),
        Spec(PLACEHOLDER, "Default Paragraph Font", "character", italic=True,
             highlight="yellow"),
        Spec(DRAFT_MARK, "Default Paragraph Font", "character", bold=True, color="C00000"),
        Spec(TABLE_COMPACT, "Default Paragraph Font", "character", size=8),
    ]


def run_style(bold: bool, italic: bool) -> str | None:
    """The character style of a run of running text."""
    if bold and italic:
        return STRONG_EMPHASIS
    if bold:
        return STRONG
    if italic:
        return EMPHASIS
    return None
