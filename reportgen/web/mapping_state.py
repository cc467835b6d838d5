"""A case's mapping: the proposal for its export, the user's corrections, and the case
file's ``data`` section made from them (``ingest.propose``); validation through the same
loader as the CLI, so the problems are the CLI's Danish messages."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest.propose import ColumnProposal, propose, to_data_settings
from reportgen.ingest.read import RawTable, read_table
from reportgen.web.casefiles import contained


def read_export(folder: Path, files: dict[str, Any]) -> RawTable:
    f = files["besvarelser"]
    return read_table(contained(folder / "uploads", f["name"]), display=f["original"])


def catalogue_columns(folder: Path, files: dict[str, Any]) -> dict[str, bool] | None:
    if "katalog" not in files:
        return None
    f = files["katalog"]
    try:
        table = read_table(contained(folder / "uploads", f["name"]), display=f["original"], expected=("id",))
    except InputError:
        return None
    cols = {c.lower(): c for c in table.header}
    if "id" not in cols:
        return None
    rev = table.frame[cols["omvendt"]] if "omvendt" in cols else None
    return {str(v).strip(): bool(rev is not None and str(rev.iloc[i]).strip().lower() in ("ja", "1", "true", "j"))
            for i, v in enumerate(table.frame[cols["id"]])}


def initial_roles(proposals: list[ColumnProposal]) -> dict[str, dict[str, Any]]:
    return {p.column: {"role": p.role, "scale": p.scale, "reverse": p.reverse,
                       "missing_codes": list(p.missing_codes), "key": p.key} for p in proposals}


_proposals: dict[str, list[ColumnProposal]] = {}
_validated: dict[str, list[Problem]] = {}
_CACHE = 32


def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _remember(cache: dict[str, Any], key: str, value: Any) -> Any:
    cache[key] = value
    while len(cache) > _CACHE:
        cache.pop(next(iter(cache)))
    return value


def proposals_for(folder: Path, files: dict[str, Any]) -> list[ColumnProposal]:
    """The proposal for the uploads (cached by their content hashes: uploads never change)."""
    key = _key(str(folder), {r: f["sha256"] for r, f in files.items()})
    if key in _proposals:
        return _proposals[key]
    return _remember(_proposals, key, propose(read_export(folder, files), catalogue_columns(folder, files)))


def apply_roles(settings: dict[str, Any], roles: dict[str, dict[str, Any]], with_catalogue: bool) -> dict[str, Any]:
    data = {k: v for k, v in settings["data"].items() if k not in ("kolonner", "spoergsmaal", "manglende_koder")}
    data.update(to_data_settings(roles, with_catalogue=with_catalogue))
    return {**settings, "data": data}


def validate(folder: Path, settings: dict[str, Any]) -> list[Problem]:
    """Everything the CLI's ``validate`` would say about the data, as Problems ([] = fine)."""
    from reportgen.ingest.sources import load_all
    from reportgen.settings.case import parse_case

    key = _key(str(folder), {k: v for k, v in settings.items() if k != "tekster"})
    if key in _validated:
        return _validated[key]
    return _remember(_validated, key, _validate(folder, settings, parse_case, load_all))


def _validate(folder: Path, settings: dict[str, Any], parse_case: Any, load_all: Any) -> list[Problem]:
    try:
        case = parse_case(settings, "sagsfil")
        load_all(case, folder, case_file="sagsfil")
    except InputError as exc:
        return exc.problems
    return []


def case_file_text(settings: dict[str, Any], files: dict[str, Any]) -> str:
    """The case file for download: data paths are the files' original names (to be put
    beside it), so it runs with ``reportgen build`` and in the batch."""
    data = dict(settings["data"])
    for role, f in files.items():
        data[role] = f["original"]
    head = message("web", "case_file_head") + "\n"
    return head + yaml.safe_dump({**settings, "data": data}, allow_unicode=True, sort_keys=False)


_values: dict[str, list[str]] = {}


def values_of(folder: Path, files: dict[str, Any], column: str) -> list[str]:
    """The distinct non-blank values of one export column, sorted (cached like proposals)."""
    key = _key(str(folder), {r: f["sha256"] for r, f in files.items()}, column)
    if key not in _values:
        table = read_export(folder, files)
        found = sorted(str(v) for v in table.distinct(column)[1] if str(v).strip()) if column in table.header else []
        _remember(_values, key, found)
    return _values[key]
