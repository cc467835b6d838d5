"""Ingest + analysis of one case file in a fresh process → JSON timings on stdout.

Used by bench/run.py for the 1.000.000-respondent measurement (the wall time and peak
memory of the whole process are measured from outside):

    python bench/ingest.py bench/data/million/sag.yaml
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    t0 = time.perf_counter()
    from reportgen.analysis.analyze import analyze
    from reportgen.settings.case import load_case
    from reportgen.ingest.load import load

    t1 = time.perf_counter()
    case, base = load_case(Path(argv[0]))
    survey = load(case, base, case_file=argv[0])
    t2 = time.perf_counter()
    results = analyze(case.analyse, survey)
    t3 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "indlaes": t2 - t1, "analyse": t3 - t2, "rows": survey.account.rows_used,
                      "fokus_n": results.focus.n_respondents}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
