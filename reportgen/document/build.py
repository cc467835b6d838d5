"""Case + results + findings + figures → ``Document``, following a profile.

This is where hand-written text and generated blocks are put in order. Missing required
hand-written text becomes a visible placeholder in a draft; a final build refuses with a
list of what is missing. Tables and figures are numbered here, in document order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

from reportgen.core import fmt
from reportgen.core.templating import message, render_text
from reportgen.document.blocks import BLOCK_BUILDERS, Context, Counter
from reportgen.document.mdtext import parse_blocks
from reportgen.document.marks import with_mark_notes
from reportgen.document.profile import Indhold, Profile, Sektion
from reportgen.errors import BuildRefused, Problem
from reportgen.models.document import Block, DocMeta, Document, Figure, Heading, ListBlock, Paragraph, Run, Section
from reportgen.models.findings import Finding
from reportgen.models.results import Results
from reportgen.settings.case import CaseFile


def build_document(case: CaseFile, results: Results, findings: tuple[Finding, ...], summary: Finding,
                   figures: Mapping[str, Figure], profile: Profile, created: dt.datetime) -> Document:
    """Assemble the document model; raise BuildRefused for a final with missing texts.

    A profile with ``bilag:`` gives the main document with its bilag documents in
    ``Document.attachments`` (each numbered on its own: Tabel 1, Figur 1 …); the main
    document's Bilag block lists them first, before the case file's ``tekster.bilag``.
    """
    meta = _meta(case, created)
    missing: list[str] = []
    titles = tuple(f"Bilag {i}: {_heading(b.titel, case)}" for i, b in enumerate(profile.bilag, start=1))
    main_ctx = Context(case, results, findings, summary, figures, Counter(), attachment_titles=titles,
                       blocks=_block_names(profile.sektioner))
    sections = _sections(profile.sektioner, main_ctx, missing)
    attachments = []
    for i, (bilag, title) in enumerate(zip(profile.bilag, titles), start=1):
        ctx = Context(case, results, findings, summary, figures, Counter(), attachment_titles=titles,
                      blocks=_block_names(bilag.sektioner))
        bilag_sections = _sections(bilag.sektioner, ctx, missing)
        attachments.append(Document(meta=dataclasses.replace(meta, title=title, subject=f"{title} – {meta.subject}"),
                                    title_rows=((_row("sag"), case.sag.titel), *_title_rows(case)),
                                    sections=bilag_sections, profile=profile.navn, suffix=f"bilag-{i}"))
    if case.sag.status == "endelig" and missing:
        raise BuildRefused([Problem(message("document", "final_needs_text"), key=m,
                                    expected=message("document", "final_needs_text_expected")) for m in missing])
    return Document(meta=meta, title_rows=_title_rows(case), sections=sections, profile=profile.navn,
                    attachments=tuple(attachments))


def _block_names(sektioner: list[Sektion]) -> frozenset[str]:
    """The generated blocks one document of the profile is made of (``blok:`` and ``ellers:``)."""
    return frozenset(b for s in sektioner for i in s.indhold for b in (i.blok, i.ellers) if b is not None)


def _sections(sektioner: list[Sektion], ctx: Context, missing: list[str]) -> tuple[Section, ...]:
    """The profile's sections, filled; missing required texts are added to ``missing``."""
    sections = []
    for sek in sektioner:
        blocks: list[Block] = []
        for item in sek.indhold:
            got = _content(item, ctx)
            if got is None and item.paakraevet:
                missing.append(f"{sek.overskrift} (tekster.{item.tekst or item.blok})")
                got = (_placeholder(sek.overskrift, item),)
            elif got:  # a block may hold its own placeholders (e.g. one per udfordring)
                missing.extend(f"{sek.overskrift}: {t}" for t in _placeholder_texts(got))
            if got:
                if item.overskrift:
                    blocks.append(Heading(item.overskrift, 3))
                blocks.extend(with_mark_notes(b, ctx.results.min_n) for b in got)
        if not blocks and sek.udelad_hvis_tom:
            continue
        sections.append(Section(key=sek.noegle, heading=_heading(sek.overskrift, case=ctx.case),
                                blocks=tuple(blocks)))
    return tuple(sections)


def _content(item: Indhold, ctx: Context) -> tuple[Block, ...] | None:
    if item.tekst is not None:
        text = _hand_written(ctx.case, item.tekst)
        if text is not None and text.strip():
            return parse_blocks(text)
        if item.ellers:
            return BLOCK_BUILDERS[item.ellers](ctx)
        return None
    return BLOCK_BUILDERS[item.blok](ctx)  # type: ignore[index]


def _hand_written(case: CaseFile, key: str) -> str | None:
    t = case.tekster
    if key in t.ekstra:
        return t.ekstra[key]
    value = getattr(t, key, None)
    if isinstance(value, list):
        return "\n".join(f"- {v}" for v in value) if value else None
    return value if isinstance(value, str) else None


def _placeholder(heading: str, item: Indhold) -> Paragraph:
    key = item.tekst or item.blok
    return Paragraph((Run(f"[Mangler: tekst til '{heading}'. Skrives i sagsfilen under tekster.{key}.]"),),
                     "placeholder")


def _placeholder_texts(blocks: tuple[Block, ...]) -> list[str]:
    """The texts of the placeholder paragraphs among ``blocks`` (list items included)."""
    out = []
    for b in blocks:
        items = b.items if isinstance(b, ListBlock) else (b,)
        out += [p.text for p in items if isinstance(p, Paragraph) and p.style == "placeholder"]
    return out


def _heading(template: str, case: CaseFile) -> str:
    values = {"udvalg": case.sag.udvalg, "kommune": case.sag.kommune,
              "moededato": fmt.date_long(case.sag.moededato), "titel": case.sag.titel}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def _keywords() -> tuple[str, ...]:
    """The document's keywords before the municipality (templates/text/forside.txt.j2, comma-separated)."""
    return tuple(k.strip() for k in render_text("forside", "noegleord").split(",") if k.strip())


def _meta(case: CaseFile, created: dt.datetime) -> DocMeta:
    s = case.sag
    return DocMeta(
        title=s.titel, municipality=s.kommune, committee=s.udvalg, meeting_date=s.moededato,
        meeting_place=s.moedested, case_number=s.sagsnummer, openness=s.aabenhed, sagsgang=tuple(s.sagsgang),
        status=s.status, author=s.forfatter or s.kommune, version=s.version, created=created,
        subject=render_text("forside", "emne", udvalg=s.udvalg), keywords=(*_keywords(), s.kommune),
    )


def _row(name: str) -> str:
    """A title row's name ('Udvalg', 'Mødedato' …) from templates/text/forside.txt.j2."""
    return render_text("forside", name)


def _title_rows(case: CaseFile) -> tuple[tuple[str, str], ...]:
    s = case.sag
    rows = [(_row("udvalg"), s.udvalg)]
    if s.moededato:
        rows.append((_row("moededato"), fmt.date_with_weekday(s.moededato)))
    if s.moedested:
        rows.append((_row("moedested"), s.moedested))
    if s.sagsnummer:
        rows.append((_row("sagsnummer"), s.sagsnummer))
    rows.append((_row("sagstype_navn"), render_text("forside", "sagstype", aabenhed=s.aabenhed)))
    if s.sagsgang:
        rows.append((_row("sagsgang"), " – ".join(s.sagsgang)))
    return tuple(rows)
