"""A batch run → its manifest (JSON): what was built, from what, how, and what went wrong.

The manifest is written atomically to ``<output>/manifest.json`` at the end of every run
(also an interrupted one) and copied to ``<output>/manifester/<start time>.json`` as the
run's own record. It holds every input with its SHA-256, the settings, and per item the
status (``dannet``, ``uaendret``, ``fejlet``), the outputs with their SHA-256, the duration
per stage, warnings and errors, and the reportgen version.

Incremental builds rest on one value per item, its *key*: a SHA-256 over the inputs'
hashes, the item's effective case settings, period, municipality, formats and file
name, the reportgen version, a hash of the templates folder and the versions of the
libraries that draw the output. An item is up to date when the previous manifest has
it with the same key and every output it recorded still exists with the recorded hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from reportgen.core.templating import message
from reportgen.core.version import __version__
from reportgen.core.atomic import sha256_file, write_json

MANIFEST_NAME = "manifest.json"
HISTORY_DIR = "manifester"
MANIFEST_VERSION = 1
RENDER_LIBRARIES = ("weasyprint", "python-docx", "matplotlib", "pandas", "numpy", "scipy", "jinja2", "babel")

Status = Literal["dannet", "uaendret", "fejlet"]
ErrorKind = Literal["input", "intern"]


@dataclass(frozen=True)
class InputFile:
    rolle: str
    fil: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class OutputFile:
    fil: str  # relative to the output folder, "/"-separated
    format: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class ItemError:
    art: ErrorKind
    besked: str
    detaljer: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemRecord:
    """One (period, municipality) item of a run."""

    periode: str
    kommune: str
    status: Status
    noegle: str
    varighed_s: float = 0.0
    trin_s: Mapping[str, float] = field(default_factory=dict)
    output: tuple[OutputFile, ...] = ()
    advarsler: tuple[str, ...] = ()
    fejl: ItemError | None = None
    dannet: str | None = None  # when the outputs were built (ISO time), carried over when unchanged

    @property
    def id(self) -> str:
        return item_id(self.periode, self.kommune)


NO_PERIOD_LABEL = "samlet"  # the period of data without a period column


def item_id(period: str, municipality: str) -> str:
    """``2024K2/Norddjurs``; data without periods gives ``samlet/Norddjurs``."""
    return f"{period or NO_PERIOD_LABEL}/{municipality}"


# --------------------------------------------------------------------------- hashing


def hash_json(value: object) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def hash_input(role: str, path: Path, display: str) -> InputFile:
    return InputFile(rolle=role, fil=display, sha256=sha256_file(path), bytes=path.stat().st_size)


def hash_tree(folder: Path) -> str:
    """One SHA-256 over every file below ``folder`` (relative path and content)."""
    h = hashlib.sha256()
    for p in sorted(q for q in folder.rglob("*") if q.is_file() and "__pycache__" not in q.parts):
        h.update(p.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        h.update(sha256_file(p).encode("ascii") + b"\n")
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in RENDER_LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "?"
    return out


def item_key(inputs: Sequence[InputFile], case_settings: Mapping[str, Any], period: str, municipality: str,
             formats: Sequence[str], name: str, templates: str, libraries: Mapping[str, str]) -> str:
    """The value that decides whether an item must be built again."""
    return hash_json({
        "inputs": sorted((i.rolle, i.sha256) for i in inputs),
        "case": case_settings, "periode": period, "kommune": municipality,
        "formater": sorted(formats), "navn": name,
        "reportgen": __version__, "skabeloner": templates, "biblioteker": dict(libraries),
    })


# --------------------------------------------------------------------------- reading


def read_previous(out_root: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The previous run's manifest, or None with a reason when it is missing or unreadable."""
    path = out_root / MANIFEST_NAME
    if not path.is_file():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, message("run", "manifest_unreadable", path=path, error=exc)
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        return None, message("run", "manifest_unknown", path=path)
    return data, None


def previous_items(previous: Mapping[str, Any] | None) -> dict[str, ItemRecord]:
    if not previous:
        return {}
    out = {}
    for raw in previous.get("elementer", []):
        try:
            rec = _record_from_json(raw)
        except (KeyError, TypeError, ValueError):
            continue
        out[rec.id] = rec
    return out


def up_to_date(prev: ItemRecord | None, key: str, out_root: Path) -> bool:
    """True when ``prev`` was built with ``key`` and all its outputs are there, unchanged."""
    if prev is None or prev.status == "fejlet" or prev.noegle != key or not prev.output:
        return False
    for o in prev.output:
        p = out_root / o.fil
        try:
            if p.stat().st_size != o.bytes or sha256_file(p) != o.sha256:
                return False
        except OSError:
            return False
    return True


def _record_from_json(raw: Mapping[str, Any]) -> ItemRecord:
    err = raw.get("fejl")
    return ItemRecord(
        periode=str(raw["periode"]), kommune=str(raw["kommune"]), status=raw["status"], noegle=str(raw["noegle"]),
        varighed_s=float(raw.get("varighed_s", 0.0)), trin_s=dict(raw.get("trin_s", {})),
        output=tuple(OutputFile(**o) for o in raw.get("output", [])),
        advarsler=tuple(raw.get("advarsler", [])),
        fejl=ItemError(err["art"], err["besked"], tuple(err.get("detaljer", []))) if err else None,
        dannet=raw.get("dannet"),
    )


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class RunRecord:
    """Everything about a run except its items."""

    koerselsfil: InputFile
    output: str
    start: dt.datetime
    slut: dt.datetime
    status: Literal["fuldført", "afbrudt"]
    exitkode: int
    jobs: int
    tvunget: bool
    input: tuple[InputFile, ...]
    skabeloner: str
    biblioteker: Mapping[str, str]
    indstillinger: Mapping[str, Any]
    plan_noegle: str


def build_manifest(run: RunRecord, items: Iterable[ItemRecord]) -> dict[str, Any]:
    items = sorted(items, key=lambda r: (r.periode, r.kommune))
    counts = {s: sum(1 for r in items if r.status == s) for s in ("dannet", "uaendret", "fejlet")}
    return {
        "manifest_version": MANIFEST_VERSION,
        "reportgen_version": __version__,
        "koerselsfil": asdict(run.koerselsfil),
        "output": run.output,
        "start": run.start.isoformat(timespec="seconds"),
        "slut": run.slut.isoformat(timespec="seconds"),
        "varighed_s": round((run.slut - run.start).total_seconds(), 3),
        "status": run.status,
        "exitkode": run.exitkode,
        "jobs": run.jobs,
        "tvunget": run.tvunget,
        "input": [asdict(i) for i in run.input],
        "skabeloner_sha256": run.skabeloner,
        "biblioteker": dict(run.biblioteker),
        "indstillinger": run.indstillinger,
        "plan_noegle": run.plan_noegle,
        "opsummering": counts,
        "elementer": [_record_to_json(r) for r in items],
    }


def write_manifest(out_root: Path, manifest: Mapping[str, Any], start: dt.datetime) -> Path:
    """Write ``manifest.json`` and the run's copy in ``manifester/``; return the main path."""
    stamp = start.strftime("%Y%m%dT%H%M%S")
    write_json(out_root / HISTORY_DIR / f"{stamp}.json", manifest)
    path = out_root / MANIFEST_NAME
    write_json(path, manifest)
    return path


def _record_to_json(r: ItemRecord) -> dict[str, Any]:
    d = asdict(r)
    d["trin_s"] = {k: round(v, 4) for k, v in r.trin_s.items()}
    d["varighed_s"] = round(r.varighed_s, 4)
    if r.fejl is None:
        d["fejl"] = None
    return {"id": r.id, **d}
