"""The document model: what document builds and the renderers lay out (``Document``, its
``Section``s and blocks). Renderers never compute a number or write a sentence of their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Union

# A table with at most this many rows is kept on one page (PDF: break-inside: avoid;
# DOCX: "keep with next" on every row but the last); longer tables break between rows
# and repeat their header row.
KEEP_TOGETHER_ROWS = 18


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: Literal["normal", "placeholder", "note", "lead"] = "normal"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @staticmethod
    def of(text: str, style: str = "normal") -> Paragraph:
        return Paragraph((Run(text),), style)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Paragraph, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    align: tuple[Literal["left", "right", "center"], ...] = ()
    alt_text: str = ""


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    alt_text: str
    width_cm: float = 16.0
    svg: bytes | None = None


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


Block = Union[Paragraph, ListBlock, Table, Figure, Heading]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class DocMeta:
    title: str
    municipality: str
    committee: str
    meeting_date: dt.date | None
    meeting_place: str
    case_number: str
    openness: str
    sagsgang: tuple[str, ...]
    status: Literal["udkast", "endelig"]
    author: str
    version: str
    created: dt.datetime
    language: str = "da-DK"
    subject: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    title_rows: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    profile: str = "sagsfremstilling"
    # The separate bilag documents (e.g. "Bilag 1: Resultater af undersøgelsen") that a
    # profile's ``bilag:`` builds beside this one; each is written as ``<navn>-<suffix>``.
    attachments: tuple[Document, ...] = ()
    suffix: str = ""

    @property
    def is_draft(self) -> bool:
        return self.meta.status == "udkast"

    @property
    def documents(self) -> tuple[Document, ...]:
        """This document followed by its bilag documents."""
        return (self, *self.attachments)
