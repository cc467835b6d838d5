"""Words the finding templates need: group labels as people, numbers as words, the
adjective a scale calls for, and the benchmark as a comparison.

The vocabulary itself lives in ``templates/findings/ordliste.yaml``; a case file adds or
overrides person forms under ``analyse.personformer`` (label → form). Nothing here writes
a sentence: the templates do.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import cache
from typing import Any

import yaml

from reportgen.analysis.respondents import age_bounds
from reportgen.core.resources import templates_dir
from reportgen.models.results import QuestionResult
from reportgen.models.survey import Question


@cache
def vocabulary() -> dict[str, Any]:
    with open(templates_dir() / "findings" / "ordliste.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _key(label: str) -> str:
    return " ".join(str(label).split()).casefold()


def person_form(label: str, column: str = "", overrides: Mapping[str, str] | None = None) -> str:
    """'Jobafklaring' → 'borgere i jobafklaring'; '30-39 år' → 'borgere på 30-39 år'.

    Order: the case file's ``analyse.personformer``, the vocabulary's known groups, age
    bands (in the ``alder`` column or any label that reads as one), then a phrase naming
    the group by its label.
    """
    voc = vocabulary()
    key = _key(label)
    for table in (overrides or {}, voc["personformer"]):
        found = {_key(k): v for k, v in table.items()}.get(key)
        if found:
            return str(found)
    bounds = age_bounds(str(label))
    if bounds is not None and (column == "alder" or any(ch.isdigit() for ch in str(label))):
        low, high = bounds
        if math.isinf(high):
            return voc["alder"]["over"].format(low=int(low))
        if low <= 0:
            return voc["alder"]["under"].format(high=int(high) + 1)
        return voc["alder"]["spaend"].format(low=int(low), high=int(high))
    unknown = voc["ukendt"]
    return str(unknown.get(column, unknown["standard"])).format(name=str(label).strip())


def number_word(n: int, neuter: bool = False) -> str:
    """6 → 'seks', 1 → 'en'/'et'; numbers above twelve as digits (Danish house style)."""
    if n == 1:
        return "et" if neuter else "en"
    return str(vocabulary()["tal"].get(n, n))


def scale_word(questions: Iterable[Question]) -> str:
    """The adjective for respondents at the positive end of the questions' scales
    ('tilfredse', 'enige'); 'positive' when the scales disagree, and when a reverse-coded
    question is among them (agreeing with "Jeg har oplevet at skulle gentage min historie"
    is not positive, so 'more enige' would misstate the score)."""
    questions = list(questions)
    words = {q.scale.word for q in questions}
    if len(words) != 1 or any(q.reverse for q in questions):
        return "positive"
    return words.pop()


def scale_range(questions: Sequence[Question]) -> tuple[float, float] | None:
    """(minimum, maximum) when all questions share one scale range, else None."""
    ranges = {(q.scale.minimum, q.scale.maximum) for q in questions}
    return next(iter(ranges)) if len(ranges) == 1 else None


def benchmark_average(name: str | None) -> str:
    """The benchmark as something a score is compared with: 'Alle kommuner' → 'gennemsnittet
    for alle kommuner'; a name that already is an average stays as it is."""
    if not name:
        return ""
    lower = name[0].lower() + name[1:] if name[:1].isupper() and not name[1:2].isupper() else name
    return lower if "gennemsnit" in lower else str(vocabulary()["gennemsnit_for"]).format(name=lower)


def dimension_words(title: str, n_groups: int = 3) -> dict[str, str]:
    """Words for a breakdown (the vocabulary's ``grupperinger``): singular with its article,
    plural, and 'alle …' ('begge …' for two groups) for the whole."""
    voc = vocabulary()
    known = voc["grupperinger"]
    words = known.get(title.strip().lower(), known["standard"])
    everyone = voc["alle_grupper"]["to" if n_groups == 2 else "flere"].format(noun=words["alle"])
    return {"article": words["artikel"], "singular": words["ental"], "plural": words["flertal"],
            "everyone": everyone}


@cache
def _fractions() -> tuple[tuple[float, str], ...]:
    return tuple((float(Fraction(str(k))), str(v)) for k, v in vocabulary()["broeker"].items())


def approx_fraction(share: float) -> str:
    """0.64 → 'knap to tredjedele', 0.52 → 'godt halvdelen', 0.5 → 'halvdelen'; '' when none
    fits (the vocabulary's ``broeker``, ``lidt_over`` and ``lidt_under``)."""
    frac, words = min(_fractions(), key=lambda f: abs(share - f[0]))
    d = share - frac
    if abs(d) < 0.005:
        return words
    if abs(d) > 0.035 or frac == 1.0:
        return ""
    voc = vocabulary()
    return f"{voc['lidt_under'] if d < 0 else voc['lidt_over']} {words}"


def own_wording(q: Question, qr: QuestionResult) -> tuple[float, list[str]] | None:
    """For a reverse-coded question, the share answering at the positive end of its own
    wording and those answers' labels ("i høj grad", "i meget høj grad"); None otherwise.
    Values are reversed at load, so the wording's own positive end is the reversed negative end."""
    if not q.reverse or qr.share_negative is None:
        return None
    return qr.share_negative, [q.scale.labels[q.scale.values.index(v)].lower() for v in sorted(q.scale.positive)]
