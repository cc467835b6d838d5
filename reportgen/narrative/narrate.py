"""Results → ``Finding`` values: Danish statements made by rules, worded by templates.

Each finding type has a rule function here (which numbers, which verdict) and one short
sentence template in ``templates/findings/<type>.txt.j2`` (the wording). Numbers are
formatted by the template filters from ``reportgen.core.fmt``; nothing is typed by hand.
"""

from __future__ import annotations

from collections.abc import Callable

from reportgen.analysis.analyze import OVERALL, overall_questions
from reportgen.analysis.priority import on_split_line, resolve_target, target_theme
from reportgen.core import fmt
from reportgen.core.templating import render_prose, render_text
from reportgen.models.findings import Finding
from reportgen.models.results import Results
from reportgen.narrative.challenges import clear_challenges, in_quadrant
from reportgen.narrative.finding import VERDICT_ORDER, base_values, question_order, render_finding
from reportgen.narrative.groups import (
    caveat_small_groups,
    group_benchmark_rule,
    group_rule,
    group_theme_rule,
    suppressed_groups,
)
from reportgen.narrative.words import approx_fraction, own_wording, scale_range
from reportgen.settings.case import Analyse


# Finding kinds shown by their own document blocks rather than in the general "fund" block.
BLOCK_KINDS: dict[str, tuple[str, ...]] = {
    "udvikling": ("udvikling", "udvikling_hele", "udvikling_spoergsmaal"),
    "styrker": ("styrker", "udviklingsomraader", "hoejeste_laveste_spoergsmaal"),
    "prioritering": ("prioritering", "prioritering_styrker"),
    "kommentarer": ("kommentarer",),
    "fordeling_samlet": ("samlet_fordeling",),
}
OWN_BLOCK = frozenset(k for kinds in BLOCK_KINDS.values() for k in kinds)


def narrate(settings: Analyse, results: Results) -> tuple[Finding, ...]:
    """All findings: first the general ones in the order the Sagsfremstilling presents
    them, then those that have their own block (``BLOCK_KINDS``)."""
    rules: list[Callable[[Analyse, Results], Finding | None]] = [
        response_rate, respondent_profile, overall_level, theme_comparison, highest_lowest_theme, rank, *[
            group_rule(col) for col in results.focus_groups], *[
            group_benchmark_rule(col) for col in results.focus_groups], *[
            group_theme_rule(col) for col in results.focus_groups], suppressed_groups, caveat_small_groups,
        trend_previous, trend_whole, trend_questions, strengths, development_areas,
        highest_lowest_question, priority, priority_strengths, comments, overall_distribution,
    ]
    return tuple(f for f in (rule(settings, results) for rule in rules) if f is not None)


def summary(settings: Analyse, results: Results) -> Finding:
    """The generated Resumé paragraph."""
    verdicts = [results.comparisons[t].verdict for t in results.themes]
    rng = scale_range(overall_questions(results.questions))
    values = dict(base_values(results, settings), n=results.focus.n_respondents, rr=results.response_rate_focus,
                  focus=results.focus.overall.value,
                  bench=results.benchmark.overall.value if results.has_benchmark else None,
                  verdict=results.comparisons[OVERALL].verdict if OVERALL in results.comparisons else None,
                  n_over=verdicts.count("over"), n_under=verdicts.count("under"),
                  n_themes=len(results.themes), scale_min=rng[0] if rng else None,
                  scale_max=rng[1] if rng else None, national=_national(results))
    return render_finding("resume", values)


def _national(results: Results) -> bool:
    """A national (cross-municipal) benchmark survey: the data holds several municipalities."""
    return results.has_benchmark and results.benchmark_source == "data" and results.n_municipalities > 1


def response_rate(settings: Analyse, results: Results) -> Finding:
    values = dict(base_values(results, settings), n=results.focus.n_respondents, invited=results.invited_focus,
                  rr=results.response_rate_focus, rr_bench=results.response_rate_benchmark,
                  n_munis=results.n_municipalities if results.has_benchmark else 1,
                  n_total=results.benchmark.n_respondents)
    return render_finding("svarprocent", values)


def overall_level(settings: Analyse, results: Results) -> Finding | None:
    f, b = results.focus.overall.value, results.benchmark.overall.value
    if f is None or (b is None and results.has_benchmark):
        return None
    rng = scale_range(overall_questions(results.questions))
    values = dict(base_values(results, settings), focus=f, bench=b, verdict=results.comparisons[OVERALL].verdict,
                  p_value=results.comparisons[OVERALL].p_value,
                  scale_min=rng[0] if rng else None, scale_max=rng[1] if rng else None)
    return render_finding("samlet_niveau", values)


def theme_comparison(settings: Analyse, results: Results) -> Finding | None:
    by: dict[str, list[str]] = {v: [] for v in VERDICT_ORDER}
    for t in results.themes:
        c = results.comparisons[t]
        if c.verdict is not None:
            by[c.verdict].append(t)
    groups = [(v, by[v]) for v in VERDICT_ORDER if by[v]]
    if not groups:
        return None
    values = dict(base_values(results, settings), groups=groups, n_themes=len(results.themes),
                  verdicts={t: results.comparisons[t].verdict for t in results.themes})
    return render_finding("tema_sammenligning", values)


def highest_lowest_theme(settings: Analyse, results: Results) -> Finding | None:
    scored = [(t, results.focus.themes[t].score.value) for t in results.themes
              if results.focus.themes[t].score.value is not None]
    if len(scored) < 2:
        return None
    high = max(scored, key=lambda x: x[1])
    low = min(scored, key=lambda x: x[1])
    return render_finding("hoejeste_laveste_tema", dict(base_values(results, settings), high=high[0], high_value=high[1],
                                                  low=low[0], low_value=low[1]))


def rank(settings: Analyse, results: Results) -> Finding | None:
    """The overall place among the municipalities. A first or last place is said with its
    evidence (is the score significantly over/under the average?); a theme's first or last
    place is named only when the theme's score is significantly over/under the average."""
    r = results.ranks.get(OVERALL)
    if r is None or r.of < 3:
        return None

    def verdict(key: str) -> str | None:
        c = results.comparisons.get(key)
        return c.verdict if c is not None else None

    ranked = [t for t in results.themes if t in results.ranks]
    best = [t for t in ranked if results.ranks[t].rank == 1 and verdict(t) == "over"]
    worst = [t for t in ranked if results.ranks[t].rank == results.ranks[t].of and verdict(t) == "under"]
    supported = verdict(OVERALL) == ("over" if r.rank == 1 else "under" if r.rank == r.of else None)
    return render_finding("rang", dict(base_values(results, settings), rank=r.rank, of=r.of, best=best, worst=worst,
                                       n_themes=len(results.themes), n_munis=results.n_municipalities,
                                       min_n=results.min_n, supported=supported))


# --------------------------------------------------------------------------- respondent profile


def respondent_profile(settings: Analyse, results: Results) -> Finding | None:
    prof = results.profile
    if prof is None or not prof.parts:
        return None
    parts = {p.column: {"label": p.label, "share": p.share, "approx": approx_fraction(p.share), "n": p.n}
             for p in prof.parts}
    return render_finding("respondentprofil", dict(base_values(results, settings), n=prof.n, gender=parts.get("koen"),
                                            age=parts.get("alder")))


# --------------------------------------------------------------------------- trends

MAX_QUESTION_CHANGES = 3


def trend_previous(settings: Analyse, results: Results) -> Finding | None:
    t = results.trend
    if t is None:
        return None
    return _trendrender_finding("udvikling", "forrige", results, t.previous)


def trend_whole(settings: Analyse, results: Results) -> Finding | None:
    t = results.trend
    if t is None or t.first is t.previous or len(t.periods) < 3:
        return None
    return _trendrender_finding("udvikling_hele", "hele", results, t.first)


def _trendrender_finding(kind: str, scope: str, results: Results, changes: dict) -> Finding | None:  # type: ignore[type-arg]
    overall = changes.get(OVERALL)
    if overall is None or overall.verdict is None:
        return None
    up, down, level = [], [], []
    for theme in results.themes:
        c = changes.get(theme)
        if c is None or c.verdict is None:
            continue
        item = {"name": theme, "before": c.before, "after": c.after}
        if c.verdict == "steget":
            up.append(item)
        elif c.verdict == "faldet":
            down.append(item)
        else:
            level.append(theme)
    values = dict(base_values(results), scope=scope, from_period=overall.from_period, to_period=overall.to_period,
                  before=overall.before, after=overall.after, verdict=overall.verdict, up=up, down=down,
                  level=level, n_level=len(level), n_themes=len(results.themes))
    f = render_finding("udvikling", values)
    return Finding(kind, f.text, f.values)


def trend_questions(settings: Analyse, results: Results) -> Finding | None:
    t = results.trend
    if t is None:
        return None
    changed = [(t.previous[q.id], q) for q in results.questions if q.id in t.previous
               and t.previous[q.id].verdict in ("steget", "faldet")]
    if not any(t.previous[q.id].verdict is not None for q in results.questions if q.id in t.previous):
        return None

    def items(verdict: str) -> list[dict[str, object]]:
        chosen = sorted((c for c in changed if c[0].verdict == verdict),
                        key=lambda c: (-abs(c[0].difference or 0.0), c[1].number))
        return [{"id": q.id, "number": q.number or q.id, "text": q.text, "before": c.before, "after": c.after}
                for c, q in chosen]

    up, down = items("steget"), items("faldet")
    prev = t.previous[OVERALL].from_period
    return render_finding("udvikling_spoergsmaal", dict(
        base_values(results, settings), from_period=prev, up=up[:MAX_QUESTION_CHANGES], down=down[:MAX_QUESTION_CHANGES],
        more_up=max(0, len(up) - MAX_QUESTION_CHANGES), more_down=max(0, len(down) - MAX_QUESTION_CHANGES),
        all_up=up, all_down=down))


# --------------------------------------------------------------------------- strengths and development areas


def _question_shares(results: Results) -> list[dict[str, object]]:
    """Every shown question with its share positive, the whole percent shown for it (the
    figure every threshold is decided on) and, for a reverse-coded question, the share
    answering at the positive end of its own wording (``own_share``, ``own_labels``)."""
    out = []
    for q in results.questions:
        qr = results.focus.questions.get(q.id)
        if qr is None or qr.suppressed or qr.share_positive.value is None:
            continue
        item: dict[str, object] = {
            "id": q.id, "number": q.number or q.id, "text": q.text, "share": qr.share_positive.value,
            "shown": shown_pct(qr.share_positive.value), "order": question_order(q.number), "reverse": q.reverse,
            "own_share": None, "own_labels": []}
        own = own_wording(q, qr)
        if own is not None:
            item["own_share"], item["own_labels"] = own
        item["share_text"] = render_prose("findings/_andel.txt.j2", item=item)
        out.append(item)
    return out


def shown_pct(share: float) -> int:
    """The whole percent printed for a share (fmt's rounding): thresholds are decided on it."""
    return int(fmt.parse_num(fmt.num(share * 100, 0)))


def strengths(settings: Analyse, results: Results) -> Finding | None:
    """The questions with at least ``styrke_graense`` pct. positive (decided on the whole
    percent shown). None when there is none: then every question is below, and the
    development areas say so in one sentence."""
    items = _question_shares(results)
    limit = settings.styrke_graense
    chosen = sorted((i for i in items if i["shown"] >= limit),  # type: ignore[operator]
                    key=lambda i: (-i["share"], i["order"]))  # type: ignore[operator]
    if not chosen:
        return None
    return render_finding("styrker", _threshold_values(results, settings, chosen, len(items)))


def development_areas(settings: Analyse, results: Results) -> Finding | None:
    items = _question_shares(results)
    limit = settings.styrke_graense
    chosen = sorted((i for i in items if i["shown"] < limit),  # type: ignore[operator]
                    key=lambda i: (i["share"], i["order"]))  # type: ignore[operator]
    if not chosen:
        return None
    return render_finding("udviklingsomraader", _threshold_values(results, settings, chosen, len(items)))


def _threshold_values(results: Results, settings: Analyse, chosen: list[dict[str, object]],
                      n_all: int) -> dict[str, object]:
    """The values of a threshold sentence. ``listed``: the questions are listed one by one,
    unless the sentence covers every question (then it says "alle 18 spørgsmål", and the
    table of all questions and the highest/lowest sentence give the figures)."""
    n = len(chosen)
    return dict(base_values(results, settings), threshold=settings.styrke_graense, n=n, items=chosen, n_all=n_all,
                listed=not (n == n_all and n > 1))


def highest_lowest_question(settings: Analyse, results: Results) -> Finding | None:
    items = _question_shares(results)
    if len(items) < 2:
        return None
    high = max(items, key=lambda i: (i["share"], [-x for x in i["order"]]))  # type: ignore[index, union-attr]
    low = min(items, key=lambda i: (i["share"], i["order"]))  # type: ignore[index]
    if high["shown"] == low["shown"]:
        return None
    return render_finding("hoejeste_laveste_spoergsmaal", dict(base_values(results, settings), high=high, low=low))


# --------------------------------------------------------------------------- priority map


def priority(settings: Analyse, results: Results) -> Finding | None:
    """The udfordringer (``narrative.challenges.clear_challenges``: low score, and an
    importance whose 95 % interval lies above the median importance); otherwise a sentence
    that the data cannot tell the questions apart."""
    pm = results.priority
    if pm is None:
        return None
    quadrant, challenges = in_quadrant(pm), clear_challenges(pm)
    items = [{"id": i.question.id, "number": i.question.number or i.question.id, "text": i.question.text,
              "score": i.score, "importance": i.importance, "ci_low": i.ci_low, "ci_high": i.ci_high}
             for i in challenges]
    n_pairs = [i.n for i in pm.items]
    against = render_text("betydning_maal", target=pm.target)
    return render_finding("prioritering", dict(base_values(results, settings), target=pm.target, against=against,
                                         score_measure=pm.score_measure, n=len(items), items=items,
                                         n_quadrant=len(quadrant), n_questions=len(pm.items),
                                         median=pm.importance_median, n_min=min(n_pairs), n_max=max(n_pairs),
                                         n_clear=sum(1 for i in pm.items if i.clearly_high)))


def priority_strengths(settings: Analyse, results: Results) -> Finding | None:
    pm = results.priority
    if pm is None:
        return None
    chosen = sorted((i for i in pm.items if i.quadrant == "Styrker"), key=lambda i: question_order(i.question.number))
    if not chosen:
        return None
    return render_finding("prioritering_styrker", dict(base_values(results, settings),
                                                 numbers=[i.question.number or i.question.id for i in chosen],
                                                 on_line=any(on_split_line(pm, i) for i in chosen),
                                                 n_clear=sum(1 for i in pm.items if i.clearly_high)))


# --------------------------------------------------------------------------- the overall-satisfaction question


def overall_question(settings: Analyse, results: Results):  # type: ignore[no-untyped-def]
    """The survey's own overall-satisfaction question: ``analyse.prioritet.maal`` when it
    names a question (id, number or column), else the first question of the theme it names
    or of the theme whose name begins with "Overordnet"/"Samlet tilfredshed"; None without one."""
    target = resolve_target(settings.prioritet.maal, results.questions, results.themes)
    if target is not None and target.kind == "spoergsmaal":
        return next(q for q in results.questions if q.id == target.name)
    theme = target.name if target is not None else target_theme(results.themes)
    return next((q for q in results.questions if theme is not None and q.theme == theme), None)


def overall_distribution(settings: Analyse, results: Results) -> Finding | None:
    """'Samlet set har 68 pct. svaret »tilfreds« eller »meget tilfreds« …': the distribution of
    the overall-satisfaction question itself (the handleplan's "samlet set")."""
    q = overall_question(settings, results)
    qr = results.focus.questions.get(q.id) if q is not None else None
    if q is None or qr is None or qr.suppressed or not qr.n:
        return None
    labels = lambda kind: [q.scale.labels[q.scale.values.index(v)].lower()  # noqa: E731
                           for v in sorted(kind, reverse=True)]
    counts = dict(zip(q.scale.values, qr.counts))
    part = lambda kind: sum(counts.get(v, 0) for v in kind) / qr.n  # noqa: E731
    scale = q.scale
    parts = [{"share": part(scale.positive), "labels": labels(scale.positive)}]
    if scale.neutral:
        parts.append({"share": part(scale.neutral), "labels": labels(scale.neutral)})
    parts.append({"share": part(scale.negative), "labels": labels(scale.negative)})
    return render_finding("samlet_fordeling", dict(base_values(results, settings), number=q.number or q.id, text=q.text,
                                             n=qr.n, parts=parts, reverse=q.reverse))


# --------------------------------------------------------------------------- comments


def comments(settings: Analyse, results: Results) -> Finding | None:
    c = results.comments
    if c is None:
        return None
    n = c.n_comments if c.n_comments >= c.min_n or c.n_comments == 0 else None
    return render_finding("kommentarer", dict(base_values(results, settings), n=n, min_n=c.min_n, n_quotes=len(c.quotes)))



