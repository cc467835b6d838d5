"""A built ``Report`` → ``Snapshot``: what a version *is*, machine-readable.

The snapshot holds the figures (theme and question scores, shares, n, response rate,
rank and verdict, per target group), the document's sentences section by section, the
hand-written texts as written, the case's metadata and the inputs (SHA-256 of every
data file, the case file, profile and theme files, and of the mapping and the texts).
``reportgen build`` and ``reportgen batch`` write it beside the outputs as
``<navn>.indhold.json``; ``reportgen diff`` compares two of them.

Figures are kept as the document shows them: rounded by ``core.fmt`` (scores with two
decimals, shares in pct. with one), so a figure "changed" exactly when a reader would
see a different number. The bytes are deterministic: no clock, no absolute paths. The types and the file format are
in ``review.snapshot_file``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reportgen.core import fmt
from reportgen.core.atomic import sha256_file
from reportgen.models.document import ListBlock, Paragraph, Table
from reportgen.models.results import Estimate, Results, UnitResult
from reportgen.models.survey import OVERALL
from reportgen.review.snapshot_file import (  # noqa: F401 - the format's names, where the makers' callers find them
    SNAPSHOT_FORMAT,
    SNAPSHOT_SUFFIX,
    SNAPSHOT_VERSION,
    FigureValue,
    InputRecord,
    SectionText,
    Snapshot,
    load_snapshot,
)

if TYPE_CHECKING:
    from reportgen.models.document import Document
    from reportgen.settings.brand import Brand
    from reportgen.settings.case import CaseFile


class Report(Protocol):
    """What a snapshot reads of a built report (``reportgen.api.Report``): named here, so that
    review/ depends on the hand-over types and not on the API that builds them."""

    case: CaseFile
    case_path: Path
    results: Results
    document: Document
    brand: Brand | None

    @property
    def name(self) -> str: ...

OVERALL_LABEL = "Samlet score"
VERDICT_TEXT = {"over": "over", "under": "under", "paa_niveau": "på niveau", None: "–"}


# --------------------------------------------------------------------------- building


def snapshot(report: Report, inputs: Iterable[InputRecord] | None = None, name: str | None = None) -> Snapshot:
    """The snapshot of a built report. ``inputs``: the input files with their hashes when the
    caller has them already; else they are hashed here from the case file. ``name``: the
    output name (default: the case file's stem)."""
    case = report.case
    base = report.case_path.parent
    s = case.sag
    sag = {"titel": s.titel, "kommune": s.kommune, "udvalg": s.udvalg,
           "moededato": s.moededato.isoformat() if s.moededato else None, "sagsnummer": s.sagsnummer,
           "status": s.status, "version": s.version, "profil": case.profil,
           "periode": report.results.period or ""}
    data = case.data.model_dump(mode="json")
    return Snapshot(
        navn=name or report.name, sag=sag, tal=tuple(figures_of(report.results)),
        afsnit=tuple(sections_of(report.document)), haandskrevet=handwritten_of(case),
        input=tuple(inputs) if inputs is not None else tuple(input_records(report, base)),
        kortlaegning=data, analyse=case.analyse.model_dump(mode="json"))


def input_records(report: Report, base: Path) -> list[InputRecord]:
    """Every file the build read, with its SHA-256, plus hashes of the mapping and texts."""
    case = report.case
    d, a = case.data, case.analyse
    files: list[tuple[str, str | None]] = [("sagsfil", report.case_path.name), ("besvarelser", d.besvarelser),
                                           ("katalog", d.katalog), ("inviterede", d.inviterede)]
    scale_files = d.skalafil if isinstance(d.skalafil, list) else [d.skalafil]
    files += [("skalafil", f) for f in scale_files]
    files += [("benchmark_tabel", a.benchmark_tabel), ("navneliste", a.kommentarer.navneliste)]
    for t in a.tidligere:
        files += [(f"tidligere:{t.periode}", t.besvarelser), (f"tidligere_katalog:{t.periode}", t.katalog)]
    if case.profil.endswith((".yaml", ".yml")):
        files.append(("profil", case.profil))
    out = []
    for role, name in files:
        if not name:
            continue
        p = Path(name) if Path(name).is_absolute() else base / name
        if p.is_file():
            out.append(InputRecord(role, name, sha256_file(p), p.stat().st_size))
    brand = report.brand
    if brand is not None and brand.source is not None and brand.source.is_file():
        out.append(InputRecord("tema", case.tema or brand.source.name, sha256_file(brand.source),
                               brand.source.stat().st_size))
    out.append(value_record("kortlaegning", d.model_dump(mode="json")))
    out.append(value_record("tekster", case.tekster.model_dump(mode="json")))
    out.append(value_record("analyse", a.model_dump(mode="json")))
    return out


def value_record(role: str, value: object) -> InputRecord:
    """The hash record of a part of the case file (``kortlaegning``, ``tekster``, ``analyse``)."""
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return InputRecord(role, f"sagsfil:{role}", hashlib.sha256(raw).hexdigest(), len(raw))


def _num(value: float | None, decimals: int) -> tuple[str, float | None]:
    if value is None:
        return "–", None
    text = fmt.num(value, decimals)
    return text, float(text.replace(".", "").replace(",", "."))


def _est(est: Estimate | None, decimals: int = 2, scale: float = 1.0) -> tuple[str, float | None]:
    if est is None or est.suppressed or est.value is None:
        return "–", None
    return _num(est.value * scale, decimals)


def _fig(out: list[FigureValue], enhed: str, emne: str, maal: str, shown: tuple[str, float | int | str | None],
         navn: str = "") -> None:
    key = "|".join((enhed, emne, maal))
    out.append(FigureValue(key, enhed, emne, maal, shown[0], shown[1], navn))


def _count(n: int | None) -> tuple[str, int | None]:
    return ("–", None) if n is None else (fmt.integer(n), int(n))


def figures_of(results: Results) -> list[FigureValue]:
    """The figures of ``results`` in a stable order (see the module docstring)."""
    out: list[FigureValue] = []
    r = results
    units: list[tuple[str, UnitResult]] = [("fokus", r.focus)]
    if r.has_benchmark:
        units.append(("benchmark", r.benchmark))
    for tag, unit in units:
        _unit_figures(out, tag, unit, r, questions=True)
    _fig(out, "fokus", "", "svarprocent", _num(None if r.response_rate_focus is None else r.response_rate_focus * 100, 1))
    _fig(out, "fokus", "", "inviterede", _count(r.invited_focus))
    if r.has_benchmark:
        _fig(out, "benchmark", "", "svarprocent",
             _num(None if r.response_rate_benchmark is None else r.response_rate_benchmark * 100, 1))
        _fig(out, "benchmark", "", "kommuner", _count(r.n_municipalities))
        for key in (*r.themes, OVERALL):
            emne = OVERALL_LABEL if key == OVERALL else key
            rank = r.ranks.get(key)
            _fig(out, "fokus", emne, "placering", (f"{rank.rank} af {rank.of}", rank.rank) if rank else ("–", None))
            c = r.comparisons.get(key)
            verdict = c.verdict if c is not None else None
            _fig(out, "fokus", emne, "vurdering", (VERDICT_TEXT[verdict], verdict))
    for col, bd in r.focus_groups.items():
        for g in bd.groups:
            _unit_figures(out, f"gruppe:{col}:{g.name}", g, r, questions=False)
            c = bd.comparisons.get(g.name)
            if c is not None:
                _fig(out, f"gruppe:{col}:{g.name}", OVERALL_LABEL, "vurdering", (VERDICT_TEXT[c.verdict], c.verdict))
    names = {"fokus": r.focus.name, "benchmark": r.benchmark_name}
    for col, bd in r.focus_groups.items():
        names.update({f"gruppe:{col}:{g.name}": f"{r.focus.name}, {g.name}" for g in bd.groups})
    return [dataclasses.replace(f, navn=names.get(f.enhed, "")) for f in out]


def _unit_figures(out: list[FigureValue], tag: str, unit: UnitResult, r: Results, questions: bool) -> None:
    _fig(out, tag, "", "besvarelser", ("–", None) if unit.suppressed else _count(unit.n_respondents))
    for key in (*r.themes, OVERALL):
        emne = OVERALL_LABEL if key == OVERALL else key
        if key == OVERALL:
            score, share = unit.overall, unit.overall_share
        else:
            t = unit.themes.get(key)
            score, share = (t.score, t.share_positive) if t is not None else (None, None)
        _fig(out, tag, emne, "score", _est(score))
        if share is not None:
            _fig(out, tag, emne, "andel_positive", _est(share, 1, 100.0))
        _fig(out, tag, emne, "n", ("–", None) if score is None or score.suppressed else _count(score.n))
    if not questions:
        return
    for q in r.questions:
        qr = unit.questions.get(q.id)
        if qr is None:
            continue
        emne = f"{q.number} {q.text}".strip()
        _fig(out, tag, emne, "score", _est(qr.mean))
        _fig(out, tag, emne, "andel_positive", _est(qr.share_positive, 1, 100.0))
        _fig(out, tag, emne, "n", ("–", None) if qr.suppressed else _count(qr.n))


_SENTENCE_END = re.compile(r'(?<=[.!?:])\s+(?=[A-ZÆØÅ"»])')


def split_sentences(text: str) -> list[str]:
    """Running text → sentences (a full stop, ! or ? before a capital letter ends one)."""
    text = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(text) if s]


def sections_of(document: Any) -> list[SectionText]:
    """The document's sections with the sentences of their paragraphs and list items
    (tables and figures are covered by the figures)."""
    out = []
    for sec in document.sections:
        sentences: list[str] = []
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                sentences += split_sentences(block.text)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    sentences += split_sentences(item.text)
            elif isinstance(block, Table) and block.note:
                continue
        out.append(SectionText(sec.key, sec.heading, tuple(sentences)))
    return out


def handwritten_of(case: Any) -> dict[str, str]:
    """The hand-written texts as written in the case file (``tekster``), one text per key;
    the Indstilling as its lead line and numbered items."""
    t = case.tekster
    out: dict[str, str] = {}
    for key, value in t.model_dump(mode="json").items():
        if key == "indstilling":
            if t.indstilling is not None:
                lines = [t.indstilling.indledning] + [f"{i}. {p}" for i, p in enumerate(t.indstilling.punkter, 1)]
                out[key] = "\n".join(lines)
        elif key == "bilag":
            if value:
                out[key] = "\n".join(f"- {v}" for v in value)
        elif key == "ekstra":
            for k, v in sorted(value.items()):
                out[f"ekstra.{k}"] = v
        elif isinstance(value, str) and value.strip():
            out[key] = value
    return out
