"""A built ``Report`` → ``Snapshot``: what a version *is*, machine-readable.

The snapshot holds the figures (theme and question scores, shares, n, response rate,
rank and verdict, per target group), the document's sentences section by section, the
hand-written texts as written, the case's metadata and the inputs (SHA-256 of every
data file, the case file, profile and theme files, and of the mapping and the texts).
``reportgen build`` and ``reportgen batch`` write it beside the outputs as
``<navn>.indhold.json``; ``reportgen diff`` compares two of them.

Figures are kept as the document shows them: rounded by ``core.fmt`` (scores with two
decimals, shares in pct. with one), so a figure "changed" exactly when a reader would
see a different number. The bytes are deterministic: no clock, no absolute paths.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.core import fmt
from reportgen.core.atomic import sha256_file
from reportgen.core.version import __version__
from reportgen.errors import InputError, Problem
from reportgen.models import OVERALL, Estimate, ListBlock, Paragraph, Results, Table, UnitResult

if TYPE_CHECKING:
    from reportgen.api import Report

SNAPSHOT_VERSION = 1
SNAPSHOT_SUFFIX = ".indhold.json"
SNAPSHOT_FORMAT = "indhold"  # its "format" in a batch manifest
OVERALL_LABEL = "Samlet score"

# What each figure measures, as the diff shows it (terms, not sentences).
MEASURE_LABELS: dict[str, str] = {
    "score": "score",
    "andel_positive": "andel positive (pct.)",
    "n": "antal svar",
    "besvarelser": "besvarelser",
    "svarprocent": "svarprocent",
    "inviterede": "inviterede",
    "placering": "placering",
    "vurdering": "vurdering",
    "kommuner": "kommuner i sammenligningen",
}
VERDICT_TEXT = {"over": "over", "under": "under", "paa_niveau": "på niveau", None: "–"}


@dataclass(frozen=True)
class FigureValue:
    """One figure of the document: a stable key, where it belongs, and its shown value."""

    noegle: str  # e.g. "fokus|tema|Samtalen|score"
    enhed: str  # "fokus", "benchmark" or "gruppe:<kolonne>:<gruppe>"
    emne: str  # a theme, "Samlet score", a question number + text, or "" for the whole unit
    maal: str  # a key of MEASURE_LABELS
    tekst: str  # as shown ("3,81", "39,4", "2 af 10", "–")
    vaerdi: float | int | str | None  # the same, as a number where it is one
    navn: str = ""  # the unit as the document names it ("Norddjurs", "Alle kommuner", "Dagpengemodtagere")

    @property
    def label(self) -> str:
        unit = self.navn or unit_label(self.enhed)
        return " · ".join(p for p in (unit, self.emne, MEASURE_LABELS.get(self.maal, self.maal)) if p)


@dataclass(frozen=True)
class SectionText:
    """One section of the document: its key, heading and sentences in order."""

    noegle: str
    overskrift: str
    saetninger: tuple[str, ...]


@dataclass(frozen=True)
class InputRecord:
    rolle: str
    fil: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Snapshot:
    """What one version is. Build with ``snapshot(report)``; read with ``load_snapshot``."""

    navn: str
    sag: Mapping[str, Any]
    tal: tuple[FigureValue, ...]
    afsnit: tuple[SectionText, ...]
    haandskrevet: Mapping[str, str]
    input: tuple[InputRecord, ...]
    kortlaegning: Mapping[str, Any]
    analyse: Mapping[str, Any]
    reportgen_version: str = __version__
    kilde: str = field(default="", compare=False)  # where it was read from (not written)

    def figures(self) -> dict[str, FigureValue]:
        return {f.noegle: f for f in self.tal}

    def to_json(self) -> dict[str, Any]:
        return {
            "indhold_version": SNAPSHOT_VERSION,
            "reportgen_version": self.reportgen_version,
            "navn": self.navn,
            "sag": dict(self.sag),
            "input": [vars_of(i) for i in self.input],
            "kortlaegning": dict(self.kortlaegning),
            "analyse": dict(self.analyse),
            "tal": [vars_of(f) for f in self.tal],
            "afsnit": [{"noegle": s.noegle, "overskrift": s.overskrift, "saetninger": list(s.saetninger)}
                       for s in self.afsnit],
            "haandskrevet": dict(self.haandskrevet),
        }

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "") -> Snapshot:
        if not isinstance(data, Mapping) or data.get("indhold_version") != SNAPSHOT_VERSION:
            raise InputError(Problem("Filen er ikke et indholdsudtræk fra reportgen (ukendt format)", file=source,
                                     expected=f"en {SNAPSHOT_SUFFIX}-fil med indhold_version {SNAPSHOT_VERSION}"))
        try:
            return cls(
                navn=str(data["navn"]), sag=dict(data["sag"]),
                tal=tuple(FigureValue(**f) for f in data["tal"]),
                afsnit=tuple(SectionText(s["noegle"], s["overskrift"], tuple(s["saetninger"])) for s in data["afsnit"]),
                haandskrevet=dict(data["haandskrevet"]),
                input=tuple(InputRecord(**i) for i in data["input"]),
                kortlaegning=dict(data["kortlaegning"]), analyse=dict(data["analyse"]),
                reportgen_version=str(data.get("reportgen_version", "")), kilde=source)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(Problem(f"Indholdsudtrækket er ufuldstændigt eller beskadiget ({exc})", file=source)) from exc


def vars_of(obj: object) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__dataclass_fields__ if k != "kilde"}  # type: ignore[attr-defined]


def unit_label(enhed: str) -> str:
    if enhed.startswith("gruppe:"):
        _, col, group = enhed.split(":", 2)
        return f"{group} ({col})"
    return enhed


def load_snapshot(path: str | Path) -> Snapshot:
    """Read a ``.indhold.json`` file; a Danish ``InputError`` when it is missing or not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(Problem("Filen findes ikke", file=str(path))) from exc
    except (OSError, ValueError) as exc:
        raise InputError(Problem(f"Filen kan ikke læses som JSON ({exc})", file=str(path),
                                 expected=f"en {SNAPSHOT_SUFFIX}-fil")) from exc
    return Snapshot.from_json(data, str(path))


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
