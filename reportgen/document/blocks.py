"""The generated blocks a profile may name (``blok:`` in a profile): name → builder.

Each builder takes the build's ``Context`` (case, results, findings, summary, figures and
the table/figure counter) and returns the blocks to insert, or None when it has nothing
(then a required item becomes a placeholder). ``BLOCK_BUILDERS`` is the registry the
profile checks names against; add a block here and document it in docs/profiler.md.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence

from reportgen.analysis.analyze import OVERALL
from reportgen.core import fmt
from reportgen.core.templating import render_text
from reportgen.document import analysis_blocks, handleplan
from reportgen.document.marks import DASH
from reportgen.models import (
    Block,
    DataAccount,
    Figure,
    Finding,
    ListBlock,
    Paragraph,
    Question,
    Results,
    Run,
    Scale,
    Table,
)
from reportgen.settings.case import CaseFile

VERDICT_LABEL = {"over": "Over", "under": "Under", "paa_niveau": "På niveau", None: "–"}


@dataclasses.dataclass
class Counter:
    table: int = 0
    figure: int = 0


class Context:
    def __init__(self, case: CaseFile, results: Results, findings: tuple[Finding, ...], summary: Finding,
                 figures: Mapping[str, Figure], counter: Counter, attachment_titles: tuple[str, ...] = ()):
        self.case, self.results, self.findings, self.summary = case, results, findings, summary
        self.figures, self.counter = figures, counter
        self.attachment_titles = attachment_titles  # "Bilag 1: …" of the profile's bilag documents





def _indstilling(ctx: Context) -> tuple[Block, ...] | None:
    ind = ctx.case.tekster.indstilling
    if ind is None or not ind.punkter:
        return None
    return (Paragraph.of(ind.indledning, "lead"),
            ListBlock(tuple(Paragraph.of(p.strip()) for p in ind.punkter), ordered=True))


def _findings(ctx: Context) -> tuple[Block, ...]:
    """The general findings; those with a block of their own (narrate.BLOCK_KINDS) are left to it."""
    from reportgen.narrative.narrate import OWN_BLOCK

    return tuple(Paragraph.of(f.text) for f in ctx.findings if f.kind not in OWN_BLOCK)


# The findings the short sagsfremstilling (block ``hovedfund``) keeps, in this order; the
# rest are in the results bilag (block ``fund``).
MAIN_FINDINGS = ("svarprocent", "samlet_niveau", "tema_sammenligning", "udvikling", "forbehold")


def _main_findings(ctx: Context) -> tuple[Block, ...]:
    """The few findings that matter for the committee (``MAIN_FINDINGS``)."""
    by_kind = {f.kind: f for f in ctx.findings}
    return tuple(Paragraph.of(by_kind[k].text) for k in MAIN_FINDINGS if k in by_kind)


def _bilag_reference(ctx: Context) -> tuple[Block, ...]:
    """A sentence pointing to the profile's bilag documents (none without them)."""
    if not ctx.attachment_titles:
        return ()
    return (Paragraph.of(render_text("henvisning_bilag", titles=ctx.attachment_titles,
                                     priority=ctx.results.priority is not None)),)


def _resume(ctx: Context) -> tuple[Block, ...]:
    return (Paragraph.of(ctx.summary.text),)


def _score(value: float | None) -> str:
    return DASH if value is None else fmt.num(value)


def _ci(est: object) -> str:
    lo, hi = getattr(est, "ci_low", None), getattr(est, "ci_high", None)
    if getattr(est, "value", None) is None or lo is None or hi is None:
        return DASH
    return f"{fmt.num(lo)}–{fmt.num(hi)}"


def _theme_table(ctx: Context) -> tuple[Block, ...]:
    r = ctx.results
    ctx.counter.table += 1
    bench, ranked = r.has_benchmark, bool(r.ranks)
    bname = r.benchmark_name.lower()
    rows = []
    for key in (*r.themes, OVERALL):
        f = r.focus.overall if key == OVERALL else r.focus.themes[key].score
        b = r.benchmark.overall if key == OVERALL else r.benchmark.themes[key].score
        rank = r.ranks.get(key)
        row = ["Samlet score" if key == OVERALL else key,
               f"{_score(f.value)} ({_score(b.value)})" if bench else _score(f.value),
               _ci(f), fmt.integer(f.n) if not f.suppressed else DASH]
        if ranked:
            row.append(f"{rank.rank} af {rank.of}" if rank else DASH)
        if bench:
            row.append(VERDICT_LABEL[r.comparisons[key].verdict])
        rows.append(tuple(row))
    scale = r.questions[0].scale if r.questions else None
    note = (f"Score på skalaen {fmt.num(scale.minimum, 0)}-{fmt.num(scale.maximum, 0)}, hvor "
            f"{fmt.num(scale.minimum, 0)} er mest negativ og {fmt.num(scale.maximum, 0)} mest positiv. "
            if scale else "")
    note += f"KI: 95 pct.-konfidensintervallet for scoren i {r.focus.name}. "
    if bench:
        test = ("Welch's t-test" if r.benchmark_source == "data" else "t-test mod den offentliggjorte værdi")
        note += f"Tal i parentes: {bname}. "
        if ranked:
            note += f"Placering: nr. blandt de kommuner, der har mindst {r.min_n} besvarelser (1 = højest). "
        note += (f"Over/under: forskellen er statistisk signifikant ({test}, "
                 f"p < {fmt.num(ctx.case.analyse.signifikansniveau, 2)}) og mindst "
                 f"{fmt.num(ctx.case.analyse.min_forskel, 2)} point; ellers på niveau.")
    columns = ["Tema", f"{r.focus.name} ({bname})" if bench else r.focus.name, "KI (95 pct.)", "Antal svar"]
    align = ["left", "right", "right", "right"]
    if ranked:
        columns.append("Placering")
        align.append("right")
    if bench:
        columns.append("Vurdering")
        align.append("left")
    table = Table(
        caption=(f"Tabel {ctx.counter.table}. Score pr. tema, {r.focus.name}" + (f" ({bname})" if bench else "")),
        columns=tuple(columns), rows=tuple(rows), note=note.strip(), align=tuple(align),  # type: ignore[arg-type]
        alt_text=(f"Tabel over gennemsnitlig score pr. tema for {r.focus.name}"
                  + (f" med {bname} i parentes" if bench else "")),
    )
    return (table,)


def _theme_list(ctx: Context) -> tuple[Block, ...]:
    r = ctx.results
    items = []
    for t in r.themes:
        items.append(Paragraph.of(f"{t}: {_score(r.focus.themes[t].score.value)} "
                                  f"({_score(r.benchmark.themes[t].score.value)})"))
    return (ListBlock(tuple(items), ordered=True),)


def _group_tables(ctx: Context) -> tuple[Block, ...]:
    r = ctx.results
    out: list[Block] = []
    for col, bd in r.focus_groups.items():
        bench_bd = r.benchmark_groups.get(col) if r.has_benchmark else None
        bench = {g.name: g for g in bench_bd.groups} if bench_bd is not None else {}
        total = bd.n_total or r.focus.n_respondents
        rows = []
        for g in bd.groups:
            b = bench.get(g.name)
            bval = b.overall.value if b is not None and not b.suppressed else None
            bcell = (_score(bval),) if bench_bd is not None else ()
            if g.suppressed:
                rows.append((g.name, DASH, DASH, DASH, *bcell, DASH))
                continue
            share = g.overall_share.value if g.overall_share is not None else None
            rows.append((g.name, fmt.integer(g.n_respondents), fmt.pct(g.n_respondents / total, 0) if total else DASH,
                         _score(g.overall.value), *bcell, fmt.pct(share, 0) if share is not None else DASH))
        if len(rows) < 2:
            continue
        ctx.counter.table += 1
        note = (f"Andel: gruppens andel af de {fmt.integer(total)} besvarelser fra {r.focus.name}. Samlet score på "
                "tværs af temaerne. Positive svar: andelen af gruppens gyldige svar i "
                f"{'skalaens' if len({q.scale.name for q in r.questions}) == 1 else 'skalaernes'} positive kategorier.")
        columns = (bd.title, "Antal svar", "Andel, pct.", r.focus.name,
                   *((r.benchmark_name,) if bench_bd is not None else ()), "Positive svar, pct.")
        out.append(Table(
            caption=f"Tabel {ctx.counter.table}. Samlet score pr. {bd.title.lower()}",
            columns=columns, rows=tuple(rows), note=note,
            align=("left", *["right"] * (len(columns) - 1)),  # type: ignore[arg-type]
            alt_text=(f"Tabel over samlet score pr. {bd.title.lower()} for {r.focus.name}"
                      + (f" og {r.benchmark_name.lower()}" if bench_bd is not None else "")),
        ))
    return tuple(out)


def _question_table(ctx: Context) -> tuple[Block, ...]:
    r = ctx.results
    ctx.counter.table += 1
    rows = []
    with_bench = r.benchmark_source == "data"
    for q in r.questions:
        f = r.focus.questions[q.id]
        b = r.benchmark.questions[q.id]
        if with_bench:
            rows.append((q.number, q.text, fmt.integer(f.n) if not f.suppressed else DASH,
                         f"{_score(f.mean.value)} ({_score(b.mean.value)})",
                         f"{fmt.pct(f.share_positive.value, 0)} ({fmt.pct(b.share_positive.value, 0)})"))
        else:
            rows.append((q.number, q.text, fmt.integer(f.n) if not f.suppressed else DASH, _score(f.mean.value),
                         fmt.pct(f.share_positive.value, 0)))
    return (Table(
        caption=(f"Tabel {ctx.counter.table}. Resultater pr. spørgsmål, {r.focus.name}"
                 + (f" ({r.benchmark_name.lower()})" if with_bench else "")),
        columns=("Nr.", "Spørgsmål", "Antal svar", "Gennemsnit", "Andel positive, pct."),
        rows=tuple(rows),
        note=_positive_note(r.questions),
        align=("left", "left", "right", "right", "right"),
        alt_text=f"Tabel over gennemsnit og andel positive pr. spørgsmål for {r.focus.name}",
    ),)


def _positive_note(questions: Sequence[Question]) -> str:
    """What 'Andel positive' counts: the positive categories by their labels."""
    def labels(scale: Scale) -> list[str]:
        return [scale.label_of(v).lower() for v in scale.values if v in scale.positive]

    scales = {q.scale.name: q.scale for q in questions}
    first = labels(questions[0].scale) if questions else []
    return render_text("note_andel_positive", labels=first if len(scales) == 1 else [], example=first,
                       reverse=any(q.reverse for q in questions))


def _figure(name: str) -> Callable[[Context], tuple[Block, ...]]:
    def build(ctx: Context) -> tuple[Block, ...]:
        fig = ctx.figures.get(name)
        if fig is None:
            return ()
        ctx.counter.figure += 1
        caption = re.sub(r"^Figur\s+\d+\.\s*", "", fig.caption)
        return (dataclasses.replace(fig, caption=f"Figur {ctx.counter.figure}. {caption}"),)

    return build


def _method(ctx: Context) -> tuple[Block, ...]:
    """The method note: a short summary of docs/metode.md for the data at hand."""
    r, a = ctx.results, ctx.case.analyse
    acc = r.account
    n_used = r.benchmark.n_respondents if r.benchmark_source == "data" else r.focus.n_respondents
    parts = [f"Opgørelsen bygger på {fmt.integer(n_used)} besvarelser"]
    if r.benchmark_source == "data" and r.n_municipalities > 1:
        parts[0] += f" fra {r.n_municipalities} kommuner, heraf {fmt.integer(r.focus.n_respondents)} fra {r.focus.name}"
    if r.period:
        parts[0] += f" i målingen {r.period}"
    parts[0] += "."
    parts += _rows_note(acc)
    parts.append("Svarene 'Ved ikke', 'Ikke relevant' og blanke svar indgår ikke i gennemsnit og andele. "
                 "Et temas score er gennemsnittet over respondenter af den enkeltes gennemsnit af sine gyldige svar "
                 "i temaet. Andel positive er andelen af de gyldige svar i skalaens positive kategorier. "
                 "Konfidensintervaller er 95 pct.-intervaller (t-fordelingen for gennemsnit, Wilsons metode for andele).")
    bname = r.benchmark_name.lower()
    if r.benchmark_source == "tabel":
        parts.append(f"Tallene for {bname} er de offentliggjorte tal fra {a.benchmark_tabel}. En forskel testes med "
                     "en t-test af kommunens besvarelser mod den offentliggjorte værdi.")
    elif r.benchmark_source == "data":
        if a.benchmark == "samlet":
            parts.append(f"Sammenligningen med {bname} bygger på alle besvarelser i de deltagende kommuner under ét.")
        else:
            parts.append(f"Sammenligningen med {bname} er gennemsnittet af kommunernes egne resultater.")
        parts.append("En forskel testes med Welch's t-test for gennemsnit og en test for to andele for andele, "
                     "i begge tilfælde kommunens besvarelser mod de øvrige kommuners.")
    if r.has_benchmark or r.trend is not None:
        parts.append(f"En forskel eller ændring kaldes over/under (steget/faldet), når den er statistisk signifikant "
                     f"({fmt.pct_text(a.signifikansniveau, 0)} signifikansniveau) og mindst {fmt.num(a.min_forskel, 2)} "
                     f"point ({fmt.num(a.min_forskel_andel, 0)} procentpoint for andele); ellers er resultatet på "
                     "niveau.")
    if r.trend is not None:
        parts.append(f"Udviklingen sammenligner målingerne {fmt.join_da(r.trend.periods)} efter samme metode.")
    if r.priority is not None:
        parts.append(f"Prioriteringskortets betydning er korrelationen mellem svarene på et spørgsmål og "
                     f"{r.priority.target}; felterne deles ved gennemsnittet af spørgsmålenes score og betydning.")
    parts.append(f"Af hensyn til anonymiteten vises intet tal for en gruppe med færre end {a.min_n} besvarelser, og "
                 "tal, der ellers ville kunne regnes ud fra de viste tal, vises heller ikke.")
    if r.comments is not None:
        parts.append("Kommentarer gengives kun med personoplysninger fjernet og aldrig fra en gruppe med færre end "
                     f"{a.min_n} besvarelser.")
    blocks: list[Block] = [Paragraph((Run("Metode. ", bold=True), Run(" ".join(parts))), "note")]
    for w in acc.warnings:
        blocks.append(Paragraph.of(f"Bemærk: {w}", "note"))
    return tuple(blocks)


def _rows_note(acc: DataAccount) -> list[str]:
    """How the rows read were used: left out (and why), and, with several periods, how many
    are in the analysed period and how many in earlier (trend only) or later periods."""
    excl = [f"{fmt.integer(n)} med {why}" for why, n in acc.rows_excluded.items()]
    text = f"{fmt.integer(acc.rows_read)} rækker blev indlæst" + (f"; {fmt.join_da(excl)} indgår ikke" if excl else "")
    if not acc.rows_earlier and not acc.rows_later:
        return [text + "."] if excl else []
    text += f". {'Af de øvrige' if excl else 'Heraf'} er {fmt.integer(acc.rows_period)} fra målingen {acc.period}"
    if acc.rows_earlier:
        text += f", og {fmt.integer(acc.rows_earlier)} fra tidligere målinger indgår kun i udviklingen over tid"
    if acc.rows_later:
        text += f"; {fmt.integer(acc.rows_later)} fra senere målinger indgår ikke"
    return [text + "."]


def _bilag(ctx: Context) -> tuple[Block, ...]:
    """The bilag list: the profile's own bilag documents first, then ``tekster.bilag``."""
    items = [t.split(": ", 1)[1] for t in ctx.attachment_titles] + list(ctx.case.tekster.bilag)
    if not items:
        return (Paragraph.of("Ingen bilag."),)
    return (ListBlock(tuple(Paragraph.of(b) for b in items), ordered=True),)


def _responsible(ctx: Context) -> tuple[Block, ...]:
    names = ctx.case.sag.ansvarlige
    if not names:
        return ()
    return (ListBlock(tuple(Paragraph.of(n) for n in names), ordered=False),)


BLOCK_BUILDERS: dict[str, Callable[[Context], tuple[Block, ...] | None]] = {
    "indstilling": _indstilling,
    "fund": _findings,
    "hovedfund": _main_findings,
    "henvisning_bilag": _bilag_reference,
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
    # analysis blocks (reportgen/analysis_blocks.py) and their figures
    **analysis_blocks.BLOCKS,
    "udviklingsfigur": _figure("udviklingsfigur"),
    "prioriteringsfigur": _figure("prioriteringsfigur"),
    # handleplan (reportgen/handleplan.py)
    "fordeling_samlet": handleplan.fordeling_samlet,
    "styrker_spoergsmaal": handleplan.styrker_spoergsmaal,
    "udfordringer_tiltag": handleplan.udfordringer_tiltag,
}
