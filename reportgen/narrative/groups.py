"""Results → the findings about groups (a background column's breakdown, e.g. målgruppe):
the highest and lowest group, groups against the same groups in the benchmark, a theme
every group scores lowest on, suppressed groups and the caveat on small groups."""

from __future__ import annotations

from collections.abc import Callable

from reportgen.analysis.analyze import overall_questions
from reportgen.analysis.estimates import verdict_for, welch_p
from reportgen.core import fmt
from reportgen.models.findings import Finding
from reportgen.models.results import Results
from reportgen.narrative.finding import base_values, render_finding
from reportgen.narrative.words import dimension_words, person_form, scale_word
from reportgen.settings.case import Analyse


def group_rule(col: str) -> Callable[[Analyse, Results], Finding | None]:
    """Highest and lowest group on the overall score, named only when the difference
    between them is significant by the documented test (Welch, ``signifikansniveau``,
    ``min_forskel``). Groups under ``analyse.min_gruppe`` respondents are left out of
    the ranking (the ``forbehold`` finding names them)."""

    def rule(settings: Analyse, results: Results) -> Finding | None:
        bd = results.focus_groups[col]
        shown = [g for g in bd.groups if not g.suppressed and g.overall.value is not None]
        ranked = [g for g in shown if g.overall.n >= settings.min_gruppe]
        left_out = [g for g in shown if g.overall.n < settings.min_gruppe]
        if len(ranked) < 2:
            return None
        key = lambda g: fmt.parse_num(fmt.num(g.overall.value))  # noqa: E731  (the value shown)
        top, bottom = max(key(g) for g in ranked), min(key(g) for g in ranked)
        most = [g for g in ranked if key(g) == top]
        least = [g for g in ranked if key(g) == bottom]
        hi, lo = most[0].overall, least[0].overall
        p = welch_p(hi.n, hi.value, (hi.sd or 0.0) ** 2 if hi.sd is not None else None,
                    lo.n, lo.value, (lo.sd or 0.0) ** 2 if lo.sd is not None else None)
        verdict = verdict_for(hi.value - lo.value, p, settings.signifikansniveau,  # type: ignore[operator]
                              settings.min_forskel) if top != bottom else "paa_niveau"
        significant = verdict == "over" and len(most) == 1 and len(least) == 1
        people = lambda gs: [person_form(g.name, col, settings.personformer) for g in gs]  # noqa: E731
        values = dict(base_values(results, settings), dimension=col, **dimension_words(bd.title, len(ranked)),
                      most=people(most), most_value=hi.value, least=people(least), least_value=lo.value,
                      significant=significant, p_value=p, n_ranked=len(ranked),
                      left_out=people(left_out), min_gruppe=settings.min_gruppe,
                      word=scale_word(overall_questions(results.questions)))
        return render_finding("grupper", values)

    return rule


def suppressed_groups(settings: Analyse, results: Results) -> Finding | None:
    names = [person_form(g.name, col, settings.personformer) for col, bd in results.focus_groups.items()
             for g in bd.groups if g.suppressed]
    if not names:
        return None
    return render_finding("undertrykt", dict(base_values(results, settings), groups=names, min_n=results.min_n))


def caveat_small_groups(settings: Analyse, results: Results) -> Finding | None:
    limit = settings.min_gruppe
    items = [{"name": person_form(g.name, col, settings.personformer), "n": g.overall.n}
             for col, bd in results.focus_groups.items()
             for g in bd.groups if not g.suppressed and g.overall.value is not None and g.overall.n < limit]
    if not items:
        return None
    return render_finding("forbehold", dict(base_values(results, settings), items=items, limit=limit, short=False,
                                            bilag=""))


def group_benchmark_rule(col: str) -> Callable[[Analyse, Results], Finding | None]:
    """Which groups are more or less satisfied than the same groups in the benchmark. A
    group under ``analyse.min_gruppe`` respondents is in no "mere/mindre" or "på niveau"
    statement: the sentence says it is too small to compare (as in the ranking)."""

    def rule(settings: Analyse, results: Results) -> Finding | None:
        bd = results.focus_groups[col]
        if not bd.comparisons:
            return None
        size = {g.name: g.overall.n for g in bd.groups}
        people = lambda name: person_form(name, col, settings.personformer)  # noqa: E731
        over, under, level, left_out = [], [], [], []
        for name, c in bd.comparisons.items():
            if size.get(name, 0) < settings.min_gruppe:
                left_out.append(people(name))
                continue
            item = {"name": people(name), "focus": c.focus, "bench": c.benchmark}
            {"over": over, "under": under}.get(c.verdict or "", level).append(item)  # type: ignore[arg-type]
        compared = len(over) + len(under) + len(level)
        values = dict(base_values(results, settings), dimension=col, **dimension_words(bd.title, max(compared, 1)),
                      over=over, under=under, level=[i["name"] for i in level], n_level=len(level),
                      n_compared=compared, left_out=left_out, min_gruppe=settings.min_gruppe,
                      word=scale_word(overall_questions(results.questions)))
        if compared < 2 and not (over or under) and not left_out:
            return None
        return render_finding("grupper_benchmark", values)

    return rule


def group_theme_rule(col: str) -> Callable[[Analyse, Results], Finding | None]:
    """'For alle målgrupper i X er scoren lavest inden for temaet Progression' when that holds
    for every group with at least ``analyse.min_gruppe`` respondents (at least two), on the
    scores as the group table prints them (a printed tie is no "lavest"). Smaller groups are
    not counted, and the sentence then says "med mindst 30 besvarelser"; a suppressed group
    means there is no "alle"."""

    def rule(settings: Analyse, results: Results) -> Finding | None:
        bd = results.focus_groups[col]
        shown = [g for g in bd.groups if not g.suppressed]
        counted = [g for g in shown if g.overall.n >= settings.min_gruppe]
        if len(counted) < 2 or len(results.themes) < 2 or len(bd.groups) != len(shown):
            return None
        lowest = set()
        for g in counted:
            scores = [(g.themes[t].score.value, t) for t in results.themes if t in g.themes]
            if any(v is None for v, _ in scores) or len(scores) != len(results.themes):
                return None
            printed = [(fmt.parse_num(fmt.num(v)), t) for v, t in scores]
            low = min(v for v, _ in printed)
            lowest |= {t for v, t in printed if v == low}
            if len(lowest) > 1:
                return None
        return render_finding("grupper_tema", dict(base_values(results, settings), **dimension_words(bd.title, len(counted)),
                                                   theme=lowest.pop(), left_out=len(counted) < len(shown),
                                                   min_gruppe=settings.min_gruppe))

    return rule
