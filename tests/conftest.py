"""Shared fixtures: the demo case built once per session, and independent expectations."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
RESULTS_DIR = ROOT / "tests" / "results"

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def demo_report():
    from reportgen.api import build

    return build(DEMO / "sag.yaml")


@pytest.fixture(scope="session")
def demo_pdfs(demo_report) -> tuple[bytes, ...]:
    """The demo's PDFs, rendered once per test process: ``demo_report.render("pdf", doc)``
    for each of ``demo_report.documents`` (the main document, then its bilag), in order.
    Tests that read or compare the demo's own PDF use these instead of rendering it again."""
    return tuple(demo_report.render("pdf", doc) for doc in demo_report.documents)


@pytest.fixture(scope="session")
def demo_pdf_text(demo_report, demo_pdfs) -> str:
    """The text of the demo's PDFs: the main document, then its bilag documents."""
    import pdfplumber

    texts = []
    for doc, data in zip(demo_report.documents, demo_pdfs):  # the main document, then its bilag
        keep_on_failure(f"demo{'-' + doc.suffix if doc.suffix else ''}.pdf", data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            texts.append("\n".join(page.extract_text() or "" for page in pdf.pages))
    return "\n".join(texts)


@pytest.fixture(scope="session")
def demo_docx_text(demo_report) -> str:
    import docx

    parts = []
    for doc in demo_report.documents:  # the main document, then its bilag
        data = demo_report.render("docx", doc)
        keep_on_failure(f"demo{'-' + doc.suffix if doc.suffix else ''}.docx", data)
        d = docx.Document(io.BytesIO(data))
        parts += [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def keep_on_failure(name: str, data: bytes) -> None:
    """Keep the rendered file in tests/results/ (git-ignored) so a person can look at it."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / name).write_bytes(data)


class Expected:
    """Figures for the demo data computed directly with pandas, independent of reportgen."""

    def __init__(self, focus: str = "Norddjurs"):
        raw = pd.read_csv(DEMO / "besvarelser.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        cat = pd.read_csv(DEMO / "katalog.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        inv = pd.read_csv(DEMO / "inviterede.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        self.focus = focus
        self.cat = cat
        self.themes = list(dict.fromkeys(cat["tema"]))
        vals = pd.DataFrame(index=raw.index)
        for _, q in cat.iterrows():
            v = pd.to_numeric(raw[q["id"]].where(raw[q["id"]].isin(["1", "2", "3", "4", "5"])), errors="coerce")
            if q["omvendt"] == "ja":
                v = 6 - v
            vals[q["id"]] = v
        any_valid = vals.notna().any(axis=1)
        self.raw = raw[any_valid].reset_index(drop=True)
        self.vals = vals[any_valid].reset_index(drop=True)
        self.is_focus = (self.raw["kommune"] == focus).to_numpy()
        self.invited = {r["kommune"]: int(r["inviterede"]) for _, r in inv.iterrows()}

    def theme_ids(self, theme: str) -> list[str]:
        return list(self.cat.loc[self.cat["tema"] == theme, "id"])

    def theme_score(self, theme: str | None, mask: np.ndarray) -> float:
        ids = list(self.cat["id"]) if theme is None else self.theme_ids(theme)
        per_resp = self.vals.loc[mask, ids].mean(axis=1, skipna=True)
        return float(per_resp.dropna().mean())

    def question_mean(self, qid: str, mask: np.ndarray) -> float:
        return float(self.vals.loc[mask, qid].dropna().mean())

    def share_positive(self, qid: str, mask: np.ndarray) -> float:
        v = self.vals.loc[mask, qid].dropna()
        return float((v >= 4).mean())


@pytest.fixture(scope="session")
def expected() -> Expected:
    return Expected()


def da(x: float, decimals: int = 2) -> str:
    """Independent Danish formatting for assertions: round half up, decimal comma."""
    from decimal import ROUND_HALF_UP, Decimal

    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    s = f"{q:,.{decimals}f}"
    return s.replace(",", "X").replace(".", ",").replace("X", ".")


# Property-based tests run the same examples on every machine, so CI is repeatable;
# `pytest --hypothesis-seed=N` (or HYPOTHESIS_RANDOM=1) explores new ones.
try:
    from hypothesis import settings as _hsettings

    _hsettings.register_profile("repeatable", derandomize=True, database=None)
    _hsettings.register_profile("explore")
    _hsettings.load_profile("explore" if os.environ.get("HYPOTHESIS_RANDOM") else "repeatable")
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


# The test files that take longest, longest first. `make test` hands whole files to the
# xdist workers in collection order (--dist loadfile --no-loadscope-reorder), so these
# start first and the short files fill in around them: the run does not end with one
# worker busy on a long file while the other is idle. Measured with --durations; a file
# not listed keeps its place after these.
SLOW_FIRST = (
    "perf/test_perf_build.py",
    "web/test_browser.py",
    "run/test_batch_interrupt.py",
    "web/test_e2e_review.py",
    "run/test_batch.py",
    "web/test_comments.py",
    "test_shapes.py",
    "web/test_review.py",
    "web/test_restart.py",
    "render/test_render_html_pdf.py",
    "analysis/test_anonymity.py",
    "ingest/test_load_bad_inputs.py",
    "test_cli.py",
    "render/test_reproducible.py",
    "render/test_docx_tables.py",
    "web/test_app.py",
    "web/test_forkbuild.py",
    "perf/test_perf_render.py",
    "run/test_batch_pipeline.py",
    "render/test_render_case.py",
    "analysis/test_analyze_depth.py",
    "web/test_previews.py",
    "render/test_pdf_case.py",
    "narrative/test_consistency.py",
)


def pytest_collection_modifyitems(config, items) -> None:
    rank = {ROOT / "tests" / name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.path)), len(rank)))  # stable: files stay whole
