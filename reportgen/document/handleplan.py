"""Results → the generated blocks of an action plan (profile ``handleplan``).

Three blocks, registered in ``reportgen.document.blocks.BLOCK_BUILDERS``:

- ``fordeling_samlet``: the overall-satisfaction question's own distribution (finding
  ``samlet_fordeling``); only a survey without such a question gets, instead, the distribution of all the focus
  municipality's valid answers over the scales' positive, neutral and negative categories.
- ``styrker_spoergsmaal``: the strengths — the priority map's "Styrker" quadrant, or
  without a priority map the questions with at least ``analyse.styrke_graense`` pct.
  positive answers — highest share positive first.
- ``udfordringer_tiltag``: the udfordringer and, under each, room for the actions the
  job centre writes. A heading "Udfordring 1: 4.2 <spørgsmålets tekst>", a note with
  the question's numbers, then the hand-written text ``tekster.ekstra.tiltag_<id>``
  (``tiltag_q4_2``) or, while it is missing, a placeholder — which a final build refuses.

The udfordringer come from the priority map (``Results.priority``) by the same rule as the
priority-map text (``narrative.challenges.clear_challenges``): the questions in its
"Udfordringer" quadrant (low score, high importance) whose importance is clearly above the
median (the 95 % interval does not cross it), most important first. When the map names none
(its intervals all cross the median) or there is no map (too few respondents, or no
overall-satisfaction measure), the note says so and the ``FALLBACK_COUNT`` questions with
the lowest share positive stand as "Indsatsområde 1 …" instead.

Every number comes from ``Results``; suppressed questions are never shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportgen.analysis.priority import on_split_line
from reportgen.core.templating import render_text
from reportgen.document.mdtext import parse_blocks
from reportgen.narrative.challenges import clear_challenges, in_quadrant
from reportgen.narrative.words import number_word, own_wording
from reportgen.models.document import Block, Heading, ListBlock, Paragraph, Run
from reportgen.models.results import QuestionResult, Results
from reportgen.models.survey import Question

FALLBACK_COUNT = 3
TILTAG_PREFIX = "tiltag_"


@dataclass(frozen=True)
class Udfordring:
    question: Question
    importance: float | None  # None when chosen without a priority map
    ci_low: float | None = None  # the importance's 95 % interval (Fisher z)
    ci_high: float | None = None


def fordeling_samlet(ctx: Any) -> tuple[Block, ...]:
    """The overall-satisfaction question's own distribution (finding ``samlet_fordeling``)
    when the survey has one; otherwise 'Samlet set ligger 62 pct. af de gyldige svar i de
    positive kategorier …' over all questions."""
    own = next((f for f in ctx.findings if f.kind == "samlet_fordeling"), None)
    if own is not None:
        return (Paragraph.of(own.text),)
    r: Results = ctx.results
    pos = neu = neg = 0
    scales = {}
    n_questions = 0
    for q in r.questions:
        qr = r.focus.questions.get(q.id)
        if qr is None or qr.suppressed or not sum(qr.counts):
            continue
        n_questions += 1
        scales[q.scale.name] = q.scale
        for value, count in zip(q.scale.values, qr.counts):
            if value in q.scale.positive:
                pos += count
            elif value in q.scale.negative:
                neg += count
            else:
                neu += count
    total = pos + neu + neg
    if total == 0:
        return ()
    labels: tuple[list[str], ...] = ([], [], [])
    if len(scales) == 1:
        scale = next(iter(scales.values()))
        labels = tuple(_labels(scale, kind) for kind in (scale.positive, scale.neutral, scale.negative))
    text = render_text("handleplan_fordeling", pos=pos / total, neu=neu / total, neg=neg / total,
                       pos_labels=labels[0], neu_labels=labels[1], neg_labels=labels[2], total=total,
                       focus=r.focus.name, n_questions=n_questions)
    return (Paragraph.of(text),)


def styrker_spoergsmaal(ctx: Any) -> tuple[Block, ...]:
    """The strengths: the priority map's 'Styrker' (high score, high importance), or —
    without a priority map — the questions with at least ``analyse.styrke_graense`` pct.
    positive answers. Highest share positive first."""
    r: Results = ctx.results
    pm = getattr(r, "priority", None)
    in_map = [i for i in pm.items if i.quadrant == "Styrker"] if pm is not None else []
    if pm is not None:
        chosen = [i.question for i in in_map]
        limit = None
    else:
        limit = float(ctx.case.analyse.styrke_graense)
        chosen = [q for q in r.questions
                  if (_share(r.focus.questions.get(q.id)) or 0.0) * 100 >= limit]
    found = [(share, q) for q in chosen if (share := _share(r.focus.questions.get(q.id))) is not None]
    if not found:
        return (Paragraph.of(render_text("handleplan_styrker", "ingen", from_map=pm is not None, limit=limit)),)
    found.sort(key=lambda t: (-t[0], _order(t[1])))
    items = tuple(
        Paragraph((Run(q.text, italic=True),
                   Run(" " + render_text("handleplan_styrker", "punkt", number=q.number or q.id, share=share))))
        for share, q in found)
    lead = render_text("handleplan_styrker", "indledning", from_map=pm is not None, limit=limit,
                       on_line=any(on_split_line(pm, i) for i in in_map),
                       n_clear=sum(1 for i in pm.items if i.clearly_high) if pm is not None else 0)
    return (Paragraph.of(lead), ListBlock(items, ordered=False))


def udfordringer(results: Results) -> tuple[tuple[Udfordring, ...], bool]:
    """The udfordringer and whether they come from the priority map.

    From the map: the questions ``narrative.challenges.clear_challenges`` names (the same
    rule as the priority-map text: the Udfordringer quadrant, importance clearly above the
    median). Without a map, or when the map names none, the ``FALLBACK_COUNT`` questions
    with the lowest share positive stand instead (shown as "Indsatsområde")."""
    pm = getattr(results, "priority", None)
    if pm is not None:
        found = tuple(Udfordring(i.question, i.importance, i.ci_low, i.ci_high) for i in clear_challenges(pm)
                      if _share(results.focus.questions.get(i.question.id)) is not None)
        if found:
            return found, True
    ranked = []
    for q in results.questions:
        share = _share(results.focus.questions.get(q.id))
        if share is not None:
            ranked.append((share, _order(q), q))
    ranked.sort(key=lambda t: (t[0], t[1]))
    return tuple(Udfordring(q, None) for _, _, q in ranked[:FALLBACK_COUNT]), False


def _intro(r: Results, found: tuple[Udfordring, ...], from_map: bool) -> str:
    """The note before the udfordringer (``templates/text/handleplan_udfordringer.txt.j2``)."""
    pm = r.priority
    if pm is None:
        source = "uden_kort"
    elif from_map:
        source = "kort"
    else:
        source = "uskarpt" if in_quadrant(pm) else "tomt"
    return render_text("handleplan_udfordringer", source=source, median=pm.importance_median if pm else None,
                       n_quadrant=len(in_quadrant(pm)) if pm else 0, fallback=len(found),
                       tal=number_word, cap=lambda t: t[:1].upper() + t[1:])


def udfordringer_tiltag(ctx: Any) -> tuple[Block, ...]:
    """Per udfordring (or, without clear udfordringer, per indsatsområde): heading, its
    numbers, and the actions (or a placeholder)."""
    r: Results = ctx.results
    found, from_map = udfordringer(r)
    intro = _intro(r, found, from_map)
    if not found:
        return (Paragraph.of(intro, "note"), Paragraph.of(render_text("handleplan_tiltag", "ingen")))
    blocks: list[Block] = [Paragraph.of(intro, "note")]
    extra = ctx.case.tekster.ekstra
    for i, u in enumerate(found, start=1):
        q = u.question
        heading = render_text("handleplan_tiltag", "overskrift", from_map=from_map, i=i, text=q.text,
                              number=q.number or q.id)
        blocks.append(Heading(heading, 3))
        blocks.append(Paragraph.of(_numbers(r, q, u), "note"))
        key = tiltag_key(q)
        text = extra.get(key)
        if text is not None and text.strip():
            blocks.extend(parse_blocks(text))
        else:
            placeholder = render_text("handleplan_tiltag", "mangler", from_map=from_map, i=i, key=key)
            blocks.append(Paragraph((Run(placeholder),), "placeholder"))
    return tuple(blocks)


def tiltag_key(q: Question) -> str:
    """The ``tekster.ekstra`` key for a question's actions: ``tiltag_q4_2``."""
    return TILTAG_PREFIX + re.sub(r"[^0-9a-zA-Z_]+", "_", q.id).strip("_").lower()


def _numbers(r: Results, q: Question, u: Udfordring) -> str:
    """The note under an udfordring's heading (block ``tal`` of handleplan_tiltag.txt.j2),
    with a reverse-coded question's share for its own wording as the findings give it."""
    f, b = r.focus.questions[q.id], r.benchmark.questions.get(q.id)
    own_share, own_labels = own_wording(q, f) or (None, [])
    with_bench = (b is not None and not b.suppressed and b.share_positive.value is not None
                  and r.n_municipalities > 1)
    return render_text("handleplan_tiltag", "tal", number=q.number or q.id, share=f.share_positive.value,
                       own_share=own_share, own_labels=own_labels, mean=f.mean.value, n=f.n, bench=r.benchmark_name if with_bench else "",
                       bench_share=b.share_positive.value if with_bench else None,
                       bench_mean=b.mean.value if with_bench else None, importance=u.importance,
                       ci_low=u.ci_low, ci_high=u.ci_high)


def _share(qr: QuestionResult | None) -> float | None:
    if qr is None or qr.suppressed or qr.share_positive.suppressed:
        return None
    return qr.share_positive.value


def _order(q: Question) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"\D+", q.number) if p) or (0,)


def _labels(scale: Any, values: frozenset[float]) -> list[str]:
    """The labels of ``values`` on ``scale``, in the scale's order."""
    return [scale.label_of(v) for v in scale.values if v in values]
