"""Results + findings → the document blocks of the deeper analysis.

Registered in ``reportgen.document.blocks.BLOCK_BUILDERS`` (so any profile can use them):

- ``respondentprofil``: who answered (n, gender, age). The general ``fund`` block holds
  this sentence too (after the response rate); use this block in profiles without ``fund``.
- ``udvikling``: the change since the previous period (and over all periods) in text and
  a table of the theme scores per period; nothing with fewer than two periods.
- ``udviklingstabel_spoergsmaal``: question means per period (for the Bilag).
- ``styrker``: the questions at or above ``analyse.styrke_graense`` pct. positive, the
  rest as calling for further development, and the highest and lowest question.
- ``prioritering``: the priority map's udfordringer (number and wording) and styrker.
- ``prioriteringstabel``: every question on the priority map with its quadrant, the udfordringer marked.
- ``gruppetematabel``: theme scores per group, one table per breakdown.
- ``kommentarer``: counts per theme and the selected quotes; only when opted in.

Blocks only lay out what ``Results`` and the findings hold: every number here comes
from them, formatted by ``reportgen.core.fmt``; suppressed figures show as "–".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportgen.core import fmt
from reportgen.core.templating import label, render_text
from reportgen.analysis.cellstats import OVERALL
from reportgen.analysis.comments import ALL as ALL_COMMENTS
from reportgen.analysis.priority import on_split_line
from reportgen.document.marks import CHALLENGE, DASH, NOT_ASKED
from reportgen.narrative.challenges import clear_challenges
from reportgen.models.document import Block, ListBlock, Paragraph, Run, Table
from reportgen.models.findings import Finding
from reportgen.models.results import Results



def change_label(verdict: str | None) -> str:
    """A trend table's "Vurdering" cell: 'Steget', 'Faldet', 'Uændret' (templates/text/etiketter.txt.j2)."""
    return DASH if verdict is None else label(f"aendring_{verdict}")


def _finding(ctx: Any, kind: str) -> Finding | None:
    return next((f for f in ctx.findings if f.kind == kind), None)


def _paragraph(ctx: Any, kind: str) -> list[Block]:
    f = _finding(ctx, kind)
    return [Paragraph.of(f.text)] if f is not None else []


def _num(value: float | None) -> str:
    return DASH if value is None else fmt.num(value)


def _period_cell(qr: Any) -> str:
    """A question's mean in one measurement: "·" when nobody there had the question
    (not in that export, or no valid answer at all), "–" when suppressed."""
    if qr is None or qr.n == 0:
        return NOT_ASKED
    return _num(qr.mean.value)


def _theme_cell(tr: Any) -> str:
    """A group's theme score: "·" when the group was not asked the theme's questions."""
    if tr is None or tr.n == 0:
        return NOT_ASKED
    return _num(tr.score.value)


def _signed(value: float | None) -> str:
    if value is None:
        return DASH
    text = fmt.num(value)
    return ("+" + text) if value > 0 and text.strip("0,") else text


def _table(ctx: Any, template: str, values: dict[str, Any], **kwargs: Any) -> Table:
    """The next numbered table; its caption, note and alt text are the blocks ``titel``, ``note``
    and ``alt`` of ``templates/text/<template>.txt.j2`` (given ``values`` and the number ``n``)."""
    ctx.counter.table += 1
    values = {**values, "n": ctx.counter.table}
    return Table(caption=render_text(template, "titel", **values), note=render_text(template, "note", **values),
                 alt_text=render_text(template, "alt", **values), **kwargs)


def share_text(share: float) -> str:
    """'69 pct.': a share in running text, whole percent as in the tables."""
    return fmt.pct_text(share, 0)


# --------------------------------------------------------------------------- blocks


def respondentprofil(ctx: Any) -> tuple[Block, ...]:
    return tuple(_paragraph(ctx, "respondentprofil"))


def udvikling(ctx: Any) -> tuple[Block, ...]:
    r: Results = ctx.results
    t = r.trend
    if t is None:
        return ()
    blocks: list[Block] = []
    for kind in ("udvikling", "udvikling_hele", "udvikling_spoergsmaal"):
        blocks += _paragraph(ctx, kind)
    prev = t.previous[OVERALL].from_period
    rows = []
    for key in (*r.themes, OVERALL):
        cells = []
        for pr in t.results:
            est = pr.focus.overall if key == OVERALL else pr.focus.themes[key].score
            cells.append(_num(est.value))
        c = t.previous[key]
        rows.append((label("samlet_score") if key == OVERALL else key, *cells, _signed(c.difference),
                     change_label(c.verdict)))
    rows.append((label("antal_svar"), *[fmt.integer(pr.focus.n_respondents) if pr.focus.n_respondents >= r.min_n else DASH
                                 for pr in t.results], "", ""))
    values = dict(focus=r.focus.name, periods=t.periods, previous=prev,
                  alpha=ctx.case.analyse.signifikansniveau, min_diff=ctx.case.analyse.min_forskel)
    blocks.append(_table(
        ctx, "udviklingstabel", values,
        columns=(label("tema"), *t.periods, render_text("udviklingstabel", "aendring_siden", previous=prev),
                 label("vurdering")), rows=tuple(rows),
        align=("left", *["right"] * len(t.periods), "right", "left")))
    return tuple(blocks)


def udviklingstabel_spoergsmaal(ctx: Any) -> tuple[Block, ...]:
    r: Results = ctx.results
    t = r.trend
    if t is None:
        return ()
    prev = t.previous[OVERALL].from_period
    rows = []
    for q in r.questions:
        cells = [_period_cell(pr.focus.questions.get(q.id)) for pr in t.results]
        c = t.previous[q.id]
        rows.append((q.number, q.text, *cells, _signed(c.difference), change_label(c.verdict)))
    return (_table(
        ctx, "udviklingstabel_spoergsmaal", dict(focus=r.focus.name, periods=t.periods),
        columns=(label("nr"), label("spoergsmaal"), *t.periods,
                 render_text("udviklingstabel", "aendring_siden", previous=prev), label("vurdering")),
        rows=tuple(rows), align=("left", "left", *["right"] * len(t.periods), "right", "left")),)


def _question_name(item: dict[str, Any]) -> str:
    """'Spørgsmål 4.3 »<text>«', as the sentences name a question: a bare number in front of
    a wording would read as a count ('8 Jobcentret …'); templates/text/spoergsmaal_navn.txt.j2."""
    return render_text("spoergsmaal_navn", number=item["number"], text=item["text"])


def _question_item(item: dict[str, Any]) -> Paragraph:
    """'Spørgsmål 4.3 »<text>« (26 pct. …)': the share as the finding words it (whole
    percent; the own-wording share of a reverse-coded question)."""
    return Paragraph((Run(_question_name(item)), Run(f" ({item['share_text']})")))


def styrker(ctx: Any) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for kind in ("styrker", "udviklingsomraader"):
        f = _finding(ctx, kind)
        if f is None:
            continue
        blocks.append(Paragraph.of(f.text))
        items = f.values.get("items") or []
        if items and f.values.get("listed", True):
            blocks.append(ListBlock(tuple(_question_item(i) for i in items)))  # type: ignore[union-attr]
    blocks += _paragraph(ctx, "hoejeste_laveste_spoergsmaal")
    return tuple(blocks)


def prioritering(ctx: Any) -> tuple[Block, ...]:
    f = _finding(ctx, "prioritering")
    if f is None:
        return ()
    r: Results = ctx.results
    blocks: list[Block] = [Paragraph.of(f.text)]
    items = f.values.get("items") or []
    if items:
        mean = (r.priority.score_measure if r.priority else "gennemsnit") == "gennemsnit"
        out = []
        for i in items:  # type: ignore[union-attr]
            numbers = render_text("prioriteringsliste", "punkt", mean=mean, importance=i["importance"],
                                  score=fmt.num(i["score"]) if mean else share_text(i["score"]),
                                  ci_low=i.get("ci_low"), ci_high=i.get("ci_high"))
            out.append(Paragraph((Run(_question_name(i)), Run(" " + numbers))))
        blocks.append(ListBlock(tuple(out)))
    blocks += _paragraph(ctx, "prioritering_styrker")
    return tuple(blocks)


def _quadrant_cell(quadrant: str) -> str:
    """'Lav score, høj betydning' that breaks, if at all, only after the comma (no-break spaces
    inside each half), so that a narrow column reads 'Lav score,' / 'høj betydning'."""
    name = render_text("figur_prioritering", "felt", quadrant=quadrant)
    return ", ".join(part.replace(" ", "\u00a0") for part in name.split(", "))


def prioriteringstabel(ctx: Any) -> tuple[Block, ...]:
    """Every question on the priority map. The column "Felt" names the quadrant by its position
    ("Lav score, høj betydning"); the questions the text calls udfordringer
    (``narrative.challenges.clear_challenges``) carry the mark ``CHALLENGE``, which the note
    explains only when a row has it."""
    r: Results = ctx.results
    pm = r.priority
    if pm is None:
        return ()
    order = {"Udfordringer": 0, "Styrker": 1, "Vedligehold": 2, "Lav prioritet": 3}
    items = sorted(pm.items, key=lambda i: (order[i.quadrant], -i.importance))
    marked = {i.question.id for i in clear_challenges(pm)}
    gennemsnit = pm.score_measure == "gennemsnit"
    rows = tuple((i.question.number, i.question.text, fmt.num(i.score) if gennemsnit else fmt.pct(i.score, 0),
                  fmt.num(i.importance), _quadrant_cell(i.quadrant) + (CHALLENGE if i.question.id in marked else ""))
                 for i in items)
    values = dict(focus=r.focus.name, mean=gennemsnit, importance_split=pm.importance_split,
                  against=render_text("betydning_maal", target=pm.target), mark=CHALLENGE if marked else "",
                  median=pm.importance_median, on_line=any(on_split_line(pm, i) for i in pm.items),
                  score_split=fmt.num(pm.score_split) if gennemsnit else fmt.pct_text(pm.score_split, 0))
    return (_table(ctx, "prioriteringstabel", values,
                   columns=tuple(label(k) for k in ("nr", "spoergsmaal", "score", "betydning", "felt")), rows=rows,
                   align=("left", "left", "right", "right", "left")),)


def gruppetematabel(ctx: Any) -> tuple[Block, ...]:
    r: Results = ctx.results
    out: list[Block] = []
    for bd in r.focus_groups.values():
        if len(bd.groups) < 2:
            continue
        rows = []
        for g in bd.groups:
            if g.suppressed:
                rows.append((g.name, DASH, *[DASH for _ in r.themes], DASH))
                continue
            rows.append((g.name, fmt.integer(g.n_respondents),
                         *[_theme_cell(g.themes.get(t)) for t in r.themes],
                         _num(g.overall.value)))
        out.append(_table(
            ctx, "gruppetematabel", dict(title=bd.title, focus=r.focus.name),
            columns=(bd.title, label("antal_svar"), *r.themes, label("samlet_score")), rows=tuple(rows),
            align=("left", "right", *["center"] * (len(r.themes) + 1))))  # centred headers may wrap
    return tuple(out)


def kommentarer(ctx: Any) -> tuple[Block, ...]:
    r: Results = ctx.results
    c = r.comments
    f = _finding(ctx, "kommentarer")
    if c is None or f is None:
        return ()
    blocks: list[Block] = [Paragraph.of(f.text)]
    if c.by_theme and not (len(c.by_theme) == 1 and c.by_theme[0].theme == ALL_COMMENTS):
        few = render_text("kommentartabel", "faa", min_n=c.min_n)
        rows = tuple((cc.theme, fmt.integer(cc.n) if cc.n is not None else few) for cc in c.by_theme)
        blocks.append(_table(
            ctx, "kommentartabel", dict(focus=r.focus.name, min_n=c.min_n),
            columns=(label("tema"), label("antal_kommentarer")), rows=rows, align=("left", "right")))
    if c.quotes:
        items = []
        for q in c.quotes:
            runs = [Run(f"»{q.text}«", italic=True)]
            if q.theme:
                runs.append(Run(f" ({q.theme})"))
            items.append(Paragraph(tuple(runs)))
        blocks.append(ListBlock(tuple(items)))
    return tuple(blocks)


BLOCKS: dict[str, Callable[[Any], tuple[Block, ...] | None]] = {
    "respondentprofil": respondentprofil,
    "udvikling": udvikling,
    "udviklingstabel_spoergsmaal": udviklingstabel_spoergsmaal,
    "styrker": styrker,
    "prioritering": prioritering,
    "prioriteringstabel": prioriteringstabel,
    "gruppetematabel": gruppetematabel,
    "kommentarer": kommentarer,
}
