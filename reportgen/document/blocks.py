"""The generated blocks a profile may name (``blok:`` in a profile): name → builder.

Each builder takes the build's ``Context`` (case, results, findings, summary, figures and
the table/figure counter) and returns the blocks to insert, or None when it has nothing
(then a required item becomes a placeholder). ``BLOCK_BUILDERS`` is the registry the
profile checks names against; add a block here and document it in docs/profiler.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

from reportgen.analysis.analyze import OVERALL
from reportgen.charts.labels import caption_text, figure_caption
from reportgen.core import fmt
from reportgen.core.templating import label, render_text
from reportgen.document import analysis_blocks, handleplan
from reportgen.document.marks import DASH
from reportgen.narrative.words import number_word
from reportgen.models.document import Block, Figure, ListBlock, Paragraph, Run, Table
from reportgen.models.findings import Finding
from reportgen.models.results import Results
from reportgen.models.survey import DataAccount, Question, Scale
from reportgen.settings.case import CaseFile


def verdict_label(verdict: str | None) -> str:
    """The theme table's "Vurdering" cell: 'Over', 'Under', 'På niveau' (templates/text/etiketter.txt.j2)."""
    return DASH if verdict is None else label(f"vurdering_{verdict}")


@dataclasses.dataclass
class Counter:
    table: int = 0
    figure: int = 0


class Context:
    def __init__(self, case: CaseFile, results: Results, findings: tuple[Finding, ...], summary: Finding,
                 figures: Mapping[str, Figure], counter: Counter, attachment_titles: tuple[str, ...],
                 blocks: frozenset[str]):
        self.case, self.results, self.findings, self.summary = case, results, findings, summary
        self.figures, self.counter = figures, counter
        self.attachment_titles = attachment_titles  # "Bilag 1: …" of the profile's bilag documents
        self.blocks = blocks  # the generated blocks of the document being built





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
# rest are in the results bilag (block ``fund``). A tuple is a choice, the first present one:
# a survey without a comparison (a local survey) gives its highest and lowest theme instead
# of the themes against the average.
MAIN_FINDINGS = ("svarprocent", "samlet_niveau", ("tema_sammenligning", "hoejeste_laveste_tema"), "udvikling",
                 "forbehold")


def _main_findings(ctx: Context) -> tuple[Block, ...]:
    """The few findings that matter for the committee (``MAIN_FINDINGS``). The caveat on small
    groups in its short form (how many, and that the bilag shows them): the main document
    shows no group results, and the bilag names the groups with their numbers."""
    from reportgen.narrative.finding import render_finding

    by_kind = {f.kind: f for f in ctx.findings}
    if "forbehold" in by_kind:
        f = by_kind["forbehold"]
        bilag = ctx.attachment_titles[0].split(":")[0] if ctx.attachment_titles else ""  # "Bilag 1"
        by_kind["forbehold"] = render_finding("forbehold", {**f.values, "short": True, "bilag": bilag, "tal": number_word})
    chosen = (next((k for k in kind if k in by_kind), None) if isinstance(kind, tuple) else kind
              for kind in MAIN_FINDINGS)
    return tuple(Paragraph.of(by_kind[k].text) for k in chosen if k in by_kind)


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
    """Score per theme (and overall), with the benchmark, rank and verdict when there are any;
    caption, note and alt text from templates/text/tematabel.txt.j2."""
    r = ctx.results
    ctx.counter.table += 1
    bench, ranked = r.has_benchmark, bool(r.ranks)
    rows = []
    for key in (*r.themes, OVERALL):
        f = r.focus.overall if key == OVERALL else r.focus.themes[key].score
        b = r.benchmark.overall if key == OVERALL else r.benchmark.themes[key].score
        rank = r.ranks.get(key)
        row = [label("samlet_score") if key == OVERALL else key,
               f"{_score(f.value)} ({_score(b.value)})" if bench else _score(f.value),
               _ci(f), fmt.integer(f.n) if not f.suppressed else DASH]
        if ranked:
            row.append(render_text("tematabel", "placering", rank=rank.rank, of=rank.of) if rank else DASH)
        if bench:
            row.append(verdict_label(r.comparisons[key].verdict))
        rows.append(tuple(row))
    values = dict(n=ctx.counter.table, focus=r.focus.name, bench=r.benchmark_name if bench else "",
                  bench_source=r.benchmark_source, ranked=ranked, min_n=r.min_n,
                  scale=r.questions[0].scale if r.questions else None,
                  alpha=ctx.case.analyse.signifikansniveau, min_diff=ctx.case.analyse.min_forskel)
    columns = [label("tema"), f"{r.focus.name} ({r.benchmark_name.lower()})" if bench else r.focus.name,
               label("ki"), label("antal_svar")]
    align = ["left", "right", "right", "right"]
    if ranked:
        columns.append(label("placering"))
        align.append("right")
    if bench:
        columns.append(label("vurdering"))
        align.append("left")
    table = Table(
        caption=render_text("tematabel", "titel", **values),
        columns=tuple(columns), rows=tuple(rows), note=render_text("tematabel", "note", **values),
        align=tuple(align),  # type: ignore[arg-type]
        alt_text=render_text("tematabel", "alt", **values),
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
        values = dict(n=ctx.counter.table, title=bd.title, focus=r.focus.name, total=total,
                      bench=r.benchmark_name if bench_bd is not None else "",
                      one_scale=len({q.scale.name for q in r.questions}) == 1)
        columns = (bd.title, label("antal_svar"), label("andel_pct"), r.focus.name,
                   *((r.benchmark_name,) if bench_bd is not None else ()), label("positive_svar_pct"))
        out.append(Table(
            caption=render_text("gruppetabel", "titel", **values),
            columns=columns, rows=tuple(rows), note=render_text("gruppetabel", "note", **values),
            align=("left", *["right"] * (len(columns) - 1)),  # type: ignore[arg-type]
            alt_text=render_text("gruppetabel", "alt", **values),
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
    values = dict(n=ctx.counter.table, focus=r.focus.name, bench=r.benchmark_name if with_bench else "")
    return (Table(
        caption=render_text("spoergsmaalstabel", "titel", **values),
        columns=tuple(label(k) for k in ("nr", "spoergsmaal", "antal_svar", "gennemsnit", "andel_positive_pct")),
        rows=tuple(rows),
        note=_positive_note(r.questions),
        align=("left", "left", "right", "right", "right"),
        alt_text=render_text("spoergsmaalstabel", "alt", **values),
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
        caption = figure_caption(ctx.counter.figure, caption_text(fig.caption))
        return (dataclasses.replace(fig, caption=caption),)

    return build


# The blocks that show the priority map; the method note explains it only in a document that has one.
PRIORITY_BLOCKS = frozenset({"prioritering", "prioriteringsfigur", "prioriteringstabel", "udfordringer_tiltag",
                             "styrker_spoergsmaal"})


def _method(ctx: Context) -> tuple[Block, ...]:
    """The method note: a short summary of docs/metode.md for the data at hand
    (templates/text/metode.txt.j2), then a note per data warning. The priority map's rule
    is explained only where the document shows the map (``PRIORITY_BLOCKS``)."""
    r, a = ctx.results, ctx.case.analyse
    shows_map = r.priority is not None and bool(ctx.blocks & PRIORITY_BLOCKS)
    acc = r.account
    from_data = r.benchmark_source == "data"
    text = render_text(
        "metode", "metode",
        n_used=r.benchmark.n_respondents if from_data else r.focus.n_respondents,
        n_municipalities=r.n_municipalities if from_data else 0, n_municipalities_word=number_word(r.n_municipalities), n_focus=r.focus.n_respondents,
        focus=r.focus.name, period=r.period, rows=_rows_note(acc), bench=r.benchmark_name,
        bench_source=r.benchmark_source, bench_table=a.benchmark_tabel, bench_pooled=a.benchmark == "samlet",
        compares=r.has_benchmark or r.trend is not None, alpha=a.signifikansniveau, min_diff=a.min_forskel,
        min_diff_share=a.min_forskel_andel, periods=r.trend.periods if r.trend is not None else (),
        priority_target=render_text("betydning_maal", target=r.priority.target) if shows_map else "",
        min_n=a.min_n,
        comments=r.comments is not None)
    blocks: list[Block] = [Paragraph((Run(render_text("metode", "overskrift") + " ", bold=True), Run(text)), "note")]
    for w in acc.warnings:
        blocks.append(Paragraph.of(render_text("metode", "bemaerk", warning=w), "note"))
    return tuple(blocks)


def _rows_note(acc: DataAccount) -> str:
    """How the rows read were used: left out (and why), and, with several periods, how many
    are in the analysed period and how many in earlier (trend only) or later periods;
    '' when every row read is in the analysis."""
    excl = [render_text("metode", "udeladt", n=n, why=why) for why, n in acc.rows_excluded.items()]
    if not excl and not acc.rows_earlier and not acc.rows_later:
        return ""
    return render_text("metode", "raekker", read=acc.rows_read, excluded=excl, period=acc.period,
                       in_period=acc.rows_period, earlier=acc.rows_earlier, later=acc.rows_later)


def _bilag(ctx: Context) -> tuple[Block, ...]:
    """The bilag list: the profile's own bilag documents first, then ``tekster.bilag``."""
    items = [t.split(": ", 1)[1] for t in ctx.attachment_titles] + list(ctx.case.tekster.bilag)
    if not items:
        return (Paragraph.of(label("ingen_bilag")),)
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
