"""Helpers for the batch tests: a copy of fixtures/batch in a temporary folder, run file edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT

BATCH = ROOT / "fixtures" / "batch"
DATA_FILES = ("besvarelser.csv", "katalog.csv", "inviterede.csv")


def make_batch_dir(folder: Path, formats: tuple[str, ...] = ("html", "docx"), **koersel: Any) -> Path:
    """Copy the example data to ``folder`` with a run file writing to ``folder/out``."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in DATA_FILES:
        shutil.copy(BATCH / f, folder / f)
    raw = yaml.safe_load((BATCH / "koersel.yaml").read_text(encoding="utf-8"))
    raw["koersel"].update({"output": "out", "formater": list(formats), **koersel})
    return write_run_file(folder, raw)


def write_run_file(folder: Path, raw: dict[str, Any]) -> Path:
    path = folder / "koersel.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def edit_run_file(path: Path, **changes: Any) -> None:
    """``sag__titel="x"`` sets sag.titel; a value of None removes the key."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        node = raw
        keys = dotted.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    write_run_file(path.parent, raw)


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def outputs(out: Path) -> dict[str, bytes]:
    """Every visible output file (not the manifest, not hidden files) → its bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and p.parts[len(out.parts)] not in ("manifester",)
            and p.name != "manifest.json"}


def hidden_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(".*") if p.is_file()
                  and p.name != ".reportgen-batch.lock")
