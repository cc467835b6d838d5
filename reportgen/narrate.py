"""Results → ``Finding`` values: Danish statements made by rules, worded by templates.

Each finding type has a rule function here (which numbers, which verdict) and one short
sentence template in ``templates/findings/<type>.txt.j2`` (the wording). Numbers are
formatted by the template filters from ``reportgen.fmt``; nothing is typed by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reportgen import fmt
from reportgen.analyze import OVERALL, overall_questions
from reportgen.case import Analyse
from reportgen.models import Finding, Results, UnitResult
from reportgen.templating import render_template

VERDICT_ORDER = ("over", "paa_niveau", "under")
CAVEAT_N = 4  # groups with fewer than CAVEAT_N × min_n respondents get a caveat


def narrate(settings: Analyse, results: Results) -> tuple[Finding, ...]:
    """All findings in the order the Sagsfremstilling presents them."""
    rules: list[Callable[[Analyse, Results], Finding | None]] = [
        response_rate, overall_level, theme_comparison, highest_lowest_theme, rank, *[
            _group_rule(col) for col in results.focus_groups], suppressed_groups, caveat_small_groups,
    ]
    return tuple(f for f in (rule(settings, results) for rule in rules) if f is not None)


def summary(settings: Analyse, results: Results) -> Finding:
    """The generated Resumé paragraph."""
    verdicts = [results.comparisons[t].verdict for t in results.themes]
    values = dict(_base(results), n=results.focus.n_respondents, rr=results.response_rate_focus,
                  focus=results.focus.overall.value, bench=results.benchmark.overall.value,
                  n_over=verdicts.count("over"), n_under=verdicts.count("under"),
                  n_themes=len(results.themes))
    return _finding("resume", values)


def response_rate(settings: Analyse, results: Results) -> Finding:
    values = dict(_base(results), n=results.focus.n_respondents, invited=results.invited_focus,
                  rr=results.response_rate_focus, rr_bench=results.response_rate_benchmark,
                  n_munis=results.n_municipalities, n_total=results.benchmark.n_respondents)
    return _finding("svarprocent", values)


def overall_level(settings: Analyse, results: Results) -> Finding | None:
    f, b = results.focus.overall.value, results.benchmark.overall.value
    if f is None or b is None:
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
