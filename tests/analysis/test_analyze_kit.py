"""Helpers for the analysis tests: cases written to a temp folder, text read back, and
expectations computed with pandas/numpy/scipy only (never with reportgen's own code).

(No tests here; the name only follows the test-module naming of the analysis tests.)
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from tests.conftest import keep_on_failure

COLUMNS = {"respondent_id": "respondent_id", "kommune": "kommune", "maalgruppe": "maalgruppe", "koen": "koen",
           "alder": "alder", "kommentar": "kommentar"}


def write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\n")


def write_case(folder: Path, responses: pd.DataFrame, catalogue: pd.DataFrame, *, invited: pd.DataFrame | None = None,
               analyse: dict[str, Any] | None = None, kolonner: dict[str, str] | None = None, fokus: str = "Norddjurs",
               data: dict[str, Any] | None = None, name: str = "sag.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(responses, folder / "besvarelser.csv")
    write_csv(catalogue, folder / "katalog.csv")
    d: dict[str, Any] = {"besvarelser": "besvarelser.csv", "katalog": "katalog.csv", "fokus": fokus,
                         "kolonner": kolonner or {k: v for k, v in COLUMNS.items() if v in responses.columns}}
    if invited is not None:
        write_csv(invited, folder / "inviterede.csv")
        d["inviterede"] = "inviterede.csv"
    d.update(data or {})
    case = {
        "sag": {"titel": "Testsag", "kommune": fokus, "udvalg": "Arbejdsmarkedsudvalget", "dato": "2024-06-03",
                "sagsnummer": "24/1"},
        "data": d,
        "analyse": analyse or {},
        "tekster": {"indstilling": {"punkter": ["at orienteringen tages til efterretning."]},
                    "sammenhaeng": "Ingen.", "oekonomi": "Ingen.", "lovgrundlag": "Intet."},
    }
    path = folder / name
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(report: Any, name: str = "case.pdf") -> str:
    import pdfplumber

    texts = []
    for i, doc in enumerate(report.documents):  # the main document, then its bilag
        data = report.render("pdf", doc)
        keep_on_failure(name if i == 0 else f"bilag{i}-{name}", data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            texts += [page.extract_text() or "" for page in pdf.pages]
    return flat("\n".join(texts))


def docx_text(report: Any, name: str = "case.docx") -> str:
    import docx

    parts = []
    for i, doc in enumerate(report.documents):  # the main document, then its bilag
        data = report.render("docx", doc)
        keep_on_failure(name if i == 0 else f"bilag{i}-{name}", data)
        d = docx.Document(io.BytesIO(data))
        parts += [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts.append(" ".join(c.text for c in row.cells))
    return flat("\n".join(parts))


def model_text(report: Any) -> str:
    """Every text of the document model and its bilag: paragraphs, list items, table cells, captions, alt texts."""
    from reportgen.models.document import Figure, Heading, ListBlock, Paragraph, Table

    out = []
    for sec in (s for doc in report.document.documents for s in doc.sections):
        out.append(sec.heading)
        for b in sec.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, ListBlock):
                out += [i.text for i in b.items]
            elif isinstance(b, Table):
                out += [b.caption, b.note, " ".join(b.columns)] + [" ".join(r) for r in b.rows]
            elif isinstance(b, Figure):
                out += [b.caption, b.alt_text]
            elif isinstance(b, Heading):
                out.append(b.text)
    return flat("\n".join(out))


class Data:
    """Respondent values as pandas, coded independently: scale values 1..k, 'Ved ikke'/blank → NaN."""

    def __init__(self, responses: pd.DataFrame, catalogue: pd.DataFrame, points: dict[str, int] | None = None):
        self.raw = responses.reset_index(drop=True)
        self.cat = catalogue
        self.themes = list(dict.fromkeys(catalogue["tema"]))
        vals = pd.DataFrame(index=self.raw.index)
        for _, q in catalogue.iterrows():
            k = (points or {}).get(q["skala"], 5)
            v = pd.to_numeric(self.raw[q["id"]].astype(str).where(
                self.raw[q["id"]].astype(str).isin([str(i) for i in range(1, k + 1)])), errors="coerce")
            if str(q.get("omvendt", "nej")) == "ja":
                v = (k + 1) - v
            vals[q["id"]] = v
        keep = vals.notna().any(axis=1)
        self.raw = self.raw[keep].reset_index(drop=True)
        self.vals = vals[keep].reset_index(drop=True)

    def mask(self, **eq: str) -> np.ndarray:
        m = np.ones(len(self.raw), dtype=bool)
        for col, v in eq.items():
            m &= (self.raw[col].astype(str) == v).to_numpy()
        return m

    def ids(self, theme: str | None = None) -> list[str]:
        return list(self.cat["id"]) if theme is None else list(self.cat.loc[self.cat["tema"] == theme, "id"])

    def per_respondent(self, theme: str | None, mask: np.ndarray) -> pd.Series:
        return self.vals.loc[mask, self.ids(theme)].mean(axis=1, skipna=True).dropna()

    def score(self, theme: str | None, mask: np.ndarray) -> float:
        return float(self.per_respondent(theme, mask).mean())

    def qmean(self, qid: str, mask: np.ndarray) -> float:
        return float(self.vals.loc[mask, qid].dropna().mean())

    def qshare(self, qid: str, mask: np.ndarray, positive: tuple[int, ...] = (4, 5)) -> float:
        v = self.vals.loc[mask, qid].dropna()
        return float(v.isin(positive).mean())


def da(x: float, decimals: int = 2) -> str:
    from tests.conftest import da as _da

    return _da(float(x), decimals)
