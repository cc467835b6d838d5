"""A published benchmark table (``analyse.benchmark_tabel``) → ``PublishedBenchmark``.

Columns ``tema`` and ``vaerdi``, optionally ``n`` and ``sd``; a row named ``Samlet`` (or
another of ``OVERALL_NAMES``) holds the overall score. CSV or XLSX, read like an export.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest.code import parse_number
from reportgen.ingest.read import read_table
from reportgen.models.survey import OVERALL, BenchmarkValue, PublishedBenchmark

OVERALL_NAMES = ("samlet", "samlet score", "samlet tilfredshed", "i alt", "total", "_samlet")


def read_table_file(path: Path, display: str) -> PublishedBenchmark:
    """Read ``tema;vaerdi[;n][;sd]`` (CSV or XLSX) into a PublishedBenchmark."""
    table = read_table(path, display=display, expected=("tema", "vaerdi"))
    lower = {h.strip().lower(): h for h in table.header}
    problems: list[Problem] = []
    for col in ("tema", "vaerdi"):
        if col not in lower:
            problems.append(Problem(message("ingest", "benchmark_column_missing"), file=display,
                                    row=table.header_row, column=col,
                                    expected=message("ingest", "benchmark_column_missing_expected")))
    if problems:
        raise InputError(problems)
    f = table.frame
    values: dict[str, BenchmarkValue] = {}
    for i in range(len(f)):
        theme = str(f.iloc[i][lower["tema"]]).strip()
        if not theme:
            continue
        key = OVERALL if theme.lower() in OVERALL_NAMES else theme
        raw = str(f.iloc[i][lower["vaerdi"]]).strip()
        value = parse_number(raw)
        if value is None or math.isnan(value):
            problems.append(Problem(message("ingest", "benchmark_value_not_number"), file=display,
                                    row=table.row_of(i), column=lower["vaerdi"], value=raw,
                                    expected=message("ingest", "benchmark_value_expected")))
            continue
        n = sd = None
        if "n" in lower:
            raw_n = str(f.iloc[i][lower["n"]]).strip().replace(".", "")
            num = parse_number(raw_n) if raw_n else None
            if raw_n and (num is None or num < 0 or not float(num).is_integer()):
                problems.append(Problem(message("ingest", "benchmark_n_not_integer"), file=display,
                                        row=table.row_of(i), column=lower["n"], value=raw_n,
                                        expected=message("ingest", "benchmark_n_expected")))
            elif num is not None:
                n = int(num)
        if "sd" in lower:
            raw_sd = str(f.iloc[i][lower["sd"]]).strip()
            num = parse_number(raw_sd) if raw_sd else None
            if raw_sd and (num is None or num < 0):
                problems.append(Problem(message("ingest", "benchmark_sd_invalid"), file=display,
                                        row=table.row_of(i), column=lower["sd"], value=raw_sd,
                                        expected=message("ingest", "benchmark_sd_expected")))
            else:
                sd = num
        if key in values:
            problems.append(Problem(message("ingest", "benchmark_theme_twice"), file=display,
                                    row=table.row_of(i), column=lower["tema"], value=theme,
                                    expected=message("ingest", "benchmark_theme_twice_expected")))
        values[key] = BenchmarkValue(value=float(value), n=n, sd=sd)
    if problems:
        raise InputError(problems)
    return PublishedBenchmark(source=display, values=values)


def check_table_themes(table: PublishedBenchmark, themes: Sequence[str]) -> list[str]:
    """Names in the table that are no theme of the survey (for a warning)."""
    return [k for k in table.values if k != OVERALL and k not in themes]

