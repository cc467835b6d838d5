"""Focus respondents → ``PriorityMap`` (prioriteringskort): each question's score against its importance.

* Score: the question's mean in the focus municipality (``analyse.prioritet.score:
  gennemsnit``) or its share positive (``andel_positive``). Means are only used when all
  questions on the map share one scale range; otherwise the share positive is used.
* Importance: Pearson's correlation, over the focus municipality's respondents who
  answered both, between the question and the overall satisfaction. The overall
  satisfaction is ``analyse.prioritet.maal`` (a question's id, number or column, or a
  theme; ``ingest.references.resolve_target``), by
  default the theme whose name begins with "Overordnet" (its questions are then not on
  the map); without such a theme, each question is correlated with the respondent's mean
  of the *other* questions of the overall index (corrected item-total correlation).
* A question needs at least ``max(prioritet.min_svar, min_n)`` such respondents.
* Quadrants split at the mean score and the mean importance of the questions on the map
  (a value equal to the mean counts as high), decided on the values as the document
  prints them (``shown``), so that a table row cannot contradict its own note: Styrker (high score, high importance),
  Udfordringer (low score, high importance), Vedligehold (high score, low importance),
  Lav prioritet (low score, low importance).
* Uncertainty: each correlation gets a 95 % interval by Fisher's z. The text names a
  question as an udfordring only when it lies in that quadrant *and* its interval lies
  entirely above the median importance (``PriorityItem.clearly_high``), again as printed:
  a lower bound printed as 0,57 is not "above" a median printed as 0,57.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from reportgen.core import fmt
from reportgen.core.templating import render_text
from reportgen.settings.case import Analyse
from reportgen.analysis.cellstats import SurveyArrays, overall_questions
from reportgen.analysis.estimates import Z95
from reportgen.ingest.targets import resolve_target
from reportgen.models.results import PriorityItem, PriorityMap, UnitResult
from reportgen.models.survey import Question

MIN_ITEMS = 3


def target_theme(themes: Sequence[str]) -> str | None:
    """The default overall-satisfaction theme: the first whose name begins with 'Overordnet'."""
    return next((t for t in themes if t.strip().lower().startswith(("overordnet", "samlet tilfredshed"))), None)


def priority_map(settings: Analyse, arrays: SurveyArrays, rows: np.ndarray, focus: UnitResult,
                 themes: Sequence[str]) -> PriorityMap | None:
    """The priority map for the respondents in ``rows`` (the focus municipality, latest
    period): the target, what each question is correlated with, each question's score and
    importance, then the quadrants. None when fewer than ``MIN_ITEMS`` questions qualify."""
    cfg = settings.prioritet
    questions = arrays.questions
    basis = _basis(cfg.maal, arrays, rows, themes)
    if basis is None:
        return None
    items, label, against = basis
    items = [j for j in items if not focus.questions[questions[j].id].suppressed]
    if len(items) < MIN_ITEMS:
        return None
    measure = cfg.score
    ranges = {(questions[j].scale.minimum, questions[j].scale.maximum) for j in items}
    if measure == "gennemsnit" and len(ranges) > 1:
        measure = "andel_positive"
    scored, excluded = _score(items, arrays, rows, focus, against, measure, max(cfg.min_svar, settings.min_n))
    if len(scored) < MIN_ITEMS:
        return None
    return _assemble(scored, excluded, label, measure)


Against = Callable[[int], np.ndarray]  # question index → what its answers are correlated with


def _basis(maal: str | None, arrays: SurveyArrays, rows: np.ndarray,
           themes: Sequence[str]) -> tuple[list[int], str, Against] | None:
    """The candidate questions (indexes), the target's label in the text, and what each
    question is correlated with: the target question, the target theme's score, or
    (without either) the respondent's mean of the other questions of the overall index.
    None when ``maal`` names a question that is not on the survey."""
    questions = arrays.questions
    by_id = {q.id: j for j, q in enumerate(questions)}
    theme = None
    target_q: int | None = None
    if (maal or "").strip():
        target = resolve_target(maal, questions, themes)  # checked by the loader (ingest.references)
        if target is None or (target.kind == "spoergsmaal" and target.name not in by_id):
            return None
        if target.kind == "spoergsmaal":
            target_q = by_id[target.name]
        else:
            theme = target.name
    else:
        theme = target_theme(themes)
        if theme is not None and all(q.theme == theme for q in questions):
            theme = None
    if target_q is not None:
        tq = questions[target_q]
        label = (render_text("prioritering_maal", "spoergsmaal", number=tq.number) if tq.number
                 else render_text("prioritering_maal", "spoergsmaal_uden_nummer", text=tq.text))
        fixed = arrays.values[target_q][rows]
        return [j for j in range(len(questions)) if j != target_q], label, lambda j: fixed
    if theme is not None:
        fixed = arrays.scores[arrays.measure_index(theme)][rows]
        return [j for j, q in enumerate(questions) if q.theme != theme], render_text("prioritering_maal", "tema", theme=theme), lambda j: fixed
    overall = {q.id for q in overall_questions(questions)}
    items = [j for j, q in enumerate(questions) if q.id in overall]
    return items, render_text("prioritering_maal", "samlet"), _rest_of_index(arrays, rows, list(items))


def _rest_of_index(arrays: SurveyArrays, rows: np.ndarray, index_cols: list[int]) -> Against:
    """Corrected item-total: for question ``j``, each respondent's mean of the *other*
    questions of the overall index (NaN where the respondent answered none of them)."""
    vals = [arrays.values[j][rows] for j in index_cols]
    cnt = np.sum([~np.isnan(v) for v in vals], axis=0)
    tot = np.sum([np.where(np.isnan(v), 0.0, v) for v in vals], axis=0)

    def against(j: int) -> np.ndarray:
        x = arrays.values[j][rows]
        own = ~np.isnan(x)
        rest_cnt = cnt - own
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(rest_cnt > 0, (tot - np.where(own, x, 0.0)) / np.maximum(rest_cnt, 1), np.nan)

    return against


def _score(items: list[int], arrays: SurveyArrays, rows: np.ndarray, focus: UnitResult, against: Against,
           measure: str, min_pairs: int) -> tuple[list[tuple[Question, float, float, int]], list[Question]]:
    """``(question, score, importance r, n pairs)`` of each question that has enough
    pairs and a score, and the questions left out."""
    questions = arrays.questions
    scored: list[tuple[Question, float, float, int]] = []
    excluded: list[Question] = []
    for j in items:
        q = questions[j]
        r, n = pearson(arrays.values[j][rows], against(j))
        if r is None or n < min_pairs:
            excluded.append(q)
            continue
        qr = focus.questions[q.id]
        score = qr.mean.value if measure == "gennemsnit" else qr.share_positive.value
        if score is None:
            excluded.append(q)
            continue
        scored.append((q, float(score), r, n))
    return scored, excluded


def _assemble(scored: list[tuple[Question, float, float, int]], excluded: list[Question], label: str,
              measure: str) -> PriorityMap:
    """The quadrants (split at the mean score and mean importance) and each item's interval."""
    s_split = float(np.mean([s for _, s, _, _ in scored]))
    i_split = float(np.mean([r for _, _, r, _ in scored]))
    i_median = float(np.median([r for _, _, r, _ in scored]))
    out = []
    for q, s, r, n in scored:
        low, high = fisher_ci(r, n)
        place = quadrant(shown_score(s, measure), shown(r), shown_score(s_split, measure), shown(i_split))
        out.append(PriorityItem(q, s, r, n, place, ci_low=low, ci_high=high,  # type: ignore[arg-type]
                                clearly_high=low is not None and shown(low) > shown(i_median)))
    return PriorityMap(items=tuple(out), score_split=s_split, importance_split=i_split, target=label,
                       score_measure=measure, excluded=tuple(excluded),  # type: ignore[arg-type]
                       importance_median=i_median)


def fisher_ci(r: float, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The 95 % interval of a Pearson correlation by Fisher's z (atanh r ± z / sqrt(n − 3))."""
    if n <= 3:
        return None, None
    centre = float(np.arctanh(np.clip(r, -0.999999, 0.999999)))
    half = z / float(np.sqrt(n - 3))
    return float(np.tanh(centre - half)), float(np.tanh(centre + half))


def shown(value: float, decimals: int = 2) -> float:
    """``value`` as the document prints it (``fmt.num``'s rounding): the priority map's
    cuts are made on these, so that no printed figure contradicts its field or mark."""
    return fmt.parse_num(fmt.num(value, decimals))


def shown_score(value: float, measure: str) -> float:
    """A score as printed: a mean with two decimals, a share positive as a whole percent."""
    return shown(value * 100, 0) if measure == "andel_positive" else shown(value)


def on_split_line(pm: PriorityMap, item: PriorityItem) -> bool:
    """Whether the item's printed score or importance equals the printed split it is cut at
    (it then counts as high, ``quadrant``), so that the text can say "på eller over"."""
    return (shown_score(item.score, pm.score_measure) == shown_score(pm.score_split, pm.score_measure)
            or shown(item.importance) == shown(pm.importance_split))


def quadrant(score: float, importance: float, score_split: float, importance_split: float) -> str:
    high_s, high_i = score >= score_split, importance >= importance_split
    if high_i:
        return "Styrker" if high_s else "Udfordringer"
    return "Vedligehold" if high_s else "Lav prioritet"


def pearson(x: np.ndarray, y: np.ndarray) -> tuple[float | None, int]:
    """Pearson's r over the pairs where both are valid, and the number of pairs."""
    ok = ~np.isnan(x) & ~np.isnan(y)
    n = int(ok.sum())
    if n < 3:
        return None, n
    a = x[ok] - x[ok].mean()
    b = y[ok] - y[ok].mean()
    den = float(np.sqrt((a * a).sum() * (b * b).sum()))
    if den <= 0:
        return None, n
    return float((a * b).sum() / den), n
