"""Case + results + findings + figures → ``Document``, following a profile.

This is where hand-written text and generated blocks are put in order. Missing required
hand-written text becomes a visible placeholder in a draft; a final build refuses with a
list of what is missing. Tables and figures are numbered here, in document order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping

from reportgen import fmt
from reportgen.analyze import OVERALL
from reportgen.case import CaseFile
from reportgen.errors import BuildRefused, Problem
from reportgen.mdtext import parse_blocks
from reportgen.models import (
    Block,
    DocMeta,
    Document,
    Figure,
    Finding,
    ListBlock,
    Paragraph,
    Results,
    Run,
    Section,
    Table,
)
from reportgen.profile import Indhold, Profile

VERDICT_LABEL = {"over": "Over", "under": "Under", "paa_niveau": "På niveau", None: "–"}
DASH = "–"


@dataclasses.dataclass
class _Counter:
    table: int = 0
    figure: int = 0


def build_document(case: CaseFile, results: Results, findings: tuple[Finding, ...], summary: Finding,
                   figures: Mapping[str, Figure], profile: Profile, created: dt.datetime) -> Document:
    """Assemble the document model; raise BuildRefused for a final with missing texts."""
    meta = _meta(case, created)
    counter = _Counter()
    missing: list[str] = []
    ctx = _Context(case, results, findings, summary, figures, counter)
    sections = []
    for sek in profile.sektioner:
        blocks: list[Block] = []
        for item in sek.indhold:
            got = _content(item, ctx)
            if got is None and item.paakraevet:
                missing.append(f"{sek.overskrift} (tekster.{item.tekst or item.blok})")
                got = (_placeholder(sek.overskrift, item),)
            if got:
                if item.overskrift:
                    from reportgen.models import Heading

                    blocks.append(Heading(item.overskrift, 3))
                blocks.extend(got)
        heading = _heading(sek.overskrift, case)
        sections.append(Section(key=sek.noegle, heading=heading, blocks=tuple(blocks)))
    if case.sag.status == "endelig" and missing:
        raise BuildRefused([Problem("En endelig sagsfremstilling kan ikke dannes, før teksten er skrevet",
                                    column=m, expected="teksten i sagsfilen eller status: udkast") for m in missing])
    return Document(meta=meta, title_rows=_title_rows(case), sections=tuple(sections), profile=profile.navn)


class _Context:
    def __init__(self, case: CaseFile, results: Results, findings: tuple[Finding, ...], summary: Finding,
                 figures: Mapping[str, Figure], counter: _Counter):
        self.case, self.results, self.findings, self.summary = case, results, findings, summary
        self.figures, self.counter = figures, counter


def _content(item: Indhold, ctx: _Context) -> tuple[Block, ...] | None:
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


def _heading(template: str, case: CaseFile) -> str:
    values = {"udvalg": case.sag.udvalg, "kommune": case.sag.kommune,
              "moededato": fmt.date_long(case.sag.moededato)}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


# --------------------------------------------------------------------------- blocks


def _indstilling(ctx: _Context) -> tuple[Block, ...] | None:
    ind = ctx.case.tekster.indstilling
    if ind is None or not ind.punkter:
        return None
    return (Paragraph.of(ind.indledning, "lead"),
            ListBlock(tuple(Paragraph.of(p.strip()) for p in ind.punkter), ordered=True))


def _findings(ctx: _Context) -> tuple[Block, ...]:
    return tuple(Paragraph.of(f.text) for f in ctx.findings)


def _resume(ctx: _Context) -> tuple[Block, ...]:
    return (Paragraph.of(ctx.summary.text),)


def _score(value: float | None) -> str:
    return DASH if value is None else fmt.num(value)


def _theme_table(ctx: _Context) -> tuple[Block, ...]:
    r = ctx.results
    ctx.counter.table += 1
    rows = []
    for key in (*r.themes, OVERALL):
        f = r.focus.overall if key == OVERALL else r.focus.themes[key].score
        b = r.benchmark.overall if key == OVERALL else r.benchmark.themes[key].score
        rank = r.ranks.get(key)
        rows.append((
            "Samlet score" if key == OVERALL else key,
            f"{_score(f.value)} ({_score(b.value)})",
            fmt.integer(f.n) if not f.suppressed else DASH,
            f"{rank.rank} af {rank.of}" if rank else DASH,
            VERDICT_LABEL[r.comparisons[key].verdict],
        ))
    scale = r.questions[0].scale if r.questions else None
    note = (f"Score på skalaen {fmt.num(scale.minimum, 0)}-{fmt.num(scale.maximum, 0)}, hvor "
            f"{fmt.num(scale.minimum, 0)} er mest negativ og {fmt.num(scale.maximum, 0)} mest positiv. "
            if scale else "")
    note += (f"Tal i parentes: {r.benchmark_name.lower()}. Placering: nr. blandt de deltagende kommuner "
             "(1 = højest). Over/under: forskellen er statistisk signifikant (Welch's t-test, "
             f"p < {fmt.num(ctx.case.analyse.signifikansniveau, 2)}) og mindst "
             f"{fmt.num(ctx.case.analyse.min_forskel, 2)} point; ellers på niveau.")
    table = Table(
        caption=f"Tabel {ctx.counter.table}. Score pr. tema, {r.focus.name} ({r.benchmark_name.lower()})",
        columns=("Tema", f"{r.focus.name} ({r.benchmark_name.lower()})", "Antal svar", "Placering", "Vurdering"),
        rows=tuple(rows), note=note, align=("left", "right", "right", "right", "left"),
        alt_text=f"Tabel over gennemsnitlig score pr. tema for {r.focus.name} med {r.benchmark_name.lower()} i parentes",
    )
    return (table,)


def _theme_list(ctx: _Context) -> tuple[Block, ...]:
    r = ctx.results
    items = []
    for t in r.themes:
        items.append(Paragraph.of(f"{t}: {_score(r.focus.themes[t].score.value)} "
                                  f"({_score(r.benchmark.themes[t].score.value)})"))
    return (ListBlock(tuple(items), ordered=True),)


def _group_tables(ctx: _Context) -> tuple[Block, ...]:
    r = ctx.results
    out: list[Block] = []
    for col, bd in r.focus_groups.items():
        bench = {g.name: g for g in r.benchmark_groups[col].groups}
        rows = []
        any_hidden = False
        for g in bd.groups:
            b = bench.get(g.name)
            bval = b.overall.value if b is not None and not b.suppressed else None
            if g.suppressed:
                any_hidden = True
                rows.append((g.name, DASH, DASH, _score(bval)))
                continue
            if g.overall.value is None:
                any_hidden = True
            rows.append((g.name, fmt.integer(g.n_respondents), _score(g.overall.value), _score(bval)))
        if len(rows) < 2:
            continue
        ctx.counter.table += 1
        note = "Samlet score på tværs af temaerne."
        if any_hidden or bd.hidden_n:
            note += (f" {DASH}: ikke vist, fordi færre end {r.min_n} har svaret, eller fordi tallet ellers "
                     "ville kunne regnes ud fra de øvrige tal.")
        out.append(Table(
            caption=f"Tabel {ctx.counter.table}. Samlet score pr. {bd.title.lower()}",
            columns=(bd.title, "Antal svar", r.focus.name, r.benchmark_name),
            rows=tuple(rows), note=note, align=("left", "right", "right", "right"),
            alt_text=f"Tabel over samlet score pr. {bd.title.lower()} for {r.focus.name} og {r.benchmark_name.lower()}",
        ))
    return tuple(out)


def _question_table(ctx: _Context) -> tuple[Block, ...]:
    r = ctx.results
    ctx.counter.table += 1
    rows = []
    for q in r.questions:
        f = r.focus.questions[q.id]
        b = r.benchmark.questions[q.id]
        rows.append((q.number, q.text, fmt.integer(f.n) if not f.suppressed else DASH,
                     f"{_score(f.mean.value)} ({_score(b.mean.value)})",
                     f"{fmt.pct(f.share_positive.value, 0)} ({fmt.pct(b.share_positive.value, 0)})"))
    return (Table(
        caption=f"Tabel {ctx.counter.table}. Resultater pr. spørgsmål, {r.focus.name} ({r.benchmark_name.lower()})",
        columns=("Nr.", "Spørgsmål", "Antal svar", "Gennemsnit", "Andel positive, pct."),
        rows=tuple(rows),
        note=("Andel positive: andelen af gyldige svar i skalaens to øverste kategorier (fx tilfreds og meget "
              "tilfreds). 'Ved ikke' og blanke svar indgår ikke."),
        align=("left", "left", "right", "right", "right"),
        alt_text=f"Tabel over gennemsnit og andel positive pr. spørgsmål for {r.focus.name}",
    ),)


def _figure(name: str) -> Callable[[_Context], tuple[Block, ...]]:
    def build(ctx: _Context) -> tuple[Block, ...]:
        fig = ctx.figures.get(name)
        if fig is None:
            return ()
        ctx.counter.figure += 1
        caption = re.sub(r"^Figur\s+\d+\.\s*", "", fig.caption)
        return (dataclasses.replace(fig, caption=f"Figur {ctx.counter.figure}. {caption}"),)

    return build


def _method(ctx: _Context) -> tuple[Block, ...]:
    r, a = ctx.results, ctx.case.analyse
    acc = r.account
    parts = [
        f"Opgørelsen bygger på {fmt.integer(acc.rows_used)} besvarelser",
    ]
    if r.n_municipalities > 1:
        parts[0] += f" fra {r.n_municipalities} kommuner, heraf {fmt.integer(r.focus.n_respondents)} fra {r.focus.name}"
    parts[0] += "."
    if acc.rows_excluded:
        excl = [f"{fmt.integer(n)} med {why}" for why, n in acc.rows_excluded.items()]
        parts.append(f"{fmt.integer(acc.rows_read)} rækker blev indlæst; {fmt.join_da(excl)} indgår ikke.")
    parts.append("Svarene 'Ved ikke', 'Ikke relevant' og blanke svar indgår ikke i gennemsnit og andele. "
                 "Et temas score er gennemsnittet over respondenter af den enkeltes gennemsnit af sine gyldige svar "
                 "i temaet.")
    if a.benchmark == "samlet":
        parts.append(f"Sammenligningen med {r.benchmark_name.lower()} bygger på alle besvarelser i de deltagende "
                     "kommuner under ét.")
    else:
        parts.append(f"Sammenligningen med {r.benchmark_name.lower()} er gennemsnittet af kommunernes egne resultater.")
    parts.append(f"En forskel kaldes over eller under, når den er statistisk signifikant (Welch's t-test, "
                 f"{fmt.pct_text(a.signifikansniveau, 0)} signifikansniveau) og mindst {fmt.num(a.min_forskel, 2)} "
                 f"point; ellers er resultatet på niveau. Grupper med færre end {a.min_n} besvarelser vises ikke.")
    blocks: list[Block] = [Paragraph((Run("Metode. ", bold=True), Run(" ".join(parts))), "note")]
    for w in acc.warnings:
        blocks.append(Paragraph.of(f"Bemærk: {w}", "note"))
    return tuple(blocks)


def _bilag(ctx: _Context) -> tuple[Block, ...]:
    items = ctx.case.tekster.bilag
    if not items:
        return (Paragraph.of("Ingen bilag."),)
    return (ListBlock(tuple(Paragraph.of(b) for b in items), ordered=True),)


def _responsible(ctx: _Context) -> tuple[Block, ...]:
    names = ctx.case.sag.ansvarlige
    if not names:
        return ()
    return (ListBlock(tuple(Paragraph.of(n) for n in names), ordered=False),)


BLOCK_BUILDERS: dict[str, Callable[[_Context], tuple[Block, ...] | None]] = {
    "indstilling": _indstilling,
    "fund": _findings,
    "resume": _resume,
    "tematabel": _theme_table,
    "temaliste": _theme_list,
    "temafigur": _figure("temafigur"),
    "fordelingsfigur": _figure("fordelingsfigur"),
    "gruppetabel": _group_tables,
    "spoergsmaalstabel": _question_table,
    "metode": _method,
    "bilag": _bilag,
    "ansvarlige": _responsible,
}


def _meta(case: CaseFile, created: dt.datetime) -> DocMeta:
    s = case.sag
    return DocMeta(
        title=s.titel, municipality=s.kommune, committee=s.udvalg, meeting_date=s.moededato,
        meeting_place=s.moedested, case_number=s.sagsnummer, openness=s.aabenhed, sagsgang=tuple(s.sagsgang),
        status=s.status, author=s.forfatter or s.kommune, version=s.version, created=created,
        subject=f"Sagsfremstilling til {s.udvalg}", keywords=("borgerundersøgelse", "tilfredshed", s.kommune),
    )


def _title_rows(case: CaseFile) -> tuple[tuple[str, str], ...]:
    s = case.sag
    rows = [("Udvalg", s.udvalg)]
    if s.moededato:
        rows.append(("Mødedato", fmt.date_with_weekday(s.moededato)))
    if s.moedested:
        rows.append(("Mødested", s.moedested))
    if s.sagsnummer:
        rows.append(("Sagsnummer", s.sagsnummer))
    rows.append(("Sagstype", f"{s.aabenhed} sag"))
    if s.sagsgang:
        rows.append(("Sagsgang", " – ".join(s.sagsgang)))
    return tuple(rows)
