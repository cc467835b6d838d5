"""Results → ``Finding`` values: Danish statements made by rules, worded by templates.

Each finding type has a rule function here (which numbers, which verdict) and one short
sentence template in ``templates/findings/<type>.txt.j2`` (the wording). Numbers are
formatted by the template filters from ``reportgen.core.fmt``; nothing is typed by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reportgen.core import fmt
from reportgen.analysis.analyze import OVERALL, overall_questions
from reportgen.settings.case import Analyse
from reportgen.models import Finding, Results, UnitResult
from reportgen.analysis.respondents import PLURAL
from reportgen.core.templating import render_template

VERDICT_ORDER = ("over", "paa_niveau", "under")
CAVEAT_N = 4  # groups with fewer than CAVEAT_N × min_n respondents get a caveat


# Finding kinds shown by their own document blocks rather than in the general "fund" block.
BLOCK_KINDS: dict[str, tuple[str, ...]] = {
    "udvikling": ("udvikling", "udvikling_hele", "udvikling_spoergsmaal"),
    "styrker": ("styrker", "udviklingsomraader", "hoejeste_laveste_spoergsmaal"),
    "prioritering": ("prioritering", "prioritering_styrker"),
    "kommentarer": ("kommentarer",),
}
OWN_BLOCK = frozenset(k for kinds in BLOCK_KINDS.values() for k in kinds)


def narrate(settings: Analyse, results: Results) -> tuple[Finding, ...]:
    """All findings: first the general ones in the order the Sagsfremstilling presents
    them, then those that have their own block (``BLOCK_KINDS``)."""
    rules: list[Callable[[Analyse, Results], Finding | None]] = [
        response_rate, respondent_profile, overall_level, theme_comparison, highest_lowest_theme, rank, *[
            _group_rule(col) for col in results.focus_groups], *[
            _group_benchmark_rule(col) for col in results.focus_groups], *[
            _group_theme_rule(col) for col in results.focus_groups], suppressed_groups, caveat_small_groups,
        trend_previous, trend_whole, trend_questions, strengths, development_areas,
        highest_lowest_question, priority, priority_strengths, comments,
    ]
    return tuple(f for f in (rule(settings, results) for rule in rules) if f is not None)


def summary(settings: Analyse, results: Results) -> Finding:
    """The generated Resumé paragraph."""
    verdicts = [results.comparisons[t].verdict for t in results.themes]
    values = dict(_base(results), n=results.focus.n_respondents, rr=results.response_rate_focus,
                  focus=results.focus.overall.value,
                  bench=results.benchmark.overall.value if results.has_benchmark else None,
                  n_over=verdicts.count("over"), n_under=verdicts.count("under"),
                  n_themes=len(results.themes))
    return _finding("resume", values)


def response_rate(settings: Analyse, results: Results) -> Finding:
    values = dict(_base(results), n=results.focus.n_respondents, invited=results.invited_focus,
                  rr=results.response_rate_focus, rr_bench=results.response_rate_benchmark,
                  n_munis=results.n_municipalities if results.has_benchmark else 1,
                  n_total=results.benchmark.n_respondents)
    return _finding("svarprocent", values)


def overall_level(settings: Analyse, results: Results) -> Finding | None:
    f, b = results.focus.overall.value, results.benchmark.overall.value
    if f is None or (b is None and results.has_benchmark):
        return None
    scale = overall_questions(results.questions)[0].scale
    values = dict(_base(results), focus=f, bench=b, verdict=results.comparisons[OVERALL].verdict,
                  p_value=results.comparisons[OVERALL].p_value, scale_min=scale.minimum, scale_max=scale.maximum)
    return _finding("samlet_niveau", values)


def theme_comparison(settings: Analyse, results: Results) -> Finding | None:
    by: dict[str, list[str]] = {v: [] for v in VERDICT_ORDER}
    for t in results.themes:
        c = results.comparisons[t]
        if c.verdict is not None:
            by[c.verdict].append(t)
    groups = [(v, by[v]) for v in VERDICT_ORDER if by[v]]
    if not groups:
        return None
    values = dict(_base(results), groups=groups, n_themes=len(results.themes),
                  verdicts={t: results.comparisons[t].verdict for t in results.themes})
    return _finding("tema_sammenligning", values)


def highest_lowest_theme(settings: Analyse, results: Results) -> Finding | None:
    scored = [(t, results.focus.themes[t].score.value) for t in results.themes
              if results.focus.themes[t].score.value is not None]
    if len(scored) < 2:
        return None
    high = max(scored, key=lambda x: x[1])
    low = min(scored, key=lambda x: x[1])
    return _finding("hoejeste_laveste_tema", dict(_base(results), high=high[0], high_value=high[1],
                                                  low=low[0], low_value=low[1]))


def rank(settings: Analyse, results: Results) -> Finding | None:
    r = results.ranks.get(OVERALL)
    if r is None or r.of < 3:
        return None
    best = [t for t in results.themes if t in results.ranks and results.ranks[t].rank == 1]
    worst = [t for t in results.themes if t in results.ranks and results.ranks[t].rank == results.ranks[t].of]
    return _finding("rang", dict(_base(results), rank=r.rank, of=r.of, best=best, worst=worst))


def _group_rule(col: str) -> Callable[[Analyse, Results], Finding | None]:
    def rule(settings: Analyse, results: Results) -> Finding | None:
        bd = results.focus_groups[col]
        shown = [g for g in bd.groups if not g.suppressed and g.overall.value is not None]
        if len(shown) < 3:
            return None
        rounded = sorted(shown, key=lambda g: -round(g.overall.value, 2))  # type: ignore[arg-type]
        top = round(rounded[0].overall.value, 2)  # type: ignore[arg-type]
        bottom = round(rounded[-1].overall.value, 2)  # type: ignore[arg-type]
        most = [g for g in rounded if round(g.overall.value, 2) == top]  # type: ignore[arg-type]
        least = [g for g in rounded if round(g.overall.value, 2) == bottom]  # type: ignore[arg-type]
        if len(most) == 1 and len(rounded) > 3:
            most = rounded[:2]
        if top == bottom:
            return None
        values = dict(_base(results), dimension=col, dimension_plural=_plural(bd.title),
                      most=[_lower_group(g) for g in most], most_values=[fmt.num(g.overall.value) for g in most],
                      least=[_lower_group(g) for g in least],
                      least_values=[fmt.num(g.overall.value) for g in least])
        return _finding("grupper", values)

    return rule


def suppressed_groups(settings: Analyse, results: Results) -> Finding | None:
    names = [_lower_group(g) for bd in results.focus_groups.values() for g in bd.groups if g.suppressed]
    if not names:
        return None
    return _finding("undertrykt", dict(_base(results), groups=names, min_n=results.min_n))


def caveat_small_groups(settings: Analyse, results: Results) -> Finding | None:
    limit = CAVEAT_N * results.min_n
    items = [f"{_lower_group(g)} (n = {fmt.integer(g.overall.n)})" for bd in results.focus_groups.values()
             for g in bd.groups if not g.suppressed and g.overall.value is not None and g.overall.n < limit]
    if not items:
        return None
    return _finding("forbehold", dict(_base(results), items=items, limit=limit))


# --------------------------------------------------------------------------- groups against the benchmark


def _group_benchmark_rule(col: str) -> Callable[[Analyse, Results], Finding | None]:
    """Which groups are more or less satisfied than the same groups in all municipalities."""

    def rule(settings: Analyse, results: Results) -> Finding | None:
        bd = results.focus_groups[col]
        if not bd.comparisons:
            return None
        over, under, level = [], [], []
        for name, c in bd.comparisons.items():
            label = PLURAL.get(name.strip().lower(), _lower_name(name)) if col == "koen" else _lower_name(name)
            item = {"name": label, "focus": c.focus, "bench": c.benchmark}
            {"over": over, "under": under}.get(c.verdict or "", level).append(item)  # type: ignore[arg-type]
        values = dict(_base(results), dimension=col, **_dimension(bd.title, len(bd.comparisons)),
                      over=over, under=under, level=[i["name"] for i in level], n_level=len(level),
                      n_compared=len(bd.comparisons))
        if len(bd.comparisons) < 2 and not (over or under):
            return None
        return _finding("grupper_benchmark", values)

    return rule


def _group_theme_rule(col: str) -> Callable[[Analyse, Results], Finding | None]:
    """'Alle målgrupper er mindst tilfredse inden for temaet Progression' when that holds."""

    def rule(settings: Analyse, results: Results) -> Finding | None:
        bd = results.focus_groups[col]
        shown = [g for g in bd.groups if not g.suppressed]
        if len(shown) < 2 or len(results.themes) < 2:
            return None
        lowest = set()
        for g in shown:
            scores = [(g.themes[t].score.value, t) for t in results.themes if t in g.themes]
            if any(v is None for v, _ in scores) or len(scores) != len(results.themes):
                return None
            low = min(v for v, _ in scores)  # type: ignore[type-var]
            lowest |= {t for v, t in scores if v == low}
            if len(lowest) > 1:
                return None
        if len(bd.groups) != len(shown):
            return None
        return _finding("grupper_tema", dict(_base(results), **_dimension(bd.title, len(shown)), theme=lowest.pop()))

    return rule


# --------------------------------------------------------------------------- respondent profile


FRACTIONS = ((1 / 4, "en fjerdedel"), (1 / 3, "en tredjedel"), (1 / 2, "halvdelen"), (2 / 3, "to tredjedele"),
             (3 / 4, "tre fjerdedele"), (1.0, "alle"))


def approx_fraction(share: float) -> str:
    """0.64 → 'knap to tredjedele', 0.52 → 'godt halvdelen', 0.5 → 'halvdelen'; '' when none fits."""
    frac, words = min(FRACTIONS, key=lambda f: abs(share - f[0]))
    d = share - frac
    if abs(d) < 0.005:
        return words
    if abs(d) > 0.035 or frac == 1.0:
        return ""
    return ("knap " if d < 0 else "godt ") + words


def respondent_profile(settings: Analyse, results: Results) -> Finding | None:
    prof = results.profile
    if prof is None or not prof.parts:
        return None
    parts = {p.column: {"label": p.label, "share": p.share, "approx": approx_fraction(p.share), "n": p.n}
             for p in prof.parts}
    return _finding("respondentprofil", dict(_base(results), n=prof.n, gender=parts.get("koen"),
                                            age=parts.get("alder")))


# --------------------------------------------------------------------------- trends

MAX_QUESTION_CHANGES = 3


def trend_previous(settings: Analyse, results: Results) -> Finding | None:
    t = results.trend
    if t is None:
        return None
    return _trend_finding("udvikling", "forrige", results, t.previous)


def trend_whole(settings: Analyse, results: Results) -> Finding | None:
    t = results.trend
    if t is None or t.first is t.previous or len(t.periods) < 3:
        return None
    return _trend_finding("udvikling_hele", "hele", results, t.first)


def _trend_finding(kind: str, scope: str, results: Results, changes: dict) -> Finding | None:  # type: ignore[type-arg]
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
    values = dict(_base(results), scope=scope, from_period=overall.from_period, to_period=overall.to_period,
                  before=overall.before, after=overall.after, verdict=overall.verdict, up=up, down=down,
                  level=level, n_level=len(level), n_themes=len(results.themes))
    f = _finding("udvikling", values)
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
    return _finding("udvikling_spoergsmaal", dict(
        _base(results), from_period=prev, up=up[:MAX_QUESTION_CHANGES], down=down[:MAX_QUESTION_CHANGES],
        more_up=max(0, len(up) - MAX_QUESTION_CHANGES), more_down=max(0, len(down) - MAX_QUESTION_CHANGES),
        all_up=up, all_down=down))


# --------------------------------------------------------------------------- strengths and development areas


def _question_shares(results: Results) -> list[dict[str, object]]:
    out = []
    for q in results.questions:
        qr = results.focus.questions.get(q.id)
        if qr is None or qr.suppressed or qr.share_positive.value is None:
            continue
        out.append({"id": q.id, "number": q.number or q.id, "text": q.text, "share": qr.share_positive.value,
                    "order": _order(q.number)})
    return out


def strengths(settings: Analyse, results: Results) -> Finding | None:
    items = _question_shares(results)
    if not items:
        return None
    limit = settings.styrke_graense
    chosen = sorted((i for i in items if _pct(i["share"]) >= limit),  # type: ignore[arg-type]
                    key=lambda i: (-i["share"], i["order"]))  # type: ignore[operator]
    return _finding("styrker", dict(_base(results), threshold=limit, n=len(chosen), items=chosen))


def development_areas(settings: Analyse, results: Results) -> Finding | None:
    items = _question_shares(results)
    if not items:
        return None
    limit = settings.styrke_graense
    chosen = sorted((i for i in items if _pct(i["share"]) < limit),  # type: ignore[arg-type]
                    key=lambda i: (i["share"], i["order"]))  # type: ignore[operator]
    if not chosen:
        return None
    return _finding("udviklingsomraader", dict(_base(results), threshold=limit, n=len(chosen), items=chosen))


def _pct(share: float) -> float:
    """The share in percent, nudged so that 7/10 counts as 70 pct. despite binary rounding."""
    return share * 100 + 1e-9


def highest_lowest_question(settings: Analyse, results: Results) -> Finding | None:
    items = _question_shares(results)
    if len(items) < 2:
        return None
    high = max(items, key=lambda i: (i["share"], [-x for x in i["order"]]))  # type: ignore[index, union-attr]
    low = min(items, key=lambda i: (i["share"], i["order"]))  # type: ignore[index]
    if high["share"] == low["share"]:
        return None
    return _finding("hoejeste_laveste_spoergsmaal", dict(_base(results), high=high, low=low))


# --------------------------------------------------------------------------- priority map


def priority(settings: Analyse, results: Results) -> Finding | None:
    pm = results.priority
    if pm is None:
        return None
    challenges = sorted((i for i in pm.items if i.quadrant == "Udfordringer"),
                        key=lambda i: (-i.importance, i.score, _order(i.question.number)))
    items = [{"id": i.question.id, "number": i.question.number or i.question.id, "text": i.question.text,
              "score": i.score, "importance": i.importance} for i in challenges]
    return _finding("prioritering", dict(_base(results), target=pm.target, score_measure=pm.score_measure,
                                         n=len(items), items=items))


def priority_strengths(settings: Analyse, results: Results) -> Finding | None:
    pm = results.priority
    if pm is None:
        return None
    chosen = sorted((i for i in pm.items if i.quadrant == "Styrker"), key=lambda i: _order(i.question.number))
    if not chosen:
        return None
    return _finding("prioritering_styrker", dict(_base(results),
                                                 numbers=[i.question.number or i.question.id for i in chosen]))


# --------------------------------------------------------------------------- comments


def comments(settings: Analyse, results: Results) -> Finding | None:
    c = results.comments
    if c is None:
        return None
    n = c.n_comments if c.n_comments >= c.min_n or c.n_comments == 0 else None
    return _finding("kommentarer", dict(_base(results), n=n, min_n=c.min_n, n_quotes=len(c.quotes)))


def _order(number: str) -> tuple[int, ...]:
    """'6.1' → (6, 1): question numbers in reading order."""
    return tuple(int(p) for p in re.findall(r"\d+", number or "")) or (0,)


def _dimension(title: str, n_groups: int = 3) -> dict[str, str]:
    """Words for a breakdown: singular with its article, plural, and 'alle …' for the whole."""
    known = {"målgruppe": ("den", "målgruppe", "målgrupper"), "alder": ("den", "aldersgruppe", "aldersgrupper"),
             "køn": ("det", "køn", "grupper")}
    key = title.strip().lower()
    article, singular, plural = known.get(key, ("den", "gruppe", "grupper"))
    noun = "køn" if key == "køn" else plural
    everyone = f"begge {noun}" if n_groups == 2 else f"alle {noun}"
    return {"article": article, "singular": singular, "plural": plural, "everyone": everyone}


def _lower_name(name: str) -> str:
    return name[0].lower() + name[1:] if name[:1].isupper() and not name[1:2].isupper() else name


def _base(results: Results) -> dict[str, object]:
    bench = results.benchmark_name
    return {"kommune": results.focus.name, "bench": None,
            "bench_lower": bench[0].lower() + bench[1:] if bench else bench}


def _finding(kind: str, values: dict[str, object]) -> Finding:
    text = render_template(f"findings/{kind}.txt.j2", **values).strip()
    text = re.sub(r"\bpct\.\.", "pct.", text)  # "39,4 pct." ending a sentence takes no second period
    return Finding(kind=kind, text=text, values={k: v for k, v in values.items() if k != "bench_lower"})


def _plural(title: str) -> str:
    return {"Målgruppe": "målgrupperne", "Køn": "kønnene", "Alder": "aldersgrupperne"}.get(title, title.lower())


def _lower_group(g: UnitResult) -> str:
    """Group names read in running text: 'Dagpengemodtagere' → 'dagpengemodtagere'."""
    name = g.name
    return name[0].lower() + name[1:] if name[:1].isupper() and not name[1:2].isupper() else name
