"""One report's stages in a fresh process → JSON seconds per stage on stdout.

Imports are timed per group (the pipeline, each renderer), then load, analyze, narrate,
charts, document and each renderer — what ``reportgen build`` does, split up:

    python bench/stages.py bench/data/national/sag.yaml
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
    out: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        out[name] = now - t
        t = now

    from reportgen import api  # noqa: F401

    from reportgen.charts import figures as charts
    from reportgen.analysis.analyze import analyze
    from reportgen.document.build import build_document
    from reportgen.ingest.load import load
    from reportgen.narrative.narrate import narrate, summary
    from reportgen.document.profile import load_profile
    lap("import: pipeline")
    import reportgen.render.html  # noqa: F401
    lap("import: html")
    import reportgen.render.docx  # noqa: F401
    lap("import: docx")
    import reportgen.render.pdf_typst  # noqa: F401 - the default engine (sag.pdf_motor: typst)
    lap("import: pdf (Typst)")
    path = Path(argv[0])
    case, base = api.load_case(path)
    profile = load_profile(case.profil, base)
    brand = api.load_brand(case.tema, base) if case.tema else None
    survey = load(case, base, case_file=str(path))
    lap("indlæsning")
    results = analyze(case.analyse, survey)
    lap("analyse")
    findings = narrate(case.analyse, results)
    summ = summary(case.analyse, results)
    lap("tekst")
    figures = api.make_figures(results, charts, brand)
    lap("figurer")
    document = build_document(case, results, findings, summ, figures, profile, api.created_at(case))
    report = api.Report(case, path, survey, results, findings, summ, figures, document, brand)
    lap("dokument")
    for fmt in ("html", "docx", "pdf"):  # the bilag documents too, as reportgen build makes them
        for doc in report.documents:
            report.render(fmt, doc)
        lap(f"gengiv: {fmt}")
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
