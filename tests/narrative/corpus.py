"""The generated sentence corpus: every finding type × singular/plural/lists × scale kinds.

``corpus_lines()`` renders each finding template with small, hand-made values through the
same ``_finding`` the pipeline uses, and returns "[kind/variant] sentence" lines. The
test compares them with ``corpus.txt`` (reviewed by a person); regenerate it with
``REPORTGEN_UPDATE_CORPUS=1 pytest tests/narrative/test_corpus.py`` and read the diff.
"""

from __future__ import annotations

from collections.abc import Iterator

from reportgen.core.templating import render_text
from reportgen.narrative.finding import render_finding as _finding
from reportgen.narrative.narrate import approx_fraction
from reportgen.narrative.words import benchmark_average, number_word, person_form

BASE = {"kommune": "Norddjurs", "bench": None, "bench_lower": "alle kommuner",
        "bench_avg": benchmark_average("Alle kommuner"), "tal": number_word,
        "cap": lambda t: t[:1].upper() + t[1:]}
GROUPS = ["Jobafklaring", "Dagpengemodtagere", "Aktivitetsparate"]
AGES = ["30-39 år", "60+", "Under 25 år"]
WORDS = ["tilfredse", "enige", "positive"]
DIM = {"article": "den", "singular": "målgruppe", "plural": "målgrupper"}


def _people(labels: list[str], col: str = "maalgruppe") -> list[str]:
    return [person_form(x, col) for x in labels]


def _q(number: str, share: float, reverse: bool = False) -> dict[str, object]:
    item = {"number": number, "text": f"Spørgsmålstekst {number}?", "share": share, "reverse": reverse,
            "own_share": 0.35 if reverse else None,
            "own_labels": ["i høj grad", "i meget høj grad"] if reverse else []}
    item["share_text"] = _finding("_andel", dict(item=item)).text
    return item


def cases() -> Iterator[tuple[str, str, dict[str, object]]]:
    for national in (True, False):
        for n_over, n_under in ((0, 0), (1, 0), (6, 0), (2, 1), (0, 3)):
            yield "resume", f"national={national},over={n_over},under={n_under}", dict(
                n=352, rr=0.398, focus=3.54, bench=3.49 if national else None, verdict="paa_niveau",
                n_over=n_over, n_under=n_under, n_themes=6, scale_min=1, scale_max=4, national=national)
    for verdict in ("over", "under", "paa_niveau"):
        yield "samlet_niveau", verdict, dict(focus=3.54, bench=3.49, verdict=verdict, p_value=0.01,
                                             scale_min=1, scale_max=5)
    yield "samlet_niveau", "uden benchmark", dict(focus=3.54, bench=None, verdict=None, p_value=None,
                                                  scale_min=1, scale_max=4)
    themes = ["Mødet med jobcentret", "Samtalen", "Progression"]
    yield "tema_sammenligning", "alle på niveau", dict(groups=[("paa_niveau", themes)], n_themes=3, verdicts={})
    yield "tema_sammenligning", "over/niveau/under", dict(
        groups=[("over", themes[:1]), ("paa_niveau", themes[1:2]), ("under", themes[2:])], n_themes=3, verdicts={})
    yield "tema_sammenligning", "over/niveau", dict(groups=[("over", themes[:2]), ("paa_niveau", themes[2:])],
                                                    n_themes=3, verdicts={})
    for word in WORDS:
        for k in (1, 2):
            yield "grupper", f"signifikant,{word},{k}", dict(
                **DIM, plural_def="", dimension="maalgruppe", everyone="alle målgrupper", most=_people(GROUPS[:1]),
                most_value=3.84, least=_people(GROUPS[1:1 + k]), least_value=3.26, significant=k == 1,
                p_value=0.01, n_ranked=4, left_out=[], min_gruppe=30, word=word)
    yield "grupper", "køn, to grupper", dict(
        **{**DIM, "singular": "køn", "plural": "grupper"}, dimension="koen", everyone="begge køn",
        most=["kvinder"], most_value=3.61, least=["mænd"], least_value=3.55, significant=False, p_value=0.6,
        n_ranked=2, left_out=[], min_gruppe=30, word="positive")
    yield "grupper", "aldersgrupper med forbehold", dict(
        **{**DIM, "singular": "aldersgruppe", "plural": "aldersgrupper"}, dimension="alder",
        everyone="alle aldersgrupper", most=_people(AGES[:1], "alder"), most_value=3.9,
        least=_people(AGES[1:2], "alder"), least_value=3.1, significant=True, p_value=0.001, n_ranked=3,
        left_out=_people(AGES[2:], "alder"), min_gruppe=30, word="tilfredse")
    yield "grupper", "aldersgrupper med forbehold, ikke signifikant", dict(
        **{**DIM, "singular": "aldersgruppe", "plural": "aldersgrupper"}, dimension="alder",
        everyone="alle aldersgrupper", most=_people(AGES[:1], "alder"), most_value=3.8,
        least=_people(AGES[1:2], "alder"), least_value=3.52, significant=False, p_value=0.2, n_ranked=2,
        left_out=_people(AGES[2:], "alder"), min_gruppe=30, word="positive")
    yield "grupper_benchmark", "køn på niveau", dict(
        **{**DIM, "singular": "køn", "plural": "grupper"}, dimension="koen", everyone="begge køn", over=[],
        under=[], level=["kvinder", "mænd"], n_level=2, n_compared=2, word="positive", left_out=[], min_gruppe=30)
    g = lambda i: {"name": _people(GROUPS)[i], "focus": 3.5 + i / 10, "bench": 3.4}  # noqa: E731
    for over, under, level in (([], [], [0, 1, 2]), ([0], [], [1, 2]), ([0], [1], [2]), ([0, 1], [2], []),
                               ([], [0, 1, 2], []), ([0], [], [1])):
        for word in ("tilfredse", "enige"):
            yield "grupper_benchmark", f"over={over},under={under},{word}", dict(
                **DIM, dimension="maalgruppe", everyone="alle målgrupper", over=[g(i) for i in over],
                under=[g(i) for i in under], level=[g(i)["name"] for i in level], n_level=len(level),
                n_compared=len(over) + len(under) + len(level), word=word, left_out=[], min_gruppe=30)
    small = _people(["Ressourceforløb", "Sygedagpengemodtagere"])
    for over, under, level, k in (([], [], [], 2), ([], [], [1], 1), ([], [], [0, 1, 2], 2), ([0], [], [1, 2], 1),
                                  ([], [0], [], 2)):
        yield "grupper_benchmark", f"over={over},under={under},level={level},små={k}", dict(
            **DIM, dimension="maalgruppe", everyone="alle målgrupper", over=[g(i) for i in over],
            under=[g(i) for i in under], level=[g(i)["name"] for i in level], n_level=len(level),
            n_compared=len(over) + len(under) + len(level), word="tilfredse", left_out=small[:k], min_gruppe=30)
    yield "grupper_tema", "", dict(**DIM, everyone="alle målgrupper", theme="Progression", left_out=False,
                                   min_gruppe=30)
    yield "grupper_tema", "små grupper udeladt", dict(**DIM, everyone="alle målgrupper", theme="Progression",
                                                      left_out=True, min_gruppe=30)
    for k in (1, 2, 3):
        yield "undertrykt", f"{k}", dict(groups=_people(GROUPS[:k]), min_n=5)
        yield "forbehold", f"{k}", dict(items=[{"name": n, "n": 9 + i} for i, n in enumerate(_people(GROUPS[:k]))],
                                        limit=30, short=False, bilag="")
        yield "forbehold", f"{k},kort", dict(items=[{"name": n, "n": 9 + i} for i, n in enumerate(_people(GROUPS[:k]))],
                                             limit=30, short=True, bilag="Bilag 1")
    for n, n_all in ((1, 18), (2, 18), (13, 18), (6, 6), (1, 1)):
        items = [_q(f"{i}.1", 0.75) for i in range(n)]
        listed = not (n == n_all and n > 1)
        yield "styrker", f"n={n},af={n_all}", dict(threshold=70.0, n=n, items=items, n_all=n_all, listed=listed)
        yield "udviklingsomraader", f"n={n},af={n_all}", dict(threshold=70.0, n=n, items=items, n_all=n_all,
                                                              listed=listed)
    yield "hoejeste_laveste_spoergsmaal", "omvendt laveste", dict(high=_q("1.3", 0.69), low=_q("4.3", 0.26, True))
    yield "hoejeste_laveste_tema", "", dict(high="Samtalen", high_value=3.88, low="Progression", low_value=3.05)
    for rank, best, worst, supported in ((1, ["Samtalen"], [], True), (1, [], [], False),
                                         (4, [], ["Progression", "Samtalen"], False), (8, [], [], True),
                                         (8, [], [], False), (2, ["Samtalen"], ["Progression"], False)):
        yield "rang", f"nr={rank},signifikant={supported}", dict(rank=rank, of=8, best=best, worst=worst, n_themes=6,
                                                                n_munis=8, min_n=5, supported=supported)
    yield "rang", "sidst i alle temaer", dict(rank=3, of=3, best=[], worst=["Mødet", "Samtalen", "Progression", "Mål"],
                                              n_themes=4, n_munis=3, min_n=5, supported=True)
    yield "rang", "færre rangeret end deltagende", dict(rank=11, of=39, best=[], worst=[], n_themes=6, n_munis=40,
                                                        min_n=5, supported=False)
    for n, n_munis in ((352, 8), (1, 1)):
        yield "svarprocent", f"n={n}", dict(n=n, invited=884, rr=0.398, rr_bench=0.383 if n_munis > 1 else None,
                                            n_munis=n_munis, n_total=3000)
    for gender, age in ((0.51, 0.70), (0.64, None), (None, 0.5)):
        yield "respondentprofil", f"{gender},{age}", dict(
            n=352, gender=None if gender is None else {"label": "kvinder", "share": gender,
                                                       "approx": approx_fraction(gender), "n": 1},
            age=None if age is None else {"label": "30-59 år", "share": age, "approx": approx_fraction(age), "n": 1})
    for n, quotes in ((None, 0), (1, 1), (57, 3)):
        yield "kommentarer", f"n={n}", dict(n=n, min_n=5, n_quotes=quotes)
    for n, n_quadrant, target in ((0, 0, "temaet Overordnet tilfredshed"), (0, 3, "spørgsmål 1"),
                                  (1, 3, "temaet Overordnet tilfredshed"),
                                  (2, 4, "den samlede score for de øvrige spørgsmål")):
        yield "prioritering", f"klare={n},felt={n_quadrant}", dict(
            target=target, against=render_text("betydning_maal", target=target), score_measure="gennemsnit",
            n=n, items=[], n_quadrant=n_quadrant, n_questions=12, median=0.57, n_min=62, n_max=72, n_clear=n)
    yield "samlet_fordeling", "fem punkter", dict(
        number="1.1", text="Hvor tilfreds er du alt i alt med dit forløb i jobcentret?", n=317, reverse=False,
        parts=[{"share": 0.68, "labels": ["meget tilfreds", "tilfreds"]},
               {"share": 0.24, "labels": ["hverken tilfreds eller utilfreds"]},
               {"share": 0.08, "labels": ["utilfreds", "meget utilfreds"]}])
    yield "samlet_fordeling", "ja/nej", dict(
        number="13", text="Er du alt i alt tilfreds med jobcentret?", n=1, reverse=False,
        parts=[{"share": 1.0, "labels": ["ja"]}, {"share": 0.0, "labels": ["nej"]}])
    for n_up, n_down, more in ((0, 0, 0), (1, 0, 0), (2, 1, 1), (0, 3, 2)):
        change = lambda i, d: {"number": f"{i}.1", "text": f"Spørgsmålstekst {i}.1?", "before": 3.2,  # noqa: E731
                               "after": round(3.2 + d, 2)}
        yield "udvikling_spoergsmaal", f"steget={n_up},faldet={n_down},flere={more}", dict(
            from_period="2022", up=[change(i + 1, 0.3) for i in range(n_up)],
            down=[change(i + 5, -0.3) for i in range(n_down)], more_up=0, more_down=more)
    for numbers, on_line in ((["2.1"], False), (["2.1", "5.3"], False), (["2.1", "5.3"], True)):
        for n_clear in (0, 1):
            yield "prioritering_styrker", f"{len(numbers)},klare={n_clear},paa_linjen={on_line}", dict(
                numbers=numbers, n_clear=n_clear, on_line=on_line)


def corpus_lines() -> list[str]:
    out = []
    for kind, variant, values in cases():
        out.append(f"[{kind}/{variant}] {_finding(kind, {**BASE, **values}).text}")
    return out
