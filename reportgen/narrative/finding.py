"""What every finding rule shares: the values each template gets, and the rendering of a
finding's template (``templates/findings/<kind>.txt.j2``) into a ``Finding``."""

from __future__ import annotations

import re

from reportgen.core.templating import render_prose
from reportgen.models.findings import Finding
from reportgen.models.results import Results
from reportgen.narrative.words import benchmark_average, number_word
from reportgen.settings.case import Analyse

VERDICT_ORDER = ("over", "paa_niveau", "under")


def base_values(results: Results, settings: Analyse | None = None) -> dict[str, object]:
    """The values every finding template gets: the municipality, the benchmark's names and
    the helpers ``tal`` (numbers as words) and ``cap`` (first letter upper-case)."""
    bench = results.benchmark_name
    return {"kommune": results.focus.name, "bench": None,
            "bench_lower": bench[0].lower() + bench[1:] if bench else bench,
            "bench_avg": benchmark_average(bench), "tal": number_word, "cap": cap}


def cap(text: str) -> str:
    """Upper-case the first letter only (Jinja's ``capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]


def question_order(number: str) -> tuple[int, ...]:
    """'6.1' → (6, 1): question numbers in reading order."""
    return tuple(int(p) for p in re.findall(r"\d+", number or "")) or (0,)


def render_finding(kind: str, values: dict[str, object]) -> Finding:
    """Render the finding's template. Templates are written over several lines; every run of
    white space becomes one space, and none is left before punctuation."""
    text = render_prose(f"findings/{kind}.txt.j2", **values)
    text = re.sub(r"\bpct\.\.", "pct.", text)  # "39 pct." ending a sentence takes no second period
    return Finding(kind=kind, text=text, values={k: v for k, v in values.items() if k not in ("bench_lower", "tal", "cap")})
