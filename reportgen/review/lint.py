"""A case file → ``LintIssue`` list: what a careful reviewer checks before the document goes out.

``lint_case(path)`` reads the case file and its data and builds the document in memory
(without drawing figures or rendering), then applies the rules below. Each issue has a
rule name, a severity (``fejl`` or ``advarsel``), a Danish message from the phrasebook
(``templates/review/beskeder.txt.j2``, macro ``lint_<regel>``) and where it is
(a case-file key or a section). Rules (docs/gennemsyn.md has the full list):

``pladsholder``      placeholders left: generated ones, or markers such as "[indsæt …]", "XX", "TODO" in the texts
``tomt_afsnit``      a required section (profile ``paakraevet: ja``) has no text
``moededato``        the meeting date is in the past (advarsel)
``dato_foer_data``   the meeting or document date lies before the data period begins
``indstilling_at``   an Indstilling item does not start with "at"
``smaa_grupper``     a group is shown but has too few answers to be ranked (n < 4 × min_n)
``sammenligning``    a hand-written text claims a difference the tests do not find, or the
                     benchmark rests on fewer than 3 municipalities
``svarprocent``      the response rate is under ``analyse.svarprocent_graense``
``fritekst``         CPR numbers, phone numbers or e-mail addresses in the texts, or quotes
                     shown without a list of names to remove
``sagsnummer``       the case number is missing or does not match the theme's ``sagsnummer_moenster``

Bad input (a missing file, an unknown key) raises ``InputError`` as ``build`` does.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


from reportgen.core import yamlio
from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.models.document import Document, ListBlock, Paragraph
from reportgen.models.results import Results
from reportgen.review.phrases import phrase
from reportgen.settings.case import CaseFile, parse_case

Severity = Literal["fejl", "advarsel"]
SEVERITIES: tuple[Severity, ...] = ("fejl", "advarsel")
DEFAULT_CASE_NUMBER = r"\d{2}/\d{1,6}"  # "24/1370"; a theme may set sagsnummer_moenster
MIN_BENCHMARK_MUNICIPALITIES = 3
SMALL_GROUP_FACTOR = 4  # as narrate.CAVEAT_N: groups under 4 × min_n are not ranked without a caveat

_REQUIRED_PLACEHOLDER = re.compile(r"^\[Mangler: tekst til '(?P<heading>.+?)'\. Skrives i sagsfilen under "
                                   r"tekster\.(?P<key>[\w.]+)\.\]$")
_MARKERS = re.compile(r"\[(?:indsæt|mangler|udfyld|tilføj|skriv|tekst|tbd|todo)[^\]]*\]|\b(?:TODO|TBD|XXX*|xx)\b"
                      r"|\?\?\?+|…\s*\]", re.IGNORECASE)
_UP = re.compile(r"\b(?:over (?:lands|kommune)?gennemsnittet|højere end|bedre end|mere tilfredse?|"
                 r"(?:er|har) steget|forbedret)\b", re.IGNORECASE)
_DOWN = re.compile(r"\b(?:under (?:lands|kommune)?gennemsnittet|lavere end|dårligere end|mindre tilfredse?|"
                   r"(?:er|har) faldet|forværret)\b", re.IGNORECASE)


@dataclass(frozen=True)
class LintIssue:
    regel: str
    alvor: Severity
    besked: str
    sted: str = ""

    def to_json(self) -> dict[str, str]:
        return {"regel": self.regel, "alvor": self.alvor, "besked": self.besked, "sted": self.sted}


def _issue(rule: str, severity: Severity, sted: str = "", **values: object) -> LintIssue:
    return LintIssue(rule, severity, phrase(f"lint_{rule}", **values), sted)


def exit_code(issues: Iterable[LintIssue], strict: bool = False) -> int:
    """2 with any fejl, 1 with advarsler under ``strict``, else 0."""
    issues = list(issues)
    if any(i.alvor == "fejl" for i in issues):
        return 2
    if strict and issues:
        return 1
    return 0


# --------------------------------------------------------------------------- entry


def lint_case(path: str | Path, today: dt.date | None = None) -> list[LintIssue]:
    """All issues of the case file at ``path``, errors first (``today`` for the date rules)."""
    from reportgen.document.build import build_document
    from reportgen.document.profile import load_profile
    from reportgen.ingest.sources import load_all
    from reportgen.analysis.analyze import analyze
    from reportgen.narrative.narrate import narrate, summary
    from reportgen.settings.brand import load_brand

    path = Path(path)
    raw = _read_raw(path)
    issues = _indstilling_at(raw)
    case = parse_case(_without_bad_items(raw), str(path))
    base = path.parent
    profile = load_profile(case.profil, base)
    brand = load_brand(case.tema, base) if case.tema else None
    survey = load_all(case, base, case_file=str(path))
    results = analyze(case.analyse, survey, None)
    findings = narrate(case.analyse, results)
    draft = case.model_copy(update={"sag": case.sag.model_copy(update={"status": "udkast"})})
    created = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    document = build_document(draft, results, findings, summary(case.analyse, results), {}, profile, created)
    issues += _placeholders(case, document)
    issues += _dates(case, results, today or dt.date.today())
    issues += _small_groups(results)
    issues += _comparisons(case, results)
    issues += _response_rate(case, results)
    issues += _free_text(case)
    issues += _case_number(case, brand.case_number_pattern if brand is not None else None)
    return sorted(issues, key=lambda i: SEVERITIES.index(i.alvor))


def _read_raw(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(Problem(message("settings", "case_file_missing"), file=str(path),
                                 expected=message("settings", "case_file_expected")))
    return yamlio.read_mapping(path, message("settings", "case_file"), message("settings", "case_file_holds"))


def _items(raw: dict[str, Any]) -> list[Any] | None:
    ind = (raw.get("tekster") or {}).get("indstilling") if isinstance(raw.get("tekster"), dict) else None
    items = ind.get("punkter") if isinstance(ind, dict) else None
    return items if isinstance(items, list) else None


def _starts_with_at(item: Any) -> bool:
    return isinstance(item, str) and item.strip().lower().startswith("at ")


# --------------------------------------------------------------------------- rules


def _indstilling_at(raw: dict[str, Any]) -> list[LintIssue]:
    return [_issue("indstilling_at", "fejl", f"tekster.indstilling.punkter.{i}", nr=i + 1, tekst=str(item))
            for i, item in enumerate(_items(raw) or []) if not _starts_with_at(item)]


def _without_bad_items(raw: dict[str, Any]) -> dict[str, Any]:
    """The raw case without the Indstilling items reported above (so the rest can be checked)."""
    items = _items(raw)
    if items is None or all(_starts_with_at(i) for i in items):
        return raw
    out = copy.deepcopy(raw)
    out["tekster"]["indstilling"]["punkter"] = [i for i in items if _starts_with_at(i)]
    return out


def _texts(case: CaseFile) -> list[tuple[str, str]]:
    """(key, text) of every hand-written text, Indstilling items included."""
    t = case.tekster
    out: list[tuple[str, str]] = []
    for key, value in t.model_dump().items():
        if isinstance(value, str):
            out.append((f"tekster.{key}", value))
    if t.indstilling is not None:
        out.append(("tekster.indstilling.indledning", t.indstilling.indledning))
        out += [(f"tekster.indstilling.punkter.{i}", p) for i, p in enumerate(t.indstilling.punkter)]
    out += [(f"tekster.bilag.{i}", b) for i, b in enumerate(t.bilag)]
    out += [(f"tekster.ekstra.{k}", v) for k, v in t.ekstra.items()]
    return out


def _placeholders(case: CaseFile, document: Document) -> list[LintIssue]:
    out = []
    for sec in document.sections:
        for block in sec.blocks:
            paras = block.items if isinstance(block, ListBlock) else (block,)
            for p in paras:
                if not isinstance(p, Paragraph) or p.style != "placeholder":
                    continue
                m = _REQUIRED_PLACEHOLDER.match(p.text)
                if m:
                    out.append(_issue("tomt_afsnit", "fejl", f"tekster.{m['key']}", afsnit=m["heading"],
                                      noegle=m["key"]))
                else:
                    out.append(_issue("pladsholder", "fejl", sec.heading, afsnit=sec.heading, tekst=p.text))
    for key, text in _texts(case):
        for m in _MARKERS.finditer(text):
            out.append(_issue("pladsholder", "fejl", key, afsnit=key, tekst=m.group(0)))
    return out


def period_start(period: str | None) -> dt.date | None:
    """The first day of a period label: 2024, 2024K2 / 2024Q2, 2024H1, 2024-05 / 2024M05; else None."""
    if not period:
        return None
    p = period.strip().upper()
    if m := re.fullmatch(r"(\d{4})", p):
        return dt.date(int(m[1]), 1, 1)
    if m := re.fullmatch(r"(\d{4})\s*[-_ ]?\s*[KQ]([1-4])", p):
        return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
    if m := re.fullmatch(r"(\d{4})\s*[-_ ]?\s*H([12])", p):
        return dt.date(int(m[1]), 1 if m[2] == "1" else 7, 1)
    if m := re.fullmatch(r"(\d{4})\s*[-M]\s*(\d{1,2})", p):
        if 1 <= int(m[2]) <= 12:
            return dt.date(int(m[1]), int(m[2]), 1)
    return None


def _dates(case: CaseFile, results: Results, today: dt.date) -> list[LintIssue]:
    from reportgen.core import fmt

    out = []
    s = case.sag
    if s.moededato is not None and s.moededato < today:
        out.append(_issue("moededato", "advarsel", "sag.moededato", dato=fmt.date_long(s.moededato),
                          idag=fmt.date_long(today)))
    start = period_start(results.period)
    if start is not None:
        for key, value in (("sag.moededato", s.moededato), ("sag.dato", s.dato)):
            if value is not None and value < start:
                out.append(_issue("dato_foer_data", "fejl", key, noegle=key, dato=fmt.date_long(value),
                                  periode=results.period, start=fmt.date_long(start)))
    return out


def _small_groups(results: Results) -> list[LintIssue]:
    limit = SMALL_GROUP_FACTOR * results.min_n
    out = []
    for col, bd in results.focus_groups.items():
        shown = [g for g in bd.groups if not g.suppressed and g.overall.value is not None]
        if len(shown) < 2:
            continue
        for g in shown:
            if g.overall.n < limit:
                out.append(_issue("smaa_grupper", "advarsel", f"analyse.grupper ({col})", gruppe=g.name,
                                  kolonne=bd.title, n=g.overall.n, graense=limit))
    return out


def _comparisons(case: CaseFile, results: Results) -> list[LintIssue]:
    verdicts = {c.verdict for c in results.comparisons.values()}
    for bd in results.focus_groups.values():
        verdicts |= {c.verdict for c in bd.comparisons.values()}
    for qc in results.question_comparisons.values():
        verdicts |= {qc.mean.verdict, qc.share.verdict}
    if results.trend is not None:
        for changes in (results.trend.previous, results.trend.previous_share, results.trend.first):
            verdicts |= {"over" if c.verdict == "steget" else "under" if c.verdict == "faldet" else None
                         for c in changes.values()}
    out = []
    for key, text in _texts(case):
        for pattern, direction in ((_UP, "over"), (_DOWN, "under")):
            m = pattern.search(text)
            if m and direction not in verdicts:
                out.append(_issue("sammenligning", "fejl", key, tekst=m.group(0),
                                  retning=direction))
    if results.has_benchmark and results.benchmark_source == "data" and \
            results.n_municipalities < MIN_BENCHMARK_MUNICIPALITIES:
        out.append(_issue("sammenligning_kommuner", "advarsel", "analyse.benchmark", n=results.n_municipalities,
                          minimum=MIN_BENCHMARK_MUNICIPALITIES, navn=results.benchmark_name))
    return out


def _response_rate(case: CaseFile, results: Results) -> list[LintIssue]:
    from reportgen.core import fmt

    rate = results.response_rate_focus
    floor = case.analyse.svarprocent_graense
    if rate is None or rate * 100 >= floor:
        return []
    return [_issue("svarprocent", "advarsel", "analyse.svarprocent_graense", svarprocent=fmt.pct_text(rate),
                   graense=fmt.num(floor, 1))]


def _free_text(case: CaseFile) -> list[LintIssue]:
    from reportgen.analysis.comments import redact

    out = []
    for key, text in _texts(case):
        _, n = redact(text)
        if n:
            out.append(_issue("fritekst", "fejl", key, noegle=key, n=n))
    k = case.analyse.kommentarer
    if k.medtag and k.citater > 0 and not k.navne and not k.navneliste:
        out.append(_issue("fritekst_navne", "advarsel", "analyse.kommentarer", citater=k.citater))
    return out


def _case_number(case: CaseFile, pattern: str | None) -> list[LintIssue]:
    number = case.sag.sagsnummer.strip()
    if not number:
        return [_issue("sagsnummer_mangler", "advarsel", "sag.sagsnummer")]
    rx = pattern or DEFAULT_CASE_NUMBER
    if re.fullmatch(rx, number):
        return []
    return [_issue("sagsnummer", "fejl", "sag.sagsnummer", sagsnummer=number, moenster=rx,
                   fra_tema=bool(pattern))]
