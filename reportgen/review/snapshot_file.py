"""The snapshot's types and file format: ``Snapshot`` (what one version *is*) and its
parts, to and from ``<navn>.indhold.json``. ``review.snapshot`` makes one from a built
``Report``; ``review.diff`` and the web app's pages only read them, and so need only this
module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from reportgen.core.version import __version__
from reportgen.core.templating import message
from reportgen.errors import InputError, Problem

SNAPSHOT_VERSION = 1
SNAPSHOT_SUFFIX = ".indhold.json"
SNAPSHOT_FORMAT = "indhold"  # its "format" in a batch manifest


@cache
def measure_label(maal: str) -> str:
    """What a figure measures, as the diff shows it (a term, not a sentence; the block
    ``measure`` of templates/messages/review.txt.j2); an unknown measure is shown as its key."""
    return message("review", "measure", measure=maal)


@dataclass(frozen=True)
class FigureValue:
    """One figure of the document: a stable key, where it belongs, and its shown value."""

    noegle: str  # e.g. "fokus|tema|Samtalen|score"
    enhed: str  # "fokus", "benchmark" or "gruppe:<kolonne>:<gruppe>"
    emne: str  # a theme, "Samlet score", a question number + text, or "" for the whole unit
    maal: str  # what it measures: "score", "andel_positive", "n", ... (measure_label)
    tekst: str  # as shown ("3,81", "39,4", "2 af 10", "–")
    vaerdi: float | int | str | None  # the same, as a number where it is one
    navn: str = ""  # the unit as the document names it ("Norddjurs", "Alle kommuner", "Dagpengemodtagere")

    @property
    def label(self) -> str:
        unit = self.navn or unit_label(self.enhed)
        return " · ".join(p for p in (unit, self.emne, measure_label(self.maal)) if p)


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
            raise InputError(Problem(message("review", "snapshot_unknown_format"), file=source,
                                     expected=message("review", "snapshot_unknown_format_expected",
                                                      suffix=SNAPSHOT_SUFFIX, version=SNAPSHOT_VERSION)))
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
            raise InputError(Problem(message("review", "snapshot_damaged", error=exc), file=source)) from exc


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
        raise InputError(Problem(message("review", "snapshot_missing"), file=str(path))) from exc
    except (OSError, ValueError) as exc:
        raise InputError(Problem(message("review", "snapshot_not_json", error=exc), file=str(path),
                                 expected=message("review", "snapshot_expected", suffix=SNAPSHOT_SUFFIX))) from exc
    return Snapshot.from_json(data, str(path))
